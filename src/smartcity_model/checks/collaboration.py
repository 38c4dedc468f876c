"""Collaboration rules: siloed OPDs, a fragmented plan, single-sector dimensions, overloaded OPDs."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from smartcity_model.checks.context import Context, Raw
from smartcity_model.i18n import _
from smartcity_model.model.sectors import SECTORS, closest_sector

__all__ = ["collaboration_rules"]


def _percent(part: int, whole: int) -> str:
    return _("{part} of {whole} initiatives ({share:.0%})").format(part=part, whole=whole, share=part / whole)


def collaboration_rules(ctx: Context) -> Iterator[Raw]:
    """Yield collaboration findings: sectors and silos per OPD, for the plan, per dimension, then overloaded OPDs."""
    yield from _unknown_sectors(ctx)
    yield from _silos(ctx)
    yield from _fragments(ctx)
    yield from _single_sector_dimensions(ctx)
    yield from _overloaded(ctx)


def _unknown_sectors(ctx: Context) -> Iterator[Raw]:
    known = SECTORS.keys() | set(ctx.config.sectors) | set(ctx.config.ict_sectors)
    for opd in ctx.plan.opds:
        if opd.sector not in known:
            meant = closest_sector(opd.sector)
            hint = _(" (did you mean {id}?)").format(id=repr(meant)) if meant else ""
            message = _("sector {sector} is not in the vocabulary").format(sector=repr(opd.sector)) + hint
            message += _("; smartcity framework --sectors lists the vocabulary")
            yield Raw("unknown-sector", "opd", opd.id, message)


def _silos(ctx: Context) -> Iterator[Raw]:
    for opd in ctx.plan.opds:
        initiatives = ctx.opd_initiatives.get(opd.id, [])
        if initiatives and all(ctx.sectors[i.id] == {opd.sector} for i in initiatives):
            ids = tuple(i.id for i in initiatives)
            message = _("all {n} of its initiatives involve only the {sector} sector").format(
                n=len(ids), sector=repr(opd.sector)
            )
            yield Raw("siloed-opd", "opd", opd.id, message, ids)


def _fragments(ctx: Context) -> Iterator[Raw]:
    network: nx.Graph[str] = nx.Graph()
    network.add_nodes_from(initiative.lead for initiative in ctx.initiatives)
    network.add_edges_from((i.lead, other) for i in ctx.initiatives for other in (*i.supporting, *i.stakeholders))
    if network.number_of_nodes() == 0:
        return
    order = {opd.id: n for n, opd in enumerate(ctx.plan.opds)}
    components = ([node for node in g if node in order] for g in nx.connected_components(network))
    groups = sorted(
        (sorted(g, key=order.__getitem__) for g in components if g),
        key=lambda g: (-len(g), order[g[0]]),
    )
    if len(groups) > 1:
        described = "; ".join(", ".join(group) for group in groups[1:])
        message = _(
            "the OPDs form {n} groups that share no initiative and no partner; apart from the main group: {groups}"
        ).format(n=len(groups), groups=described)
        yield Raw("fragmented-plan", "plan", None, message, tuple(opd_id for group in groups[1:] for opd_id in group))


def _single_sector_dimensions(ctx: Context) -> Iterator[Raw]:
    minimum = ctx.config.thresholds.min_sectors_per_dimension
    for dimension_id, initiatives in ctx.dimension_initiatives():
        if not initiatives:
            continue
        found: set[str] = set()
        for initiative in initiatives:
            found |= ctx.sectors[initiative.id]
            if len(found) >= minimum:
                break
        else:
            sectors = sorted(found)
            message = _("its {n} initiatives involve only {count} sector(s): {sectors}").format(
                n=len(initiatives), count=len(sectors), sectors=", ".join(sectors)
            )
            yield Raw("single-sector-dimension", "dimension", dimension_id, message, tuple(sectors))


def _overloaded(ctx: Context) -> Iterator[Raw]:
    thresholds = ctx.config.thresholds
    total = len(ctx.initiatives)
    if total < thresholds.min_initiatives_for_shares:
        return
    for opd in ctx.plan.opds:
        led, involved = ctx.led.get(opd.id, 0), len(ctx.opd_initiatives.get(opd.id, []))
        reasons = []
        if led / total > thresholds.max_lead_share:
            reasons.append(
                _("leads {share}, more than {limit:.0%}").format(
                    share=_percent(led, total), limit=thresholds.max_lead_share
                )
            )
        if involved / total > thresholds.max_participation_share:
            reasons.append(
                _("takes part in {share}, more than {limit:.0%}").format(
                    share=_percent(involved, total), limit=thresholds.max_participation_share
                )
            )
        if reasons:
            yield Raw("overloaded-opd", "opd", opd.id, "; ".join(reasons))
