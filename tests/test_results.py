"""Results for people and programs: smartcity score and budget, their tables, CSV, JSON and workbooks."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import smartcity_model as scm
from smartcity_model.cli import main
from smartcity_model.i18n import use_language
from smartcity_model.io.excel import tables_workbook

EXAMPLE = str(scm.example_path())
SUMBAR = str(Path(__file__).parents[1] / "examples" / "sumatera-barat")
OPTIONS = {"missing": "locf", "method": "minmax", "min_coverage": 0.5}
FLAGS = ["--missing", "locf", "--method", "minmax", "--min-coverage", "0.5"]


def _same(found: Any, expected: Any) -> bool:
    """Equal to the last digit; a missing value is null in JSON and NaN or NA in a table."""
    missing = expected is None or expected is pd.NA or (isinstance(expected, float) and math.isnan(expected))
    if missing:
        return found is None or (isinstance(found, float) and math.isnan(found))
    return bool(found == expected)


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_score_as_json_is_the_python_table_to_the_last_digit(example_plan: scm.Masterplan) -> None:
    printed = json.loads(_run("score", EXAMPLE, "--level", "all", "--vs-plan", "--format", "json", *FLAGS))
    table = scm.score_table(example_plan, levels="all", vs_plan=True, **OPTIONS)
    assert len(printed) == len(table) > 0
    assert {"region", "year", "level", "node", "score", "coverage", "band"} <= set(printed[0])
    for row, expected in zip(printed, table.to_dict("records"), strict=True):
        assert all(_same(row[key], value) for key, value in expected.items()), (row, expected)


def test_score_as_csv_is_the_python_table_to_the_last_digit(example_plan: scm.Masterplan, tmp_path: Path) -> None:
    _run("score", EXAMPLE, "-o", str(tmp_path / "scores.csv"), *FLAGS)
    read = pd.read_csv(tmp_path / "scores.csv")
    table = scm.score_table(example_plan, **OPTIONS)
    for column in ("score", "coverage", "imputed"):
        assert all(_same(a, b) for a, b in zip(read[column], table[column], strict=True)), column
    assert list(read["node"]) == list(table["node"])


def test_budget_as_json_is_the_python_summary_to_the_last_digit(example_plan: scm.Masterplan) -> None:
    printed = json.loads(_run("budget", EXAMPLE, "--format", "json"))
    assert set(printed) == {"year", "source", "opd", "dimension", "horizon"}
    for key, rows in printed.items():
        expected = scm.budget_summary(example_plan, key).to_dict("records")
        assert rows == [{k: (int(v) if k == "year" else v) for k, v in row.items()} for row in expected]
    crossed = json.loads(
        _run("budget", EXAMPLE, "--by", "year", "--by", "source", "--dimensions", "full", "--format", "json")
    )
    expected = scm.budget_summary(example_plan, ["year", "source"], dimensions="full")
    assert [row["amount"] for row in crossed] == list(expected["amount"])


def test_a_results_workbook_has_a_sheet_per_table_in_the_language_chosen(
    example_plan: scm.Masterplan, tmp_path: Path
) -> None:
    _run("--lang", "id", "score", EXAMPLE, "-o", str(tmp_path / "skor.xlsx"), *FLAGS)
    book = openpyxl.load_workbook(tmp_path / "skor.xlsx")
    assert book.sheetnames == ["Skor", "Kontribusi"]
    scores = book["Skor"]
    header = [cell.value for cell in scores[1]]
    table = scm.score_table(example_plan, **OPTIONS)
    column = header.index("score") + 1
    values = [scores.cell(row=n + 2, column=column).value for n in range(len(table))]
    assert all(
        (value is None and math.isnan(expected)) or value == pytest.approx(expected, rel=1e-14)
        for value, expected in zip(values, table["score"], strict=True)
    )
    _run("budget", EXAMPLE, "-o", str(tmp_path / "budget.xlsx"))
    assert len(openpyxl.load_workbook(tmp_path / "budget.xlsx").sheetnames) == 5


def test_text_a_planner_wrote_is_never_a_formula_in_a_results_workbook() -> None:
    hostile = ['=HYPERLINK("http://example.org","klik")', "+62 812", "-1", "@SUM(A1)", "<script>alert(1)</script>"]
    frame = pd.DataFrame({"name": hostile, "value": [1.5, float("nan"), 3, 4, 5]})
    book = openpyxl.load_workbook(io.BytesIO(tables_workbook({"a/b:c": frame})))
    sheet = book.worksheets[0]
    assert sheet.title == "a-b-c"
    cells = [sheet.cell(row=n, column=1) for n in range(2, 7)]
    assert [cell.value for cell in cells] == hostile
    assert all(cell.data_type == "s" for cell in cells)
    assert sheet.cell(row=3, column=2).value is None


def test_score_and_budget_tables_speak_the_language_chosen(example_plan: scm.Masterplan) -> None:
    indonesian = _run("--lang", "id", "score", EXAMPLE, "--year", "2024", "--level", "overall")
    english = _run("--lang", "en", "score", EXAMPLE, "--year", "2024", "--level", "overall")
    (score,) = scm.score_table(example_plan, levels="overall", years=[2024])["score"]
    rounded = f"{score:.1f}"
    assert "," not in rounded
    row_id = next(line for line in indonesian.splitlines() if line.startswith(" 2024"))
    row_en = next(line for line in english.splitlines() if line.startswith("2024"))
    assert "Kesiapan keseluruhan" in row_id
    assert rounded.replace(".", ",") in row_id.split()
    assert "Overall readiness" in row_en
    assert rounded in row_en.split()
    budget_id = _run("--lang", "id", "budget", EXAMPLE, "--by", "source")
    assert "Rp 65.855.000.000" in budget_id
    assert "Rp 65,855,000,000" in _run("--lang", "en", "budget", EXAMPLE, "--by", "source")


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["score", EXAMPLE, "--format", "xlsx"], 2, "-o FILE.xlsx"),
        (["score", EXAMPLE, "--format", "csv", "-o", "x.json"], 2, "does not match the output file"),
        (["budget", EXAMPLE, "--format", "csv"], 2, "choose it with --by"),
        (["budget", EXAMPLE, "--by", "yaer"], 2, "'yaer' is not one of"),
        (["score", EXAMPLE, "--level", "dimensi"], 2, "did you mean 'dimension'?"),
        (["score", EXAMPLE, "--year", "1990"], 1, "no scores in the years asked for (1990); the data cover 2019–2024"),
        (["score", EXAMPLE, "--aggregation", "power"], 2, "--aggregation power needs --power P"),
        (["score", EXAMPLE, "--power", "2"], 2, "--power is used by --aggregation power only"),
        (["score", EXAMPLE, "--method", "distance_to_reference"], 2, "needs --reference REGION"),
        (["score", EXAMPLE, "--range", "1", "100"], 2, "--range is used by --method minmax only"),
        (["score", EXAMPLE, "--nonpositive", "zero"], 2, "--nonpositive is used by --aggregation geometric"),
        (["score", EXAMPLE, "--aggregation", "geometric"], 1, "--method minmax --range 1 100"),
        (["score", SUMBAR, "--method", "minmax"], 2, "a study is scored as its recipe declares"),
        (["report", SUMBAR, "-o", "x.html", "--missing", "locf"], 2, "a study is scored as its recipe declares"),
        (["report", EXAMPLE, "-o", "x.html", "--year", "2030"], 1, "no readiness scores in 2030, asked for"),
        (["report", EXAMPLE, "-o", "x.html", "--missing", "raise"], 1, "error: "),
    ],
)
def test_what_cannot_be_given_is_refused_with_the_reason(
    args: list[str], code: int, words: str, tmp_path: Path
) -> None:
    given = [arg.replace("x.json", str(tmp_path / "x.json")) for arg in args]
    given = [arg.replace("x.html", str(tmp_path / "x.html")) for arg in given]
    result = CliRunner().invoke(main, given)
    assert result.exit_code == code, result.output
    assert words in result.output
    assert not (tmp_path / "x.json").exists()
    assert not (tmp_path / "x.html").exists()


def test_a_year_asked_for_without_scores_is_named(example_plan: scm.Masterplan) -> None:
    with pytest.warns(scm.ScoringWarning, match="no scores in 2050, asked for; the data cover 2019–2024"):
        table = scm.score_table(example_plan, years=[2023, 2050])
    assert set(table["year"]) == {2023}


def test_a_csv_cell_a_spreadsheet_would_run_is_written_as_text(plan_data: dict[str, Any], tmp_path: Path) -> None:
    plan_data["indicators"][0]["name"] = '=HYPERLINK("http://evil.example","klik")'
    plan = scm.Masterplan.from_dict(plan_data)
    scm.dump(plan, tmp_path / "plan")
    _run("score", str(tmp_path / "plan"), "--level", "indicator", "-o", str(tmp_path / "s.csv"))
    names = pd.read_csv(tmp_path / "s.csv")["name"].tolist()
    assert "'" + plan_data["indicators"][0]["name"] in names
    assert not any(str(name).startswith(("=", "+", "-", "@")) for name in names)


def test_the_score_table_names_nodes_and_bands_them(example_plan: scm.Masterplan) -> None:
    table = scm.score_table(example_plan, levels=["overall", "dimension"], years=[2023, 2024], **OPTIONS)
    assert set(table["year"]) == {2023, 2024}
    assert list(dict.fromkeys(table["level"])) == ["overall", "dimension"]
    scored = table.dropna(subset=["score"])
    scale = scm.scoring.readiness_scale("default")
    assert list(scored["readiness_level"]) == [int(level) for level in scale.levels_of(scored["score"])]
    dimension = example_plan.framework.dimensions[0]
    with use_language("en"):
        english = scm.score_table(example_plan, **OPTIONS)
    assert english.loc[english["node"] == dimension.id, "name"].iloc[0] == dimension.label("en")
    with pytest.raises(scm.ScoringError, match="unknown level 'dimensions' \\(did you mean 'dimension'\\?\\)"):
        scm.score_table(example_plan, levels="dimensions")


def test_a_study_is_scored_from_the_command_line_as_its_recipe_declares() -> None:
    rows = json.loads(_run("score", SUMBAR, "--level", "overall", "--format", "json"))
    study = scm.Recipe.load(Path(SUMBAR) / "recipe.yaml").run()
    table = scm.score_table(study.result, levels="overall", names=study.names)
    assert len(rows) == len(table) > 19
    assert [row["region"] for row in rows] == table["region"].tolist()
    expected = [None if math.isnan(v) else v for v in table["score"]]
    assert [row["score"] for row in rows] == expected


def test_the_report_shows_the_numbers_score_prints_and_says_how_they_were_made(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    CliRunner().invoke(main, ["report", EXAMPLE, "-o", str(report)], catch_exceptions=False)
    html = report.read_text(encoding="utf-8")
    rows = json.loads(_run("score", EXAMPLE, "--level", "overall", "--format", "json"))
    latest = max((row for row in rows if row["score"] is not None), key=lambda row: row["year"])
    assert f"Readiness {latest['year']}" in html
    assert f"{latest['score']:.1f}" in html
    assert "missing data coverage" in html
    assert "smartcity score with the same options prints the same numbers" in html


def test_shares_in_a_results_workbook_are_shown_as_percentages_and_keep_every_digit() -> None:
    frame = pd.DataFrame({"node": ["a", "b"], "score": [52.5, 61.0], "coverage": [2 / 3, 1.0]})
    sheet = openpyxl.load_workbook(io.BytesIO(tables_workbook({"Scores": frame}))).worksheets[0]
    assert [sheet.cell(row=n, column=3).number_format for n in (2, 3)] == ["0.0%", "0.0%"]
    assert sheet.cell(row=2, column=3).value == 2 / 3
    assert sheet.cell(row=2, column=2).number_format == "General"
