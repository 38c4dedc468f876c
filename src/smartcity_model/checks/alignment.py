"""Alignment rules: initiatives tied to the RPJMD and Renstra, goals the plan serves, budget codes."""

from __future__ import annotations

from collections.abc import Iterator

from smartcity_model.checks.context import Context, Raw, with_ancestors
from smartcity_model.i18n import _, n_
from smartcity_model.model.alignment import Goal, PlanningDocument

__all__ = ["alignment_rules", "served_goals"]


def served_goals(goals: tuple[Goal, ...], direct: set[str]) -> set[str]:
    """Return the goals served: those named directly, every statement above them, and what a served Renstra serves."""
    return with_ancestors(direct, {goal.id: goal.parent for goal in goals})


def alignment_rules(ctx: Context) -> Iterator[Raw]:
    """Yield a plan without RPJMD goals, initiatives aligned to nothing, goals served by nothing, uncoded budget."""
    plan = ctx.plan
    rpjmd = [goal for goal in plan.goals if goal.document is PlanningDocument.RPJMD]
    if not rpjmd:
        yield Raw("no-rpjmd-alignment", "plan", None, _("no mission, goal or target of the RPJMD is listed"))
    else:
        for initiative in ctx.initiatives:
            if not initiative.goals:
                yield Raw("initiative-unaligned", "initiative", initiative.id, _("it names no goal it serves"))
        direct = {goal for initiative in ctx.initiatives for goal in initiative.goals}
        served = served_goals(plan.goals, direct)
        has_children = {goal.parent for goal in plan.goals if goal.parent is not None}
        for goal in rpjmd:
            if goal.id not in served and goal.id not in has_children:  # its children, if any, are named instead
                message = _("no initiative serves this {level}: {name}").format(level=goal.level.value, name=goal.name)
                yield Raw("goal-unserved", "goal", goal.id, message)
    lines = [line for initiative in ctx.initiatives for line in initiative.budget]
    uncoded = sum(1 for line in lines if line.code is None)
    if uncoded:
        message = n_(
            "{n} of {total} budget line carries no nomenclature code",
            "{n} of {total} budget lines carry no nomenclature code",
            uncoded,
        ).format(n=uncoded, total=len(lines))
        yield Raw("budget-without-code", "plan", None, message)
