"""Data and money rules: indicators without custodian or observations, initiatives without budget."""

from __future__ import annotations

from collections.abc import Iterator

from smartcity_model.checks.context import Context, Raw
from smartcity_model.i18n import _
from smartcity_model.model import FundingSource, InitiativeStatus

__all__ = ["data_rules"]


def data_rules(ctx: Context) -> Iterator[Raw]:
    """Yield indicators lacking a custodian or observations, then initiatives lacking budget detail."""
    plan = ctx.plan
    region = plan.region.id
    observed = {o.indicator for o in plan.observations if o.region in (None, region)}
    for indicator in plan.indicators:
        if indicator.custodian is None:
            yield Raw(
                "indicator-without-custodian", "indicator", indicator.id, _("no OPD is named as producing its data")
            )
        if indicator.id not in observed:
            yield Raw("indicator-without-observations", "indicator", indicator.id, _("it has no observed value yet"))
    for initiative in ctx.initiatives:
        if not initiative.budget and initiative.status is not InitiativeStatus.CANCELLED:
            yield Raw("initiative-without-budget", "initiative", initiative.id, _("it has no budget line"))
        for n, line in enumerate(initiative.budget):
            if line.source is FundingSource.OTHER and line.note is None:
                message = _("budget line {n} ({year}) has source 'other' and no note").format(n=n + 1, year=line.year)
                yield Raw("budget-source-unspecified", "initiative", initiative.id, message)
