"""Participation and balance rules: OPDs that lead or do nothing, and ICT-heavy plans."""

from __future__ import annotations

from collections.abc import Iterator

from smartcity_model.checks.context import Context, Raw
from smartcity_model.i18n import _
from smartcity_model.model import Horizon

__all__ = ["participation_rules"]


def participation_rules(ctx: Context) -> Iterator[Raw]:
    """Yield OPDs that lead no initiative or take no part, then an ICT-heavy plan."""
    for opd in ctx.plan.opds:
        involved = ctx.opd_initiatives.get(opd.id, [])
        if not involved:
            yield Raw("opd-not-involved", "opd", opd.id, _("it leads and supports no initiative"))
        elif not ctx.led.get(opd.id):
            ids = tuple(i.id for i in involved)
            yield Raw(
                "opd-leads-nothing",
                "opd",
                opd.id,
                _("it proposes no service product; it only supports {n}").format(n=len(ids)),
                ids,
            )
    yield from _ict_heavy(ctx)
    yield from _quick_wins(ctx)


def _ict_heavy(ctx: Context) -> Iterator[Raw]:
    config = ctx.config
    total = len(ctx.initiatives)
    if total < config.thresholds.min_initiatives_for_shares:
        return
    ict, egov = set(config.ict_sectors), set(config.egov_dimensions)
    heavy = [
        i.id
        for i in ctx.initiatives
        if ctx.sector_of[i.lead] in ict or (ctx.dimensions_served[i.id] and ctx.dimensions_served[i.id] <= egov)
    ]
    share = len(heavy) / total
    if share > config.thresholds.max_ict_share:
        message = _(
            "{n} of {total} initiatives ({share:.0%}) are led by an ICT OPD or serve only {dimensions}; "
            "more than {limit:.0%}"
        ).format(
            n=len(heavy),
            total=total,
            share=share,
            dimensions=_(" and ").join(sorted(egov)),
            limit=config.thresholds.max_ict_share,
        )
        yield Raw("ict-heavy-plan", "plan", None, message, tuple(heavy))


def _quick_wins(ctx: Context) -> Iterator[Raw]:
    """Yield each dimension that no quick win serves."""
    served = {
        dimension
        for initiative in ctx.initiatives
        if initiative.horizon is Horizon.QUICK_WIN
        for dimension in ctx.dimensions_served[initiative.id]
    }
    for dimension in ctx.plan.framework.dimensions:
        if dimension.id not in served:
            yield Raw("quick-wins-miss-dimension", "dimension", dimension.id, _("no quick win serves it"))
