"""Place and readiness rules: places no initiative reaches, readiness pillars nothing assesses."""

from __future__ import annotations

from collections.abc import Iterator

from smartcity_model.checks.context import Context, Raw, with_ancestors
from smartcity_model.i18n import _

__all__ = ["place_rules", "readiness_rules"]


def place_rules(ctx: Context) -> Iterator[Raw]:
    """Yield the top places (those inside no other) that no initiative names, itself or a place inside it.

    Only a plan that places some of its initiatives is checked; an initiative without places
    serves the whole region, and does not reach any place in particular.
    """
    plan = ctx.plan
    named = {area for initiative in ctx.initiatives for area in initiative.areas}
    if not named:
        return
    reached = with_ancestors(named, {area.id: area.parent for area in plan.areas})
    for area in plan.areas:
        if area.parent is None and area.id not in reached:
            message = _("no initiative is placed in this {kind} or in a place inside it").format(kind=area.kind.value)
            yield Raw("area-unreached", "area", area.id, message)


def readiness_rules(ctx: Context) -> Iterator[Raw]:
    """Yield each readiness pillar that no indicator measures and no answer of the questionnaire assesses."""
    plan = ctx.plan
    measured = {indicator.pillar for indicator in plan.indicators if indicator.pillar is not None}
    pillar_of = {question.id: question.pillar for question in plan.questionnaire.questions}
    answered = {pillar_of[answer.question] for answer in plan.assessment if answer.question in pillar_of}
    for pillar in plan.all_pillars:
        if pillar.id not in measured and pillar.id not in answered:
            message = _("no indicator measures it and no answer of the questionnaire assesses it")
            yield Raw("readiness-unassessed", "pillar", pillar.id, message)
