"""The domain models: what each accepts, refuses and derives."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

import smartcity_model as scm


class TestRegion:
    def test_codes_given_as_numbers_become_text(self) -> None:
        region = scm.Region.model_validate(
            {"id": "solok-selatan", "name": "Kab. Solok Selatan", "kind": "kabupaten", "bps_code": 1310}
        )
        assert region.bps_code == "1310"

    def test_kemendagri_code_must_be_dotted(self) -> None:
        with pytest.raises(ValidationError, match="code"):
            scm.Region(id="x", name="X", kind=scm.RegionKind.KOTA, code="1311")

    def test_label_falls_back_to_indonesian(self) -> None:
        region = scm.Region(id="x", name="Kota X", kind=scm.RegionKind.KOTA)
        assert region.label("en") == "Kota X"
        assert region.model_copy(update={"name_en": "X City"}).label("en") == "X City"


class TestOPD:
    def test_defaults_to_a_dinas(self) -> None:
        assert scm.OPD(id="dinkes", name="Dinas Kesehatan", sector="health").kind is scm.OPDKind.DINAS

    def test_is_frozen(self) -> None:
        opd = scm.OPD(id="dinkes", name="Dinas Kesehatan", sector="health")
        with pytest.raises(ValidationError, match="frozen"):
            opd.name = "Dinkes"  # type: ignore[misc]  # frozen on purpose

    def test_blank_text_counts_as_absent(self) -> None:
        assert scm.OPD(id="dinkes", name=" Dinas Kesehatan ", sector="health", note="  ").note is None
        assert scm.OPD(id="dinkes", name=" Dinas Kesehatan ", sector="health").name == "Dinas Kesehatan"


class TestFramework:
    def test_builtin_has_six_dimensions_eighteen_elements_three_pillars(self) -> None:
        framework = scm.builtin_framework()
        assert len(framework.dimensions) == 6
        assert all(len(d.elements) == 3 for d in framework.dimensions)
        assert [p.id for p in framework.pillars] == ["structure", "infrastructure", "superstructure"]

    def test_lookups(self) -> None:
        framework = scm.builtin_framework("gm100sc")
        assert framework.element("waste").label("en") == "Waste management"
        assert framework.dimension_of("waste").id == "environment"
        assert framework.dimension("living").name == "Smart Living"
        with pytest.raises(scm.UnknownIdError, match="did you mean 'health'"):
            framework.element("helth")

    def test_ids_must_be_unique_across_dimensions_and_elements(self) -> None:
        data = {
            "id": "f",
            "name": "F",
            "dimensions": [{"id": "a", "name": "A", "elements": [{"id": "a", "name": "A"}]}],
        }
        with pytest.raises(ValidationError, match="duplicate-id"):
            scm.Framework.model_validate(data)

    def test_unknown_builtin_is_refused(self) -> None:
        with pytest.raises(scm.UnknownIdError):
            scm.builtin_framework("iso37122")


def _indicator(**changes: Any) -> scm.Indicator:
    data = {"id": "i", "name": "I", "unit": "percent", "element": "health"} | changes
    return scm.Indicator.model_validate(data)


class TestIndicator:
    def test_targets_are_sorted_by_year(self) -> None:
        assert list(_indicator(targets={2030: 2, 2025: 1}).targets) == [2025, 2030]

    def test_normalisation_by_method_name(self) -> None:
        assert _indicator(normalisation="maturity").normalisation == scm.MaturityLevels(levels=5)

    def test_maturity_levels_bound_the_values(self) -> None:
        bounds = _indicator(normalisation={"method": "maturity", "levels": 4}).value_bounds
        assert (bounds.min, bounds.max) == (1, 4)

    def test_explicit_bounds_win(self) -> None:
        assert _indicator(bounds={"min": 0}, normalisation="maturity").value_bounds == scm.Bounds(min=0)

    def test_thresholds_need_one_score_more_than_breaks(self) -> None:
        with pytest.raises(ValidationError, match="invalid-normalisation"):
            _indicator(normalisation={"method": "thresholds", "breaks": [10, 20], "scores": [0, 100]})

    def test_thresholds_scores_are_0_to_100(self) -> None:
        with pytest.raises(ValidationError, match="less than or equal to 100"):
            _indicator(normalisation={"method": "thresholds", "breaks": [10], "scores": [0, 120]})

    def test_distance_to_target_for_lower_needs_worst(self) -> None:
        with pytest.raises(ValidationError, match="worst"):
            _indicator(direction="lower", normalisation={"method": "target", "target": 5})
        assert _indicator(direction="lower", normalisation={"method": "target", "target": 5, "worst": 20}).normalisation

    def test_distance_to_target_needs_a_target(self) -> None:
        with pytest.raises(ValidationError, match="needs a target"):
            _indicator(normalisation={"method": "target"})
        assert _indicator(normalisation={"method": "target"}, targets={2030: 80}).normalisation

    def test_band_direction_needs_band(self) -> None:
        assert _indicator(direction="band", band={"low": 2, "high": 4}).band == scm.Band(low=2, high=4)
        with pytest.raises(ValidationError, match="low <= high"):
            _indicator(direction="band", band={"low": 4, "high": 2})

    @pytest.mark.parametrize("weight", [0, -1, float("inf"), float("nan")])
    def test_weight_must_be_positive_and_finite(self, weight: float) -> None:
        with pytest.raises(ValidationError):
            _indicator(weight=weight)

    def test_bounds_render_open_ends(self) -> None:
        assert str(scm.Bounds(min=0)) == "[0, inf]"
        assert scm.Bounds(min=0, max=100).contains(100)
        assert not scm.Bounds(max=100).contains(100.5)


class TestInitiative:
    def test_bare_indicator_ids_become_links(self) -> None:
        initiative = scm.Initiative.model_validate(
            {
                "id": "a",
                "name": "A",
                "lead": "x",
                "horizon": "short",
                "indicators": ["i", {"indicator": "j", "expected": {2026: 1}}],
            }
        )
        assert initiative.indicator_ids == ("i", "j")
        assert initiative.indicators[1].expected == {2026: 1}

    def test_partners_and_total_budget(self) -> None:
        initiative = scm.Initiative.model_validate(
            {
                "id": "a",
                "name": "A",
                "lead": "x",
                "supporting": ["y", "z"],
                "start_year": 2024,
                "budget": [
                    {"year": 2024, "amount": 1e8, "source": "apbd"},
                    {"year": 2025, "amount": 5e7, "source": "csr"},
                ],
            }
        )
        assert initiative.partners == ("x", "y", "z")
        assert initiative.total_budget == 1.5e8

    def test_negative_budget_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="greater than or equal to 0"):
            scm.BudgetLine(year=2024, amount=-1, source=scm.FundingSource.APBD)

    def test_start_after_end_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="invalid-period"):
            scm.Initiative(id="a", name="A", lead="x", start_year=2027, end_year=2025)


class TestPeriodAndHorizons:
    def test_period_years_and_membership(self) -> None:
        period = scm.Period(start=2024, end=2026)
        assert list(period.years) == [2024, 2025, 2026]
        assert 2026 in period
        assert 2027 not in period
        assert str(period) == "2024-2026"

    @pytest.mark.parametrize(
        ("horizon", "window"),
        [("quick_win", (2024, 2025)), ("short", (2024, 2026)), ("medium", (2027, 2029)), ("long", (2030, 2033))],
    )
    def test_default_horizon_windows(self, horizon: str, window: tuple[int, int]) -> None:
        assert scm.Horizons().window(scm.Horizon(horizon), scm.Period(start=2024, end=2033)) == window

    def test_windows_stay_inside_a_short_period(self) -> None:
        assert scm.Horizons().window(scm.Horizon.LONG, scm.Period(start=2024, end=2026)) == (2026, 2026)

    def test_horizons_must_be_ordered(self) -> None:
        with pytest.raises(ValidationError, match="quick_win <= short <= medium"):
            scm.Horizons(quick_win=4, short=3)


class TestMasterplan:
    def test_lookups_by_id(self, example_plan: scm.Masterplan) -> None:
        assert example_plan.opd("pdam").name == "PDAM Tirta Saribu Sungai"
        assert example_plan.indicator("gov-spbe").normalisation == scm.Goalposts(min=1, max=5)  # an index, not levels
        assert example_plan.initiative("qw-01").horizon is scm.Horizon.QUICK_WIN

    def test_unknown_id_suggests_the_closest(self, example_plan: scm.Masterplan) -> None:
        with pytest.raises(scm.UnknownIdError, match="did you mean 'diskominfo'") as caught:
            example_plan.opd("dinkominfo")
        assert isinstance(caught.value, KeyError)

    def test_schedule_fills_years_from_horizon(self, plan_data: dict[str, Any]) -> None:
        plan = scm.Masterplan.from_dict(plan_data)
        assert plan.schedule("sh-01") == (2024, 2026)
        assert plan.schedule(plan.initiative("qw-01")) == (2024, 2025)

    def test_defaults(self, plan_data: dict[str, Any]) -> None:
        del plan_data["framework"]
        plan = scm.Masterplan.from_dict(plan_data)
        assert plan.framework == scm.builtin_framework()
        assert plan.document.status is scm.DocumentStatus.DRAFT
        assert plan.format_version == 1

    def test_from_dict_and_model_validate_agree_on_valid_data(self, plan_data: dict[str, Any]) -> None:
        assert scm.Masterplan.from_dict(plan_data) == scm.Masterplan.model_validate(plan_data)

    def test_problem_and_error_render_every_part(self) -> None:
        problem = scm.Problem(
            "dangling-reference", "unknown OPD 'x'", kind="initiative", id="a", field="lead", file="i.yaml", line=3
        )
        assert str(problem) == "i.yaml:3: initiative 'a', field 'lead': unknown OPD 'x' [dangling-reference]"
        error = scm.MasterplanError([problem, problem], "plan/")
        assert str(error).splitlines()[0] == "2 problems in plan/:"
        assert error.to_dict()["problems"][0]["line"] == 3


@pytest.mark.parametrize("field", ["targets", "expected"])
def test_a_year_written_twice_in_two_ways_is_refused(plan_data: dict[str, Any], field: str) -> None:
    owner = plan_data["indicators"][0] if field == "targets" else plan_data["initiatives"][0]["indicators"][0]
    owner[field] = {2026: 90, "2026": 91}
    with pytest.raises(scm.MasterplanError, match=r"year 2026 is given twice \(2026 and '2026'\)"):
        scm.Masterplan.from_dict(plan_data)


@pytest.mark.parametrize(
    ("written", "read"), [("Rp 1.200.000.000", 1.2e9), ("1.250.000,50", 1250000.5), ("Rp 1.250", 1250.0)]
)
def test_an_amount_written_in_rupiah_is_read(plan_data: dict[str, Any], written: str, read: float) -> None:
    plan_data["initiatives"][0]["budget"][0]["amount"] = written
    assert scm.Masterplan.from_dict(plan_data).initiatives[0].budget[0].amount == read


def test_an_ambiguous_amount_shows_both_readings(plan_data: dict[str, Any]) -> None:
    plan_data["initiatives"][0]["budget"][0]["amount"] = "1.250"
    with pytest.raises(scm.MasterplanError, match=r"ambiguous: 1250 with '\.' grouping thousands .* or 1\.25"):
        scm.Masterplan.from_dict(plan_data)


@pytest.mark.parametrize("written", ["Pelayanan publik", "pelayanan-publik", "Public service", "PUBLIC-SERVICE"])
def test_an_element_named_in_either_language_is_read_as_its_id(plan_data: dict[str, Any], written: str) -> None:
    plan_data["indicators"][0]["element"] = written
    plan_data["initiatives"][0]["elements"] = [written]
    for plan in (scm.Masterplan.from_dict(plan_data), scm.Masterplan.model_validate(plan_data)):
        assert plan.indicators[0].element == "public-service"
        assert plan.initiatives[0].elements == ("public-service",)


def test_an_unknown_element_lists_the_frameworks_elements(plan_data: dict[str, Any]) -> None:
    plan_data["indicators"][0]["element"] = "e-gov"
    with pytest.raises(scm.MasterplanError, match=r"unknown element 'e-gov'; the elements are bureaucracy, "):
        scm.Masterplan.from_dict(plan_data)


@pytest.mark.parametrize(
    ("written", "meant"),
    [("smart-mobility", "mobility"), ("Sampah", "waste"), ("helth", "health"), ("Kesehatn", "health")],
)
def test_an_unknown_element_names_the_element_it_likely_means(
    plan_data: dict[str, Any], written: str, meant: str
) -> None:
    plan_data["indicators"][0]["element"] = written
    with pytest.raises(scm.MasterplanError) as caught:
        scm.Masterplan.from_dict(plan_data)
    (problem,) = caught.value.problems
    assert problem.code == "dangling-reference"
    assert f"(did you mean '{meant}'?)" in problem.message


def test_one_bad_field_never_hides_the_other_problems_of_its_object(plan_data: dict[str, Any]) -> None:
    initiative = plan_data["initiatives"][0]
    initiative.update(horizon="quickwin", lead="diskes", depends_on=["sh-99"])
    with pytest.raises(scm.MasterplanError) as caught:
        scm.Masterplan.from_dict(plan_data)
    found = {(p.code, p.field) for p in caught.value.problems}
    assert found == {
        ("invalid-choice", "horizon"),
        ("dangling-reference", "lead"),
        ("dangling-reference", "depends_on.0"),
    }


@pytest.mark.parametrize("twice", ["02025", "2025.0", "2_025", "+2025", " 2025"])
def test_a_year_given_twice_in_any_spelling_is_refused(plan_data: dict[str, Any], twice: object) -> None:
    plan_data["initiatives"][0]["indicators"][0]["expected"] = {2025: 55, twice: 60}
    with pytest.raises(scm.MasterplanError, match="year 2025 is given twice"):
        scm.Masterplan.from_dict(plan_data)


def test_a_population_no_region_has_is_refused(plan_data: dict[str, Any]) -> None:
    plan_data["region"]["population"] = 2**63
    with pytest.raises(scm.MasterplanError) as caught:
        scm.Masterplan.from_dict(plan_data)
    (problem,) = caught.value.problems
    assert (problem.code, problem.field) == ("out-of-range", "region.population")
