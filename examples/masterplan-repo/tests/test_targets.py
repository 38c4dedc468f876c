"""The team's own expectations of the plan, beyond the built-in checks."""

from collections.abc import Callable

from smartcity_model import Masterplan
from smartcity_model.testing import assert_consistent, assert_readiness

Loader = Callable[[str], Masterplan]


def test_environment_readiness_is_at_least_the_baseline(load_masterplan: Loader) -> None:
    """Smart Environment scores at least 35 in the baseline year."""
    assert_readiness(load_masterplan("plan"), "environment", at_least=35, year=2023)


def test_every_quick_win_has_a_partner_from_another_sector(load_masterplan: Loader) -> None:
    """No quick win is carried by one sector alone."""
    plan = load_masterplan("plan")
    for initiative in plan.initiatives:
        if initiative.horizon is not None and initiative.horizon.value == "quick_win":
            sectors = {plan.opd(opd_id).sector for opd_id in initiative.partners}
            assert len(sectors) > 1, f"quick win {initiative.id} involves one sector only"


def test_plan_is_consistent_with_strict_settings(load_masterplan: Loader) -> None:
    """Not even an info-level finding."""
    assert_consistent(load_masterplan("plan"), fail_on="info")
