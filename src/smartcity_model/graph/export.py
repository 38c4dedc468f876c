"""Export graphs for Gephi and Cytoscape (GraphML), the web (node-link JSON) and Graphviz (DOT)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from typing import Any, Literal

import networkx as nx

from smartcity_model.i18n import _

__all__ = ["GRAPH_FORMATS", "GraphFormat", "graph_to_text"]

GraphFormat = Literal["graphml", "json", "dot"]
#: The formats :func:`graph_to_text` writes.
GRAPH_FORMATS: tuple[GraphFormat, ...] = ("graphml", "json", "dot")

_SHAPES = {
    "opd": "box",
    "initiative": "ellipse",
    "indicator": "diamond",
    "element": "hexagon",
    "dimension": "doubleoctagon",
}


#: Characters XML 1.0 cannot hold at all; GraphML writes them as ``\\uXXXX``.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return _NOT_XML.sub(lambda match: f"\\u{ord(match.group()):04x}", value)


def _scalar(value: Any, text: Callable[[str], str] = str) -> str | int | float | bool:
    """Return a value GraphML and DOT can hold: containers become JSON text."""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return text(value)
    return text(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))


def _flat_copy(graph: nx.Graph[Any], text: Callable[[str], str] = str) -> nx.Graph[Any]:
    """Copy ``graph`` without ``None`` attributes, containers as JSON text and strings passed through ``text``."""
    flat = graph.__class__()
    flat.graph.update({k: _scalar(v, text) for k, v in graph.graph.items() if v is not None})
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: _scalar(v, text) for k, v in data.items() if v is not None})
    if isinstance(graph, nx.MultiGraph):
        for u, v, key, data in graph.edges(keys=True, data=True):
            flat.add_edge(u, v, key=key, **{k: _scalar(x, text) for k, x in data.items() if x is not None})
    else:
        for u, v, data in graph.edges(data=True):
            flat.add_edge(u, v, **{k: _scalar(x, text) for k, x in data.items() if x is not None})
    return flat


def _dot(graph: nx.Graph[Any]) -> str:
    from networkx.drawing.nx_pydot import to_pydot  # noqa: PLC0415 - pydot is imported only for DOT

    quoted = nx.relabel_nodes(_flat_copy(graph), lambda node: f'"{node}"')
    for _node, data in quoted.nodes(data=True):
        if "name" in data:  # pydot takes a node's name from its id; the attribute is kept as name_
            data["name_"] = data.pop("name")
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = json.dumps(value, ensure_ascii=False)
        if "kind" in data:
            data["shape"] = _SHAPES.get(json.loads(data["kind"]), "ellipse")
    for *_ends, data in quoted.edges(data=True):
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = json.dumps(value, ensure_ascii=False)
        if "kind" in data:
            data["label"] = data["kind"]
    quoted.graph = {}
    text: str = to_pydot(quoted).to_string()
    return text


def graph_to_text(graph: nx.Graph[Any], fmt: GraphFormat = "graphml") -> str:
    """Return ``graph`` as GraphML, node-link JSON or DOT text.

    GraphML and DOT hold only plain values: ``None`` attributes are left out and containers (such
    as an edge's expected values) are written as JSON text. JSON keeps them as they are. In
    GraphML a carriage return is written ``&#13;`` (so it reads back as itself) and the characters
    XML cannot hold at all (most control characters, U+FFFE, U+FFFF) as a backslash, ``u`` and
    four hexadecimal digits.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("opd:a", "initiative:x", key="leads", kind="leads")
    'leads'
    >>> '"opd:a" -> "initiative:x"' in graph_to_text(g, "dot")
    True
    """
    if fmt == "graphml":
        buffer = io.BytesIO()
        nx.write_graphml(_flat_copy(graph, _xml_text), buffer, encoding="utf-8", prettyprint=True)
        text = buffer.getvalue().decode("utf-8")
        return text.replace("\r", "&#13;")  # raw, XML readers would turn it into a line feed
    if fmt == "json":
        data = nx.node_link_data(graph, edges="edges", name="node")
        return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt == "dot":
        return _dot(graph)
    msg = _("unknown graph format {format}; use one of {formats}").format(
        format=repr(fmt), formats=", ".join(GRAPH_FORMATS)
    )
    raise ValueError(msg)
