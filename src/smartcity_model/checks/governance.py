"""Society and governance rules: partners beyond government, the council and team, decrees, focal points."""

from __future__ import annotations

from collections.abc import Iterator

from smartcity_model.checks.context import Context, Raw
from smartcity_model.i18n import N_, _
from smartcity_model.model.governance import BodyKind

__all__ = ["governance_rules", "society_rules"]

#: The bodies every smart city sets up, with how a finding names them.
_REQUIRED_BODIES = {
    BodyKind.COUNCIL: N_("no smart city council (Dewan Smart City) is listed"),
    BodyKind.TEAM: N_("no implementation team (Tim Pelaksana) is listed"),
}


def society_rules(ctx: Context) -> Iterator[Raw]:
    """Yield a plan whose initiatives involve no one outside government, then partners that take no part."""
    plan = ctx.plan
    role_of = {stakeholder.id: stakeholder.role for stakeholder in plan.stakeholders}
    involved = {partner for initiative in ctx.initiatives for partner in initiative.stakeholders}
    if ctx.initiatives and not any(role_of[partner].from_society for partner in involved):
        message = _("the {n} initiatives involve no partner from academia, business, the community or the media")
        yield Raw("society-left-out", "plan", None, message.format(n=len(ctx.initiatives)))
    members = {member for body in plan.bodies for member in body.members}
    for stakeholder in plan.stakeholders:
        if stakeholder.id not in involved and stakeholder.id not in members:
            message = _("it takes part in no initiative and no body")
            yield Raw("stakeholder-idle", "stakeholder", stakeholder.id, message)


def governance_rules(ctx: Context) -> Iterator[Raw]:
    """Yield a missing council or team, bodies without decree, and OPDs taking part without a focal point."""
    plan = ctx.plan
    kinds = {body.kind for body in plan.bodies}
    for kind, message in _REQUIRED_BODIES.items():
        if kind not in kinds:
            yield Raw("governance-body-missing", "plan", None, _(message))
    for body in plan.bodies:
        if body.decree is None:
            yield Raw("body-without-decree", "body", body.id, _("no decree sets it up yet"))
    for opd in plan.opds:
        if opd.focal_point is None and ctx.participation.involved(opd.id):
            yield Raw("opd-without-focal-point", "opd", opd.id, _("no one is named to answer for it"))
