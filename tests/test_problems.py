"""One test per problem code: each broken plan raises MasterplanError naming the code and the place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import smartcity_model as scm

Data = dict[str, Any]


def _set(path: str, value: Any) -> Callable[[Data], None]:
    """Return a mutation that sets ``path`` (dotted, list positions as numbers) to ``value``."""
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]

    def mutate(data: Data) -> None:
        node: Any = data
        for part in parents:
            node = node[part]
        node[last] = value

    return mutate


def _delete(path: str) -> Callable[[Data], None]:
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]

    def mutate(data: Data) -> None:
        node: Any = data
        for part in parents:
            node = node[part]
        del node[last]

    return mutate


def _append(section: str, item: Data) -> Callable[[Data], None]:
    return lambda data: data[section].append(item)


def _unscheduled(data: Data) -> None:
    for key in ("horizon", "start_year", "end_year"):
        data["initiatives"][1].pop(key, None)


# code -> (mutation of the minimal plan, expected (kind, id, field) of the problem)
DATA_CASES: dict[str, tuple[Callable[[Data], None], tuple[str | None, str | None, str | None]]] = {
    "wrong-shape": (_set("opds", {"diskominfo": "ict"}), ("masterplan", None, "opds")),
    "missing-field": (_delete("region.name"), ("masterplan", None, "region.name")),
    "unknown-field": (_set("initiatives.0.leed", "rsud"), ("initiative", "qw-01", "leed")),
    "wrong-type": (_set("region.population", "many"), ("masterplan", None, "region.population")),
    "invalid-choice": (_set("region.kind", "village"), ("masterplan", None, "region.kind")),
    "invalid-id": (_set("opds.0.id", "Dinas Kominfo"), ("opd", "Dinas Kominfo", "id")),
    "not-finite": (_set("indicators.0.weight", float("nan")), ("indicator", "liv-referral", "weight")),
    "out-of-range": (_set("indicators.0.weight", -1.0), ("indicator", "liv-referral", "weight")),
    "invalid-period": (_set("period", {"start": 2033, "end": 2024}), ("masterplan", None, "period")),
    "invalid-normalisation": (
        _set("indicators.0.normalisation", {"method": "goalposts", "min": 10, "max": 5}),
        ("indicator", "liv-referral", "normalisation.goalposts"),
    ),
    "missing-band": (_set("indicators.0.direction", "band"), ("indicator", "liv-referral", None)),
    "missing-schedule": (_unscheduled, ("initiative", "sh-01", None)),
    "duplicate-id": (
        _append("opds", {"id": "dinkes", "name": "Dinas Kesehatan (lagi)", "sector": "health"}),
        ("opd", "dinkes", "id"),
    ),
    "dangling-reference": (_set("initiatives.0.lead", "diskes"), ("initiative", "qw-01", "lead")),
    "misplaced-reference": (
        _set(
            "goals",
            [
                {"id": "m1", "name": "Misi pelayanan", "level": "misi"},
                {"id": "s1", "name": "Sasaran layanan", "level": "sasaran", "parent": "m1"},
            ],
        ),
        ("goal", "s1", "parent"),
    ),
    "duplicate-reference": (
        _set("initiatives.1.depends_on", ["qw-01", "qw-01"]),
        ("initiative", "sh-01", "depends_on"),
    ),
    "lead-also-supporting": (
        _set("initiatives.0.supporting", ["rsud", "dinkes"]),
        ("initiative", "qw-01", "supporting"),
    ),
    "year-outside-period": (_set("initiatives.0.budget.0.year", 2040), ("initiative", "qw-01", "budget.0.year")),
    "value-out-of-bounds": (_set("indicators.0.targets", {2026: 120}), ("indicator", "liv-referral", "targets.2026")),
    "target-before-baseline": (
        _set("indicators.0.targets", {2023: 50, 2030: 80}),
        ("indicator", "liv-referral", "targets.2023"),
    ),
    "horizon-mismatch": (_set("initiatives.0.end_year", 2030), ("initiative", "qw-01", "end_year")),
    "duplicate-observation": (
        _append("observations", {"indicator": "liv-referral", "year": 2023, "value": 41}),
        ("observation", "liv-referral/2023", None),
    ),
    "foreign-region": (
        _append("observations", {"indicator": "gov-spbe", "year": 2022, "value": 2.1, "region": "kota-lain"}),
        ("observation", "gov-spbe/2022", "region"),
    ),
}

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)

# code -> (file name in the plan folder, text or bytes written there, expected line)
FILE_CASES: dict[str, tuple[str, str | bytes | None, int | None]] = {
    "file-missing": ("masterplan.yaml", None, None),
    "file-unreadable": ("opds.yaml", b"- id: dinkes\n  name: Dinas \xff\n", 2),
    "syntax-error": ("initiatives.yaml", "- id: qw-01\n  name: [unclosed\n", 2),  # where the bracket opens
    "ambiguous-number": ("observations.csv", "indicator,year,value\nliv-referral,2023,1.250\n", 2),
    "empty-document": ("masterplan.yaml", "", None),
    "alias-bomb": ("masterplan.yaml", BILLION_LAUGHS, 1),
    "unknown-file": ("opd.yaml", "- {id: dinkes, name: Dinas Kesehatan, sector: health}\n", None),
}


#: Codes found only when several plans are loaded together.
COLLECTION_CODES = ("duplicate-plan",)
#: Codes found only when OPD workbooks are merged into a plan.
MERGE_CODES = ("not-a-template",)


def test_every_code_has_a_test() -> None:
    assert set(DATA_CASES) | set(FILE_CASES) | set(COLLECTION_CODES) | set(MERGE_CODES) == set(scm.PROBLEM_CODES)


def test_a_plan_workbook_given_to_merge_reports_not_a_template(plan_folder: Path, tmp_path: Path) -> None:
    plan = scm.load(plan_folder)
    workbook = scm.dump(plan, tmp_path / "plan.xlsx")  # a whole plan's workbook, not an OPD's template
    result = scm.merge_templates(plan, [workbook])
    (problem,) = result.problems
    assert (problem.code, problem.file) == ("not-a-template", str(workbook))
    assert "smartcity import" in problem.message
    assert result.plan is None


def test_two_plans_for_one_region_report_duplicate_plan(plan_folder: Path, tmp_path: Path) -> None:
    copy = scm.dump(scm.load(plan_folder), tmp_path / "copy")
    plans = scm.load_many([plan_folder, copy], workers=1)
    (problem,) = plans.errors[copy].problems
    assert (problem.code, problem.kind, problem.id, problem.field) == (
        "duplicate-plan",
        "region",
        "kota-contoh",
        "region.id",
    )
    assert problem.file == str(copy / "masterplan.yaml")


def test_problem_rejects_unregistered_code() -> None:
    with pytest.raises(ValueError, match="unregistered"):
        scm.Problem("no-such-code", "message")


@pytest.mark.parametrize("code", sorted(DATA_CASES))
def test_broken_plan_reports_code_with_subject(code: str, plan_data: Data) -> None:
    mutate, (kind, obj_id, field) = DATA_CASES[code]
    mutate(plan_data)
    with pytest.raises(scm.MasterplanError) as caught:
        scm.Masterplan.from_dict(plan_data)
    matching = [p for p in caught.value.problems if p.code == code]
    assert matching, str(caught.value)
    problem = matching[0]
    assert (problem.kind, problem.id, problem.field) == (kind, obj_id, field)
    assert f"[{code}]" in str(caught.value)


@pytest.mark.parametrize("code", sorted(DATA_CASES))
def test_broken_plan_in_files_names_file_and_line(code: str, plan_data: Data, tmp_path: Path) -> None:
    mutate, _ = DATA_CASES[code]
    mutate(plan_data)
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan_data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(path)
    problem = next(p for p in caught.value.problems if p.code == code)
    assert problem.file == str(path)
    assert problem.line is not None
    assert problem.line >= 1


@pytest.mark.parametrize("code", sorted(FILE_CASES))
def test_broken_file_reports_code_and_place(code: str, plan_folder: Path) -> None:
    name, content, line = FILE_CASES[code]
    target = plan_folder / name
    if content is None:
        target.unlink()
    elif isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    problems = caught.value.problems
    assert [p.code for p in problems] == [code]
    assert problems[0].file == str(target)
    assert problems[0].line == line


def test_model_validate_raises_masterplan_error_for_plan_level_problems(plan_data: Data) -> None:
    plan_data["initiatives"][0]["lead"] = "diskes"
    with pytest.raises(scm.MasterplanError, match=r"did you mean 'dinkes'\?"):
        scm.Masterplan.model_validate(plan_data)


def test_every_code_is_documented() -> None:
    doc = (Path(__file__).parents[1] / "docs" / "problems.md").read_text(encoding="utf-8")
    documented = {line.split("`")[1] for line in doc.splitlines() if line.startswith("| `")}
    assert documented == set(scm.PROBLEM_CODES)


def test_observation_problems_come_row_by_row_with_the_first_of_each_repeat(plan_data: Data) -> None:
    plan_data["region"]["id"] = "kota-contoh"
    plan_data["observations"] += [
        {"indicator": "liv-referral", "year": 2023, "value": 140},  # row 4: repeats row 2, out of bounds
        {"indicator": "liv-referal", "year": 2040, "value": 1},  # row 5: unknown indicator, after the period
        {"indicator": "gov-spbe", "year": 2023, "value": 3, "region": "kota-contoh"},  # row 6: repeats row 3
        {"indicator": "gov-spbe", "year": 2023, "value": 3, "region": "kota-lain"},  # row 7: foreign, not a repeat
        {"indicator": "liv-referral", "year": 2023, "value": 50},  # row 8: repeats row 2 again
    ]
    with pytest.raises(scm.MasterplanError) as caught:
        scm.Masterplan.from_dict(plan_data)
    found = [(p.path[1], p.code, p.message) for p in caught.value.problems if p.path[:1] == ("observations",)]
    assert [(row, code) for row, code, _ in found] == [
        (3, "value-out-of-bounds"),
        (3, "duplicate-observation"),
        (4, "dangling-reference"),
        (4, "year-outside-period"),
        (5, "duplicate-observation"),
        (6, "foreign-region"),
        (7, "duplicate-observation"),
    ]
    repeats = [message for _, code, message in found if code == "duplicate-observation"]
    assert [message.rsplit("the other value is ", 1)[1] for message in repeats] == ["40)", "2.5)", "40)"]
    assert "did you mean 'liv-referral'" in found[2][2]


@pytest.mark.parametrize(
    ("name", "meant"),
    [("Initiatives.yaml", "initiatives.yaml"), ("initiatives.csv", "initiatives.yaml"), ("observasi.csv", None)],
)
def test_a_data_file_that_is_not_the_plans_is_named_not_skipped(
    plan_folder: Path, name: str, meant: str | None
) -> None:
    (plan_folder / name).write_text("x\n", encoding="utf-8")
    (plan_folder / "notes.md").write_text("catatan rapat\n", encoding="utf-8")  # not data: kept quietly
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    (problem,) = caught.value.problems
    assert problem.code == "unknown-file"
    assert problem.file == str(plan_folder / name)
    assert (f"did you mean {meant!r}" in problem.message) is (meant is not None)


def test_a_missing_part_file_is_named_beside_the_references_into_it(plan_folder: Path) -> None:
    (plan_folder / "opds.yaml").write_text("[]\n", encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    dangling = caught.value.codes["dangling-reference"]
    (plan_folder / "opds.yaml").unlink()
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    (first,) = caught.value.problems  # in place of the references into it, which it counts
    assert (first.code, first.file) == ("file-missing", str(plan_folder / "opds.yaml"))
    assert f"so {dangling} references to its opds cannot be resolved" in first.message


def test_problems_are_listed_by_file_and_line(plan_folder: Path) -> None:
    (plan_folder / "opds.yaml").write_text(
        "- id: dinkes\n  name: Dinas Kesehatan\n  sector: health\n", encoding="utf-8"
    )
    header = (plan_folder / "masterplan.yaml").read_text(encoding="utf-8")
    (plan_folder / "masterplan.yaml").write_text(header + "document: {status: selesai}\n", encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    places = [(problem.file or "", problem.line or 0) for problem in caught.value.problems]
    assert places == sorted(places)
    assert {file.rsplit("/", 1)[-1] for file, _ in places} >= {"masterplan.yaml", "indicators.yaml"}


# ----------------------------------------------------------------------- words a person can act on


@pytest.mark.parametrize(
    ("section", "written", "meant"),
    [
        ("initiatives", "leed", "lead"),
        ("initiatives", "suporting", "supporting"),
        ("initiatives", "depends-on", "depends_on"),
        ("opds", "sektor", "sector"),
    ],
)
def test_a_misspelt_field_names_the_field_meant_in_one_problem(
    plan_data: Data, section: str, written: str, meant: str
) -> None:
    item = plan_data[section][0]
    item[written] = item.pop(meant, "diskominfo")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.Masterplan.from_dict(plan_data)
    (problem,) = caught.value.problems  # not also "field required" for the field meant
    assert problem.code == "unknown-field"
    assert problem.message.endswith(f"(did you mean '{meant}'?)")


def test_a_misspelt_field_inside_a_budget_line_names_the_field_meant(plan_data: Data) -> None:
    plan_data["initiatives"][0]["budget"][0]["sumber"] = plan_data["initiatives"][0]["budget"][0].pop("source")
    with pytest.raises(scm.MasterplanError, match=r"unknown field 'sumber'"):
        scm.Masterplan.from_dict(plan_data)
    plan_data["initiatives"][0]["budget"][0]["sorce"] = plan_data["initiatives"][0]["budget"][0].pop("sumber")
    with pytest.raises(scm.MasterplanError, match=r"unknown field 'sorce' \(did you mean 'source'\?\)"):
        scm.Masterplan.from_dict(plan_data)


def test_a_misspelt_normalisation_method_names_the_method_meant(plan_data: Data) -> None:
    plan_data["indicators"][0]["normalisation"]["method"] = "goalpost"
    with pytest.raises(scm.MasterplanError) as caught:
        scm.Masterplan.from_dict(plan_data)
    (problem,) = caught.value.problems
    assert problem.code == "invalid-choice"
    assert "method 'goalpost' is unknown" in problem.message
    assert problem.message.endswith("(did you mean 'goalposts'?)")


@pytest.mark.parametrize(
    ("path", "written", "meant"),
    [("initiatives.0.budget.0.source", "APBD", "apbd"), ("initiatives.0.horizon", "quickwin", "quick_win")],
)
def test_a_choice_in_another_case_or_spelling_names_the_choice_meant(
    plan_data: Data, path: str, written: str, meant: str
) -> None:
    _set(path, written)(plan_data)
    with pytest.raises(scm.MasterplanError) as caught:
        scm.Masterplan.from_dict(plan_data)
    (problem,) = [p for p in caught.value.problems if p.code == "invalid-choice"]
    assert problem.message.endswith(f"(got '{written}') (did you mean '{meant}'?)")


def test_a_yes_in_a_text_field_is_shown_as_written_not_as_python_shows_it(plan_data: Data) -> None:
    plan_data["opds"][0]["acronym"] = True
    with pytest.raises(scm.MasterplanError) as caught:
        scm.Masterplan.from_dict(plan_data)
    (problem,) = caught.value.problems
    assert "(got true)" in problem.message
    assert "True" not in problem.message


def _replace_line(path: Path, start: str, line: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, text in enumerate(lines) if text.lstrip(" -").startswith(start))
    indent = lines[index][: len(lines[index]) - len(lines[index].lstrip(" -"))]
    lines[index] = indent + line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_number_that_reads_two_ways_is_refused_where_a_number_is_meant(plan_folder: Path) -> None:
    _replace_line(plan_folder / "masterplan.yaml", "kind: kota", "kind: kota\n  population: 182.027")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    (problem,) = caught.value.problems  # not also "not a whole number": that follows from the misreading
    assert problem.code == "ambiguous-number"
    assert "182027 with '.' grouping thousands" in problem.message


def test_a_number_that_reads_two_ways_in_a_text_field_is_told_to_be_quoted(plan_folder: Path) -> None:
    _replace_line(plan_folder / "opds.yaml", "sector: ict", "sector: ict\n  acronym: 1.250")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    (problem,) = caught.value.problems
    assert problem.code == "wrong-type"
    assert "put it in quotes" in problem.message
