"""The report: one self-contained HTML file for a plan or a province, checked as text and in a real browser."""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import smartcity_model as scm
from smartcity_model.cli import main
from smartcity_model.i18n import use_language
from smartcity_model.report import CHROMIUM_FLAGS, plan_report, regions_report
from smartcity_model.testing import masterplans

ROOT = Path(__file__).parents[1]
SUMBAR = ROOT / "examples" / "sumatera-barat"
#: Where the browser test leaves its screenshots (SMARTCITY_ARTEFACTS to choose another folder).
ARTEFACTS = Path(os.environ.get("SMARTCITY_ARTEFACTS", ROOT / "build" / "test-artefacts"))
HOSTILE = {
    "region": '<script>alert("region")</script>',
    "opd": 'Dinas "Kominfo" & <b>Statistik</b> </table>',
    "initiative": '=HYPERLINK("http://evil.example","klik")',
    "indicator": "Indeks <i>SPBE</i> & 'kualitas'",
    "source": "BPS <img src=x onerror=alert(1)>",
}
PLAN_CHARTS = {"radar", "paths", "explained", "network", "roadmap", "budget"}
REGION_CHARTS = {"dot", "bar", "trend", "correlation", "distribution"}


class _Page(HTMLParser):
    """The elements, attributes and text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.charts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))
            if name == "data-chart":
                self.charts.append(value or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _self_contained(html: str, page: _Page) -> None:
    """Refuse anything that would make the browser ask for more: scripts, links, remote images, imports."""
    assert "script" not in page.tags
    assert "link" not in page.tags
    assert "iframe" not in page.tags
    for tag, name, value in page.attributes:
        if name in {"src", "href", "xlink:href", "action"}:
            assert value.startswith(("#", "data:")), (tag, name, value)  # within the page, or the page itself
    assert "@import" not in html
    assert not re.search(r"url\((?!#)", html)


@pytest.fixture(scope="module")
def example_html() -> str:
    plan = scm.load(scm.example_path())
    config = scm.load_check_config(scm.find_check_config(scm.example_path()))
    return plan_report(plan, config=config)


@pytest.fixture(scope="module")
def hostile_plan() -> scm.Masterplan:
    data = scm.load(scm.example_path()).model_dump(mode="json")
    data["region"]["name"] = HOSTILE["region"]
    data["document"]["title"] = data["document"]["title_en"] = HOSTILE["region"] + " 2024"
    data["opds"][0]["name"] = data["opds"][0]["name_en"] = HOSTILE["opd"]
    data["initiatives"][0]["name"] = data["initiatives"][0]["name_en"] = HOSTILE["initiative"]
    data["indicators"][0]["name"] = data["indicators"][0]["name_en"] = HOSTILE["indicator"]
    data["observations"][0]["source"] = HOSTILE["source"]
    return scm.Masterplan.from_dict(data)


@pytest.fixture(scope="module")
def sumbar_html() -> str:
    study = scm.Recipe.load(SUMBAR / "recipe.yaml").run()
    return regions_report(study.result, province=study.province, names=dict(study.names), title=study.recipe.name)


def test_a_plan_report_has_every_section_and_chart_and_needs_nothing_else(example_html: str) -> None:
    page = _read(example_html)
    _self_contained(example_html, page)
    assert set(page.charts) == PLAN_CHARTS
    text = " ".join(page.text)
    for heading in (
        "Readiness per dimension",
        "Readiness by pillar",
        "Kominfo's evaluation",
        "Findings of the checks",
        "Alignment with the RPJMD",
        "Vision and strategic analysis",
        "Partners and governance",
        "Places",
        "Roadmap",
        "Budget",
        "Data and their sources",
    ):
        assert heading in text
    assert "Universitas Andalas" in text  # a partner, with the initiatives it takes part in
    assert "the split is not published" in text  # the evaluation's assumption, stated
    assert "overloaded-opd" in text
    assert "Spread the work" in text  # the hint of a finding
    assert "waived" in text  # the Inspektorat's waiver is shown with its reason
    assert example_html.count("<svg") == len(PLAN_CHARTS)


def test_the_report_is_the_same_every_time(example_html: str) -> None:
    plan = scm.load(scm.example_path())
    config = scm.load_check_config(scm.find_check_config(scm.example_path()))
    assert plan_report(plan, config=config) == example_html


def test_names_someone_wrote_are_text_in_the_report(hostile_plan: scm.Masterplan) -> None:
    html = plan_report(hostile_plan)
    page = _read(html)
    _self_contained(html, page)
    text = "".join(page.text)
    for name in HOSTILE.values():
        assert name in text
    assert "<b>Statistik</b>" not in html  # escaped, not markup
    assert '<script>alert("region")' not in html


def test_the_report_speaks_bahasa_indonesia() -> None:
    plan = scm.load(scm.example_path())
    with use_language("id"):
        html = plan_report(plan)
    text = " ".join(_read(html).text)
    for words in ("Kesiapan per dimensi", "Temuan pemeriksaan", "Peta jalan", "Anggaran", "Data dan sumbernya"):
        assert words in text
    assert '<html lang="id">' in html
    assert "Rp 65,9 miliar" in text


def test_a_province_report_shows_the_rule_and_what_holds_the_province_back(sumbar_html: str) -> None:
    page = _read(sumbar_html)
    _self_contained(sumbar_html, page)
    assert set(page.charts) == REGION_CHARTS
    text = " ".join(page.text)
    assert "Toward a smart province" in text
    assert "What holds the province back in 2024" in text
    assert "Kota Padang Panjang" in text  # regions by name
    assert "all 19 regions: no data" in text  # branding: no region measured, said once


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=masterplans())
def test_any_valid_plan_gives_a_report(plan: scm.Masterplan) -> None:
    html = plan_report(plan)
    page = _read(html)
    _self_contained(html, page)
    assert "Findings of the checks" in " ".join(page.text)


def test_report_writes_html_pdf_free_and_a_workbook_of_every_table(tmp_path: Path) -> None:
    run = CliRunner()
    result = run.invoke(main, ["report", str(scm.example_path()), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = run.invoke(main, ["report", str(SUMBAR), "-o", str(tmp_path / "sumbar.html")])
    assert result.exit_code == 0, result.output
    result = run.invoke(main, ["--lang", "id", "report", str(scm.example_path()), "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 0, result.output
    sheets = openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames
    assert sheets[:3] == ["Skor", "Kontribusi", "Temuan"]
    assert len(sheets) == 10


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["-o", "r.pdf"], "a .html file, or to a .xlsx workbook"),
        (["-o", "r.xlsx", "--pdf"], "--pdf prints the HTML report"),
    ],
)
def test_a_report_that_cannot_be_written_so_is_refused(args: list[str], words: str, tmp_path: Path) -> None:
    arguments = [arg if not arg.startswith("r.") else str(tmp_path / arg) for arg in args]
    result = CliRunner().invoke(main, ["report", str(scm.example_path()), *arguments])
    assert result.exit_code == 2
    assert words in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_report_shows_the_year_asked_for_and_names_only_its_source_folder(tmp_path: Path) -> None:
    output = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", str(scm.example_path()), "-o", str(output), "--year", "2022"])
    assert result.exit_code == 0, result.output
    text = " ".join(_read(output.read_text(encoding="utf-8")).text)
    assert "Readiness 2022" in text
    assert "Readiness 2024" not in text
    assert "Readiness is shown for 2022, the year asked for." in text
    assert "from solok-selatan." in text
    assert str(scm.example_path().parent) not in text  # no path of the computer it was made on


def test_every_id_in_a_report_is_unique_and_every_reference_finds_its_id(example_html: str) -> None:
    ids = re.findall(r'\bid="([^"]+)"', example_html)
    assert len(ids) == len(set(ids)) > 100
    referenced = {a or b for a, b in re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', example_html)}
    assert referenced <= set(ids)


def test_a_province_report_says_where_its_data_come_from_in_the_language_chosen() -> None:
    study = scm.Recipe.load(SUMBAR / "recipe.yaml").run()
    with use_language("id"):
        html = regions_report(study.result, province=study.province, names=dict(study.names), sources=study.sources)
    text = " ".join(_read(html).text)
    assert "Setiap dimensi di seluruh wilayah" in text
    assert "Asal data setiap indikator." in text
    assert "https://github.com/nabilrn/ranah-observatory" in text


def test_the_english_report_names_initiatives_and_funding_sources_in_english(example_html: str) -> None:
    text = " ".join(_read(example_html).text)
    plan = scm.load(scm.example_path())
    assert plan.initiative("qw-01").name_en in text
    for shown in ("APBD (province)", "KPBU (public-private partnership)", "Other sources"):
        assert shown in text  # the budget table names the funding sources, as its chart does
    assert "apbd_provinsi" not in text


# ------------------------------------------------------------------ in a real browser

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")


def _playwright() -> Any:
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 - the browser test's own tool
    except ImportError:
        pytest.skip("playwright is not installed: pip install -e '.[test]' installs it")
    if BROWSER is None:
        pytest.skip("no headless Chromium to open the report in: apt-get install chromium (Debian's package)")
    return sync_playwright


@pytest.mark.parametrize("which", ["solok-selatan", "sumatera-barat"])
def test_the_report_opens_in_chromium_without_errors_or_requests(
    which: str, example_html: str, sumbar_html: str, hostile_plan: scm.Masterplan, tmp_path: Path
) -> None:
    sync_playwright = _playwright()
    html = example_html if which == "solok-selatan" else sumbar_html
    expected = PLAN_CHARTS if which == "solok-selatan" else REGION_CHARTS
    pages = {which: html, f"{which}-hostile": plan_report(hostile_plan) if which == "solok-selatan" else None}
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=BROWSER, args=list(CHROMIUM_FLAGS))
        try:
            for name, content in pages.items():
                if content is None:
                    continue
                path = tmp_path / f"{name}.html"
                path.write_text(content, encoding="utf-8")
                page = browser.new_page(viewport={"width": 1100, "height": 900})
                problems: list[str] = []
                requests: list[str] = []
                page.on("console", lambda m, problems=problems: problems.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e, problems=problems: problems.append(str(e)))
                page.on("request", lambda r, requests=requests: requests.append(r.url))
                page.goto(path.as_uri())
                page.wait_for_load_state("load")
                assert problems == []
                assert requests == [path.as_uri()]
                charts = page.eval_on_selector_all(
                    "figure.chart",
                    "els => els.map(e => [e.dataset.chart, e.querySelector('svg').getBoundingClientRect().height])",
                )
                assert {chart for chart, _height in charts} == expected
                assert all(height > 100 for _chart, height in charts)
                if name.endswith("hostile"):
                    text = page.inner_text("body")
                    assert all(value in text for value in HOSTILE.values())
                    assert page.eval_on_selector_all("script", "els => els.length") == 0
                shot = ARTEFACTS / f"report-{name}.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 50_000
                page.close()
        finally:
            browser.close()
