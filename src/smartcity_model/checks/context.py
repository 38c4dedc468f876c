"""What every rule needs to know about a plan, computed once in linear time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from smartcity_model.checks.config import CheckConfig
from smartcity_model.graph.collaboration import Participation, participation
from smartcity_model.model import Initiative, Masterplan

__all__ = ["Context", "Raw", "with_ancestors"]


def with_ancestors(ids: Iterable[str], parent: Mapping[str, str | None]) -> set[str]:
    """Return ``ids`` with every id above them through ``parent`` (a target's goal and mission, a desa's kecamatan).

    >>> sorted(with_ancestors(["s1"], {"s1": "t1", "t1": "m1", "m1": None, "s2": "t1"}))
    ['m1', 's1', 't1']
    """
    found: set[str] = set()
    for start in ids:
        current: str | None = start
        while current is not None and current not in found:
            found.add(current)
            current = parent.get(current)
    return found


@dataclass(frozen=True, slots=True)
class Raw:
    """A finding before configuration: code, subject, message and related ids."""

    code: str
    subject_kind: str
    subject_id: str | None
    message: str
    related: tuple[str, ...] = ()


@dataclass
class Context:
    """Indexes of a plan shared by the rules."""

    plan: Masterplan
    config: CheckConfig
    sector_of: dict[str, str] = field(init=False)
    dimension_of: dict[str, str] = field(init=False)
    schedule: dict[str, tuple[int, int]] = field(init=False)

    def __post_init__(self) -> None:
        """Build the look-up tables."""
        plan = self.plan
        self.sector_of = {opd.id: opd.sector for opd in plan.opds}
        self.dimension_of = {e.id: d.id for d in plan.framework.dimensions for e in d.elements}
        self.schedule = {i.id: plan.schedule(i) for i in plan.initiatives}

    @property
    def initiatives(self) -> tuple[Initiative, ...]:
        """The plan's initiatives."""
        return self.plan.initiatives

    @cached_property
    def elements_served(self) -> dict[str, frozenset[str]]:
        """Elements each initiative serves: those it names and those of the indicators it moves."""
        element_of = {i.id: i.element for i in self.plan.indicators}
        return {i.id: frozenset(i.elements) | {element_of[x] for x in i.indicator_ids} for i in self.initiatives}

    @cached_property
    def dimensions_served(self) -> dict[str, frozenset[str]]:
        """Dimensions each initiative serves."""
        return {
            key: frozenset(self.dimension_of[e] for e in elements) for key, elements in self.elements_served.items()
        }

    @cached_property
    def participation(self) -> Participation:
        """Initiatives each OPD leads, supports and takes part in (counted as the network counts them)."""
        return participation(self.plan)

    @property
    def opd_initiatives(self) -> Mapping[str, list[Initiative]]:
        """Initiatives each OPD takes part in (as lead or supporting OPD), in plan order."""
        return self.participation.initiatives

    @property
    def led(self) -> Mapping[str, int]:
        """Number of initiatives each OPD leads."""
        return self.participation.led

    @cached_property
    def dependency_graph(self) -> nx.DiGraph[str]:
        """Initiatives as nodes, an edge from each initiative to each of its prerequisites."""
        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(i.id for i in self.initiatives)
        graph.add_edges_from((i.id, dep) for i in self.initiatives for dep in i.depends_on)
        return graph

    @cached_property
    def sectors(self) -> dict[str, frozenset[str]]:
        """Sectors taking part in each initiative: its OPDs', and the pentahelix role of each partner from society."""
        sector_of = self.sector_of
        role_of = {p.id: p.role.value for p in self.plan.stakeholders if p.role.from_society}
        return {
            i.id: frozenset(sector_of[opd_id] for opd_id in i.partners)
            | {role_of[partner] for partner in i.stakeholders if partner in role_of}
            for i in self.initiatives
        }

    def dimension_initiatives(self) -> Iterator[tuple[str, list[Initiative]]]:
        """Yield each dimension with the initiatives serving it, in framework order."""
        serving: dict[str, list[Initiative]] = defaultdict(list)
        for initiative in self.initiatives:
            for dimension_id in self.dimensions_served[initiative.id]:
                serving[dimension_id].append(initiative)
        for dimension in self.plan.framework.dimensions:
            yield dimension.id, serving[dimension.id]
