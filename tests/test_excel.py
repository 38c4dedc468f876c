"""Excel workbooks both ways: lossless, laid out for planners, every problem located by sheet, row and column."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import smartcity_model as scm
from smartcity_model.cli import main
from smartcity_model.i18n import use_language
from smartcity_model.io import excel
from smartcity_model.testing import masterplans


@pytest.fixture
def workbook(example_plan: scm.Masterplan, tmp_path: Path) -> Path:
    """The bundled example exported as a workbook."""
    return scm.dump(example_plan, tmp_path / "solok-selatan.xlsx")


def _column(sheet: openpyxl.worksheet.worksheet.Worksheet, header: str) -> int:
    return next(cell.column for cell in sheet[1] if cell.value == header)


def _row(sheet: openpyxl.worksheet.worksheet.Worksheet, first_cell: str) -> int:
    return next(row[0].row for row in sheet.iter_rows(min_row=2) if row[0].value == first_cell)


@pytest.mark.parametrize("source", ["example", "minimal.yaml", "clean.yaml"])
def test_a_workbook_round_trip_is_lossless(source: str, tmp_path: Path) -> None:
    path = scm.example_path() if source == "example" else Path(__file__).parent / "data" / source
    plan = scm.load(path)
    assert scm.load(scm.dump(plan, tmp_path / "plan.xlsx")) == plan


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=masterplans())
def test_any_valid_plan_survives_a_workbook(plan: scm.Masterplan, tmp_path: Path) -> None:
    assert excel.read_workbook(_written(plan, tmp_path)) == plan


def _written(plan: scm.Masterplan, folder: Path) -> Path:
    path = folder / f"{plan.region.id}.xlsx"
    path.write_bytes(excel.write_workbook(plan))
    return path


def test_an_edited_workbook_reimports_with_its_changes_and_its_typo_located(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    observations, opds, initiatives = book["Observasi"], book["OPD"], book["Inisiatif"]
    observations.cell(row=2, column=_column(observations, "nilai"), value="41,5")  # a value changed, Indonesian style
    opds.append(["diskan", "Dinas Perikanan", None, "Diskan", "perikanan", "dinas"])  # a row added
    lead, typo_row = _column(initiatives, "opd_pengusul"), _row(initiatives, "qw-01")
    initiatives.cell(row=typo_row, column=lead, value="dinkess")  # a typo planted
    book.save(workbook)
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(workbook)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.line, problem.column) == ("Inisiatif", typo_row, lead)
    assert problem.where() == f"{workbook}, Inisiatif!{openpyxl.utils.get_column_letter(lead)}{typo_row}"
    assert "unknown OPD 'dinkess' (did you mean 'dinkes'?)" in str(problem)

    initiatives.cell(row=typo_row, column=lead, value="dinkes")
    book.save(workbook)
    plan = scm.load(workbook)
    assert plan.observations[0].value == 41.5
    assert plan.opd("diskan").sector == "fisheries"


def test_english_headers_are_read_too(workbook: Path, example_plan: scm.Masterplan) -> None:
    book = openpyxl.load_workbook(workbook)
    english = {"nama": "name", "opd_pengusul": "lead", "opd_pendukung": "supporting", "tahun": "year", "nilai": "value"}
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.value = english.get(cell.value, cell.value)
    book.save(workbook)
    assert scm.load(workbook) == example_plan


def test_the_workbook_is_laid_out_for_planners(workbook: Path, example_plan: scm.Masterplan) -> None:
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames[:3] == ["Petunjuk", "Rencana", "OPD"]
    assert book["Daftar"].sheet_state == "hidden"
    initiatives = book["Inisiatif"]
    assert initiatives.freeze_panes == "B2"
    assert initiatives.max_row == len(example_plan.initiatives) + 1
    rules = {str(rule.sqref): rule.formula1 for rule in initiatives.data_validations.dataValidation}
    lead = openpyxl.utils.get_column_letter(_column(initiatives, "opd_pengusul"))
    assert rules[f"{lead}2:{lead}5000"] == "=OPD!$A$2:$A$5000"
    assert any("Daftar!" in formula for formula in rules.values())  # horizons, statuses
    assert all(initiatives.column_dimensions[letter].width >= 10 for letter in ("A", "B", "C"))


@pytest.mark.parametrize(
    ("written", "message"),
    [("1.250", "ambiguous: 1250 with '.' grouping thousands"), ("banyak", "'banyak' is not a number")],
)
def test_a_number_that_cannot_be_read_is_located(workbook: Path, written: str, message: str) -> None:
    book = openpyxl.load_workbook(workbook)
    budget = book["Anggaran"]
    column = _column(budget, "jumlah_rupiah")
    budget.cell(row=3, column=column, value=written)
    book.save(workbook)
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(workbook)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.line, problem.column) == ("Anggaran", 3, column)
    assert message in problem.message


def test_rows_that_belong_to_no_initiative_are_named(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    book["Anggaran"].append(["qw-99", 2025, 1_000_000, "apbd"])
    book.save(workbook)
    with pytest.raises(scm.MasterplanError, match=r"Anggaran!A\d+: unknown initiative 'qw-99'"):
        scm.load(workbook)


def test_a_file_that_is_no_workbook_is_one_located_problem(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(path)
    assert caught.value.codes == {"file-unreadable": 1}


def test_without_openpyxl_the_message_says_how_to_install_it(
    example_plan: scm.Masterplan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(excel.ExcelUnavailableError, match=r'pip install "smartcity-model\[excel\]"'):
        scm.dump(example_plan, tmp_path / "plan.xlsx")
    assert not (tmp_path / "plan.xlsx").exists()
    result = CliRunner().invoke(main, ["export", str(scm.example_path()), str(tmp_path / "plan.xlsx")])
    assert result.exit_code == 2
    assert "smartcity-model[excel]" in result.output


def test_export_and_import_from_the_command_line(tmp_path: Path, example_plan: scm.Masterplan) -> None:
    run = CliRunner()
    exported = run.invoke(main, ["export", str(scm.example_path()), str(tmp_path / "plan.xlsx")])
    assert exported.exit_code == 0, exported.output
    imported = run.invoke(main, ["import", str(tmp_path / "plan.xlsx"), str(tmp_path / "plan")])
    assert imported.exit_code == 0, imported.output
    assert scm.load(tmp_path / "plan") == example_plan
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    book["OPD"].cell(row=2, column=_column(book["OPD"], "sektor"), value="Bukan Sektor!")
    book.save(tmp_path / "plan.xlsx")
    failed = run.invoke(main, ["import", str(tmp_path / "plan.xlsx"), str(tmp_path / "other")])
    assert failed.exit_code == 1
    assert "OPD!E2" in failed.output
    assert not (tmp_path / "other").exists()


def _problems(path: Path) -> list[scm.Problem]:
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(path)
    return list(caught.value.problems)


def test_a_renamed_or_missing_sheet_is_named_never_skipped(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    book["Observasi"].title = "Observasi 2024"
    del book["Anggaran"]
    book.save(workbook)
    messages = {(p.code, p.sheet): p.message for p in _problems(workbook)}
    assert "did you mean 'Observasi'?" in messages["unknown-file", "Observasi 2024"]
    assert ("file-missing", "Anggaran") in messages
    assert ("file-missing", "Observasi") in messages


def test_sheet_names_in_another_case_are_read(workbook: Path, example_plan: scm.Masterplan) -> None:
    book = openpyxl.load_workbook(workbook)
    book["OPD"].title = "opd "
    book["Inisiatif"].title = "Inisiatif "
    book.save(workbook)
    assert scm.load(workbook) == example_plan


def test_a_workbook_can_be_exported_again_over_itself(workbook: Path, example_plan: scm.Masterplan) -> None:
    assert scm.load(scm.dump(example_plan, workbook)) == example_plan


def test_what_a_cell_shows_but_does_not_hold_is_refused(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    observations = book["Observasi"]
    value = observations.cell(row=2, column=_column(observations, "nilai"))
    value.value, value.number_format = 0.8495, "0.00%"
    observations.cell(row=3, column=_column(observations, "nilai"), value=True)
    book["OPD"].cell(row=2, column=12, value="catatan tanpa judul")  # data in a column without a header
    book.save(workbook)
    messages = {(p.sheet, p.line, p.column): p.message for p in _problems(workbook)}
    nilai = _column(observations, "nilai")
    assert "shows 84.95% but holds 0.8495" in messages["Observasi", 2, nilai]
    assert messages["Observasi", 3, nilai] == "TRUE is not a number"
    assert "1 value is in a column without a header (row 2)" in messages["OPD", 2, 12]


def test_expected_values_need_a_year_and_are_given_once(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    expected = book["Harapan"]
    first = [cell.value for cell in expected[2]]
    expected.append(first)  # the same initiative, indicator and year again
    expected.append([first[0], first[1], None, 5])  # no year
    book.save(workbook)
    problems = {(p.code, p.line): p for p in _problems(workbook)}
    assert problems["duplicate-reference", expected.max_row - 1].sheet == "Harapan"
    assert problems["missing-field", expected.max_row].column == _column(expected, "tahun")


def test_a_plan_key_given_twice_is_refused(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    book["Rencana"].append(["Region.Name", "", "Kabupaten Lain"])  # any case, but only once
    book.save(workbook)
    (problem,) = _problems(workbook)
    assert (problem.sheet, problem.column) == ("Rencana", 1)
    assert "'region.name' is given twice" in problem.message


def test_text_that_begins_with_an_equals_sign_stays_text(plan_data: dict[str, object], tmp_path: Path) -> None:
    plan_data["opds"][0]["note"] = "=lihat lampiran"  # type: ignore[index]
    plan = scm.Masterplan.from_dict(plan_data)
    assert scm.load(scm.dump(plan, tmp_path / "plan.xlsx")) == plan


def test_workbook_problems_are_given_in_bahasa_indonesia_too(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    book["Observasi"].title = "Observasi 2024"
    initiatives = book["Inisiatif"]
    initiatives.cell(row=_row(initiatives, "qw-01"), column=_column(initiatives, "opd_pengusul"), value="dinkess")
    book.save(workbook)
    with use_language("id"), pytest.raises(scm.MasterplanError) as caught:
        scm.load(workbook)
    text = str(caught.value)
    assert "OPD 'dinkess' tidak dikenal (maksud Anda 'dinkes'?)" in text
    assert "lembar 'Observasi 2024' bukan bagian dari buku kerja (maksud Anda 'Observasi'?)" in text
    assert "tidak ada lembar 'Observasi'" in text


def test_export_and_import_never_replace_what_is_there_without_force(tmp_path: Path) -> None:
    run = CliRunner()
    workbook, folder = tmp_path / "plan.xlsx", tmp_path / "plan"
    assert run.invoke(main, ["export", str(scm.example_path()), str(workbook)]).exit_code == 0
    assert run.invoke(main, ["import", str(workbook), str(folder)]).exit_code == 0
    edited = (folder / "opds.yaml").read_text(encoding="utf-8") + "# catatan tim\n"
    (folder / "opds.yaml").write_text(edited, encoding="utf-8")
    before = workbook.read_bytes()
    again = run.invoke(main, ["--lang", "id", "import", str(workbook), str(folder)])
    assert again.exit_code == 2
    assert "--force" in again.output
    assert (folder / "opds.yaml").read_text(encoding="utf-8") == edited
    assert run.invoke(main, ["export", str(folder), str(workbook)]).exit_code == 2
    assert workbook.read_bytes() == before
    assert run.invoke(main, ["import", str(workbook), str(folder), "--force"]).exit_code == 0
    assert "# catatan tim" not in (folder / "opds.yaml").read_text(encoding="utf-8")


def test_sheets_named_in_english_are_read_and_a_sheet_of_notes_is_named_but_kept(
    workbook: Path, example_plan: scm.Masterplan
) -> None:
    book = openpyxl.load_workbook(workbook)
    book["Observasi"].title = "Observations"
    book["Inisiatif"].title = "Initiatives"
    book.create_sheet("Catatan")["A1"] = "rapat tim 12 Mei"
    book.save(workbook)
    with pytest.warns(scm.PlanWarning, match=r"sheet 'Catatan' is not read"):
        assert scm.load(workbook) == example_plan


def test_a_missing_part_sheet_is_one_problem_counting_the_references_into_it(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    del book["OPD"]
    book.save(workbook)
    (problem,) = _problems(workbook)
    assert (problem.code, problem.sheet) == ("file-missing", "OPD")
    assert re.search(r"no sheet 'OPD', so \d+ references to its rows cannot be resolved", problem.message)


def test_a_misspelt_header_is_one_problem_naming_the_header_meant(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    initiatives = book["Inisiatif"]
    initiatives.cell(row=1, column=_column(initiatives, "opd_pengusul"), value="opd_pengusull")
    book.save(workbook)
    (problem,) = _problems(workbook)  # not also "required" for every row
    assert (problem.code, problem.sheet, problem.line) == ("unknown-field", "Inisiatif", 1)
    assert "(did you mean 'opd_pengusul'?)" in problem.message


def test_values_in_a_column_without_header_are_one_problem_listing_the_rows(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    opds = book["OPD"]
    free = opds.max_column + 2
    for row in (2, 3, 4, 7):
        opds.cell(row=row, column=free, value="catatan")
    book.save(workbook)
    (problem,) = _problems(workbook)
    assert (problem.sheet, problem.line, problem.column) == ("OPD", 2, free)
    assert "4 values are in a column without a header (rows 2-4, 7)" in problem.message


def test_a_problem_names_the_column_by_its_header(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    initiatives = book["Inisiatif"]
    initiatives.cell(row=_row(initiatives, "qw-01"), column=_column(initiatives, "opd_pengusul"), value="dinkess")
    book.save(workbook)
    (problem,) = _problems(workbook)
    assert problem.field == "opd_pengusul"
    assert "opd_pengusul" in str(problem)


def test_a_formula_whose_value_was_never_computed_is_named_not_read_as_empty(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    budget, indicators = book["Anggaran"], book["Indikator"]
    budget.cell(row=2, column=_column(budget, "jumlah_rupiah"), value="=1000*5")
    indicators.cell(row=2, column=_column(indicators, "bobot"), value="=1+1")  # an optional column
    book.save(workbook)  # openpyxl writes formulas without their values, as any program but a spreadsheet
    problems = {(p.sheet, p.line): p.message for p in _problems(workbook)}
    assert set(problems) == {("Anggaran", 2), ("Indikator", 2)}
    assert "the cell holds the formula =1000*5 but no value" in problems["Anggaran", 2]
    assert "=1+1" in problems["Indikator", 2]
