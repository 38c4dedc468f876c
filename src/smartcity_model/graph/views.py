"""Views of a plan's graph that people can read, and pictures of them (SVG or PNG).

Four views: ``full``, the typed graph of OPDs, initiatives, indicators, elements and dimensions
(:func:`~smartcity_model.build_graph`, for Gephi or Cytoscape); ``dependency``, the initiatives
alone, a prerequisite pointing to what depends on it, ranked by start year; ``collaboration``,
the OPDs by acronym linked by the initiatives they share; ``framework``, dimensions → elements
→ indicators.

:func:`render` draws a view as SVG or PNG: with Graphviz's ``dot`` when it is installed, else
with the charts of :mod:`smartcity_model.plot` (the roadmap, the network, the framework tree),
so no system program is needed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from smartcity_model.errors import SmartCityError, suggest
from smartcity_model.graph.build import build_graph
from smartcity_model.graph.collaboration import collaboration_network
from smartcity_model.graph.export import graph_to_text
from smartcity_model.i18n import _
from smartcity_model.model import Masterplan

__all__ = [
    "GRAPH_VIEWS",
    "PICTURE_FORMATS",
    "GraphView",
    "GraphViewError",
    "dependency_graph",
    "framework_graph",
    "graph_view",
    "render",
    "view_to_text",
]

GraphView = Literal["full", "dependency", "collaboration", "framework"]
#: The views of :func:`graph_view`.
GRAPH_VIEWS: tuple[GraphView, ...] = ("dependency", "collaboration", "framework", "full")
#: The picture formats :func:`render` draws.
PICTURE_FORMATS: tuple[str, ...] = ("svg", "png")


class GraphViewError(SmartCityError, ValueError):
    """A view or a picture format that does not exist."""


def dependency_graph(plan: Masterplan) -> nx.DiGraph[str]:
    """Return the initiatives alone: an edge from each prerequisite to the initiative that depends on it.

    Nodes carry ``label`` (the name), ``start``, ``end``, ``horizon``, ``lead`` (the lead OPD's
    acronym) and ``quick_win``.
    """
    from smartcity_model.budget import horizon_of  # noqa: PLC0415 - budget imports the model, as graph does

    acronym = {opd.id: opd.acronym or opd.id for opd in plan.opds}
    graph: nx.DiGraph[str] = nx.DiGraph(region=plan.region.id, view="dependency")
    for initiative in plan.initiatives:
        start, end = plan.schedule(initiative)
        horizon = horizon_of(plan, initiative).value
        graph.add_node(
            initiative.id,
            label=initiative.name,
            start=start,
            end=end,
            horizon=horizon,
            lead=acronym.get(initiative.lead, initiative.lead),
            quick_win=horizon == "quick_win",
        )
    for initiative in plan.initiatives:
        for prerequisite in initiative.depends_on:
            graph.add_edge(prerequisite, initiative.id, kind="prerequisite")
    return graph


def framework_graph(plan: Masterplan) -> nx.DiGraph[str]:
    """Return the framework as a tree: dimensions → elements → the plan's indicators (``kind``, ``label``)."""
    graph: nx.DiGraph[str] = nx.DiGraph(region=plan.region.id, view="framework")
    for dimension in plan.framework.dimensions:
        graph.add_node(dimension.id, kind="dimension", label=dimension.name)
        for element in dimension.elements:
            graph.add_node(element.id, kind="element", label=element.name)
            graph.add_edge(dimension.id, element.id)
    for indicator in plan.indicators:
        graph.add_node(indicator.id, kind="indicator", label=indicator.name)
        graph.add_edge(indicator.element, indicator.id)
    return graph


def _collaboration(plan: Masterplan) -> nx.Graph[str]:
    """Return the collaboration network with each OPD labelled by its acronym (its name kept as ``full_name``)."""
    graph = collaboration_network(plan)
    for opd in plan.opds:
        graph.nodes[opd.id]["full_name"] = opd.name
        graph.nodes[opd.id]["label"] = opd.acronym or opd.id
        graph.nodes[opd.id]["initiatives"] = graph.nodes[opd.id]["led"] + graph.nodes[opd.id]["supported"]
    graph.graph["view"] = "collaboration"
    return graph


def graph_view(plan: Masterplan, view: str = "dependency") -> nx.Graph[str]:
    """Return one view of the plan's graph (see :data:`GRAPH_VIEWS`)."""
    if view == "dependency":
        return dependency_graph(plan)
    if view == "collaboration":
        return _collaboration(plan)
    if view == "framework":
        return framework_graph(plan)
    if view == "full":
        return build_graph(plan)
    message = _("unknown view {view}{hint}; the views are {views}").format(
        view=repr(view), hint=suggest(str(view), GRAPH_VIEWS), views=", ".join(GRAPH_VIEWS)
    )
    raise GraphViewError(message)


def _quoted(text: object) -> str:
    return json.dumps(str(text), ensure_ascii=False)


def _dependency_dot(graph: nx.DiGraph[str]) -> str:
    """Write the dependency view as DOT: left to right, the initiatives of one start year in one column."""
    by_year: dict[int, list[str]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        by_year[int(data["start"])].append(node)
    lines = [
        "digraph dependency {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#eef3f8"];',
    ]
    for year in sorted(by_year):
        lines.append(f"  subgraph {_quoted(f'cluster_{year}')} {{")
        lines.append(f'    label={_quoted(year)}; color="#d9dee4";')
        for node in by_year[year]:
            data = graph.nodes[node]
            years = f"{data['start']}–{data['end']}" if data["end"] != data["start"] else str(data["start"])
            label = f"{node}: {str(data['label'])[:48]}\n{data['lead']}, {years}"
            fill = ', fillcolor="#fde9c9"' if data["quick_win"] else ""
            lines.append(f"    {_quoted(node)} [label={_quoted(label)}{fill}];")
        lines.append("  }")
    lines.extend(f"  {_quoted(u)} -> {_quoted(v)};" for u, v in graph.edges())
    lines.append("}")
    return "\n".join(lines) + "\n"


def view_to_text(plan: Masterplan, view: str, fmt: str) -> str:
    """Return a view as GraphML, node-link JSON or DOT text (the dependency view in DOT by start year)."""
    graph = graph_view(plan, view)
    if view == "dependency" and fmt == "dot":
        return _dependency_dot(graph)  # type: ignore[arg-type]  # the dependency view is a DiGraph
    return graph_to_text(graph, fmt)  # type: ignore[arg-type]  # the formats of graph_to_text


def render(plan: Masterplan, view: str, fmt: str, *, graphviz: bool | None = None) -> bytes:
    """Draw a view as SVG or PNG bytes: with Graphviz's ``dot`` when present, else with matplotlib.

    ``graphviz`` forces the choice (``True`` needs ``dot`` on the PATH). The ``full`` view is
    drawn by Graphviz only: it has too many kinds of node for a chart.
    """
    if fmt not in PICTURE_FORMATS:
        message = _("unknown picture format {format}; use one of {formats}").format(
            format=repr(fmt), formats=", ".join(PICTURE_FORMATS)
        )
        raise GraphViewError(message)
    graph_view(plan, view)  # an unknown view is refused before anything is drawn
    program = shutil.which("dot")
    use = program is not None if graphviz is None else graphviz
    if use:
        if program is None:
            raise GraphViewError(_("Graphviz's dot is not installed; leave the choice to smartcity"))
        text = view_to_text(plan, view, "dot")
        done = subprocess.run([program, f"-T{fmt}"], input=text.encode("utf-8"), capture_output=True, check=False)  # noqa: S603 - dot from the PATH
        if done.returncode != 0:
            message = _("Graphviz could not draw the graph: {reason}").format(
                reason=done.stderr.decode(errors="replace")
            )
            raise GraphViewError(message)
        return done.stdout
    if view == "full":
        raise GraphViewError(_("the full view is drawn by Graphviz only (install graphviz), or export it as graphml"))
    return _chart(plan, view, fmt)


def _chart(plan: Masterplan, view: str, fmt: str) -> bytes:
    """Draw a view with matplotlib: the roadmap, the collaboration network or the framework tree."""
    from smartcity_model import plot  # noqa: PLC0415 - the plot extra, imported on use

    figure: Any
    if view == "dependency":
        figure = plot.roadmap(plan)
    elif view == "collaboration":
        figure = plot.network(plan)
    else:
        figure = plot.framework(plan, kind="tree")
    if fmt == "svg":
        return plot.to_svg(figure).encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        return plot.to_png(figure, Path(folder) / "graph.png", dpi=150).read_bytes()
