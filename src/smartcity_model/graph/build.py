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
``goal``       ``level`` (misi, tujuan, sasaran), ``document`` (rpjmd, renstra), ``opd``, ``code``
``issue``      ``issue_kind`` (potential, problem, strategic_issue, strength...), ``dimension``
``stakeholder`` ``role`` (government, academia, business, community, media), ``acronym``
``body``       ``body_kind`` (council, team, forum), ``decree`` (its number, if any)
``area``       ``area_kind`` (kecamatan, nagari, desa, kelurahan, kawasan), ``code``
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
``part_of``       element → dimension,
                  goal → goal, area → area   the parent statement or place
``custodian_of``  opd → indicator
``aligns_with``   initiative → goal,
                  indicator → goal
``addresses``     initiative → issue
``partners``      stakeholder → initiative
``located_in``    initiative → area
``member_of``     opd or stakeholder → body
``concerns``      issue → dimension
================  =========================  ==================================================
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, get_args

import networkx as nx

from smartcity_model.model import Masterplan

__all__ = ["EDGE_KINDS", "NODE_KINDS", "EdgeKind", "NodeKind", "build_graph", "node_key"]

NodeKind = Literal[
    "opd", "initiative", "indicator", "element", "dimension", "goal", "issue", "stakeholder", "body", "area"
]
EdgeKind = Literal[
    "leads",
    "supports",
    "depends_on",
    "moves",
    "serves",
    "measures",
    "part_of",
    "custodian_of",
    "aligns_with",
    "addresses",
    "partners",
    "located_in",
    "member_of",
    "concerns",
]
#: Node kinds (the values of :data:`NodeKind`).
NODE_KINDS: tuple[NodeKind, ...] = get_args(NodeKind)
#: Edge kinds (the values of :data:`EdgeKind`), in the order of the schema above.
EDGE_KINDS: tuple[EdgeKind, ...] = get_args(EdgeKind)


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
    ['addresses', 'addresses', 'aligns_with', 'depends_on', 'moves', 'moves', 'serves']
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
    _add_context(graph, plan)
    _add_indicators(graph, plan)
    _add_initiatives(graph, plan)
    return graph


def _add_context(graph: nx.MultiDiGraph[str], plan: Masterplan) -> None:
    """Add the plan's goals, issues, partners, bodies and places, and the links between them."""
    for goal in plan.goals:
        key = node_key("goal", goal.id)
        attributes = {"level": goal.level.value, "document": goal.document.value, "opd": goal.opd, "code": goal.code}
        graph.add_node(key, kind="goal", id=goal.id, label=goal.name, **attributes)
    for issue in plan.issues:
        key = node_key("issue", issue.id)
        graph.add_node(key, kind="issue", id=issue.id, label=issue.name, issue_kind=issue.kind.value)
        graph.nodes[key]["dimension"] = issue.dimension
        _links(graph, key, "concerns", "dimension", [issue.dimension] if issue.dimension else [])
    for stakeholder in plan.stakeholders:
        key = node_key("stakeholder", stakeholder.id)
        role, acronym = stakeholder.role.value, stakeholder.acronym
        graph.add_node(key, kind="stakeholder", id=stakeholder.id, label=stakeholder.name, role=role, acronym=acronym)
    for area in plan.areas:
        key = node_key("area", area.id)
        graph.add_node(key, kind="area", id=area.id, label=area.name, area_kind=area.kind.value, code=area.code)
    for goal in plan.goals:
        _links(graph, node_key("goal", goal.id), "part_of", "goal", [goal.parent] if goal.parent else [])
    for area in plan.areas:
        _links(graph, node_key("area", area.id), "part_of", "area", [area.parent] if area.parent else [])
    opds = {opd.id for opd in plan.opds}
    for body in plan.bodies:
        key = node_key("body", body.id)
        number = None if body.decree is None else body.decree.number
        graph.add_node(key, kind="body", id=body.id, label=body.name, body_kind=body.kind.value, decree=number)
        for member in body.members:
            _add_edge(graph, "member_of", node_key("opd" if member in opds else "stakeholder", member), key)


def _links(  # noqa: PLR0913 - an edge: the graph, its end, kind, the other ends' kind and ids, its direction
    graph: nx.MultiDiGraph[str], key: str, kind: EdgeKind, target: NodeKind, ids: Iterable[str], *, inward: bool = False
) -> None:
    """Add an edge of ``kind`` from ``key`` to the node of each id (to ``key`` from each, if ``inward``)."""
    for object_id in ids:
        other = node_key(target, object_id)
        _add_edge(graph, kind, *((other, key) if inward else (key, other)))


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
        _links(graph, key, "aligns_with", "goal", indicator.goals)


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
        _links(graph, key, "aligns_with", "goal", initiative.goals)
        _links(graph, key, "addresses", "issue", initiative.addresses)
        _links(graph, key, "partners", "stakeholder", initiative.stakeholders, inward=True)
        _links(graph, key, "located_in", "area", initiative.areas)
    for initiative in plan.initiatives:
        for prerequisite in initiative.depends_on:
            _add_edge(graph, "depends_on", node_key("initiative", initiative.id), node_key("initiative", prerequisite))
