"""Dependency and schedule rules: cycles, prerequisites that end too late, quick wins that wait."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from smartcity_model.checks.context import Context, Raw
from smartcity_model.i18n import _
from smartcity_model.model import Horizon

__all__ = ["dependency_rules", "schedule_rules"]

_SLOW = (Horizon.MEDIUM, Horizon.LONG)


def _cycle_in(graph: nx.DiGraph[str], members: set[str], order: dict[str, int]) -> list[str]:
    """Return one cycle through the strongly connected ``members``, rotated to start at the earliest."""
    first = min(members, key=order.__getitem__)
    edges = nx.find_cycle(graph.subgraph(members), source=first)
    cycle = [u for u, _ in edges]
    start = min(range(len(cycle)), key=lambda i: order[cycle[i]])
    return cycle[start:] + cycle[:start]


def _is_tangle(graph: nx.DiGraph[str], component: set[str]) -> bool:
    """Tell whether a strongly connected component holds a cycle (several members, or a self-loop)."""
    if len(component) > 1:
        return True
    (only,) = component
    return bool(graph.has_edge(only, only))


def dependency_rules(ctx: Context) -> Iterator[Raw]:
    """Yield one ``dependency-cycle`` per tangle of initiatives that wait on each other.

    Each strongly connected group of initiatives is reported once, with one cycle through it in
    order (starting at the initiative that comes first in the plan); linear in plan size.
    """
    graph = ctx.dependency_graph
    order = {initiative.id: n for n, initiative in enumerate(ctx.initiatives)}
    tangles = [c for c in nx.strongly_connected_components(graph) if _is_tangle(graph, c)]
    for members in sorted(tangles, key=lambda c: min(order[m] for m in c)):
        cycle = _cycle_in(graph, members, order)
        path = " → ".join([*cycle, cycle[0]])
        extra = len(members) - len(cycle)
        tangle = _(" ({n} more initiatives are caught in the same tangle)").format(n=extra) if extra else ""
        message = f"{path}{tangle}"
        yield Raw("dependency-cycle", "initiative", cycle[0], message, tuple(cycle))


def schedule_rules(ctx: Context) -> Iterator[Raw]:
    """Yield initiatives that start before a prerequisite ends, and quick wins that wait on slow work."""
    for initiative in ctx.initiatives:
        start, _end = ctx.schedule[initiative.id]
        for dep_id in initiative.depends_on:
            if dep_id == initiative.id:
                continue
            _start, dep_end = ctx.schedule[dep_id]
            if start < dep_end:
                message = _("starts in {start}, before its prerequisite {prerequisite} ends in {end}").format(
                    start=start, prerequisite=repr(dep_id), end=dep_end
                )
                yield Raw("starts-before-prerequisite-ends", "initiative", initiative.id, message, (dep_id,))
            dep_horizon = ctx.plan.initiative(dep_id).horizon
            if initiative.horizon is Horizon.QUICK_WIN and dep_horizon in _SLOW:
                assert dep_horizon is not None  # noqa: S101 - narrowed by the membership test
                message = _("is a quick win but depends on {prerequisite}, a {horizon}-term initiative").format(
                    prerequisite=repr(dep_id), horizon=dep_horizon.value
                )
                yield Raw("quick-win-depends-on-long-term", "initiative", initiative.id, message, (dep_id,))
