"""The dependency graph of a masterplan: OPDs, initiatives, indicators, elements and dimensions.

Node schema (every node has ``kind``, ``id`` and ``label``; the node key is ``"<kind>:<id>"``):

=============  ==============================================================================
kind           further attributes
=============  ==============================================================================
``opd``        ``sector``, ``opd_kind``, ``acronym``
``initiative`` ``lead``, ``horizon``, ``start_year``, ``end_year`` (effective years, filled from
               the horizon), ``status``, ``budget`` (total rupiah)
``indicator``  ``element``, ``dimension``, ``unit``, ``direction``, ``weight``
``element``    ``dimension``, ``weight``
``dimension``  ``weight``
=============  ==============================================================================

Edge schema (the edge key and its ``kind`` attribute are the same):

================  =========================  ==================================================
kind              from → to                  further attributes
================  =========================  ==================================================
``leads``         opd → initiative
``supports``      opd → initiative
``depends_on``    initiative → prerequisite
``moves``         initiative → indicator     ``expected``: {year: value}, possibly empty
``serves``        initiative → element
``measures``      indicator → element
``part_of``       element → dimension
``custodian_of``  opd → indicator
================  =========================  ==================================================
"""

from __future__ import annotations

from typing import Any, Literal

import networkx as nx

from smartcity_model.model import Masterplan

__all__ = ["EDGE_KINDS", "NODE_KINDS", "EdgeKind", "NodeKind", "build_graph", "node_key"]

NodeKind = Literal["opd", "initiative", "indicator", "element", "dimension"]
EdgeKind = Literal["leads", "supports", "depends_on", "moves", "serves", "measures", "part_of", "custodian_of"]
#: Node kinds, in the order they are added.
NODE_KINDS: tuple[NodeKind, ...] = ("opd", "initiative", "indicator", "element", "dimension")
#: Edge kinds, in the order they are added.
EDGE_KINDS: tuple[EdgeKind, ...] = (
    "leads",
    "supports",
    "depends_on",
    "moves",
    "serves",
    "measures",
    "part_of",
    "custodian_of",
)


def node_key(kind: NodeKind, object_id: str) -> str:
    """Return the graph key of an object, e.g. ``node_key("opd", "dinkes") == "opd:dinkes"``."""
    return f"{kind}:{object_id}"


def _add_edge(graph: nx.MultiDiGraph[str], kind: EdgeKind, source: str, target: str, **attrs: Any) -> None:
    graph.add_edge(source, target, key=kind, kind=kind, **attrs)


def build_graph(plan: Masterplan) -> nx.MultiDiGraph[str]:
    """Return the typed dependency graph of ``plan`` (see the module docstring for the schema).

    Examples
    --------
    >>> import smartcity_model as scm
    >>> G = scm.build_graph(scm.load(scm.example_path()))
    >>> G.nodes["opd:diskominfo"]["sector"]
    'ict'
    >>> sorted(k for _, _, k in G.out_edges("initiative:md-07", keys=True))
    ['depends_on', 'moves', 'moves', 'serves']
    """
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(
        region=plan.region.id, period=str(plan.period), framework=plan.framework.id
    )
    _add_framework(graph, plan)
    for opd in plan.opds:
        graph.add_node(
            node_key("opd", opd.id),
            kind="opd",
            id=opd.id,
            label=opd.name,
            sector=opd.sector,
            opd_kind=opd.kind.value,
            acronym=opd.acronym,
        )
    _add_indicators(graph, plan)
    _add_initiatives(graph, plan)
    return graph


def _add_framework(graph: nx.MultiDiGraph[str], plan: Masterplan) -> None:
    for dimension in plan.framework.dimensions:
        dimension_key = node_key("dimension", dimension.id)
        graph.add_node(dimension_key, kind="dimension", id=dimension.id, label=dimension.name, weight=dimension.weight)
        for element in dimension.elements:
            key = node_key("element", element.id)
            graph.add_node(
                key, kind="element", id=element.id, label=element.name, dimension=dimension.id, weight=element.weight
            )
            _add_edge(graph, "part_of", key, dimension_key)


def _add_indicators(graph: nx.MultiDiGraph[str], plan: Masterplan) -> None:
    for indicator in plan.indicators:
        key = node_key("indicator", indicator.id)
        graph.add_node(
            key,
            kind="indicator",
            id=indicator.id,
            label=indicator.name,
            element=indicator.element,
            dimension=plan.framework.dimension_of(indicator.element).id,
            unit=indicator.unit,
            direction=indicator.direction.value,
            weight=indicator.weight,
        )
        _add_edge(graph, "measures", key, node_key("element", indicator.element))
        if indicator.custodian is not None:
            _add_edge(graph, "custodian_of", node_key("opd", indicator.custodian), key)


def _add_initiatives(graph: nx.MultiDiGraph[str], plan: Masterplan) -> None:
    for initiative in plan.initiatives:
        key = node_key("initiative", initiative.id)
        start, end = plan.schedule(initiative)
        graph.add_node(
            key,
            kind="initiative",
            id=initiative.id,
            label=initiative.name,
            lead=initiative.lead,
            horizon=None if initiative.horizon is None else initiative.horizon.value,
            start_year=start,
            end_year=end,
            status=initiative.status.value,
            budget=initiative.total_budget,
        )
        _add_edge(graph, "leads", node_key("opd", initiative.lead), key)
        for opd_id in initiative.supporting:
            _add_edge(graph, "supports", node_key("opd", opd_id), key)
        for element_id in initiative.elements:
            _add_edge(graph, "serves", key, node_key("element", element_id))
        for link in initiative.indicators:
            _add_edge(graph, "moves", key, node_key("indicator", link.indicator), expected=dict(link.expected))
    for initiative in plan.initiatives:
        for prerequisite in initiative.depends_on:
            _add_edge(graph, "depends_on", node_key("initiative", initiative.id), node_key("initiative", prerequisite))
