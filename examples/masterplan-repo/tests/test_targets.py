"""The team's own expectations of the plan, beyond the built-in checks."""

from smartcity_model.testing import assert_consistent, assert_readiness


def test_environment_readiness_is_at_least_the_baseline(load_masterplan):
    plan = load_masterplan("plan")
    assert_readiness(plan, "environment", at_least=35, year=2023)


def test_every_quick_win_is_led_with_a_partner_from_another_sector(load_masterplan):
    plan = load_masterplan("plan")
    for initiative in plan.initiatives:
        if initiative.horizon is not None and initiative.horizon.value == "quick_win":
            sectors = {plan.opd(opd_id).sector for opd_id in initiative.partners}
            assert len(sectors) > 1, f"quick win {initiative.id} involves one sector only"


def test_plan_is_consistent_with_strict_settings(load_masterplan):
    assert_consistent(load_masterplan("plan"), fail_on="info")
