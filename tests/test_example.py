"""The bundled Solok Selatan example: complete, real where it says so, illustrative where it says so."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import smartcity_model as scm

SOURCE = Path(__file__).parent / "data" / "sumbar_solok_selatan.csv"


def test_example_is_found_and_loads_cleanly(example_plan: scm.Masterplan) -> None:
    assert example_plan.region.id == "solok-selatan"
    assert (example_plan.region.code, example_plan.region.bps_code) == ("13.11", "1310")
    assert str(example_plan.period) == "2024-2033"


def test_example_has_the_opds_a_regency_plan_needs(example_plan: scm.Masterplan) -> None:
    ids = {opd.id for opd in example_plan.opds}
    assert len(ids) >= 15
    assert {"bappeda", "diskominfo", "dinkes", "rsud", "pdam", "dispar", "dlh"} <= ids
    assert example_plan.opd("pdam").kind is scm.OPDKind.REGIONAL_ENTERPRISE
    assert example_plan.opd("rsud").kind is scm.OPDKind.HOSPITAL


def test_example_covers_every_dimension_and_element(example_plan: scm.Masterplan) -> None:
    elements = {e.id for e in example_plan.framework.elements}
    assert {i.element for i in example_plan.indicators} == elements
    assert {e for i in example_plan.initiatives for e in i.elements} == elements
    assert len(example_plan.indicators) >= 36


def test_example_initiatives_have_partners_prerequisites_and_quick_wins(example_plan: scm.Masterplan) -> None:
    initiatives = example_plan.initiatives
    assert len(initiatives) >= 25
    quick_wins = [i for i in initiatives if i.horizon is scm.Horizon.QUICK_WIN]
    assert len(quick_wins) >= 6
    assert all(i.supporting for i in quick_wins)
    assert sum(1 for i in initiatives if i.depends_on) >= 5
    assert Counter(i.horizon for i in initiatives).keys() == set(scm.Horizon)


def test_example_observations_span_at_least_three_years(example_plan: scm.Masterplan) -> None:
    years_by_indicator = Counter(o.indicator for o in example_plan.observations)
    assert all(years_by_indicator[i.id] >= 2 for i in example_plan.indicators)
    assert len({o.year for o in example_plan.observations}) >= 3


def test_verified_observations_are_the_published_figures(example_plan: scm.Masterplan) -> None:
    with SOURCE.open(encoding="utf-8") as handle:
        published = {(row["indicator"], int(row["year"])): float(row["value"]) for row in csv.DictReader(handle)}
    mapping = {
        "eco-poverty": "poverty_rate",
        "eco-unemployment": "open_unemployment",
        "eco-lfpr": "labor_force_participation",
        "eco-grdp-growth": "grdp_growth_real",
        "soc-internet-access": "internet_access",
        "soc-mean-schooling": "mean_years_schooling",
        "soc-expected-schooling": "expected_years_schooling",
        "liv-life-expectancy": "life_expectancy",
        "gov-spbe": "spbe_index",
        "gov-ombudsman": "public_service_compliance",
    }
    verified = [o for o in example_plan.observations if o.status is scm.ObservationStatus.VERIFIED]
    assert {o.indicator for o in verified} == set(mapping)
    for obs in verified:
        assert published[(mapping[obs.indicator], obs.year)] == obs.value
        assert obs.source is not None
        assert obs.source.startswith("https://")
    expected_count = sum(1 for (name, _year) in published if name in mapping.values())
    assert len(verified) == expected_count


def test_everything_not_verified_is_labelled_illustrative(example_plan: scm.Masterplan) -> None:
    estimated = [o for o in example_plan.observations if o.status is not scm.ObservationStatus.VERIFIED]
    assert estimated
    assert all(o.source == "illustrative" for o in estimated)
    real = {o.indicator for o in example_plan.observations if o.status is scm.ObservationStatus.VERIFIED}
    for indicator in example_plan.indicators:
        if indicator.id not in real:
            assert indicator.source is not None
            assert indicator.source.startswith("Illustrative")
    assert example_plan.document.notes is not None
    assert "Illustrative" in example_plan.document.notes
