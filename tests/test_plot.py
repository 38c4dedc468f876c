"""Charts: every function draws what its data say, in the current language, as valid, repeatable SVG and PNG."""

from __future__ import annotations

import importlib
import importlib.util
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from matplotlib.figure import Figure
from matplotlib.text import Text

import smartcity_model as scm
from smartcity_model import plot
from smartcity_model.errors import PlotUnavailableError, SmartCityError
from smartcity_model.i18n import language, use_language
from smartcity_model.testing import masterplans

ROOT = Path(__file__).parents[1]
SUMBAR = ROOT / "examples" / "sumatera-barat"
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(\"x\")</script> & 'Dinas'"


@pytest.fixture(scope="module")
def plan() -> scm.Masterplan:
    return scm.load(scm.example_path())


@pytest.fixture(scope="module")
def result(plan: scm.Masterplan) -> scm.RollUp:
    return scm.roll_up(plan, missing="locf", count_imputed=True)


@pytest.fixture(scope="module")
def province() -> scm.ProvinceReadiness:
    spec = importlib.util.spec_from_file_location("sumbar_roll_up", SUMBAR / "roll_up.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readiness: scm.ProvinceReadiness = module.province_readiness()
    return readiness


@pytest.fixture(scope="module")
def region_names() -> dict[str, str]:
    regions = pd.read_csv(SUMBAR / "regions.csv")
    return dict(zip(regions["id"], regions["name"], strict=True))


@dataclass(frozen=True)
class Inputs:
    """What the charts are drawn from."""

    plan: scm.Masterplan
    result: scm.RollUp
    province: Any


def texts(svg: str) -> list[str]:
    """Every text drawn, as the SVG's reader sees it (the SVG must parse)."""
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def ids(svg: str, prefix: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    return [str(element.get("id")) for element in root.iter() if str(element.get("id", "")).startswith(prefix)]


def rendered(figure: Figure, tmp_path: Path, name: str) -> str:
    """Render to PNG and SVG; check the PNG is an image of the figure's size and return the SVG."""
    png = plot.to_png(figure, tmp_path / f"{name}.png", dpi=50)
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    inches = figure.get_size_inches()  # the picture is cut to what is drawn: about the figure's size
    assert abs(width - inches[0] * 50) <= inches[0] * 50 * 0.25
    assert abs(height - inches[1] * 50) <= inches[1] * 50 * 0.25
    svg = plot.to_svg(figure)
    (tmp_path / f"{name}.svg").write_text(svg, encoding="utf-8")
    texts(svg)
    return svg


# ------------------------------------------------------------------------ every chart, in both languages

CHARTS: dict[str, Callable[[Inputs], Figure]] = {
    "bar": lambda d: plot.bar(d.province, "economy"),
    "dot": lambda d: plot.dot(d.province, highlight="kota-padang"),
    "distribution": lambda d: plot.distribution(d.province, kind="violin"),
    "correlation": lambda d: plot.correlation(d.province, "dimension", year=2024),
    "contributions": lambda d: plot.contributions(d.result, "element"),
    "trend": lambda d: plot.trend(d.result, "governance", plan=d.plan),
    "radar": lambda d: plot.radar(d.result, "solok-selatan"),
    "framework": lambda d: plot.framework(d.plan),
    "tree": lambda d: plot.framework(d.plan, kind="tree"),
    "roadmap": lambda d: plot.roadmap(d.plan),
    "network": lambda d: plot.network(d.plan),
    "budget": lambda d: plot.budget(d.plan),
}
#: Words each chart shows in Bahasa Indonesia, and their English keys.
WORDS: dict[str, tuple[str, str]] = {
    "bar": ("Tingkat kesiapan", "Readiness level"),
    "dot": ("Rata-rata wilayah", "Mean of the regions"),
    "distribution": ("Skor ternormalisasi (0–100)", "Normalised score (0–100)"),
    "correlation": ("Korelasi Pearson", "Pearson correlation"),
    "contributions": ("Sumbangan elemen terhadap skor, 2024", "Contributions of the elements to the scores, 2024"),
    "trend": ("Kabupaten Solok Selatan: lintasan rencana", "Kabupaten Solok Selatan: planned path"),
    "radar": ("kesiapan menurut dimensi", "readiness by dimension"),
    "framework": ("6 dimensi, 18 elemen, 38 indikator", "6 dimensions, 18 elements, 38 indicators"),
    "tree": ("Pelayanan publik", "Public service"),
    "roadmap": ("Jangka menengah", "Medium term"),
    "network": ("Jejaring kolaborasi OPD: 22 OPD", "OPD collaboration network: 22 OPDs"),
    "budget": ("Anggaran (miliar rupiah)", "Budget (billion rupiah)"),
}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_every_chart_speaks_the_language_asked_for_and_renders_the_same_twice(
    name: str, plan: scm.Masterplan, result: scm.RollUp, province: scm.ProvinceReadiness, tmp_path: Path
) -> None:
    indonesian, english = WORDS[name]
    inputs = Inputs(plan, result, province)
    with use_language("id"):
        figure = CHARTS[name](inputs)
    svg = rendered(figure, tmp_path, name)
    shown = "\n".join(texts(svg))
    assert indonesian in shown
    assert english not in shown
    assert plot.to_svg(figure) == svg
    with use_language("id"):
        assert plot.to_svg(CHARTS[name](inputs)) == svg
    english_svg = plot.to_svg(CHARTS[name](inputs))
    assert english in "\n".join(texts(english_svg))
    assert "<?xml" not in svg
    assert "<metadata" not in svg
    assert "<style" not in svg
    assert "DejaVuSans-" not in svg  # no glyph outlines: text is text
    assert re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", svg) is None


def test_numbers_are_written_with_the_decimal_mark_of_the_language(result: scm.RollUp) -> None:
    overall = float(result.scores.query("node == 'overall' and year == 2024")["score"].iloc[0])
    with use_language("id"):
        indonesian = texts(plot.to_svg(plot.bar(result)))
    english = texts(plot.to_svg(plot.bar(result)))
    assert any(text.startswith(f"{overall:.1f}".replace(".", ",")) for text in indonesian)
    assert any(text.startswith(f"{overall:.1f}") for text in english)


# ------------------------------------------------------------------------ what the charts show


def test_a_bar_per_region_sorted_best_first_coloured_by_its_readiness_band(
    province: scm.ProvinceReadiness, region_names: dict[str, str], tmp_path: Path
) -> None:
    figure = plot.bar(province, "economy", labels=region_names)
    svg = rendered(figure, tmp_path, "bar")
    regions = sorted(set(province.regions.units["region"]))
    assert len(ids(svg, "bar-")) == len(regions) == 19
    axes = figure.axes[0]
    bars = [patch for patch in axes.patches if str(patch.get_gid()).startswith("bar-")]
    widths = [patch.get_width() for patch in sorted(bars, key=lambda patch: patch.get_y())]
    assert widths == sorted(widths, reverse=True)
    expected = province.regions.readiness().query("node == 'economy' and year == 2024")
    scale = province.regions.scale  # the legend names bands in the reader's language
    labels = [scale.band(int(level)).label() for level in expected["readiness_level"]]
    band_of = dict(zip(expected["region"].map(region_names), labels, strict=True))
    legend = {str(text.get_text()).split(" (")[0]: handle.get_facecolor() for text, handle in _legend(figure)}
    names = [label.get_text() for label in axes.get_yticklabels()]
    for name, patch in zip(names, sorted(bars, key=lambda patch: patch.get_y()), strict=True):
        assert patch.get_facecolor() == legend[band_of[name]]
    assert "Kota Padang" in texts(svg)


def _legend(figure: Figure) -> list[tuple[Text, Any]]:
    (legend,) = figure.legends
    return list(zip(legend.get_texts(), legend.legend_handles, strict=True))


def test_coverage_below_full_is_written_beside_the_score(result: scm.RollUp) -> None:
    row = result.scores.query("node == 'governance' and year == 2024").iloc[0]
    assert row["coverage"] < 1
    shown = texts(plot.to_svg(plot.bar(result, "governance")))
    assert f"{row['score']:.1f} · coverage {row['coverage']:.0%}" in shown
    full = result.scores.query("node == 'branding' and year == 2024").iloc[0]
    assert full["coverage"] == 1
    assert not any("coverage" in text for text in texts(plot.to_svg(plot.bar(result, "branding"))))


def test_the_dot_plot_draws_every_region_and_highlights_one(
    province: scm.ProvinceReadiness, region_names: dict[str, str]
) -> None:
    figure = plot.dot(province, "dimension", highlight="kota-padang", labels=region_names)
    svg = plot.to_svg(figure)
    scores = province.regions.scores.query("level == 'dimension' and year == 2024")
    axes = figure.axes[0]
    (others,) = [c for c in axes.collections if c.get_gid() == "dots"]
    (marked,) = [c for c in axes.collections if c.get_gid() == "highlight"]
    assert len(others.get_offsets()) == scores.query("region != 'kota-padang'")["score"].notna().sum()
    padang = scores.query("region == 'kota-padang'")["score"].dropna()
    assert sorted(np.asarray(marked.get_offsets())[:, 0]) == pytest.approx(sorted(padang))
    assert ids(svg, "highlight")
    assert "Kota Padang" in texts(svg)
    assert "Other regions" in texts(svg)


def test_regions_outside_the_selection_are_not_drawn(province: scm.ProvinceReadiness) -> None:
    figure = plot.bar(province, "living", regions=["kota-padang", "agam"])
    assert len(ids(plot.to_svg(figure), "bar-")) == 2
    assert {label.get_text() for label in figure.axes[0].get_yticklabels()} == {"kota-padang", "agam"}


def test_contributions_add_up_to_each_score(province: scm.ProvinceReadiness) -> None:
    figure = plot.contributions(province, "dimension", year=2023, regions=["kota-padang", "solok", "agam"])
    axes = figure.axes[0]
    names = [label.get_text() for label in axes.get_yticklabels()]
    totals = dict.fromkeys(names, 0.0)
    for patch in axes.patches:
        if str(patch.get_gid()).startswith("part-"):
            totals[names[round(patch.get_y() + patch.get_height() / 2)]] += patch.get_width()
    expected = province.regions.scores.query("node == 'overall' and year == 2023").set_index("region")["score"]
    for region, total in totals.items():
        assert total == pytest.approx(expected[region])


def test_a_chart_per_parent_and_a_part_per_child(result: scm.RollUp, tmp_path: Path) -> None:
    svg = rendered(plot.contributions(result, "element"), tmp_path, "parts")
    assert len(ids(svg, "part-")) == 18  # one region, 18 elements in 6 dimensions
    assert {f"part-{d}-{e}-0" for d in range(6) for e in range(3)} == set(ids(svg, "part-"))


def test_the_trend_has_a_line_per_region_and_the_plans_path_to_its_last_target(
    plan: scm.Masterplan, result: scm.RollUp, province: scm.ProvinceReadiness
) -> None:
    figure = plot.trend(result, "overall", plan=plan)
    (planned,) = [line for line in figure.axes[0].lines if line.get_gid() == "planned"]
    last_target = max(year for indicator in plan.indicators for year in indicator.targets)
    assert max(planned.get_xdata()) == last_target  # type: ignore[type-var]
    assert planned.get_linestyle() == "--"
    lines = plot.trend(province, "society").axes[0].lines
    assert len([line for line in lines if str(line.get_gid()).startswith("trend-")]) == 19


def test_the_radar_has_a_point_per_scored_dimension(
    province: scm.ProvinceReadiness, region_names: dict[str, str], tmp_path: Path
) -> None:
    figure = plot.radar(province, "kota-padang", year=2024, labels=region_names)
    svg = rendered(figure, tmp_path, "radar")
    scored = province.regions.scores.query("region == 'kota-padang' and year == 2024 and level == 'dimension'")
    (points,) = [c for c in figure.axes[0].collections if c.get_gid() == "radar-points"]
    assert len(points.get_offsets()) == scored["score"].notna().sum() == 4
    shown = "\n".join(texts(svg))
    assert "Smart Branding" in shown
    assert shown.count("no score") == 2  # branding and environment have no data


def test_the_correlation_matrix_writes_one_value_per_pair(province: scm.ProvinceReadiness) -> None:
    figure = plot.correlation(province, "indicator", year=2024, method="spearman")
    axes = figure.axes[0]
    count = len(axes.get_xticklabels())
    values = [float(text.get_text()) for text in axes.texts if text.get_text() not in {"–", ""}]
    assert len(values) == count * (count + 1) // 2
    assert all(-1 <= value <= 1 for value in values)
    assert values.count(1.0) >= count  # the diagonal
    assert "Spearman rank correlation" in texts(plot.to_svg(figure))


def test_distributions_of_a_tidy_table_get_a_panel_per_indicator(tmp_path: Path) -> None:
    raw = pd.read_csv(SUMBAR / "observations.csv")
    chosen = ["poverty_rate", "life_expectancy", "internet_access"]
    for kind in ("box", "violin", "hist"):
        figure = plot.distribution(raw, chosen, kind=kind)
        svg = rendered(figure, tmp_path, f"distribution-{kind}")
        assert len(ids(svg, "panel-")) == 3
        assert [axes.get_title(loc="left") for axes in figure.axes if axes.axison] == chosen
    histogram = plot.distribution(raw, ["poverty_rate"], kind="hist")
    counted = sum(patch.get_height() for patch in histogram.axes[0].patches)
    assert counted == raw.query("indicator == 'poverty_rate'")["value"].notna().sum()


def test_the_framework_has_a_wedge_per_dimension_and_names_every_element(plan: scm.Masterplan) -> None:
    figure = plot.framework(plan.framework)
    svg = plot.to_svg(figure)
    assert len(ids(svg, "dimension-")) == 6
    tree = "\n".join(texts(plot.to_svg(plot.framework(plan, kind="tree"))))
    with use_language("id"):
        pohon = "\n".join(texts(plot.to_svg(plot.framework(plan, kind="tree"))))
    for element in plan.framework.elements:
        assert element.label("en") in tree
        assert element.label("id") in pohon
    for indicator in plan.indicators:
        assert f"({indicator.id})" in tree


def test_the_roadmap_draws_every_initiative_prerequisite_and_quick_win(plan: scm.Masterplan, tmp_path: Path) -> None:
    figure = plot.roadmap(plan)
    svg = rendered(figure, tmp_path, "roadmap")
    assert len(ids(svg, "initiative-")) == len(plan.initiatives)
    assert len(ids(svg, "dependency-")) == sum(len(i.depends_on) for i in plan.initiatives)
    (stars,) = [c for c in figure.axes[0].collections if c.get_gid() == "quick-wins"]
    assert len(stars.get_offsets()) == sum(i.horizon is scm.Horizon.QUICK_WIN for i in plan.initiatives) == 7
    bars = {patch.get_gid(): patch for patch in figure.axes[0].patches if str(patch.get_gid()).startswith("init")}
    names = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    for initiative in plan.initiatives:
        start, end = plan.schedule(initiative)
        label = initiative.label(language())  # the English name in English, where there is one
        (row,) = [n for n, name in enumerate(names) if name == label or label.startswith(name[:-1])]
        patch = bars[f"initiative-{row}"]
        assert (patch.get_x(), patch.get_width()) == (start, end - start + 1)


def test_the_network_sizes_opds_by_participation_and_labels_them_by_acronym(
    plan: scm.Masterplan, tmp_path: Path
) -> None:
    figure = plot.network(plan)
    svg = rendered(figure, tmp_path, "network")
    shown = texts(svg)
    for opd in plan.opds:
        assert (opd.acronym or opd.id) in shown
    (nodes,) = [c for c in figure.axes[0].collections if c.get_gid() == "opds"]
    metrics = scm.opd_metrics(plan)
    sizes = dict(zip([opd.id for opd in plan.opds], nodes.get_sizes(), strict=True))
    busiest, idlest = metrics["initiatives"].idxmax(), metrics["initiatives"].idxmin()
    assert sizes[busiest] > sizes[idlest]
    (partners,) = [c for c in figure.axes[0].collections if c.get_gid() == "partners"]
    taking_part = {p for i in plan.initiatives for p in i.stakeholders}
    assert len(partners.get_offsets()) == len(taking_part)
    assert "Unand" in shown  # a partner, by its acronym
    assert plot.to_svg(plot.network(plan)) == svg
    assert plot.to_svg(plot.network(plan, seed=8)) != svg


def test_the_budget_bars_add_up_to_the_plans_total(plan: scm.Masterplan) -> None:
    total = sum(line.amount for initiative in plan.initiatives for line in initiative.budget)
    for by, stack in (("year", "source"), ("opd", "horizon"), ("dimension", None), ("source", "status")):
        figure = plot.budget(plan, by=by, stack=stack)
        parts = [patch for patch in figure.axes[0].patches if str(patch.get_gid()).startswith("budget-")]
        drawn = sum(patch.get_width() if by in {"opd", "dimension"} else patch.get_height() for patch in parts)
        assert drawn * 1e9 == pytest.approx(total)


# ------------------------------------------------------------------------ names as written, SVG that parses


def _hostile_plan(plan: scm.Masterplan) -> scm.Masterplan:
    data = plan.model_dump(mode="json", exclude_defaults=True)
    data["opds"][0]["acronym"] = HOSTILE
    data["initiatives"][0]["name"] = data["initiatives"][0]["name_en"] = HOSTILE  # shown in either language
    data["region"]["name"] = HOSTILE
    return scm.Masterplan.model_validate(data)


def test_names_with_markup_quotes_and_ampersands_are_shown_as_text(
    plan: scm.Masterplan, province: scm.ProvinceReadiness, tmp_path: Path
) -> None:
    hostile = _hostile_plan(plan)
    result = scm.roll_up(hostile, missing="locf")
    names = {"kota-padang": HOSTILE, "economy": "Ekonomi & <b>pasar</b>"}
    figures = {
        "roadmap": plot.roadmap(hostile),
        "network": plot.network(hostile),
        "budget": plot.budget(hostile, by="initiative"),
        "bar": plot.bar(province, "economy", labels=names),
        "dot": plot.dot(province, highlight="kota-padang", labels=names),
        "trend": plot.trend(result, "overall", plan=hostile),
        "radar": plot.radar(result, hostile.region.id, labels=hostile),
    }
    for name, figure in figures.items():
        svg = rendered(figure, tmp_path, f"hostile-{name}")
        assert "<script" not in svg, name
        assert "&lt;script&gt;" in svg, name
        assert any(HOSTILE in text for text in texts(svg)), name


def test_a_dollar_sign_is_a_dollar_sign_and_control_characters_do_not_break_the_svg(
    province: scm.ProvinceReadiness,
) -> None:
    names = {"kota-padang": "Kota $x^2$ Padang", "agam": "Agam\x00\x07\u2028baru\x1b"}
    shown = texts(plot.to_svg(plot.bar(province, "economy", regions=["kota-padang", "agam"], labels=names)))
    assert "Kota $x^2$ Padang" in shown
    assert "Agam baru" in shown


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated=masterplans(initiatives=(1, 10)))
def test_any_valid_plan_gives_a_roadmap_network_budget_and_framework_that_parse(generated: scm.Masterplan) -> None:
    roadmap = plot.to_svg(plot.roadmap(generated))
    assert len(ids(roadmap, "initiative-")) == len(generated.initiatives)
    assert len(ids(roadmap, "dependency-")) == sum(len(i.depends_on) for i in generated.initiatives)
    network = plot.to_svg(plot.network(generated))
    assert len(ids(network, "opd-")) == len(generated.opds)
    texts(plot.to_svg(plot.budget(generated, by="dimension", stack="source")))
    texts(plot.to_svg(plot.framework(generated, kind="sunburst")))
    texts(plot.to_svg(plot.framework(generated, kind="tree")))


# ------------------------------------------------------------------------ wrong arguments


@pytest.mark.parametrize(
    ("draw", "message"),
    [
        (lambda d: plot.bar(d.result, "goverance"), "unknown node 'goverance' (did you mean 'governance'?)"),
        (lambda d: plot.dot(d.result, "dimensoin"), "unknown level 'dimensoin' (did you mean 'dimension'?)"),
        (lambda d: plot.dot(d.result, highlight="solok-selatn"), "(did you mean 'solok-selatan'?)"),
        (lambda d: plot.bar(d.result, year=2025), "no scores for the year 2025 (the closest is 2024)"),
        (lambda d: plot.bar(d.result, year="2024"), "no scores for the year '2024'"),
        (lambda d: plot.radar(d.result, "solok"), "unknown region 'solok'"),
        (lambda d: plot.distribution(d.result, kind="boxx"), "unknown kind 'boxx' (did you mean 'box'?)"),
        (lambda d: plot.distribution(d.result, ["gov-spbee"]), "(did you mean 'gov-spbe'?)"),
        (lambda d: plot.correlation(d.result, method="pearsn"), "unknown method 'pearsn' (did you mean 'pearson'?)"),
        (lambda d: plot.correlation(d.result, "overall"), "choose one of indicator, element, dimension"),
        (lambda d: plot.contributions(d.result, "overall"), "unknown level 'overall'"),
        (lambda d: plot.framework(d.plan, kind="sunbirst"), "(did you mean 'sunburst'?)"),
        (lambda d: plot.budget(d.plan, by="yaer"), "unknown budget key 'yaer' (did you mean 'year'?)"),
        (lambda d: plot.budget(d.plan, by="year", stack="year"), "stack must differ from by"),
        (lambda d: plot.trend(d.result, "overall", plan=d.result), "plan must be a Masterplan, not RollUp"),
        (lambda d: plot.bar(d.plan), "charts of scores need the result of roll_up or roll_up_province"),
        (lambda d: plot.bar(d.result, regions=[]), "regions is empty"),
        (lambda d: plot.bar(d.result, labels=["a"]), "labels must map ids to names"),
        (lambda d: plot.to_png(plot.bar(d.result), "x.png", dpi=0), "dpi must be a number from 10 to 1200"),
        (lambda d: plot.to_svg(d.plan), "a matplotlib Figure is needed, not Masterplan"),
    ],
)
def test_wrong_arguments_are_refused_with_the_closest_valid_value(
    draw: Callable[[Inputs], object], message: str, result: scm.RollUp, plan: scm.Masterplan
) -> None:
    with pytest.raises(plot.PlotError) as raised:
        draw(Inputs(plan, result, None))
    assert message in str(raised.value)
    assert isinstance(raised.value, SmartCityError)
    assert isinstance(raised.value, ValueError)


def test_errors_are_worded_in_the_language_asked_for(result: scm.RollUp) -> None:
    with use_language("id"), pytest.raises(plot.PlotError, match=r"simpul 'goverance' tidak dikenal \(maksud Anda"):
        plot.bar(result, "goverance")


def test_a_table_without_the_columns_or_with_text_values_is_refused() -> None:
    with pytest.raises(plot.PlotError, match="missing: value; the columns are indicator, amount"):
        plot.distribution(pd.DataFrame({"indicator": ["a"], "amount": [1.0]}))
    with pytest.raises(plot.PlotError, match="values must be numbers; '79,5' in row 1 is not"):
        plot.distribution(pd.DataFrame({"indicator": ["a", "a"], "value": [1.0, "79,5"]}))


def test_too_few_scores_to_correlate_is_an_error_not_an_empty_chart(result: scm.RollUp) -> None:
    with pytest.raises(plot.PlotError, match="too few dimensions have three or more scores that differ"):
        plot.correlation(result, "dimension", year=2024)  # one region: one score per dimension


# ------------------------------------------------------------------------ the extra and the object API


def test_without_matplotlib_the_module_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [
        name for name in sys.modules if name == "smartcity_model.plot" or name.startswith("smartcity_model.plot.")
    ]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(PlotUnavailableError, match=re.escape('pip install "smartcity-model[plot]"')) as raised:
        importlib.import_module("smartcity_model.plot")
    assert isinstance(raised.value, ImportError)
    assert isinstance(raised.value, SmartCityError)


def test_charts_use_no_pyplot_and_open_no_window(tmp_path: Path) -> None:
    code = (
        "import sys, smartcity_model as scm\n"
        "from smartcity_model import plot\n"
        "plan = scm.load(scm.example_path())\n"
        "result = scm.roll_up(plan, missing='locf')\n"
        "charts = (plot.bar(result), plot.roadmap(plan), plot.network(plan), plot.radar(result, 'solok-selatan'))\n"
        "for figure in charts:\n"
        f"    plot.to_png(figure, {str(tmp_path / 'x.png')!r}); plot.to_svg(figure)\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr


def test_the_style_is_left_as_it_was(result: scm.RollUp) -> None:
    import matplotlib as mpl  # noqa: PLC0415 - the global settings under test

    before = dict(mpl.rcParams)
    plot.to_svg(plot.bar(result))
    assert dict(mpl.rcParams) == before


def test_rank_intervals_draw_one_row_per_region_with_its_interval_median_and_nominal_rank(
    region_names: dict[str, str],
) -> None:
    study = scm.Recipe.load(SUMBAR / "recipe.yaml").run()
    result = scm.uncertainty(study, n=100, seed=3, weights=0.25, normalisation=["zscore"])
    figure = plot.rank_intervals(result, "society", year=2024, labels=region_names)
    axes = figure.axes[0]
    ranking = result.ranking("society", 2024)
    labels = [tick.get_text() for tick in axes.get_yticklabels()]
    assert labels == [region_names[region] for region in ranking["region"]]
    segments = axes.collections[0].get_segments()
    assert [tuple(segment[:, 0]) for segment in segments] == list(
        zip(ranking["rank_p05"], ranking["rank_p95"], strict=True)
    )
    median, nominal = axes.lines[:2]
    np.testing.assert_array_equal(median.get_xdata(), ranking["rank_median"])
    np.testing.assert_array_equal(nominal.get_xdata(), ranking["rank"])
    svg = plot.to_svg(figure)
    assert "Smart Society: rank under uncertainty, 2024" in svg
    with use_language("id"):
        assert "peringkat di bawah ketidakpastian" in plot.to_svg(plot.rank_intervals(result, "society"))
    with pytest.raises(plot.PlotError, match=r"node 'sociey' \(did you mean 'society'\?\)"):
        plot.rank_intervals(result, "sociey")
    with pytest.raises(plot.PlotError, match="must be an UncertaintyResult, not RollUp"):
        plot.rank_intervals(study.result)  # type: ignore[arg-type]


def test_rank_intervals_default_to_the_top_level_analysed() -> None:
    study = scm.Recipe.load(SUMBAR / "recipe.yaml").run()
    result = scm.uncertainty(study, n=20, seed=1, weights=0.2, levels=["element"])
    node, year = result.focus()
    assert node == study.structure.level_nodes("element")[0]
    svg = plot.to_svg(plot.rank_intervals(result))
    assert f"rank under uncertainty, {year}" in svg
