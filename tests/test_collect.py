"""OPD workbooks: a template per OPD, filled in as an OPD would, merged back three ways with conflicts and problems."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import smartcity_model as scm
from smartcity_model.cli import main
from smartcity_model.i18n import use_language
from smartcity_model.testing import masterplans

Sheet = openpyxl.worksheet.worksheet.Worksheet


@pytest.fixture
def templates(example_plan: scm.Masterplan, tmp_path: Path) -> dict[str, Path]:
    """A template per OPD of the bundled example, written into a folder."""
    return scm.write_templates(example_plan, tmp_path / "templates")


def _column(sheet: Sheet, header: str) -> int:
    return next(cell.column for cell in sheet[1] if cell.value == header)


def _row(sheet: Sheet, *first: Any) -> int:
    """Return the row whose first cells hold ``first``."""
    return next(row[0].row for row in sheet.iter_rows(min_row=2) if tuple(c.value for c in row[: len(first)]) == first)


def _fill(path: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    """Fill in a returned workbook as an OPD would: open it, edit, save."""
    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(path)
    return path


def _set(book: openpyxl.Workbook, sheet: str, first: tuple[Any, ...], header: str, value: Any) -> None:
    target = book[sheet]
    target.cell(row=_row(target, *first), column=_column(target, header), value=value)


def _observed(plan: scm.Masterplan, indicator: str, year: int) -> float:
    return next(o.value for o in plan.observations if (o.indicator, o.year) == (indicator, year))


# --------------------------------------------------------------------------------------------- template


def test_a_template_holds_what_its_opd_leads_and_is_custodian_of(
    templates: dict[str, Path], example_plan: scm.Masterplan
) -> None:
    assert set(templates) == {opd.id for opd in example_plan.opds}
    assert templates["dinkes"].name == "dinkes.xlsx"
    book = openpyxl.load_workbook(templates["dinkes"])
    assert book.sheetnames[:5] == ["Petunjuk", "Inisiatif", "Anggaran", "Harapan", "Observasi"]
    ids = [row[0].value for row in book["Inisiatif"].iter_rows(min_row=2)]
    assert ids == ["md-01", "md-02"]
    assert {row[0].value for row in book["Anggaran"].iter_rows(min_row=2)} == {"md-01", "md-02"}
    assert book["Anggaran"].max_row == 1 + 6
    assert [tuple(c.value for c in row[:4]) for row in book["Harapan"].iter_rows(min_row=2)] == [
        ("md-02", "liv-stunting", 2029, 14)
    ]
    observed = {row[0].value for row in book["Observasi"].iter_rows(min_row=2)}
    assert observed == {"liv-life-expectancy", "liv-stunting"}
    instructions = " ".join(str(cell.value) for row in book["Petunjuk"].iter_rows() for cell in row if cell.value)
    assert "Dinas Kesehatan (id dinkes)" in instructions
    assert "Health Office (id dinkes)" in instructions
    assert "wali datanya Dinkes: liv-life-expectancy, liv-stunting" in instructions


def test_a_template_keeps_the_plans_references_locked_and_its_record_out_of_sight(
    templates: dict[str, Path], example_plan: scm.Masterplan
) -> None:
    book = openpyxl.load_workbook(templates["rsud"])
    assert book["OPD"].protection.sheet
    assert book["Indikator"].protection.sheet
    assert not book["Inisiatif"].protection.sheet
    assert book["OPD"].max_row == len(example_plan.opds) + 1
    for name, section in (("Tujuan", "goals"), ("Isu", "issues"), ("Mitra", "stakeholders"), ("Lokasi", "areas")):
        assert book[name].protection.sheet
        assert book[name].max_row == len(getattr(example_plan, section)) + 1
    assert "Lembaga" not in book.sheetnames
    assert book["Daftar"].sheet_state == "hidden"
    assert book["Asal"].sheet_state == "veryHidden"
    record = {row[0].value: row[1].value for row in book["Asal"].iter_rows(min_row=2)}
    assert (record["opd"], record["region"]) == ("rsud", "solok-selatan")
    initiatives = book["Inisiatif"]
    rules = {str(rule.sqref): rule.formula1 for rule in initiatives.data_validations.dataValidation}
    for header, source in (
        ("opd_pengusul", "=OPD!"),
        ("elemen", "=Daftar!"),
        ("horizon", "=Daftar!"),
        ("tujuan", "=Tujuan!"),
    ):
        letter = openpyxl.utils.get_column_letter(_column(initiatives, header))
        assert rules[f"{letter}2:{letter}5000"].startswith(source)


def test_a_template_is_for_an_opd_of_the_plan(example_plan: scm.Masterplan, tmp_path: Path) -> None:
    with pytest.raises(scm.UnknownIdError, match=r"no OPD 'dinkess' \(did you mean 'dinkes'\?\)"):
        scm.write_template(example_plan, "dinkess", tmp_path / "dinkes.xlsx")
    with pytest.raises(ValueError, match=r"ending in \.xlsx"):
        scm.write_template(example_plan, "dinkes", tmp_path / "dinkes.csv")
    written = scm.write_template(example_plan, "dinkes", tmp_path / "dinkes.xlsx")
    with pytest.raises(FileExistsError, match="may be a returned workbook"):
        scm.write_template(example_plan, "dinkes", written)
    assert scm.write_template(example_plan, "dinkes", written, overwrite=True) == written
    assert not list(tmp_path.glob(".*"))  # no leftovers of the atomic saves


# ----------------------------------------------------------------------------------------------- merge


def test_untouched_templates_merge_back_to_the_plan_exactly(
    templates: dict[str, Path], example_plan: scm.Masterplan
) -> None:
    result = scm.merge_templates(example_plan, templates.values())
    assert (result.changes, result.conflicts, result.problems) == ((), (), ())
    assert result.plan == example_plan
    assert result.workbooks == {str(path): opd for opd, path in templates.items()}
    assert repr(result) == f"<MergeResult of {len(templates)} workbooks: 0 changes, 0 conflicts, 0 problems>"


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=masterplans(initiatives=(1, 6)))
def test_any_plan_comes_back_from_its_untouched_templates(plan: scm.Masterplan) -> None:
    with tempfile.TemporaryDirectory() as folder:
        written = scm.write_templates(plan, folder)
        result = scm.merge_templates(plan, written.values())
    assert (result.changes, result.conflicts, result.problems) == ((), (), ())
    assert result.plan == plan


def test_what_an_opd_changes_adds_and_removes_is_merged_with_before_and_after(
    templates: dict[str, Path], example_plan: scm.Masterplan, tmp_path: Path
) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        _set(book, "Observasi", ("liv-stunting", 2024), "nilai", "20,9")  # the Indonesian way
        _set(book, "Inisiatif", ("md-02",), "tahun_mulai", 2026)
        new = ["md-20", "Telemedisin puskesmas", None, None, "dinkes", "rsud", "health", "liv-digital-referral"]
        book["Inisiatif"].append([*new, None, 2027, 2029, "medium"])
        book["Anggaran"].append(["md-20", 2027, "Rp 250.000.000", "apbd"])
        book["Harapan"].append(["md-20", "liv-digital-referral", 2029, 80])
        book["Anggaran"].delete_rows(_row(book["Anggaran"], "md-01", 2029))

    _fill(templates["dinkes"], edit)
    result = scm.merge_templates(example_plan, [templates["dinkes"]])
    assert result.conflicts == ()
    assert result.problems == ()
    found = {(c.part, c.key, c.action): (dict(c.before), dict(c.after)) for c in result.changes}
    assert found == {
        ("initiative", ("md-02",), "changed"): ({"start_year": 2025}, {"start_year": 2026}),
        ("initiative", ("md-20",), "added"): ({}, found["initiative", ("md-20",), "added"][1]),
        ("budget", ("md-01", 2029, "apbn", 0), "removed"): ({"amount": 500_000_000, "note": None}, {}),
        ("budget", ("md-20", 2027, "apbd", 0), "added"): ({}, {"amount": 250_000_000, "note": None}),
        ("expected", ("md-20", "liv-digital-referral", 2029), "added"): ({}, {"value": 80}),
        ("observation", ("liv-stunting", None, 2024), "changed"): ({"value": 21.8}, {"value": 20.9}),
    }
    assert found["initiative", ("md-20",), "added"][1]["supporting"] == ("rsud",)
    change = next(c for c in result.changes if c.part == "observation")
    book = openpyxl.load_workbook(templates["dinkes"])
    row = _row(book["Observasi"], "liv-stunting", 2024)
    assert change.where() == f"{templates['dinkes']}, Observasi!C{row}"
    assert str(change).endswith("observation liv-stunting 2024 changed: nilai 21.8 → 20.9")

    merged = result.plan
    assert merged is not None
    assert merged.initiative("md-20").total_budget == 250_000_000
    assert merged.initiative("md-02").start_year == 2026
    assert _observed(merged, "liv-stunting", 2024) == 20.9
    assert merged.initiatives[-1].id == "md-20"  # added after the plan's own
    assert scm.load(scm.dump(merged, tmp_path / "merged")) == merged


def test_every_problem_of_every_workbook_is_located_and_nothing_is_merged(
    templates: dict[str, Path], example_plan: scm.Masterplan
) -> None:
    def dinkes(book: openpyxl.Workbook) -> None:
        book["Inisiatif"].append(["md-21", "Ambulans desa", None, None, "dinkess", None, None, None, None, 2026])
        _set(book, "Anggaran", ("md-01", 2027), "jumlah_rupiah", "banyak")
        book["Inisiatif"].delete_rows(_row(book["Inisiatif"], "md-02"))  # its budget and expected rows stay behind

    def rsud(book: openpyxl.Workbook) -> None:
        _set(book, "Observasi", ("liv-digital-referral", 2024), "tahun", 2040)

    _fill(templates["dinkes"], dinkes)
    _fill(templates["rsud"], rsud)
    workbooks = [templates["dinkes"], templates["rsud"]]
    with use_language("id"):
        report = scm.merge_templates(example_plan, workbooks).report()
    result = scm.merge_templates(example_plan, workbooks)
    assert result.plan is None
    dinkes_file, rsud_file = str(templates["dinkes"]), str(templates["rsud"])
    # a workbook with rows that cannot be read removes nothing: md-02 and md-01's budget line stay
    assert [(c.key, c.action) for c in result.changes if c.workbooks == (dinkes_file,)] == [(("md-21",), "added")]
    moved = {(c.key, c.action) for c in result.changes if c.workbooks == (rsud_file,)}
    assert moved == {(("liv-digital-referral", None, 2024), "removed"), (("liv-digital-referral", None, 2040), "added")}

    book = openpyxl.load_workbook(templates["dinkes"])
    initiatives, budget = book["Inisiatif"], book["Anggaran"]
    where = {(p.file, p.sheet, p.line, p.column): p for p in result.problems}
    typo = where[dinkes_file, "Inisiatif", _row(initiatives, "md-21"), _column(initiatives, "opd_pengusul")]
    assert (typo.code, typo.message) == ("dangling-reference", "unknown OPD 'dinkess' (did you mean 'dinkes'?)")
    amount = where[dinkes_file, "Anggaran", _row(budget, "md-01", 2027), _column(budget, "jumlah_rupiah")]
    assert (amount.code, amount.message) == ("wrong-type", "'banyak' is not a number")
    orphans = [p for p in result.problems if p.message.startswith("unknown initiative 'md-02'")]
    assert [(p.sheet, p.line) for p in orphans] == [
        ("Anggaran", row[0].row) for row in budget.iter_rows(min_row=2) if row[0].value == "md-02"
    ] + [("Harapan", 2)]
    late = where[rsud_file, "Observasi", 5, 2]
    assert (late.code, late.message) == ("year-outside-period", "observation year 2040 is after the plan ends (2033)")
    assert len(result.problems) == 3 + len(orphans)
    assert "OPD 'dinkess' tidak dikenal (maksud Anda 'dinkes'?)" in report
    assert "'banyak' bukan angka" in report


def test_a_value_out_of_bounds_is_located_by_the_merged_plans_validation(
    templates: dict[str, Path], example_plan: scm.Masterplan
) -> None:
    _fill(templates["dinkes"], lambda book: _set(book, "Harapan", ("md-02", "liv-stunting"), "nilai", 140))
    result = scm.merge_templates(example_plan, [templates["dinkes"]])
    (problem,) = result.problems
    harapan = openpyxl.load_workbook(templates["dinkes"])["Harapan"]
    assert problem.code == "value-out-of-bounds"
    assert problem.where() == f"{templates['dinkes']}, Harapan!D{_row(harapan, 'md-02')}"
    assert result.plan is None


def test_another_opd_giving_the_custodians_observation_is_refused_and_the_custodian_keeps_its_change(
    templates: dict[str, Path], example_plan: scm.Masterplan
) -> None:
    _fill(templates["dinkes"], lambda book: _set(book, "Observasi", ("liv-stunting", 2023), "nilai", 24.5))
    _fill(templates["rsud"], lambda book: book["Observasi"].append(["liv-stunting", 2023, 25]))
    _fill(templates["dinkes"], lambda book: _set(book, "Inisiatif", ("md-01",), "nama_en", "Electronic records"))
    workbooks = [templates["dinkes"], templates["rsud"]]
    result = scm.merge_templates(example_plan, workbooks)
    assert result.plan is None
    (conflict,) = result.conflicts
    assert conflict.code == "not-custodian"  # not a disagreement: rsud has no say on dinkes's indicator
    assert conflict.file == str(templates["rsud"])
    assert "the custodian of liv-stunting is dinkes, not rsud" in conflict.message
    assert conflict.resolution is None
    assert sorted(change.part for change in result.changes) == ["initiative", "observation"]  # dinkes's own

    for prefer in ("workbook", "plan"):
        merged = scm.merge_templates(example_plan, workbooks, prefer=prefer)  # type: ignore[arg-type]
        assert merged.plan is not None
        assert _observed(merged.plan, "liv-stunting", 2023) == 24.5  # the custodian's value, whichever is preferred
        assert merged.plan.initiative("md-01").name_en == "Electronic records"
    kept = scm.merge_templates(example_plan, workbooks, prefer="plan")
    assert [conflict.resolution for conflict in kept.conflicts] == ["plan"]
    taken = scm.merge_templates(example_plan, workbooks, prefer="workbook")
    assert [conflict.resolution for conflict in taken.conflicts] == [str(templates["dinkes"])]

    assert "(resolved: the plan's value is kept)" in str(kept.conflicts[0])
    with use_language("id"):
        text = "\n".join(map(str, scm.merge_templates(example_plan, workbooks).conflicts))
        resolved = "\n".join(map(str, kept.conflicts))
    assert "wali data liv-stunting adalah dinkes, bukan rsud" in text
    with use_language("id"):
        resolved = "\n".join(map(str, scm.merge_templates(example_plan, workbooks, prefer="plan").conflicts))
    assert "(diselesaikan: nilai rencana dipertahankan)" in resolved


def test_a_workbook_that_is_not_the_leads_cannot_undo_the_leads_change(
    templates: dict[str, Path], example_plan: scm.Masterplan
) -> None:
    assert example_plan.initiative("md-01").lead == "dinkes"
    _fill(templates["dinkes"], lambda book: _set(book, "Inisiatif", ("md-01",), "nama_en", "Records by Dinkes"))
    lead_book = openpyxl.load_workbook(templates["dinkes"])
    row = [cell.value for cell in lead_book["Inisiatif"][_row(lead_book["Inisiatif"], "md-01")]]
    name = _column(lead_book["Inisiatif"], "nama_en") - 1

    def copied(book: openpyxl.Workbook) -> None:
        book["Inisiatif"].append([*row[:name], "Records by RSUD", *row[name + 1 :]])

    _fill(templates["rsud"], copied)
    workbooks = [templates["dinkes"], templates["rsud"]]
    result = scm.merge_templates(example_plan, workbooks)
    assert [conflict.code for conflict in result.conflicts] == ["not-lead"]
    assert [change.part for change in result.changes] == ["initiative"]  # the lead's own change is listed
    for prefer in ("plan", "workbook"):
        merged = scm.merge_templates(example_plan, workbooks, prefer=prefer)  # type: ignore[arg-type]
        assert merged.plan is not None
        assert merged.plan.initiative("md-01").name_en == "Records by Dinkes"


def test_an_opd_that_edits_another_opds_initiative_is_a_conflict(
    templates: dict[str, Path], example_plan: scm.Masterplan
) -> None:
    dinkes = openpyxl.load_workbook(templates["dinkes"])
    md01 = [cell.value for cell in dinkes["Inisiatif"][_row(dinkes["Inisiatif"], "md-01")]]

    def rsud(book: openpyxl.Workbook) -> None:
        book["Inisiatif"].append(md01)  # copied as it is: nothing changes
        book["Inisiatif"].append(
            ["qw-02-bis", "Portal data kesehatan", None, None, "diskominfo", None, None, None, None, 2025, 2025]
        )
        _set(book, "Inisiatif", ("qw-05",), "opd_pengusul", "dinkes")  # handed to another OPD

    _fill(templates["rsud"], rsud)
    result = scm.merge_templates(example_plan, [templates["rsud"]])
    assert result.plan is None
    book = openpyxl.load_workbook(templates["rsud"])
    conflicts = {conflict.key: conflict for conflict in result.conflicts}
    assert set(conflicts) == {("qw-02-bis",), ("qw-05",)}
    assert all(conflict.code == "not-lead" for conflict in result.conflicts)
    assert conflicts["qw-02-bis",].message.endswith("initiative 'qw-02-bis' is led by diskominfo, not by rsud")
    assert conflicts["qw-02-bis",].line == _row(book["Inisiatif"], "qw-02-bis")
    handed = conflicts["qw-05",]
    assert (
        handed.message
        == "initiative 'qw-05' would be led by dinkes; a workbook of rsud gives only initiatives it leads"
    )
    assert (handed.line, handed.column) == (
        _row(book["Inisiatif"], "qw-05"),
        _column(book["Inisiatif"], "opd_pengusul"),
    )
    assert result.changes == ()


def test_a_stale_template_is_merged_three_ways(example_plan: scm.Masterplan, tmp_path: Path) -> None:
    written = scm.write_template(example_plan, "dinkes", tmp_path / "dinkes.xlsx")
    md01, md02 = example_plan.initiative("md-01"), example_plan.initiative("md-02")
    since = example_plan.model_copy(
        update={
            "initiatives": tuple(
                md01.model_copy(update={"name": "Rekam medis elektronik (RME)"})
                if i.id == "md-01"
                else md02.model_copy(update={"status": scm.InitiativeStatus.ONGOING})
                if i.id == "md-02"
                else i
                for i in example_plan.initiatives
            )
        }
    )
    since = scm.Masterplan.model_validate(scm.plan_to_data(since))

    def edit(book: openpyxl.Workbook) -> None:
        _set(book, "Inisiatif", ("md-01",), "nama", "Rekam medis elektronik puskesmas")  # the plan changed it too
        _set(book, "Inisiatif", ("md-02",), "tahun_selesai", 2028)  # the plan changed md-02's status, not this

    _fill(written, edit)
    result = scm.merge_templates(since, [written])
    (conflict,) = result.conflicts
    assert (conflict.code, conflict.key) == ("stale", ("md-01",))
    assert dict(conflict.values) == {
        "template": md01.name,
        "plan": "Rekam medis elektronik (RME)",
        str(written): "Rekam medis elektronik puskesmas",
    }
    assert "the plan has changed name since this template was written" in conflict.message
    sheet = openpyxl.load_workbook(written)["Inisiatif"]
    assert (conflict.sheet, conflict.line, conflict.column) == ("Inisiatif", 2, _column(sheet, "nama"))
    assert result.plan is None

    kept = scm.merge_templates(since, [written], prefer="plan")
    assert kept.plan is not None
    assert kept.plan.initiative("md-01").name == "Rekam medis elektronik (RME)"
    assert kept.plan.initiative("md-02").end_year == 2028  # the workbook's own change
    assert kept.plan.initiative("md-02").status is scm.InitiativeStatus.ONGOING  # the plan's, not reverted
    taken = scm.merge_templates(since, [written], prefer="workbook")
    assert taken.plan is not None
    assert taken.plan.initiative("md-01").name == "Rekam medis elektronik puskesmas"

    with use_language("id"):
        (indonesian,) = scm.merge_templates(since, [written]).conflicts
    assert "rencana telah mengubah name sejak lembar isian ini ditulis" in indonesian.message


def test_a_workbook_removing_what_the_plan_changed_since_is_a_conflict(
    example_plan: scm.Masterplan, tmp_path: Path
) -> None:
    written = scm.write_template(example_plan, "dinkes", tmp_path / "dinkes.xlsx")
    data = scm.plan_to_data(example_plan)
    line = next(b for i in data["initiatives"] if i["id"] == "md-02" for b in i["budget"] if b["year"] == 2027)
    line["amount"] = 650_000_000
    since = scm.Masterplan.from_dict(data)
    _fill(written, lambda book: book["Anggaran"].delete_rows(_row(book["Anggaran"], "md-02", 2027)))
    (conflict,) = scm.merge_templates(since, [written]).conflicts
    assert (conflict.code, conflict.key) == ("stale", ("md-02", 2027, "apbd", 0))
    assert "the workbook removes it, but the plan has changed it" in conflict.message
    assert (conflict.sheet, conflict.line) == ("Anggaran", None)


def test_a_workbook_for_an_opd_not_in_the_plan_is_a_conflict(example_plan: scm.Masterplan, tmp_path: Path) -> None:
    data = scm.plan_to_data(example_plan)
    data["opds"].append({"id": "dinas-baru", "name": "Dinas Baru", "sector": "health"})
    written = scm.write_template(scm.Masterplan.from_dict(data), "dinas-baru", tmp_path / "dinas-baru.xlsx")
    _fill(
        written, lambda book: book["Inisiatif"].append(["md-30", "Baru", None, None, "dinas-baru", *[None] * 4, 2026])
    )
    result = scm.merge_templates(example_plan, [written])
    (conflict,) = result.conflicts
    assert (conflict.code, conflict.file, conflict.sheet) == ("unknown-opd", str(written), None)
    assert "for the OPD 'dinas-baru', which is not in the plan" in str(conflict)
    assert result.problems == ()  # md-30 was not merged
    taken = scm.merge_templates(example_plan, [written], prefer="workbook")
    (problem,) = taken.problems
    assert (problem.code, problem.sheet, problem.line, problem.column) == ("dangling-reference", "Inisiatif", 2, 5)
    assert taken.plan is None


def test_a_template_of_another_plan_is_refused(example_plan: scm.Masterplan, tmp_path: Path) -> None:
    other = scm.load(Path(__file__).parent / "data" / "minimal.yaml")
    written = scm.write_template(other, "dinkes", tmp_path / "dinkes.xlsx")
    (problem,) = scm.merge_templates(example_plan, [written]).problems
    assert problem.code == "not-a-template"
    assert "for the plan of 'kota-contoh', not for this plan ('solok-selatan')" in problem.message


# ------------------------------------------------------------------------------------------ command line


def test_templates_from_the_command_line(tmp_path: Path) -> None:
    run = CliRunner()
    one = run.invoke(main, ["template", str(scm.example_path()), "--opd", "dinkes", "-o", str(tmp_path / "d.xlsx")])
    assert one.exit_code == 0, one.output
    assert "Dinas Kesehatan: template written to" in one.output
    again = run.invoke(main, ["template", str(scm.example_path()), "--opd", "dinkes", "-o", str(tmp_path / "d.xlsx")])
    assert again.exit_code == 2
    assert "exists already" in again.output
    every = run.invoke(main, ["--lang", "id", "template", str(scm.example_path()), "--all", "-o", str(tmp_path / "t")])
    assert every.exit_code == 0, every.output
    assert "Dinas Kesehatan: lembar isian ditulis ke" in every.output
    assert (tmp_path / "t" / "rsud.xlsx").is_file()
    for arguments, message in [
        (["--opd", "dinkess", "-o", str(tmp_path / "x.xlsx")], "did you mean 'dinkes'?"),
        (["-o", str(tmp_path / "x.xlsx")], "give either --opd ID or --all"),
        (["--opd", "dinkes", "--all", "-o", str(tmp_path / "x")], "give either --opd ID or --all"),
        (["--all", "-o", str(tmp_path / "x.xlsx")], "-o names a folder"),
    ]:
        failed = run.invoke(main, ["template", str(scm.example_path()), *arguments])
        assert failed.exit_code == 2, failed.output
        assert message in failed.output
    assert not (tmp_path / "x.xlsx").exists()


def test_merge_from_the_command_line(
    tmp_path: Path, example_plan: scm.Masterplan, snapshot: Callable[[Path], dict[str, bytes]]
) -> None:
    plan = scm.dump(example_plan, tmp_path / "plan")
    written = scm.write_templates(example_plan, tmp_path / "t", opds=["dinkes", "rsud"])
    _fill(written["dinkes"], lambda book: _set(book, "Observasi", ("liv-stunting", 2023), "nilai", 24.5))
    _fill(written["rsud"], lambda book: book["Observasi"].append(["liv-stunting", 2023, 25]))
    before = snapshot(plan)
    run = CliRunner()
    workbooks = [str(written["dinkes"]), str(written["rsud"])]

    conflicted = run.invoke(main, ["merge", str(plan), *workbooks])
    assert conflicted.exit_code == 1, conflicted.output
    assert "1 conflict:" in conflicted.output
    assert "[not-custodian]" in conflicted.output
    assert "Nothing was written" in conflicted.output
    assert snapshot(plan) == before

    indonesian = run.invoke(main, ["--lang", "id", "merge", str(plan), *workbooks])
    assert indonesian.exit_code == 1
    assert "Menggabungkan 2 buku kerja ke" in indonesian.output
    assert "Tidak ada yang ditulis: selesaikan konflik" in indonesian.output

    dry = run.invoke(main, ["merge", str(plan), *workbooks, "--prefer", "workbook", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "observation liv-stunting 2023 changed: nilai 24.1 → 24.5" in dry.output
    assert "Dry run: nothing was written." in dry.output
    assert snapshot(plan) == before

    merged = run.invoke(main, ["merge", str(plan), *workbooks, "--prefer", "workbook"])
    assert merged.exit_code == 0, merged.output
    assert _observed(scm.load(plan), "liv-stunting", 2023) == 24.5
    assert not list(plan.glob(".*"))

    elsewhere = run.invoke(main, ["merge", str(plan), str(written["dinkes"]), "-o", str(tmp_path / "out.yaml")])
    assert elsewhere.exit_code == 0, elsewhere.output
    assert scm.load(tmp_path / "out.yaml") == scm.load(plan)


def test_merge_usage_errors_exit_2_and_problems_exit_1(tmp_path: Path, templates: dict[str, Path]) -> None:
    run = CliRunner()
    example = str(scm.example_path())
    assert run.invoke(main, ["merge", example]).exit_code == 2
    missing = run.invoke(main, ["merge", example, str(tmp_path / "none.xlsx")])
    assert (missing.exit_code, "no such workbook" in missing.output) == (2, True)
    csv = tmp_path / "data.csv"
    csv.write_text("indikator,tahun,nilai\n", encoding="utf-8")
    assert run.invoke(main, ["merge", example, str(csv)]).exit_code == 2
    _fill(templates["dinkes"], lambda book: _set(book, "Anggaran", ("md-01", 2027), "jumlah_rupiah", "banyak"))
    broken = run.invoke(main, ["merge", example, str(templates["dinkes"]), "--dry-run"])
    assert broken.exit_code == 1
    assert "'banyak' is not a number [wrong-type]" in broken.output
    assert "hint [wrong-type]:" in broken.output
    assert "correct the problems in the workbooks" in broken.output


def test_observations_of_an_indicator_without_custodian_are_taken_from_any_opd(
    example_plan: scm.Masterplan, tmp_path: Path
) -> None:
    data = scm.plan_to_data(example_plan)
    next(i for i in data["indicators"] if i["id"] == "liv-stunting").pop("custodian")
    plan = scm.Masterplan.from_dict(data)
    written = scm.write_template(plan, "rsud", tmp_path / "rsud.xlsx")
    _fill(written, lambda book: book["Observasi"].append(["liv-stunting", 2025, 20.1]))
    result = scm.merge_templates(plan, [written])
    assert result.conflicts == ()
    assert [(c.part, c.key, c.action) for c in result.changes] == [
        ("observation", ("liv-stunting", None, 2025), "added")
    ]
    assert result.plan is not None
    assert _observed(result.plan, "liv-stunting", 2025) == 20.1


def test_every_conflict_code_is_documented_with_its_meaning() -> None:
    doc = (Path(__file__).parents[1] / "docs" / "opd-workbooks.md").read_text(encoding="utf-8")
    doc = doc.split("### Conflicts", 1)[1]
    documented = {line.split("`")[1]: line.split("|")[2].strip() for line in doc.splitlines() if line.startswith("| `")}
    assert documented == scm.CONFLICT_CODES
    with pytest.raises(ValueError, match="unregistered conflict code"):
        scm.Conflict("no-such-code", "message")
