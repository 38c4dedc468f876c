"""Budget totals: every rupiah of the plan counted once, by any key, with empty groups shown."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from hypothesis import given, settings

import smartcity_model as scm
from smartcity_model.i18n import use_language
from smartcity_model.testing import masterplans


def _total(plan: scm.Masterplan) -> float:
    return sum(line.amount for initiative in plan.initiatives for line in initiative.budget)


@settings(max_examples=40, deadline=None)
@given(plan=masterplans())
def test_every_single_key_adds_up_to_the_plans_total(plan: scm.Masterplan) -> None:
    total = _total(plan)
    for key in scm.BUDGET_KEYS:
        summary = scm.budget_summary(plan, key)
        assert summary["amount"].sum() == pytest.approx(total, rel=1e-12, abs=1e-6), key
        assert summary[key].is_unique
        if total:
            assert summary["share"].sum() == pytest.approx(1.0)


def test_totals_by_year_and_source_match_a_count_by_hand(example_plan: scm.Masterplan) -> None:
    by_hand: dict[tuple[int, str], float] = defaultdict(float)
    for initiative in example_plan.initiatives:
        for line in initiative.budget:
            by_hand[line.year, line.source.value] += line.amount
    summary = scm.budget_summary(example_plan, ["year", "source"])
    found = {(int(row.year), str(row.source)): float(row.amount) for row in summary.itertuples()}
    assert found == dict(by_hand)  # exact: the same additions of whole rupiah


def test_every_year_of_the_period_and_every_source_is_shown(example_plan: scm.Masterplan) -> None:
    by_year = scm.budget_summary(example_plan, "year")
    assert list(by_year["year"]) == list(example_plan.period.years)
    empty = set(example_plan.period.years) - {
        line.year for initiative in example_plan.initiatives for line in initiative.budget
    }
    assert set(by_year.loc[by_year["amount"] == 0, "year"]) == empty
    assert list(scm.budget_summary(example_plan, "source")["source"]) == [s.value for s in scm.FundingSource]


def test_an_initiative_of_several_dimensions_shares_its_money_or_counts_it_in_full(
    example_plan: scm.Masterplan,
) -> None:
    framework = example_plan.framework
    spread = {
        ini.id: len({framework.dimension_of(element).id for element in ini.elements}) or 1
        for ini in example_plan.initiatives
    }
    assert max(spread.values()) > 1  # the example has initiatives serving several dimensions
    full = scm.budget_summary(example_plan, "dimension", dimensions="full")
    expected = sum(spread[ini.id] * line.amount for ini in example_plan.initiatives for line in ini.budget)
    assert full["amount"].sum() == pytest.approx(expected)
    assert full["share"].sum() > 1
    lines = scm.budget_lines(example_plan)
    per_line = lines.groupby(["initiative", "line"])["amount"].sum()
    original = {(ini.id, n): line.amount for ini in example_plan.initiatives for n, line in enumerate(ini.budget)}
    assert per_line.to_dict() == pytest.approx(original)


def test_money_of_an_initiative_without_elements_is_unassigned(plan_data: dict[str, object]) -> None:
    initiatives = plan_data["initiatives"]
    assert isinstance(initiatives, list)
    initiatives[0]["elements"] = []
    initiatives[0]["budget"] = [{"year": 2026, "amount": 1000, "source": "apbd"}]
    plan = scm.Masterplan.from_dict(plan_data)
    summary = scm.budget_summary(plan, "dimension").set_index("dimension")
    assert summary.loc["unassigned", "amount"] == 1000


def test_the_horizon_of_an_initiative_without_one_comes_from_its_years(example_plan: scm.Masterplan) -> None:
    for initiative in example_plan.initiatives:
        horizon = scm.budget.horizon_of(example_plan, initiative)
        _start, end = example_plan.schedule(initiative)
        assert end <= example_plan.horizons.window(horizon, example_plan.period)[1]
        if initiative.horizon is not None:
            assert horizon is initiative.horizon


@pytest.mark.parametrize(
    ("by", "english", "indonesian"),
    [
        ("yaer", "cannot total the budget by 'yaer' (did you mean 'year'?)", "(maksud Anda 'year'?)"),
        ([], "give at least one key", "berikan paling sedikit satu kunci"),
        (["year", "year"], "each key may be given once", "setiap kunci hanya boleh diberikan sekali"),
    ],
)
def test_a_key_that_does_not_exist_is_refused_in_both_languages(
    example_plan: scm.Masterplan, by: str | list[str], english: str, indonesian: str
) -> None:
    with pytest.raises(scm.BudgetError, match="^" + re.escape(english)):
        scm.budget_summary(example_plan, by)
    with use_language("id"), pytest.raises(scm.BudgetError) as caught:
        scm.budget_summary(example_plan, by)
    assert indonesian in str(caught.value)


def test_a_dimension_rule_that_does_not_exist_is_refused(example_plan: scm.Masterplan) -> None:
    with pytest.raises(scm.BudgetError, match="'split' or 'full'"):
        scm.budget_lines(example_plan, dimensions="half")  # type: ignore[arg-type]
