"""Bahasa Indonesia beside English: a complete, current catalogue, and the language chosen as documented."""

from __future__ import annotations

import io
import os
import re
import tokenize
from collections.abc import Callable
from pathlib import Path

import click
import numpy as np
import pandas as pd
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

import smartcity_model as scm
from smartcity_model import i18n
from smartcity_model.cli import main
from smartcity_model.i18n_click import CLICK_MESSAGES
from smartcity_model.scoring import IndicatorSpec, RecipeError, normalise, readiness_scale

PACKAGE = Path(scm.__file__).parent
CATALOGUE = PACKAGE / "locale" / "id" / "LC_MESSAGES"
KEYWORDS = {"_": None, "N_": None, "n_": (1, 2), "Nn_": (1, 2)}


def _catalogue() -> object:
    with (CATALOGUE / "smartcity.po").open("rb") as handle:
        return read_po(handle, locale="id")


def _source_messages() -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    for _name, _line, message, _comments, _context in extract_from_dir(str(PACKAGE), keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_every_message_of_the_code_has_an_indonesian_translation() -> None:
    catalogue = _catalogue()
    translated = {
        (m.id if isinstance(m.id, str) else tuple(m.id)): m.string
        for m in catalogue  # type: ignore[attr-defined]
        if m.id
    }
    missing = sorted(str(message) for message in _source_messages() - translated.keys())
    assert not missing, f"not in smartcity.po: {missing}"
    for message, translation in translated.items():
        forms = [translation] if isinstance(translation, str) else list(translation)
        assert all(form.strip() for form in forms), f"no translation for {message!r}"
        sources = [message] if isinstance(message, str) else list(message)
        fields = set(re.findall(r"{[^{}]*}", sources[0]))
        allowed = fields.union(*(re.findall(r"{[^{}]*}", source) for source in sources))
        for form in forms:  # one plural form in Indonesian: it may use the singular's or the plural's fields
            used = set(re.findall(r"{[^{}]*}", form))
            assert used == fields or (len(sources) > 1 and used <= allowed and used), (
                f"{form!r} does not keep the fields of {message!r}"
            )


def test_the_compiled_catalogue_is_the_current_one() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalogue())  # type: ignore[arg-type]
    assert (CATALOGUE / "smartcity.mo").read_bytes() == compiled.getvalue()


def test_the_language_is_chosen_in_the_documented_order(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SMARTCITY_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(i18n.locale, "getlocale", lambda: ("en_US", "UTF-8"))
    assert i18n.language() == "en"
    monkeypatch.setenv("LANG", "id_ID.UTF-8")
    assert i18n.language() == "id"
    monkeypatch.setenv("SMARTCITY_LANG", "en")
    assert i18n.language() == "en"
    with i18n.use_language("id"):
        assert i18n.language() == "id"
        assert i18n._("No findings.") == "Tidak ada temuan."
    assert i18n.language() == "en"
    with pytest.raises(ValueError, match="language must be one of id, en"):
        i18n.set_language("jv")


def test_findings_carry_their_hint_in_the_language_of_the_check(example_plan: scm.Masterplan) -> None:
    with i18n.use_language("id"):
        indonesian = scm.check(example_plan)
    english = scm.check(example_plan)
    (budget_id,) = indonesian.select(code="initiative-without-budget")
    (budget_en,) = english.select(code="initiative-without-budget")
    assert budget_en.hint.startswith("Add budget lines")
    assert budget_id.hint.startswith("Tambahkan baris anggaran")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("id", ["Kerangka", "Tidak ada masalah saat memuat.", "0 kesalahan, 11 peringatan", "saran: "]),
        ("en", ["Framework", "No loading problems.", "0 errors, 11 warnings", "hint: "]),
    ],
)
def test_check_speaks_the_language_asked_for(lang: str, expected: list[str]) -> None:
    result = CliRunner().invoke(main, ["--lang", lang, "check", str(scm.example_path())])
    assert result.exit_code == 0, result.output
    for text in expected:
        assert text in result.output


def test_every_problem_code_has_a_documented_hint_printed_with_its_problems(plan_folder: Path) -> None:
    doc = (Path(__file__).parents[1] / "docs" / "problems.md").read_text(encoding="utf-8")
    assert set(scm.PROBLEM_HINTS) == set(scm.PROBLEM_CODES)
    assert all(hint in doc for hint in scm.PROBLEM_HINTS.values())
    initiatives = (plan_folder / "initiatives.yaml").read_text(encoding="utf-8")
    (plan_folder / "initiatives.yaml").write_text(initiatives.replace("lead: rsud", "lead: rsudd"), "utf-8")
    result = CliRunner().invoke(main, ["--lang", "id", "check", str(plan_folder)])
    assert result.exit_code == 1
    assert "saran [dangling-reference]: Perbaiki id" in result.output


def test_a_tree_is_reported_in_the_language_asked_for(tmp_path: Path) -> None:
    scm.write_synthetic_country(tmp_path / "negeri", provinces=1, regions=2, initiatives=4, opds=25, indicators=20)
    result = CliRunner().invoke(main, ["--lang", "id", "check", str(tmp_path / "negeri"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"2 rencana di {tmp_path / 'negeri'}: 2 berhasil dimuat, 0 gagal")


def test_three_planted_mistakes_are_reported_in_either_language(plan_folder: Path) -> None:
    initiatives = (plan_folder / "initiatives.yaml").read_text(encoding="utf-8")
    (plan_folder / "initiatives.yaml").write_text(initiatives.replace("lead: rsud", "lead: rsudd"), "utf-8")
    indicators = (plan_folder / "indicators.yaml").read_text(encoding="utf-8")
    (plan_folder / "indicators.yaml").write_text(indicators.replace("2026: 70", "2026: 170"), "utf-8")
    observations = (plan_folder / "observations.csv").read_text(encoding="utf-8")
    width = len(observations.splitlines()[0].split(","))
    row = ",".join(["liv-referral", "2023", "41", *[""] * (width - 3)])
    (plan_folder / "observations.csv").write_text(observations + row + "\n", "utf-8")
    run = CliRunner()
    indonesian = run.invoke(main, ["--lang", "id", "check", str(plan_folder)]).output
    english = run.invoke(main, ["--lang", "en", "check", str(plan_folder)]).output
    assert "inisiatif 'qw-01', kolom 'lead': OPD 'rsudd' tidak dikenal (maksud Anda 'rsud'?)" in indonesian
    assert "target 170 untuk 2026 berada di luar [0, 100]" in indonesian
    assert "liv-referral/2023 diobservasi dua kali (nilai yang lain 40)" in indonesian
    assert "initiative 'qw-01', field 'lead': unknown OPD 'rsudd' (did you mean 'rsud'?)" in english
    assert "target 170 for 2026 is outside [0, 100]" in english
    assert "liv-referral/2023 is observed twice (the other value is 40)" in english
    assert indonesian.startswith("3 masalah di ")
    assert english.startswith("3 problems in ")


def test_help_is_shown_in_the_language_asked_for() -> None:
    run = CliRunner()
    indonesian = run.invoke(main, ["--lang", "id", "--help"])
    english = run.invoke(main, ["--lang", "en", "--help"])
    assert indonesian.exit_code == english.exit_code == 0
    for words in ("Penggunaan: ", "Opsi:", "Perintah:", "Menyusun, memeriksa dan menilai", "Tampilkan pesan ini"):
        assert words in indonesian.output
    for words in ("Usage: ", "Options:", "Commands:", "Plan, check and score", "Show this message and exit."):
        assert words in english.output
    check_help = run.invoke(main, ["--lang", "id", "check", "--help"]).output
    assert "Memuat masterplan di PATH" in check_help
    assert "Hanya muat dan validasi berkas" in check_help
    assert run.invoke(main, ["check", "--help"], env={"SMARTCITY_LANG": "id"}).output == check_help
    assert "Show this message and exit." in run.invoke(main, ["check", "--help"], env={"SMARTCITY_LANG": "en"}).output


def test_every_help_text_of_the_command_line_is_translated() -> None:
    catalogue = i18n._translations("id")  # noqa: SLF001 - the catalogue itself
    texts = [main.help, *(param.help for param in main.params)]
    for command in main.commands.values():
        texts += [command.help, *(getattr(param, "help", None) for param in command.params)]
    untranslated = [text for text in texts if text and catalogue.gettext(text) == text]
    assert not untranslated, untranslated


@pytest.mark.parametrize(
    ("args", "indonesian", "english"),
    [
        (["init", "x"], "Kesalahan: Opsi tidak diberikan '--region'.", "Error: Missing option '--region'."),
        (
            ["init", "x", "--region", "a", "--name", "A", "--kind", "kot"],
            "'kot' bukan salah satu dari 'kabupaten', 'kota'.",
            "'kot' is not one of 'kabupaten', 'kota'.",
        ),
        (["check", "--bogus"], "Tidak ada opsi '--bogus'.", "No such option '--bogus'."),
        (["chek"], "Tidak ada perintah 'chek'.", "No such command 'chek'."),
    ],
)
def test_usage_errors_are_worded_in_the_language_asked_for(args: list[str], indonesian: str, english: str) -> None:
    run = CliRunner()
    said_id = run.invoke(main, ["--lang", "id", *args])
    said_en = run.invoke(main, ["--lang", "en", *args])
    assert said_id.exit_code == said_en.exit_code == 2
    assert indonesian in said_id.output
    assert "Penggunaan: smartcity" in said_id.output
    assert english in said_en.output


def test_the_language_of_one_command_does_not_stay_for_the_next() -> None:
    run = CliRunner()
    assert "Opsi:" in run.invoke(main, ["--lang", "id", "--help"]).output
    assert "Options:" in run.invoke(main, ["--help"], env={"SMARTCITY_LANG": "en"}).output
    assert i18n.language() == i18n.language()  # nothing chosen is left in this process
    assert i18n._CHOSEN.get() is None  # noqa: SLF001


def test_the_messages_of_click_kept_in_the_catalogue_are_clicks_own() -> None:
    click_dir = Path(click.__file__).parent
    own = set()
    for _name, _line, message, _comments, _context in extract_from_dir(
        str(click_dir), keywords={"_": None, "ngettext": (1, 2)}
    ):
        own.add(message if isinstance(message, str) else tuple(message))
    if '_(extra["required"])' in (click_dir / "core.py").read_text(encoding="utf-8"):
        own.add("required")  # translated at run time, from a variable holding it: no extractor sees it
    assert set(CLICK_MESSAGES) <= own, set(CLICK_MESSAGES) - own


def test_no_message_hides_from_the_catalogue_inside_an_f_string() -> None:
    hidden = []
    for path in sorted(PACKAGE.rglob("*.py")):
        with path.open("rb") as handle:
            for token in tokenize.tokenize(handle.readline):
                text = token.string
                prefix = text[: len(text) - len(text.lstrip("rRbBfFuU"))]
                if token.type == tokenize.STRING and "f" in prefix.lower() and re.search(r"\bn?_\(\s*[\"']", text):
                    hidden.append(f"{path.relative_to(PACKAGE)}:{token.start[0]}")
    assert not hidden, f"messages inside f-strings are not extracted: {hidden}"


def _scoring_error(call: Callable[[], object]) -> str:
    with pytest.raises(scm.ScoringError) as caught:
        call()
    return str(caught.value)


def test_scoring_errors_are_worded_in_the_language_asked_for(example_plan: scm.Masterplan) -> None:
    frame = pd.DataFrame(
        {"node": ["a", "b", "top"], "level": ["indicator", "indicator", "index"], "parent": ["top", "top", None]}
    ).assign(weight=[1, -2, 1])
    calls = {
        "aggregation": lambda: scm.roll_up(example_plan, aggregation="arithmatic"),
        "missing": lambda: scm.roll_up(example_plan, missing="raise"),
        "structure": lambda: scm.Structure.from_frame(frame, ["indicator", "index"]),
        "scale": lambda: readiness_scale("defualt"),
    }
    with i18n.use_language("id"):
        indonesian = {name: _scoring_error(call) for name, call in calls.items()}
    english = {name: _scoring_error(call) for name, call in calls.items()}
    assert indonesian["aggregation"].startswith(
        "agregasi 'arithmatic' tidak dikenal (maksud Anda 'arithmetic'?); gunakan salah satu dari arithmetic, "
    )
    assert english["aggregation"].startswith(
        "unknown aggregation 'arithmatic' (did you mean 'arithmetic'?); use one of arithmetic, "
    )
    assert re.match(r"\d+ nilai kosong, mis\. wilayah 'solok-selatan', tahun \d{4}, indikator '", indonesian["missing"])
    assert indonesian["missing"].endswith("pilih kebijakan data kosong lain atau lengkapi datanya")
    assert re.match(r"\d+ missing values, e\.g\. region 'solok-selatan', year \d{4}, indicator '", english["missing"])
    assert indonesian["structure"] == "struktur: bobot negatif (0 mengecualikan node; di bawah 0 tidak bermakna): b"
    assert english["structure"] == "structure: negative weights (0 excludes a node; below 0 means nothing): b"
    assert indonesian["scale"].startswith("skala kesiapan 'defualt' tidak dikenal (maksud Anda 'default'?)")
    assert english["scale"].startswith("unknown readiness scale 'defualt' (did you mean 'default'?)")


def test_scoring_warnings_and_notes_are_worded_in_the_language_asked_for() -> None:
    values = np.array([[1.0], [1.0], [2.0]])
    data = pd.DataFrame({"region": "a", "year": [2020, 2021], "indicator": "x", "value": [1.0, 2.0]})
    said = {}
    for lang in ("id", "en"):
        with i18n.use_language(lang):
            with pytest.warns(scm.ScoringWarning) as caught:
                normalise(values, [IndicatorSpec()], [0, 0, 1], "minmax", names=["x"])
            filled = scm.impute(data, "nocb", years=range(2020, 2023))
        said[lang] = (str(caught[0].message), filled.notes)
    assert said["id"] == (
        (
            "minmax membiarkan 2 lingkup indikator tanpa skor: 'x' di 1 (hanya satu nilai), 'x' di 0 "
            "(nilainya tidak bervariasi)"
        ),
        ("1 sel dibiarkan kosong: nocb tidak punya nilai untuk mengisinya",),
    )
    assert said["en"] == (
        "minmax left 2 indicator scopes missing: 'x' in 1 (one value), 'x' in 0 (no spread)",
        ("1 cell left missing: nocb had nothing to fill it from",),
    )


def test_a_recipe_and_an_unknown_id_are_reported_in_the_language_asked_for(tmp_path: Path) -> None:
    recipe = tmp_path / "recipe.yaml"
    recipe.write_text("- impute\n", encoding="utf-8")
    with i18n.use_language("id"), pytest.raises(RecipeError) as indonesian:
        scm.Recipe.load(recipe)
    with pytest.raises(RecipeError) as english:
        scm.Recipe.load(recipe)
    assert str(indonesian.value).startswith(f"1 masalah di resep {recipe}:")
    assert "resep adalah pemetaan pengaturan [wrong-shape]" in str(indonesian.value)
    assert str(english.value).startswith(f"1 problem in recipe {recipe}:")
    assert "a recipe is a mapping of settings [wrong-shape]" in str(english.value)
    with i18n.use_language("id"), pytest.raises(scm.UnknownIdError, match="tidak ada contoh dengan id 'nope'"):
        scm.example_path("nope")
    with pytest.raises(scm.UnknownIdError, match="no example with id 'nope'"):
        scm.example_path("nope")


def test_summaries_stay_in_english(example_plan: scm.Masterplan) -> None:
    with i18n.use_language("id"):
        result = scm.roll_up(example_plan)
        shown = repr(result)
        described = scm.NormaliseSpec(scope="year").describe()
    assert "normalisation declared (minmax where none is declared, peers: whole panel)" in shown
    assert described == "declared (minmax bila tidak ada yang dideklarasikan, pembanding: tiap tahun)"


def test_the_language_chosen_inside_another_click_program_ends_with_its_command() -> None:
    @click.group()
    def host() -> None:
        """A program that holds smartcity as one of its commands."""

    host.add_command(main)
    result = CliRunner().invoke(host, ["smartcity", "--lang", "id", "framework"])
    assert result.exit_code == 0
    assert "pilar:" in result.output
    assert i18n._CHOSEN.get() is None  # noqa: SLF001
    assert os.environ.get("LANGUAGE") != "id"


def test_a_finding_names_its_subject_in_the_language_asked_for(example_plan: scm.Masterplan) -> None:
    with i18n.use_language("id"):
        report = scm.check(example_plan)
        (finding,) = report.select(code="initiative-without-budget")
        assert finding.subject() == "inisiatif 'lg-04'"
        assert "inisiatif 'lg-04'" in str(report)
    assert finding.subject() == "initiative 'lg-04'"
