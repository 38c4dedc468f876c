"""Who works with whom: the collaboration network, the sector matrix and per-OPD metrics.

Two OPDs collaborate on an initiative when both take part in it, as lead or as supporting OPD;
a partner beyond government (a university, a bank, a community: the pentahelix) collaborates
with the OPDs of the initiatives that name it among their ``stakeholders``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations

import networkx as nx
import pandas as pd

from smartcity_model.model import Initiative, Masterplan

__all__ = [
    "OPD_METRIC_COLUMNS",
    "Participation",
    "collaboration_network",
    "opd_metrics",
    "participation",
    "sector_matrix",
]

#: Columns of :func:`opd_metrics`, in order.
OPD_METRIC_COLUMNS: tuple[str, ...] = (
    "sector",
    "led",
    "supported",
    "initiatives",
    "share",
    "partners",
    "partner_sectors",
    "society_partners",
    "betweenness",
)


@dataclass(frozen=True)
class Participation:
    """Who takes part in what: the one place the plan's collaboration is counted."""

    led: Mapping[str, int]
    """Initiatives each OPD leads."""
    supported: Mapping[str, int]
    """Initiatives each OPD supports."""
    initiatives: Mapping[str, list[Initiative]]
    """The initiatives each OPD takes part in (leading or supporting), in plan order."""

    def involved(self, opd_id: str) -> int:
        """Return how many initiatives an OPD takes part in."""
        return len(self.initiatives.get(opd_id, ()))


def participation(plan: Masterplan) -> Participation:
    """Count, in one pass, the initiatives each OPD leads, supports and takes part in.

    Examples
    --------
    >>> import smartcity_model as scm
    >>> counts = participation(scm.load(scm.example_path()))
    >>> counts.led["diskominfo"], counts.supported["diskominfo"], counts.involved("diskominfo")
    (5, 14, 19)
    """
    led: Counter[str] = Counter()
    supported: Counter[str] = Counter()
    taking_part: dict[str, list[Initiative]] = defaultdict(list)
    for initiative in plan.initiatives:
        led[initiative.lead] += 1
        supported.update(initiative.supporting)
        for opd_id in initiative.partners:
            taking_part[opd_id].append(initiative)
    return Participation(led, supported, dict(taking_part))


def collaboration_network(plan: Masterplan, *, partners: bool = True) -> nx.Graph[str]:
    """Return the graph of OPDs, and of the partners beyond government, linked by the initiatives they share.

    Every OPD of the plan is a node (``kind`` ``opd``, ``sector``, ``label``, ``led``,
    ``supported``); with ``partners`` (the default), so is every partner that takes part in an
    initiative (``kind`` ``stakeholder``, ``role``, ``label``). An edge's ``weight`` is the number
    of initiatives the two share, and ``initiatives`` lists them.

    Examples
    --------
    >>> import smartcity_model as scm
    >>> C = scm.collaboration_network(scm.load(scm.example_path()))
    >>> C["rsud"]["dinkes"]["initiatives"]
    ['qw-05', 'md-01']
    >>> C.nodes["unand"]["kind"], C.nodes["unand"]["role"]
    ('stakeholder', 'academia')
    """
    graph: nx.Graph[str] = nx.Graph(region=plan.region.id)
    counts = participation(plan)
    for opd in plan.opds:
        graph.add_node(
            opd.id,
            kind="opd",
            sector=opd.sector,
            label=opd.name,
            led=counts.led.get(opd.id, 0),
            supported=counts.supported.get(opd.id, 0),
        )
    taking_part = {partner for initiative in plan.initiatives for partner in initiative.stakeholders}
    if partners:
        for stakeholder in plan.stakeholders:
            if stakeholder.id in taking_part:
                graph.add_node(stakeholder.id, kind="stakeholder", role=stakeholder.role.value, label=stakeholder.name)
    for initiative in plan.initiatives:
        members = [*initiative.partners, *(initiative.stakeholders if partners else ())]
        for a, b in combinations(members, 2):
            if graph.has_edge(a, b):
                graph[a][b]["weight"] += 1
                graph[a][b]["initiatives"].append(initiative.id)
            else:
                graph.add_edge(a, b, weight=1, initiatives=[initiative.id])
    return graph


def sector_matrix(plan: Masterplan) -> pd.DataFrame:
    """Return a sector-by-sector table of how many initiatives involve both sectors.

    The diagonal counts the initiatives that involve a sector at all. Rows and columns list every
    sector of the plan's OPDs, sorted.

    Examples
    --------
    >>> import smartcity_model as scm
    >>> m = scm.sector_matrix(scm.load(scm.example_path()))
    >>> int(m.loc["health", "ict"]), int(m.loc["water", "water"])
    (3, 1)
    """
    sector_of = {opd.id: opd.sector for opd in plan.opds}
    sectors = sorted(set(sector_of.values()))
    counts: Counter[tuple[str, str]] = Counter()
    for initiative in plan.initiatives:
        involved = sorted({sector_of[opd_id] for opd_id in initiative.partners})
        counts.update((s, s) for s in involved)
        for a, b in combinations(involved, 2):
            counts[(a, b)] += 1
            counts[(b, a)] += 1
    matrix = pd.DataFrame(
        0, index=pd.Index(sectors, name="sector"), columns=pd.Index(sectors, name="sector"), dtype="int64"
    )
    for (a, b), n in counts.items():
        matrix.loc[a, b] = n
    return matrix


def opd_metrics(plan: Masterplan, network: nx.Graph[str] | None = None) -> pd.DataFrame:
    """Return one row per OPD: initiatives led and supported, partners, betweenness, share of the plan.

    ``share`` is the fraction of the plan's initiatives the OPD takes part in; ``partners`` and
    ``partner_sectors`` count distinct other OPDs and other sectors it works with,
    ``society_partners`` the partners beyond government; ``betweenness`` is its normalised
    betweenness centrality in the collaboration network, partners included (unweighted).

    Examples
    --------
    >>> import smartcity_model as scm
    >>> m = scm.opd_metrics(scm.load(scm.example_path()))
    >>> m.loc["diskominfo", ["led", "supported"]].tolist()
    [5, 14]
    """
    graph = collaboration_network(plan) if network is None else network
    betweenness = nx.betweenness_centrality(graph) if graph.number_of_nodes() > 2 else dict.fromkeys(graph, 0.0)  # noqa: PLR2004 - needs a path of three
    total = len(plan.initiatives)
    rows = []
    for opd in plan.opds:
        data = graph.nodes[opd.id]
        neighbours = set(graph[opd.id])
        partners = {node for node in neighbours if graph.nodes[node].get("kind", "opd") == "opd"}
        involved = data["led"] + data["supported"]
        rows.append(
            {
                "opd": opd.id,
                "sector": opd.sector,
                "led": data["led"],
                "supported": data["supported"],
                "initiatives": involved,
                "share": involved / total if total else 0.0,
                "partners": len(partners),
                "partner_sectors": len({graph.nodes[p]["sector"] for p in partners} - {opd.sector}),
                "society_partners": len(neighbours - partners),
                "betweenness": betweenness[opd.id],
            }
        )
    frame = pd.DataFrame(rows, columns=["opd", *OPD_METRIC_COLUMNS])
    return frame.set_index("opd")
