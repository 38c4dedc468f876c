"""The ``smartcity`` command: summaries, problems, exit codes, and never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import smartcity_model as scm
from smartcity_model.cli import main

CLEAN = Path(__file__).parent / "data" / "clean.yaml"


@pytest.fixture
def run() -> CliRunner:
    return CliRunner()


def test_check_defaults_to_the_bundled_example(run: CliRunner) -> None:
    result = run.invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "Kabupaten Solok Selatan (kabupaten), period 2024-2033" in result.output
    assert "Initiatives   33 (7 quick wins)" in result.output
    assert "No loading problems." in result.output
    assert "0 errors, 11 warnings, 2 info (1 waived)" in result.output


def test_check_json_summary(run: CliRunner, plan_folder: Path) -> None:
    result = run.invoke(main, ["check", str(plan_folder), "--format", "json", "--no-checks"])
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert "report" not in payload
    assert payload["ok"] is True
    assert payload["summary"]["counts"] == {
        "dimensions": 6,
        "elements": 18,
        "opds": 3,
        "indicators": 2,
        "initiatives": 2,
        "quick_wins": 1,
        "observations": 3,
    }
    assert payload["summary"]["period"] == {"start": 2024, "end": 2033}


def test_check_lists_every_problem_and_exits_1(run: CliRunner, plan_folder: Path) -> None:
    initiatives = plan_folder / "initiatives.yaml"
    initiatives.write_text(
        initiatives.read_text(encoding="utf-8")
        .replace("lead: rsud", "lead: rs")
        .replace("horizon: short", "horizon: later"),
        encoding="utf-8",
    )
    result = run.invoke(main, ["check", str(plan_folder)])
    assert result.exit_code == 1
    assert "2 problems" in result.output
    assert "[dangling-reference]" in result.output
    assert "[invalid-choice]" in result.output
    assert "Traceback" not in result.output


def test_check_json_problems(run: CliRunner, plan_folder: Path) -> None:
    (plan_folder / "opds.yaml").write_text("- id: x\n  name: [\n", encoding="utf-8")
    result = run.invoke(main, ["check", str(plan_folder), "--format", "json"])
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload["ok"] is False
    assert [(p["code"], Path(p["file"]).name) for p in payload["problems"]] == [("syntax-error", "opds.yaml")]


@pytest.mark.parametrize("name", ["nowhere", "plan.txt"])
def test_check_usage_errors_exit_2(run: CliRunner, tmp_path: Path, name: str) -> None:
    (tmp_path / "plan.txt").write_text("x", encoding="utf-8")
    result = run.invoke(main, ["check", str(tmp_path / name)])
    assert result.exit_code == 2
    assert result.output.startswith("error: ")
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_check_rejects_unknown_format_option(run: CliRunner) -> None:
    assert run.invoke(main, ["check", "--format", "xml"]).exit_code == 2


def test_schema_prints_and_writes(run: CliRunner, tmp_path: Path) -> None:
    printed = run.invoke(main, ["schema", "opds"])
    assert printed.exit_code == 0
    assert json.loads(printed.output) == scm.json_schema("opds")
    out = tmp_path / "masterplan.schema.json"
    assert run.invoke(main, ["schema", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == scm.json_schema()


def test_schema_output_that_cannot_be_written_exits_2(run: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    result = run.invoke(main, ["schema", "-o", str(tmp_path / "file" / "s.json")])
    assert result.exit_code == 2


def test_version(run: CliRunner) -> None:
    result = run.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert scm.__version__ in result.output


def test_check_runs_the_consistency_checks(run: CliRunner, tmp_path: Path) -> None:
    assert run.invoke(main, ["check", str(CLEAN)]).exit_code == 0
    text = CLEAN.read_text(encoding="utf-8").replace("depends_on: [brd-a]", "depends_on: [brd-a, soc-b]")
    broken = tmp_path / "plan.yaml"
    broken.write_text(text, encoding="utf-8")
    result = run.invoke(main, ["check", str(broken), "--format", "json"])
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload["ok"] is False
    assert payload["report"]["counts_by_code"] == {"starts-before-prerequisite-ends": 1}


def test_check_reads_checks_yaml_beside_the_plan_or_given(run: CliRunner, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "checks.yaml").write_text(
        "severity: {ict-heavy-plan: error}\nthresholds: {max_ict_share: 0.3}\n", encoding="utf-8"
    )
    assert run.invoke(main, ["check", str(plan)]).exit_code == 1
    other = tmp_path / "lenient.yaml"
    other.write_text("thresholds: {max_ict_share: 0.9}\n", encoding="utf-8")
    assert run.invoke(main, ["check", str(plan), "--config", str(other)]).exit_code == 0


def test_check_reports_a_broken_checks_yaml(run: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "checks.yaml"
    config.write_text("waivers:\n  - code: siloed-opd\n", encoding="utf-8")
    result = run.invoke(main, ["check", str(CLEAN), "--config", str(config)])
    assert result.exit_code == 1
    assert "[missing-field]" in result.output
    assert "Traceback" not in result.output
    missing = run.invoke(main, ["check", str(CLEAN), "--config", str(tmp_path / "none.yaml")])
    assert missing.exit_code == 2


@pytest.mark.parametrize(
    ("fmt", "marker"), [("graphml", "<graphml"), ("json", '"multigraph": true'), ("dot", "digraph")]
)
def test_graph_exports(run: CliRunner, fmt: str, marker: str) -> None:
    result = run.invoke(main, ["graph", str(CLEAN), "--view", "full", "--format", fmt])
    assert result.exit_code == 0
    assert marker in result.output


def test_graph_collaboration_view_to_file(run: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "opds.graphml"
    result = run.invoke(main, ["graph", str(CLEAN), "--view", "collaboration", "-o", str(out)])
    assert result.exit_code == 0
    plan = scm.load(CLEAN)
    partners = {s for initiative in plan.initiatives for s in initiative.stakeholders}
    assert partners, "the clean plan should have partners beyond government"
    written = out.read_text(encoding="utf-8")
    assert written.count("<node ") == len(plan.opds) + len(partners)
    assert all(f'<node id="{partner}"' in written for partner in partners)


def test_graph_of_a_missing_plan_exits_2(run: CliRunner, tmp_path: Path) -> None:
    assert run.invoke(main, ["graph", str(tmp_path / "nowhere")]).exit_code == 2


def test_a_crash_is_one_line_and_exit_3_unless_debugging(run: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("something unexpected")

    monkeypatch.setattr("smartcity_model.cli.run_checks", broken)
    result = run.invoke(main, ["check"])
    assert result.exit_code == 3
    assert "internal error: RuntimeError: something unexpected" in result.output
    assert "--debug" in result.output
    assert "Traceback" not in result.output
    debugging = run.invoke(main, ["--debug", "check"])
    assert debugging.exit_code == 3  # never 1, which says problems were found
    assert "Traceback" in debugging.output
    assert "RuntimeError: something unexpected" in debugging.output


def test_a_plan_a_workbook_cannot_hold_is_refused_with_a_reason_not_a_crash(
    run: CliRunner, tmp_path: Path, plan_data: dict[str, object]
) -> None:
    plan_data["opds"][0]["note"] = "x" * 40_000  # type: ignore[index]  # more than an Excel cell holds
    source = scm.dump(scm.Masterplan.from_dict(plan_data), tmp_path / "plan.yaml")
    result = run.invoke(main, ["export", str(source), str(tmp_path / "plan.xlsx")])
    assert result.exit_code == 2
    assert "the plan was not saved as a workbook" in result.output
    assert "an Excel cell holds at most 32,767" in result.output
    assert not (tmp_path / "plan.xlsx").exists()


def test_hostile_files_are_problems_not_crashes(run: CliRunner, plan_folder: Path) -> None:
    (plan_folder / "opds.yaml").write_text("- id: dinkes\n  name: 'Dinas\x01'\n", encoding="utf-8")
    result = run.invoke(main, ["check", str(plan_folder)])
    assert result.exit_code == 1
    assert "opds.yaml:2:15: the character '\\x01' is not allowed in YAML" in result.output


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small synthetic country of eight plans in two provinces."""
    root = tmp_path / "country"
    scm.write_synthetic_country(root, provinces=2, regions=8, initiatives=10, opds=25, indicators=20, years=3)
    return root


def test_check_on_a_tree_checks_every_plan(run: CliRunner, tree: Path) -> None:
    result = run.invoke(main, ["check", str(tree), "--workers", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"8 plans under {tree}: 8 loaded, 0 did not"
    assert len([line for line in lines if "sintetis" in line and str(tree) in line]) == 8


def test_check_on_a_tree_reports_every_bad_plan_and_exits_1(run: CliRunner, tree: Path) -> None:
    first, second, *_ = scm.find_plans(tree)
    (first / "opds.yaml").write_text("- id: [\n", encoding="utf-8")
    (second / "masterplan.yaml").write_text("region: {id: x}\n", encoding="utf-8")
    result = run.invoke(main, ["check", str(tree), "--workers", "1"])
    assert result.exit_code == 1, result.output
    assert "8 plans under" in result.output
    assert "6 loaded, 2 did not" in result.output
    assert f"{first / 'opds.yaml'}:" in result.output
    assert f"{second / 'masterplan.yaml'}:" in result.output
    payload = json.loads(run.invoke(main, ["check", str(tree), "--format", "json", "--workers", "1"]).output)
    assert payload["ok"] is False
    assert len(payload["plans"]) == 6
    assert {item["path"] for item in payload["failed"]} == {str(first), str(second)}


def test_check_on_a_tree_names_a_broken_checks_yaml(run: CliRunner, tree: Path) -> None:
    plan = scm.find_plans(tree)[3]
    (plan / scm.CHECKS_FILE).write_text("severity: {no-such-code: 'off'}\n", encoding="utf-8")
    result = run.invoke(main, ["check", str(tree), "--workers", "1"])
    assert result.exit_code == 1
    assert str(plan / scm.CHECKS_FILE) in result.output


@pytest.mark.parametrize(("name", "start"), [("g.dot", "digraph"), ("g.json", "{"), ("g.graphml", "<?xml")])
def test_graph_output_format_follows_the_file_suffix(run: CliRunner, tmp_path: Path, name: str, start: str) -> None:
    result = run.invoke(main, ["graph", str(scm.example_path()), "-o", str(tmp_path / name)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)


def test_graph_format_that_contradicts_the_suffix_is_refused(run: CliRunner, tmp_path: Path) -> None:
    result = run.invoke(main, ["graph", str(scm.example_path()), "--format", "json", "-o", str(tmp_path / "g.dot")])
    assert result.exit_code == 2
    assert "does not match the output file" in result.output
    assert not (tmp_path / "g.dot").exists()


def test_a_broken_checks_yaml_in_a_tree_hides_no_other_plan(run: CliRunner, tree: Path) -> None:
    first, second, *_ = scm.find_plans(tree)
    (first / "opds.yaml").write_text("- id: [\n", encoding="utf-8")
    (second / scm.CHECKS_FILE).write_text("severity: {no-such-code: warning}\n", encoding="utf-8")
    result = run.invoke(main, ["check", str(tree), "--workers", "1"])
    assert result.exit_code == 1
    assert "7 loaded, 1 did not" in result.output
    assert f"not checked: its {scm.CHECKS_FILE} does not load" in result.output
    assert f"{first / 'opds.yaml'}:" in result.output
    assert str(second / scm.CHECKS_FILE) in result.output
    assert result.output.count("no findings") + result.output.count("warnings") >= 6


def test_a_warning_is_one_plain_line_on_standard_error(tmp_path: Path) -> None:
    root = tmp_path / "country"
    scm.write_synthetic_country(root, provinces=1, regions=2, initiatives=3, opds=25, indicators=20, years=2)
    (root / "catatan.yaml").write_text("x: 1\n", encoding="utf-8")
    result = subprocess.run(  # noqa: S603 - our own command
        [str(Path(sys.executable).parent / "smartcity"), "check", str(root), "--workers", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("warning: 1 file or folder under ")
    assert line.endswith("catatan.yaml")


@pytest.mark.parametrize(("lang", "word"), [("id", "Perangkat daerah"), ("en", "The OPDs taking part")])
def test_init_writes_a_commented_plan_that_checks_clean(run: CliRunner, tmp_path: Path, lang: str, word: str) -> None:
    folder = tmp_path / "padang-panjang"
    arguments = ["--region", "padang-panjang", "--name", "Kota Padang Panjang", "--kind", "kota", "--lang", lang]
    result = run.invoke(main, ["init", str(folder), *arguments, "--start", "2026"])
    assert result.exit_code == 0, result.output
    assert (folder / "opds.yaml").read_text(encoding="utf-8").startswith(f"# {word}")
    checked = run.invoke(main, ["check", str(folder)])
    assert checked.exit_code == 0, checked.output
    assert "Kota Padang Panjang (kota), period 2026-2035" in checked.output
    again = run.invoke(main, ["init", str(folder), *arguments])
    assert again.exit_code == 2
    assert {"id": "bukan folder kosong", "en": "not an empty folder"}[lang] in again.output  # --lang speaks too


def test_init_names_the_field_of_a_bad_region_id(run: CliRunner, tmp_path: Path) -> None:
    result = run.invoke(
        main, ["init", str(tmp_path / "x"), "--region", "Padang Panjang", "--name", "Kota", "--kind", "kota"]
    )
    assert result.exit_code == 2
    assert "field 'region.id'" in result.output
    assert "'Padang Panjang' is not an id" in result.output
    assert "(for example 'padang-panjang')" in result.output
    assert not (tmp_path / "x").exists()


def test_check_without_a_path_checks_the_plan_in_the_current_folder(
    run: CliRunner, plan_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(plan_folder)
    result = run.invoke(main, ["check", "--no-checks"])
    assert result.exit_code == 0, result.output
    assert "Kota Contoh" in result.output
    assert "bundled example" not in result.output


def test_check_without_a_path_elsewhere_says_it_checks_the_example(
    run: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run.invoke(main, ["check", "--no-checks"])
    assert result.exit_code == 0
    assert "the bundled example is used" in result.output
    assert "smartcity init PATH" in result.output


def test_framework_lists_every_dimension_and_element_with_both_names(run: CliRunner) -> None:
    result = run.invoke(main, ["framework"])
    assert result.exit_code == 0
    framework = scm.builtin_framework()
    for element in framework.elements:
        assert f"{element.id}" in result.output
        assert f"{element.name} / {element.name_en}" in result.output
    payload = json.loads(run.invoke(main, ["framework", "--format", "json"]).output)
    assert scm.Framework.model_validate(payload) == framework
    sectors = run.invoke(main, ["framework", "--sectors"]).output
    assert "ict" in sectors
    assert "Komunikasi dan Informatika / Communication and informatics  (also: tik" in sectors


@pytest.mark.parametrize("command", ["check", "score", "budget", "graph", "report", "framework", "schema"])
def test_lang_may_follow_the_command_too(run: CliRunner, command: str) -> None:
    before = run.invoke(main, ["--lang", "id", command, "--help"])
    after = run.invoke(main, [command, "--lang", "id", "--help"])
    assert after.exit_code == before.exit_code == 0, after.output
    assert after.output == before.output
    assert "Opsi:" in after.output


def test_required_options_are_marked_in_the_language_chosen(run: CliRunner) -> None:
    result = run.invoke(main, ["--lang", "id", "init", "--help"])
    assert "[wajib]" in result.output
    assert "required" not in result.output


def test_init_refuses_a_first_year_no_plan_can_start_in_with_one_problem(run: CliRunner, tmp_path: Path) -> None:
    arguments = ["--region", "x", "--name", "X", "--kind", "kota", "--start", "1800"]
    result = run.invoke(main, ["init", str(tmp_path / "x"), *arguments])
    assert result.exit_code == 2
    assert "1 problem" in result.output
    assert "the first year 1800 is not in 1900-2191" in result.output
    assert not (tmp_path / "x").exists()


def test_graph_refuses_an_output_whose_suffix_names_no_format_and_says_where_it_wrote(
    run: CliRunner, tmp_path: Path
) -> None:
    refused = run.invoke(main, ["graph", str(CLEAN), "-o", str(tmp_path / "graph.txt")])
    assert refused.exit_code == 2
    assert "names no graph format" in refused.output
    assert not (tmp_path / "graph.txt").exists()
    written = run.invoke(main, ["graph", str(CLEAN), "-o", str(tmp_path / "graph.txt"), "--format", "dot"])
    assert written.exit_code == 0
    assert f"written to {tmp_path / 'graph.txt'}" in written.output
    assert (tmp_path / "graph.txt").read_text(encoding="utf-8").startswith(("digraph", "strict digraph"))


def test_a_reader_that_stops_early_is_not_a_crash_nor_problems_found() -> None:
    process = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "smartcity_model", "graph", str(scm.example_path()), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()  # the reader goes away before the first line is written (as `| head` does)
    _out, errors = process.communicate(timeout=120)
    assert process.returncode == 141
    assert b"Traceback" not in errors
    assert b"internal error" not in errors
