"""Graph views of a masterplan: the typed dependency graph and the OPD collaboration network."""

from smartcity_model.graph.build import EDGE_KINDS, NODE_KINDS, build_graph, node_key
from smartcity_model.graph.collaboration import OPD_METRIC_COLUMNS, collaboration_network, opd_metrics, sector_matrix
from smartcity_model.graph.export import GRAPH_FORMATS, graph_to_text

__all__ = [
    "EDGE_KINDS",
    "GRAPH_FORMATS",
    "NODE_KINDS",
    "OPD_METRIC_COLUMNS",
    "build_graph",
    "collaboration_network",
    "graph_to_text",
    "node_key",
    "opd_metrics",
    "sector_matrix",
]
