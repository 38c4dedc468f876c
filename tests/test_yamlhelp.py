"""YAML slips explained in plain words, in both languages, at the line and column to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import smartcity_model as scm
from smartcity_model.cli import main
from smartcity_model.i18n import use_language
from smartcity_model.io import yamlfile, yamlhelp

NAME = "  name: Dinas Kesehatan\n"

#: A slip written into opds.yaml: the line as it is replaced, the words expected (English, Indonesian),
#: and the line and column the problem points at.
SLIPS: dict[str, tuple[str, str, str, int, int]] = {
    "tab": ("\tname: Dinas Kesehatan\n", "a tab character", "karakter tab", 5, 1),
    "colon in a value": ("  name: Dinas: Kesehatan\n", "a colon and a space", "titik dua dan spasi", 5, 14),
    "indented too far": (
        "  name: Dinas Kesehatan\n   sector: health\n",
        "indented further",
        "menjorok lebih dalam",
        6,
        10,
    ),
    "indented too little": ("  name: Dinas Kesehatan\n sector: health\n", "does not line up", "tidak sejajar", 6, 2),
    "no space after a dash": (
        "  name: Dinas Kesehatan\n-id: x\n",
        "a dash and a space",
        "tanda hubung dan spasi",
        6,
        1,
    ),
    "no space after a colon": (
        "  name: Dinas Kesehatan\n  sector:health\n",
        "a space after the colon",
        "spasi setelah titik dua",
        6,
        3,
    ),
    "unclosed quote": ("  name: 'Dinas Kesehatan\n", "never closed", "tidak pernah ditutup", 5, 9),
    "text after a quote": (
        '  name: "Dinas" Kesehatan\n',
        "text after the closing quote",
        "setelah tanda kutip penutup",
        5,
        17,
    ),
    "at sign": ("  name: @dinkes\n", "may not begin with @", "tidak boleh diawali @", 5, 9),
    "backtick": ("  name: `dinkes\n", "may not begin with `", "tidak boleh diawali `", 5, 9),
    "star": ("  name: *Dinas Kesehatan\n", "reference to an anchor", "rujukan ke anchor", 5, 9),
    "bang": ("  name: !Dinas Kesehatan\n", "a YAML tag", "tag YAML", 5, 9),
    "open bracket": ("  name: [Dinas Kesehatan\n", "never closed", "tidak pernah ditutup", 5, 9),
    "ampersand": ("  name: &Dinas Kesehatan\n", "the anchor 'Dinas'", "anchor 'Dinas'", 5, 9),
}


def _slipped(plan_folder: Path, replacement: str) -> Path:
    path = plan_folder / "opds.yaml"
    text = path.read_text(encoding="utf-8")
    assert NAME in text
    path.write_text(text.replace(NAME, replacement, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("slip", list(SLIPS))
def test_a_slip_is_explained_at_its_line_and_column_in_both_languages(
    slip: str,
    plan_folder: Path,
    engine: str,  # noqa: ARG001 - libyaml, then the pure-Python parser
) -> None:
    replacement, english, indonesian, line, column = SLIPS[slip]
    path = _slipped(plan_folder, replacement)
    for language, words in (("en", english), ("id", indonesian)):
        with use_language(language), pytest.raises(scm.MasterplanError) as caught:
            scm.load(plan_folder)
        (problem,) = caught.value.problems
        assert problem.code == "syntax-error"
        assert words in problem.message, problem.message
        assert (problem.file, problem.line, problem.column) == (str(path), line, column)
        assert str(problem).startswith(f"{path}:{line}:{column}: ")


def test_a_value_that_needs_quotes_is_shown_quoted(plan_folder: Path) -> None:
    _slipped(plan_folder, "  name: Dinas: Kesehatan\n")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    assert '(write: name: "Dinas: Kesehatan")' in caught.value.problems[0].message
    (plan_folder / "opds.yaml").write_text(
        (plan_folder / "opds.yaml")
        .read_text(encoding="utf-8")
        .replace("name: Dinas: Kesehatan", 'name: "Dinas: Kesehatan"'),
        encoding="utf-8",
    )
    assert scm.load(plan_folder).opd("dinkes").name == "Dinas: Kesehatan"


def test_an_alias_that_is_used_is_no_slip(plan_folder: Path) -> None:
    path = plan_folder / "opds.yaml"
    text = path.read_text(encoding="utf-8").replace("sector: health", "sector: &s health", 1)
    path.write_text(text.replace("  sector: health\n  kind: hospital", "  sector: *s\n  kind: hospital"), "utf-8")
    plan = scm.load(plan_folder)
    assert plan.opd("rsud").sector == "health"


@pytest.mark.parametrize(
    ("replacement", "kept", "dropped"),
    [
        ("  name: Rapat #2\n", "Rapat", "#2"),
        ("  name: Dinas Kesehatan #utama\n", "Dinas Kesehatan", "#utama"),
    ],
)
def test_text_after_a_hash_is_kept_as_a_comment_with_a_warning(
    replacement: str, kept: str, dropped: str, plan_folder: Path
) -> None:
    path = _slipped(plan_folder, replacement)
    with pytest.warns(scm.PlanWarning, match=f"{path}:5:.*'{dropped}' is read as a comment, so the value is '{kept}'"):
        plan = scm.load(plan_folder)
    assert plan.opd("dinkes").name == kept


def test_a_value_that_begins_with_a_hash_is_empty_and_explained(plan_folder: Path) -> None:
    _slipped(plan_folder, "  name: #1 Dinas Kesehatan\n")
    with pytest.warns(scm.PlanWarning, match="so the field is empty"), pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    (problem,) = caught.value.problems
    assert (problem.code, problem.field) == ("wrong-type", "name")
    assert "a value beginning with ' #'" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        "a: 1  # a comment written as one\n",
        "a: '#1 in quotes'\n",
        "a: |\n  Rapat #2 in a block of text\n",
        "a: http://example.org/#anchor\n",
        "a: nomor#2\n",
        "# a whole line of comment\na: 1\n",
    ],
)
def test_comments_and_hashes_that_yaml_keeps_raise_no_warning(text: str) -> None:
    parsed = yamlfile.parse_yaml(text, "x.yaml")  # the suite turns warnings into errors
    assert parsed.data["a"] is not None


@pytest.mark.parametrize(
    ("value", "english", "indonesian"),
    [
        ("off", "yes, no, on, off, true or false", "yes, no, on, off, true atau false"),
        ("NO", "yes, no, on, off, true or false", "yes, no, on, off, true atau false"),
        ("2024-01-01", "reads an unquoted date as a date", "membaca tanggal tanpa tanda kutip"),
        ("1.10", "reads it as a number", "membacanya sebagai angka"),
    ],
)
def test_text_that_yaml_reads_as_something_else_is_explained(
    value: str, english: str, indonesian: str, plan_folder: Path
) -> None:
    _slipped(plan_folder, f"  name: Dinas Kesehatan\n  acronym: {value}\n")
    for language, words in (("en", english), ("id", indonesian)):
        with use_language(language), pytest.raises(scm.MasterplanError) as caught:
            scm.load(plan_folder)
        (problem,) = caught.value.problems
        assert (problem.code, problem.field, problem.line) == ("wrong-type", "acronym", 6)
        assert words in problem.message


def test_every_slip_is_worded_in_both_languages() -> None:
    texts = {name: SLIPS[name][0] for name in SLIPS if name != "ampersand"}  # an anchor parses
    for name, replacement in texts.items():
        text = "- id: dinkes\n" + replacement
        with pytest.raises(yaml.MarkedYAMLError) as caught:
            yaml.safe_load(text)
        english = yamlhelp.explain(caught.value, text).message
        with use_language("id"):
            indonesian = yamlhelp.explain(caught.value, text).message
        assert english != indonesian, name
        assert "YAML cannot read the file here" not in english, name


def test_check_prints_the_explanation_and_its_column(plan_folder: Path) -> None:
    path = _slipped(plan_folder, "  name: Dinas: Kesehatan\n")
    result = CliRunner().invoke(main, ["--lang", "id", "check", str(plan_folder)])
    assert result.exit_code == 1
    assert f"{path}:5:14: nilainya mengandung ': ' (titik dua dan spasi)" in result.output


def test_a_first_item_without_a_space_after_its_dash_is_named_at_its_line(plan_folder: Path) -> None:
    path = plan_folder / "opds.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- id: diskominfo", "-id: diskominfo", 1), "utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    (problem,) = caught.value.problems
    assert "a dash and a space" in problem.message
    assert (problem.line, problem.column) == (1, 1)


def test_a_comment_meant_as_one_stays_a_comment_in_the_fix(plan_folder: Path) -> None:
    _slipped(plan_folder, "  name: Rapat #2 # rapat kedua\n")
    with pytest.warns(scm.PlanWarning, match=r'write: name: "Rapat #2"  # rapat kedua\)'):
        scm.load(plan_folder)


def test_double_quotes_inside_a_value_are_kept_in_the_fix(plan_folder: Path) -> None:
    _slipped(plan_folder, '  name: "Dinas" Kesehatan\n')
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    fixed = "name: '\"Dinas\" Kesehatan'"
    assert fixed in caught.value.problems[0].message
    assert yaml.safe_load(fixed) == {"name": '"Dinas" Kesehatan'}
