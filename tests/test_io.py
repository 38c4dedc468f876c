"""Reading and writing masterplan files: lossless, deterministic, atomic, and clear about bad input."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import smartcity_model as scm
from smartcity_model.io import csvfile, yamlfile
from smartcity_model.io import plan as plan_io

Snapshot = Callable[[Path], dict[str, bytes]]
ROOT = Path(__file__).parents[1]


@pytest.mark.parametrize("name", ["plan", "plan.yaml", "plan.yml", "plan.json"])
def test_dump_then_load_is_lossless(example_plan: scm.Masterplan, tmp_path: Path, name: str) -> None:
    written = scm.dump(example_plan, tmp_path / name)
    assert scm.load(written) == example_plan


def test_pydantic_round_trip_is_lossless(example_plan: scm.Masterplan) -> None:
    assert scm.Masterplan.model_validate(example_plan.model_dump()) == example_plan
    assert scm.Masterplan.model_validate_json(example_plan.model_dump_json()) == example_plan
    assert scm.Masterplan.model_validate(scm.plan_to_data(example_plan)) == example_plan


def test_resaving_the_example_changes_no_byte(example_plan: scm.Masterplan, tmp_path: Path, snapshot: Snapshot) -> None:
    scm.dump(example_plan, tmp_path / "copy")
    plan_files = set(plan_io.FOLDER_FILES.values())
    original = {name: data for name, data in snapshot(scm.example_path()).items() if name in plan_files}
    assert snapshot(tmp_path / "copy") == original


def test_dump_is_deterministic(example_plan: scm.Masterplan, tmp_path: Path) -> None:
    first = scm.dump(example_plan, tmp_path / "a.yaml").read_bytes()
    second = scm.dump(scm.load(tmp_path / "a.yaml"), tmp_path / "b.yaml").read_bytes()
    assert first == second


def test_dump_writes_builtin_framework_by_name_and_compact_links(plan_folder: Path) -> None:
    header = yaml.safe_load((plan_folder / "masterplan.yaml").read_text(encoding="utf-8"))
    initiatives = yaml.safe_load((plan_folder / "initiatives.yaml").read_text(encoding="utf-8"))
    assert header["framework"] == "gm100sc"
    assert initiatives[1]["indicators"] == ["gov-spbe"]


def test_dump_keeps_custom_framework_inline(plan_data: dict[str, Any], tmp_path: Path) -> None:
    framework = json.loads(scm.builtin_framework().model_dump_json())
    framework["id"] = "gm100sc-building"
    framework["dimensions"][3]["elements"][2] = {"id": "building", "name": "Bangunan"}
    plan_data["framework"] = framework
    plan_data["indicators"] = plan_data["indicators"][1:]
    plan_data["initiatives"][0]["indicators"] = []
    plan_data["observations"] = [o for o in plan_data["observations"] if o["indicator"] == "gov-spbe"]
    plan = scm.Masterplan.from_dict(plan_data)
    assert scm.load(scm.dump(plan, tmp_path / "custom")) == plan
    assert scm.load(tmp_path / "custom").framework.has_element("building")


def test_failed_dump_leaves_existing_files_untouched(
    plan_folder: Path, plan_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch, snapshot: Snapshot
) -> None:
    before = snapshot(plan_folder)
    plan_data["opds"][0]["name"] = "Diskominfo (renamed)"
    changed = scm.Masterplan.from_dict(plan_data)
    calls = []

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space left"):
        scm.dump(changed, plan_folder)
    assert snapshot(plan_folder) == before


def test_dump_refuses_unknown_file_type(example_plan: scm.Masterplan, tmp_path: Path) -> None:
    existing = tmp_path / "plan.txt"
    existing.write_text("keep me", encoding="utf-8")
    with pytest.raises(scm.UnsupportedFormatError):
        scm.dump(example_plan, existing)
    assert existing.read_text(encoding="utf-8") == "keep me"


# ------------------------------------------------------------------------------- bad input


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


BAD_FOLDERS: dict[str, tuple[str, str, str]] = {
    # case -> (file, new text, problem code expected)
    "malformed yaml": ("opds.yaml", "- id: dinkes\n  name: 'unterminated\n", "syntax-error"),
    "unknown key": (
        "masterplan.yaml",
        "region: {id: x, name: X, kind: kota}\nperiod: {start: 2024, end: 2033}\nperiode: 1\n",
        "unknown-field",
    ),
    "wrong type": (
        "masterplan.yaml",
        "region: {id: x, name: X, kind: kota}\nperiod: {start: 2024, end: soon}\n",
        "wrong-type",
    ),
    "duplicate key": (
        "masterplan.yaml",
        "region: {id: x, name: X, kind: kota}\nperiod: {start: 2024, end: 2033}\nperiod: {start: 2025, end: 2033}\n",
        "syntax-error",
    ),
    "unsafe tag": ("opds.yaml", "- !!python/object/apply:os.system ['echo hacked']\n", "syntax-error"),
    "empty file": ("indicators.yaml", "", "empty-document"),
    "not a list": ("opds.yaml", "diskominfo: ict\n", "wrong-shape"),
    "nan in csv": ("observations.csv", "indicator,year,value\nliv-referral,2022,nan\n", "not-finite"),
    "empty csv value": ("observations.csv", "indicator,year,value\nliv-referral,2022,\n", "wrong-type"),
    "unknown csv column": (
        "observations.csv",
        "indicator,year,value,unit\nliv-referral,2022,1,percent\n",
        "unknown-field",
    ),
    "short csv row": ("observations.csv", "indicator,year,value\nliv-referral,2022\n", "syntax-error"),
    "empty csv": ("observations.csv", "", "empty-document"),
}


@pytest.mark.parametrize("case", sorted(BAD_FOLDERS))
def test_bad_input_gives_one_clear_error_and_changes_nothing(case: str, plan_folder: Path, snapshot: Snapshot) -> None:
    name, text, code = BAD_FOLDERS[case]
    _write(plan_folder, name, text)
    before = snapshot(plan_folder)
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    assert code in caught.value.codes
    assert all(p.file is not None and p.file.endswith(name) for p in caught.value.problems if p.code == code)
    assert snapshot(plan_folder) == before


def test_every_problem_of_every_file_is_reported_at_once(plan_folder: Path) -> None:
    text = (plan_folder / "initiatives.yaml").read_text(encoding="utf-8")
    _write(
        plan_folder,
        "initiatives.yaml",
        text.replace("lead: rsud", "lead: rsud-x").replace("lead: diskominfo", "lead: kominfo"),
    )
    opds = (plan_folder / "opds.yaml").read_text(encoding="utf-8")
    _write(plan_folder, "opds.yaml", opds.replace("sector: health\n", "sector: health\n  weight: 2\n", 1))
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    summary = sorted((Path(p.file or "").name, p.code, p.id, p.field) for p in caught.value.problems)
    assert summary == [
        ("initiatives.yaml", "dangling-reference", "qw-01", "lead"),
        ("initiatives.yaml", "dangling-reference", "sh-01", "lead"),
        ("opds.yaml", "unknown-field", "dinkes", "weight"),
    ]
    lines = (plan_folder / "initiatives.yaml").read_text(encoding="utf-8").splitlines()
    for problem in caught.value.problems:
        if problem.file and problem.file.endswith("initiatives.yaml"):
            assert problem.line is not None
            assert lines[problem.line - 1].strip().startswith("lead:")


def test_dangling_reference_to_an_invalid_object_is_not_reported_twice(plan_data: dict[str, Any]) -> None:
    plan_data["opds"][2]["kind"] = "rumah-sakit"
    with pytest.raises(scm.MasterplanError) as caught:
        scm.Masterplan.from_dict(plan_data)
    assert [(p.code, p.id) for p in caught.value.problems] == [("invalid-choice", "rsud")]


def test_observation_errors_name_the_csv_line(plan_folder: Path) -> None:
    _write(plan_folder, "observations.csv", "indicator,year,value\nliv-referral,2022,10\ngov-spbe,2023,7\n")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    (problem,) = caught.value.problems
    assert (problem.code, problem.id, problem.field, problem.line) == (
        "value-out-of-bounds",
        "gov-spbe/2023",
        "value",
        3,
    )
    assert Path(problem.file or "").name == "observations.csv"


def test_bom_and_crlf_files_load_like_clean_ones(plan_folder: Path) -> None:
    clean = scm.load(plan_folder)
    for path in plan_folder.iterdir():
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert scm.load(plan_folder) == clean


def test_crlf_file_errors_keep_their_line_numbers(plan_folder: Path) -> None:
    text = (plan_folder / "initiatives.yaml").read_text(encoding="utf-8").replace("lead: diskominfo", "lead: kominfo")
    expected_line = text.splitlines().index("  lead: kominfo") + 1
    (plan_folder / "initiatives.yaml").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    assert [p.line for p in caught.value.problems] == [expected_line]


def test_missing_path_raises_plan_not_found(tmp_path: Path) -> None:
    with pytest.raises(scm.PlanNotFoundError, match="no masterplan"):
        scm.load(tmp_path / "nowhere")


def test_unsupported_file_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text("region: {}", encoding="utf-8")
    with pytest.raises(scm.UnsupportedFormatError):
        scm.load(path)


def test_section_in_two_places_is_refused(plan_folder: Path) -> None:
    header = (plan_folder / "masterplan.yaml").read_text(encoding="utf-8")
    _write(plan_folder, "masterplan.yaml", header + "opds: []\n")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    assert caught.value.codes == {"wrong-shape": 1}


def test_sections_may_live_inline_in_masterplan_yaml(plan_folder: Path) -> None:
    clean = scm.load(plan_folder)
    opds = (plan_folder / "opds.yaml").read_text(encoding="utf-8")
    header = (plan_folder / "masterplan.yaml").read_text(encoding="utf-8")
    _write(plan_folder, "masterplan.yaml", header + "opds:\n" + opds)
    (plan_folder / "opds.yaml").unlink()
    assert scm.load(plan_folder) == clean


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"region": 1,\n "period": }', "Expecting value"),
        ('{"region": 1, "region": 2}', "duplicate key"),
        ('{"format_version": NaN}', "NaN is not a number"),
    ],
)
def test_bad_json_is_a_syntax_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(scm.MasterplanError, match=message) as caught:
        scm.load(path)
    assert caught.value.codes == {"syntax-error": 1}


def test_yaml_anchors_within_limits_are_fine(plan_data: dict[str, Any], tmp_path: Path) -> None:
    text = yaml.safe_dump(plan_data, sort_keys=False, allow_unicode=True)
    text = text.replace("name: Kota Contoh\n", "name: &city Kota Contoh\n", 1) + "document: {title: *city}\n"
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    plan = scm.load(path)
    assert plan.document.title == plan.region.name == "Kota Contoh"


def test_recursive_alias_is_refused(tmp_path: Path, engine: str) -> None:  # noqa: ARG001
    path = tmp_path / "plan.yaml"
    path.write_text("region: &a [*a]\n", encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(path)
    assert caught.value.codes == {"alias-bomb": 1}


def test_load_framework_reads_a_custom_framework(tmp_path: Path) -> None:
    path = tmp_path / "iso.yaml"
    path.write_text(
        "id: mini\nname: Mini\ndimensions:\n  - id: economy\n    name: Economy\n    elements:\n"
        "      - {id: ict, name: ICT}\n",
        encoding="utf-8",
    )
    framework = scm.load_framework(path)
    assert framework.dimension_of("ict").id == "economy"


def test_load_framework_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "id: mini\nname: Mini\ndimensions:\n  - id: economy\n    nama: Economy\n    elements: []\n", encoding="utf-8"
    )
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load_framework(path)
    (problem,) = caught.value.problems  # nama for name: one problem, not also "name: required"
    assert (problem.code, problem.line) == ("unknown-field", 5)
    assert "did you mean 'name'?" in problem.message


# ----------------------------------------------------------------------------- JSON Schema


@pytest.mark.parametrize("part", sorted(scm.SCHEMA_PARTS))
def test_published_schemas_match_the_models(part: str) -> None:
    published = json.loads((ROOT / "docs" / "schema" / f"{part}.json").read_text(encoding="utf-8"))
    assert published == scm.json_schema(part)


def test_example_files_validate_against_the_schemas() -> None:
    folder = scm.example_path()
    parts = [(part, f"{part}.yaml") for part in scm.SCHEMA_PARTS if part not in {"masterplan", "header", "progress"}]
    for part, name in [("header", "masterplan.yaml"), *parts]:
        data = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))  # YAML dates and int keys as JSON has them
        jsonschema.validate(data, scm.json_schema(part))
    rows = scm.plan_to_data(scm.load(folder))["progress"]  # progress.csv, as its rows
    assert rows
    jsonschema.validate(rows, scm.json_schema("progress"))


def test_schema_rejects_what_the_model_rejects() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"id": "x", "name": "X", "sector": "ict", "sektor": "ict"}], scm.json_schema("opds"))


def test_unknown_schema_part_is_refused() -> None:
    with pytest.raises(scm.UnknownIdError, match="schema part"):
        scm.json_schema("budget")


def test_folder_files_are_the_documented_ones() -> None:
    listing = (ROOT / "docs" / "format.md").read_text(encoding="utf-8").split("```text")[1].split("```")[0]
    documented = [line.split()[0] for line in listing.splitlines()[2:] if line.strip()]  # below "my-plan/"
    assert documented[: len(plan_io.FOLDER_FILES)] == list(plan_io.FOLDER_FILES.values())


# ------------------------------------------------------------------- any bytes, a located answer

HEADER = "region: {id: x, name: X, kind: kota, population: POP}\nperiod: {start: 2024, end: 2033}\n"
HOSTILE: dict[str, tuple[str, str, int]] = {
    # case -> (masterplan.yaml text, message expected, line)
    "control character": (
        HEADER.replace("POP", "5") + "document: {title: 'Rencana\x01'}\n",
        r"'\\x01' is not allowed",
        3,
    ),
    "delete character": (HEADER.replace("POP", "5") + "# note \x7f\n", r"'\\x7f' is not allowed", 3),
    "impossible date": (HEADER.replace("POP", "5") + "document: {date: 2024-02-30}\n", "not a valid date", 3),
    "impossible plain date": (HEADER.replace("POP", "5") + "document: {date: 2024-13-01}\n", "not a valid date", 3),
    "float that is not a number": (HEADER.replace("POP", "!!float abc"), "'abc' is not a valid number", 1),
    "integer too long to print": (HEADER.replace("POP", "1" * 5000), r"too large \(more than 64 digits\)", 1),
    "hexadecimal integer too large": (HEADER.replace("POP", "0x" + "f" * 4000), "too large", 1),
}


HOSTILE["control character after accented text"] = (
    HEADER.replace("POP", "5") + "document: {title: '" + "é" * 40 + "\x01'}\n" + "# -\n" * 30,
    r"'\\x01' is not allowed",
    3,
)


def test_both_yaml_engines_read_and_write_the_same(
    engine: str, example_plan: scm.Masterplan, tmp_path: Path, snapshot: Snapshot
) -> None:
    assert scm.load(scm.example_path()) == example_plan
    scm.dump(example_plan, tmp_path / "copy")
    plan_files = set(plan_io.FOLDER_FILES.values())
    original = {name: data for name, data in snapshot(scm.example_path()).items() if name in plan_files}
    assert snapshot(tmp_path / "copy") == original, engine


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_yaml_gives_a_located_problem(case: str, plan_folder: Path, engine: str) -> None:  # noqa: ARG001
    text, message, line = HOSTILE[case]
    _write(plan_folder, "masterplan.yaml", text)
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    (problem,) = caught.value.problems
    assert re.search(message, str(problem)), str(problem)
    assert problem.file is not None
    assert problem.file.endswith("masterplan.yaml")
    assert problem.line == line
    assert len(str(caught.value)) < 2000  # a huge value is cut short in the message


def test_two_spellings_of_one_key_are_a_duplicate(plan_folder: Path, engine: str) -> None:  # noqa: ARG001
    text = (plan_folder / "indicators.yaml").read_text(encoding="utf-8")
    _write(plan_folder, "indicators.yaml", text.replace("targets: {", "targets: {0x7ea: 1, 2026: 2, ", 1))
    with pytest.raises(scm.MasterplanError, match=r"duplicate key '2026'"):
        scm.load(plan_folder)


@pytest.mark.parametrize(
    ("text", "keys", "lines"),
    [
        ("a: 1\nb: 2\na: 3\nb: 4\n", ["a", "b"], [3, 4]),
        ("m: {1: one, true: yes}\n", ["true"], [1]),  # the same key to Python: one would be lost
        ("base: &b {x: 1}\nm:\n  <<: *b\n  x: 2\n  x: 3\n", ["x"], [5]),
    ],
)
def test_every_duplicate_key_is_reported_with_its_line(
    text: str,
    keys: list[str],
    lines: list[int],
    engine: str,  # noqa: ARG001
) -> None:
    with pytest.raises(scm.MasterplanError) as caught:
        yamlfile.parse_yaml(text, "x.yaml")
    assert [p.message.split(":")[0] for p in caught.value.problems] == [f"duplicate key {key!r}" for key in keys]
    assert [p.line for p in caught.value.problems] == lines


def test_a_merged_key_may_be_overridden(engine: str) -> None:  # noqa: ARG001
    parsed = yamlfile.parse_yaml("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  x: 3\n", "x.yaml")
    assert parsed.data["m"] == {"x": 3, "y": 2}
    assert parsed.lines[("m", "x")] == 4


def test_yaml_nested_too_deeply_is_a_located_problem(tmp_path: Path, engine: str) -> None:  # noqa: ARG001
    path = tmp_path / "plan.yaml"
    path.write_text("region: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(path)
    assert caught.value.codes == {"syntax-error": 1}
    assert caught.value.problems[0].file == str(path)


def test_json_nested_too_deeply_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(scm.MasterplanError, match="nested too deeply"):
        scm.load(path)


def test_aliases_that_expand_a_small_file_into_a_huge_one_are_refused(tmp_path: Path, engine: str) -> None:  # noqa: ARG001
    big = "x" * 100_000
    text = f"region: {{id: x, name: &n '{big}', kind: kota}}\nnotes:\n" + "".join("  - *n\n" for _ in range(1000))
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(scm.MasterplanError, match=r"and 100,\d{3},\d{3} characters; refusing"):
        scm.load(path)
    assert time.perf_counter() - started < 5  # refused while parsing, long before building


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_or_a_device_is_refused_up_front(plan_folder: Path) -> None:
    (plan_folder / "opds.yaml").unlink()
    os.mkfifo(plan_folder / "opds.yaml")
    with pytest.raises(scm.MasterplanError, match=r"opds\.yaml: not a regular file"):
        scm.load(plan_folder)
    (plan_folder / "opds.yaml").unlink()
    (plan_folder / "opds.yaml").symlink_to("/dev/zero")
    with pytest.raises(scm.MasterplanError, match=r"opds\.yaml: not a regular file"):
        scm.load(plan_folder)


def test_a_file_over_the_size_budget_is_refused(plan_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlfile, "MAX_FILE_BYTES", 100)
    with pytest.raises(scm.MasterplanError, match="bytes are refused"):
        scm.load(plan_folder)


def test_dump_refuses_a_file_suffix_it_cannot_write(example_plan: scm.Masterplan, tmp_path: Path) -> None:
    with pytest.raises(scm.UnsupportedFormatError, match=r"not to a \.docx file"):
        scm.dump(example_plan, tmp_path / "plan.docx")
    assert not (tmp_path / "plan.docx").exists()
    assert scm.load(scm.dump(example_plan, tmp_path / "plan.v2")) == example_plan  # a dotted folder name
    (tmp_path / "plan.final").mkdir()
    assert scm.load(scm.dump(example_plan, tmp_path / "plan.final")) == example_plan  # an existing folder


# ------------------------------------------------------------------------------- Excel's CSV

EXCEL_CSV = (
    "Indikator;Tahun;Nilai;Status;Sumber;Catatan\nliv-referral;2022;35,5;verified;BPS;\ngov-spbe;2023;2,5;estimated;;\n"
)


def _observations(plan_folder: Path) -> list[tuple[str, int, float]]:
    return [(o.indicator, o.year, o.value) for o in scm.load(plan_folder).observations]


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: text.encode("utf-8-sig").replace(b"\n", b"\r\n"),
        lambda text: text.encode("utf-16"),  # Excel's "Unicode Text"
    ],
)
def test_excel_csv_with_indonesian_settings_loads(plan_folder: Path, encode: Callable[[str], bytes]) -> None:
    (plan_folder / "observations.csv").write_bytes(encode(EXCEL_CSV))
    assert _observations(plan_folder) == [("liv-referral", 2022, 35.5), ("gov-spbe", 2023, 2.5)]


def test_a_windows_1252_csv_is_read_with_a_warning(plan_folder: Path) -> None:
    text = "indicator,year,value,note\nliv-referral,2022,35.5,Data Dinas Kesehatan – revisi\n"
    (plan_folder / "observations.csv").write_bytes(text.encode("cp1252"))
    with pytest.warns(scm.PlanWarning, match=r"not UTF-8; read as Windows-1252 .*CSV UTF-8"):
        plan = scm.load(plan_folder)
    assert plan.observations[0].note == "Data Dinas Kesehatan – revisi"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["1.250", "79,5"], [1250.0, 79.5]),  # the decimal comma elsewhere settles it
        (["1.250", "79.5"], [1.25, 79.5]),  # the decimal point elsewhere settles it
        (["1.250.000", "3"], [1250000.0, 3.0]),  # two groups: thousands
    ],
)
def test_a_number_is_read_with_its_columns_convention(cells: list[str], expected: list[float]) -> None:
    rows = "".join(f"gov-spbe;{2020 + n};{cell}\n" for n, cell in enumerate(cells))
    parsed = csvfile.parse_observations("indikator;tahun;nilai\n" + rows, "observations.csv")
    assert [row["value"] for row in parsed.data] == expected


def test_an_ambiguous_number_is_refused_with_both_readings_and_its_line(plan_folder: Path) -> None:
    rows = 'indicator,year,value\ngov-spbe,2020,3\nliv-referral,2021,"1.250"\n'
    (plan_folder / "observations.csv").write_text(rows, encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "1250 with '.' grouping thousands (Indonesian) or 1.25 with '.' as the decimal point" in problem.message


def test_a_column_mixing_decimal_commas_and_points_is_refused(plan_folder: Path) -> None:
    (plan_folder / "observations.csv").write_text(
        "indikator;tahun;nilai\ngov-spbe;2020;2,5\ngov-spbe;2021;2.75\n", "utf-8"
    )
    with pytest.raises(scm.MasterplanError, match=r"mixes '2,5' .* and '2\.75'") as caught:
        scm.load(plan_folder)
    assert caught.value.problems[0].line == 3  # the first value written the other way


def test_an_unknown_column_suggests_the_known_one(plan_folder: Path) -> None:
    (plan_folder / "observations.csv").write_text("indikator;tahun;nilaii\ngov-spbe;2020;2\n", encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    messages = [problem.message for problem in caught.value.problems]
    assert any("unknown column 'nilaii' (did you mean 'nilai'?)" in message for message in messages), messages


def test_a_plan_folders_header_is_not_loaded_as_a_whole_plan(plan_folder: Path) -> None:
    with pytest.raises(scm.UnsupportedFormatError, match=r"header of the plan folder .* load the folder"):
        scm.load(plan_folder / "masterplan.yaml")


def test_a_folder_in_place_of_a_file_is_named_as_such(plan_folder: Path) -> None:
    (plan_folder / "opds.yaml").unlink()
    (plan_folder / "opds.yaml").mkdir()
    with pytest.raises(scm.MasterplanError, match=r"opds\.yaml: a folder, where a file is expected"):
        scm.load(plan_folder)


@pytest.mark.parametrize("brk", ["\x85", "\u2028", "\u2029"])
def test_lines_are_counted_as_an_editor_counts_them(brk: str, engine: str) -> None:  # noqa: ARG001
    text = f"a: 'x{brk}y'\nb: 1\nb: 2\nc: [1, 2]\n"
    with pytest.raises(scm.MasterplanError) as caught:
        yamlfile.parse_yaml(text, "x.yaml")
    assert caught.value.problems[0].line == 3  # YAML counts the break inside the string too; editors do not
    parsed = yamlfile.parse_yaml(text.replace("b: 2", "d: 2"), "x.yaml")
    assert parsed.lines[("c", 1)] == 4


def test_a_plain_yaml_number_that_reads_as_thousands_is_refused(engine: str) -> None:  # noqa: ARG001
    with pytest.raises(scm.MasterplanError, match=r"'250\.000' is ambiguous: 250000 .* or 250 with"):
        yamlfile.parse_yaml("amount: 250.000\n", "x.yaml")
    assert yamlfile.parse_yaml("a: 250.0000\nb: '250.000'\nc: 0.250\n", "x.yaml").data == {
        "a": 250.0,
        "b": "250.000",
        "c": 0.25,
    }


def test_a_saved_fraction_is_never_written_so_that_it_reads_as_thousands(plan_data: dict[str, Any]) -> None:
    plan_data["indicators"][1]["baseline"]["value"] = 1.125
    plan = scm.Masterplan.from_dict(plan_data)
    text = scm.dumps(plan)
    assert "value: 1.1250" in text
    assert scm.Masterplan.model_validate(yaml.safe_load(text)) == plan


@pytest.mark.parametrize(
    "raw",
    [
        b"sep=;\nindikator;tahun;nilai\ngov-spbe;2023;2,5\n",  # Excel's separator line
        b"indikator;tahun;nilai;;\ngov-spbe;2023;2,5;;\n",  # trailing separators
        "indikator;tahun;nilai\ngov-spbe;2023;2,5\n".encode("utf-16-le"),  # UTF-16 without its mark
    ],
)
def test_more_of_excels_csv_habits_are_read(plan_folder: Path, raw: bytes) -> None:
    (plan_folder / "observations.csv").write_bytes(raw)
    assert _observations(plan_folder) == [("gov-spbe", 2023, 2.5)]


# ------------------------------------------------------------------ observation tables in observations/


def _split_observations(folder: Path) -> dict[str, list[str]]:
    """Move a plan folder's observations into observations/ tables: liv-* rows apart, the rest in two."""
    lines = (folder / "observations.csv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    living = [row for row in rows if row.startswith("liv-")]
    rest = [row for row in rows if not row.startswith("liv-")]
    tables = {"dinkes.csv": living, "lain.csv": rest[: len(rest) // 2]}
    (folder / "observations").mkdir()
    for name, table in tables.items():
        (folder / "observations" / name).write_text("\n".join([header, *table]) + "\n", encoding="utf-8")
    kept = rest[len(rest) // 2 :]
    (folder / "observations.csv").write_text("\n".join([header, *kept]) + "\n", encoding="utf-8")
    return {"observations.csv": kept, **tables}


@pytest.fixture
def tables_folder(example_plan: scm.Masterplan, tmp_path: Path) -> Path:
    """The bundled example saved as a folder with its observations in three tables."""
    folder = scm.dump(example_plan, tmp_path / "plan")
    _split_observations(folder)
    return folder


def _rows(plan: scm.Masterplan) -> list[str]:
    return sorted(repr(obs) for obs in plan.observations)


def test_observation_tables_are_read_together(example_plan: scm.Masterplan, tables_folder: Path) -> None:
    loaded = scm.load(tables_folder)
    assert _rows(loaded) == _rows(example_plan)
    assert loaded.model_copy(update={"observations": example_plan.observations}) == example_plan
    first_living = next(obs for obs in loaded.observations if obs.indicator.startswith("liv-"))
    assert loaded.observations.index(first_living) > 0  # observations.csv is read first, then the tables by name


def test_a_problem_in_a_table_names_that_table_and_its_line(tables_folder: Path) -> None:
    table = tables_folder / "observations" / "dinkes.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(lines[3].split(",")[0], "liv-unknown", 1)
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(tables_folder)
    (problem,) = caught.value.problems
    assert (problem.code, problem.file, problem.line) == ("dangling-reference", str(table), 4)


def test_an_observation_given_in_two_tables_names_both(tables_folder: Path) -> None:
    first = tables_folder / "observations" / "dinkes.csv"
    header, row = first.read_text(encoding="utf-8").splitlines()[:2]
    (tables_folder / "observations" / "rsud.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(tables_folder)
    (problem,) = caught.value.problems
    assert problem.code == "duplicate-observation"
    second = tables_folder / "observations" / "rsud.csv"
    assert (problem.file, problem.line, problem.also) == (str(second), 2, f"{first}:2")
    assert f"(first at {first}:2)" in str(problem)


def test_what_a_tables_folder_holds_besides_tables_is_named(tables_folder: Path) -> None:
    below = tables_folder / "observations"
    (below / "2024.xlsx").write_bytes(b"")
    (below / "notes.txt").write_text("x", encoding="utf-8")
    (below / "older").mkdir()
    (below / "README.md").write_text("sources of each table\n", encoding="utf-8")
    (below / ".hidden.csv").write_text("x", encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(tables_folder)
    found = {Path(p.file or "").name: p.message for p in caught.value.problems}
    assert set(found) == {"2024.xlsx", "notes.txt", "older"}
    assert all(p.code == "unknown-file" for p in caught.value.problems)
    assert "CSV UTF-8" in found["2024.xlsx"]


def test_an_observations_file_where_the_folder_belongs_is_named(plan_folder: Path) -> None:
    (plan_folder / "observations").write_text("indicator,year,value\n", encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    (problem,) = caught.value.problems
    assert problem.code == "unknown-file"
    assert problem.file == str(plan_folder / "observations")


def test_a_single_table_in_the_tables_folder_is_named_in_its_problems(plan_folder: Path) -> None:
    table = plan_folder / "observations" / "dinkes.csv"
    table.parent.mkdir()
    (plan_folder / "observations.csv").rename(table)
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[0], "liv-unknown", 1)
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (str(table), 2)


def test_a_tag_on_a_list_is_a_located_problem(engine: str) -> None:  # noqa: ARG001 - both parsers
    with pytest.raises(scm.MasterplanError) as caught:
        yamlfile.parse_yaml("name: !!int [1]\n", "x.yaml")
    assert caught.value.problems[0].code == "syntax-error"
    assert caught.value.problems[0].line == 1


@settings(max_examples=300, deadline=None)
@given(text=st.from_regex(r"-?[0-9]{1,20}", fullmatch=True))
def test_plain_integers_read_as_pyyaml_reads_them(text: str) -> None:
    expected = yaml.safe_load(f"x: {text}\n")["x"]
    try:
        found = yamlfile.parse_yaml(f"x: {text}\n", "x.yaml").data["x"]
    except scm.MasterplanError:
        assert isinstance(expected, int)
        assert abs(expected) >= yamlfile.MAX_INTEGER
    else:
        assert found == expected
        assert type(found) is type(expected)


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("observations.xlsx", "observations.csv"),
        ("observations.txt", "observations.csv"),
        ("initiatives.yaml.bak", "initiatives.yaml"),
    ],
)
def test_a_file_named_like_a_part_but_not_read_is_named_in_a_warning(plan_folder: Path, name: str, meant: str) -> None:
    (plan_folder / name).write_bytes(b"\xff\xfe")
    with pytest.warns(scm.PlanWarning, match=rf"'{re.escape(name)}' in .* is not read \(a plan folder reads {meant}"):
        plan = scm.load(plan_folder)
    assert plan == scm.load(Path(__file__).parent / "data" / "minimal.yaml")


@pytest.mark.parametrize(("name", "meant"), [("check.yaml", "checks.yaml"), ("inisiatif.yml", "initiatives.yaml")])
def test_a_misnamed_data_file_names_the_file_meant(plan_folder: Path, name: str, meant: str) -> None:
    (plan_folder / name).write_text("[]\n", encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    (problem,) = caught.value.problems
    assert problem.code == "unknown-file"
    assert f"(did you mean '{meant}'?)" in problem.message


def test_a_table_mixing_utf8_and_windows_1252_is_refused_not_misread(plan_folder: Path) -> None:
    table = plan_folder / "observations.csv"
    text = table.read_text(encoding="utf-8").replace(",illustrative", ",Dinas – laporan", 1)  # an en dash in UTF-8
    table.write_bytes(text.encode("utf-8") + "gov-spbe,2021,2,estimated,Dinas Kominfo é\n".encode("cp1252"))
    with pytest.raises(scm.MasterplanError, match="part UTF-8 and part not"):
        scm.load(plan_folder)


def test_a_decimal_comma_in_a_comma_separated_table_is_explained(plan_folder: Path) -> None:
    table = plan_folder / "observations.csv"
    header, first, *rest = table.read_text(encoding="utf-8").splitlines()
    cells = first.split(",")
    cells[2] = "79,5"
    table.write_text("\n".join([header, ",".join(cells), *rest]) + "\n", encoding="utf-8")
    with pytest.raises(scm.MasterplanError, match=r'put such a value in quotes \("79,5"\)'):
        scm.load(plan_folder)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{\n  "region": 1,\n  "x": ' + "9" * 100 + "\n}", 3, "is too large (more than 64 digits)"),
        ('{\n  "a": 1,\n  "a": 2\n}', 3, "duplicate key 'a'"),
        ('{\n  "a": 1,\n  "b": NaN\n}', 3, "NaN is not a number"),
    ],
)
def test_json_values_refused_while_read_are_located(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(path)
    (problem,) = caught.value.problems
    assert (problem.code, problem.line) == ("syntax-error", line)
    assert message in problem.message


def test_binary_yaml_values_are_refused_not_read_as_text(plan_folder: Path) -> None:
    header = plan_folder / "masterplan.yaml"
    text = header.read_text(encoding="utf-8").replace("kind: kota", "kind: kota\n  capital: !!binary UGFkYW5n")
    header.write_text(text, encoding="utf-8")
    with pytest.raises(scm.MasterplanError, match=r"binary data \(!!binary\) is not plan data") as caught:
        scm.load(plan_folder)
    assert caught.value.problems[0].line == text.splitlines().index("  capital: !!binary UGFkYW5n") + 1


def test_a_workbook_that_unpacks_to_far_more_than_it_holds_is_refused_before_it_is_read(tmp_path: Path) -> None:
    import zipfile  # noqa: PLC0415 - only this test builds an archive by hand

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<row/>" * 5_000_000)
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(path)
    (problem,) = caught.value.problems
    assert problem.code == "alias-bomb"
    assert "the workbook would unpack to 30,000,000 bytes" in problem.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("kind", ["pipe", "folder", "broken link"])
def test_a_checks_yaml_that_cannot_be_read_is_reported_never_skipped(plan_folder: Path, kind: str) -> None:
    target = plan_folder / "checks.yaml"
    if kind == "pipe":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    else:
        target.symlink_to(plan_folder / "nowhere.yaml")
    assert scm.find_check_config(plan_folder) == target
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load_check_config(target)
    assert caught.value.problems[0].code in {"file-unreadable", "file-missing"}
