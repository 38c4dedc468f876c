"""Graph views: the typed dependency graph, the collaboration network, metrics and exports."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pydot
import pytest

import smartcity_model as scm
from smartcity_model.graph import EDGE_KINDS, NODE_KINDS, OPD_METRIC_COLUMNS

CLEAN = Path(__file__).parent / "data" / "clean.yaml"


@pytest.fixture(scope="module")
def clean() -> scm.Masterplan:
    return scm.load(CLEAN)


def test_graph_has_every_kind_of_node_and_edge(example_plan: scm.Masterplan) -> None:
    graph = scm.build_graph(example_plan)
    nodes = Counter(kind for _, kind in graph.nodes(data="kind"))
    assert nodes == {
        "opd": len(example_plan.opds),
        "initiative": len(example_plan.initiatives),
        "indicator": len(example_plan.indicators),
        "element": 18,
        "dimension": 6,
    }
    assert set(nodes) == set(NODE_KINDS)
    edges = Counter(key for _, _, key in graph.edges(keys=True))
    assert set(edges) == set(EDGE_KINDS)
    assert edges["leads"] == len(example_plan.initiatives)
    assert edges["supports"] == sum(len(i.supporting) for i in example_plan.initiatives)
    assert edges["depends_on"] == sum(len(i.depends_on) for i in example_plan.initiatives)
    assert edges["part_of"] == 18
    assert all(kind == key for _, _, key, kind in graph.edges(keys=True, data="kind"))


def test_graph_attributes_follow_the_schema(clean: scm.Masterplan) -> None:
    graph = scm.build_graph(clean)
    assert graph.nodes[scm.node_key("initiative", "soc-b")] | {} == {
        "kind": "initiative",
        "id": "soc-b",
        "label": "Inisiatif soc-b",
        "lead": "disdik",
        "horizon": "medium",
        "start_year": 2027,
        "end_year": 2029,
        "status": "planned",
        "budget": 100_000_000.0,
    }
    assert graph.nodes["indicator:i-waste"]["dimension"] == "environment"
    assert graph.has_edge("initiative:soc-b", "initiative:soc-a", key="depends_on")
    assert graph.has_edge("opd:dlh", "indicator:i-waste", key="custodian_of")
    assert graph.has_edge("element:waste", "dimension:environment", key="part_of")
    assert graph.edges["initiative:env-a", "indicator:i-waste", "moves"]["expected"] == {}


def test_collaboration_network_weights_shared_initiatives(clean: scm.Masterplan) -> None:
    network = scm.collaboration_network(clean)
    assert set(network) == {opd.id for opd in clean.opds}
    assert network["diskop"]["bappeda"] == {"weight": 1, "initiatives": ["eco-a"]}
    assert network.nodes["dishub"]["led"] == 2
    assert sum(w for *_, w in network.edges(data="weight")) == sum(
        len(i.partners) * (len(i.partners) - 1) // 2 for i in clean.initiatives
    )


def test_sector_matrix_is_symmetric_with_involvement_on_the_diagonal(clean: scm.Masterplan) -> None:
    matrix = scm.sector_matrix(clean)
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()
    assert int(matrix.loc["environment", "environment"]) == 2
    assert int(matrix.loc["environment", "health"]) == 1
    assert list(matrix.index) == sorted({opd.sector for opd in clean.opds})


def test_opd_metrics(clean: scm.Masterplan) -> None:
    metrics = scm.opd_metrics(clean)
    assert tuple(metrics.columns) == OPD_METRIC_COLUMNS
    row = metrics.loc["diskominfo"]
    assert (row["led"], row["supported"], row["initiatives"]) == (1, 3, 4)
    assert row["share"] == pytest.approx(4 / 12)
    assert row["partners"] == 3
    assert row["partner_sectors"] == 3
    assert metrics["betweenness"].between(0, 1).all()
    assert metrics["betweenness"].idxmax() in {"diskominfo", "bappeda", "dishub"}


def test_graphml_export_reads_back(clean: scm.Masterplan) -> None:
    graph = scm.build_graph(clean)
    back = nx.read_graphml(io.BytesIO(scm.graph_to_text(graph, "graphml").encode()), force_multigraph=True)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert json.loads(back.edges["initiative:eco-a", "indicator:i-welfare", "moves"]["expected"]) == {}


def test_json_export_reads_back(clean: scm.Masterplan) -> None:
    graph = scm.build_graph(clean)
    back = nx.node_link_graph(json.loads(scm.graph_to_text(graph, "json")), edges="edges", name="node")
    assert nx.utils.graphs_equal(back, graph)


@pytest.mark.filterwarnings("ignore::DeprecationWarning:pydot")  # pydot's parser uses old pyparsing names
def test_dot_export_parses(clean: scm.Masterplan) -> None:
    text = scm.graph_to_text(scm.build_graph(clean), "dot")
    (dot,) = pydot.graph_from_dot_data(text)
    names = {node.get_name().strip('"') for node in dot.get_nodes()}
    assert "opd:diskominfo" in names
    assert dot.get_node('"opd:diskominfo"')[0].get("shape") == "box"


def test_unknown_export_format_is_refused(clean: scm.Masterplan) -> None:
    with pytest.raises(ValueError, match="unknown graph format"):
        scm.graph_to_text(scm.build_graph(clean), "gexf")  # type: ignore[arg-type]  # wrong on purpose


def test_graphml_carries_every_name_the_model_accepts(plan_data: dict[str, object]) -> None:
    opds = plan_data["opds"]
    assert isinstance(opds, list)
    opds[0]["name"] = "Dinas\rKominfo"
    opds[1]["name"] = "Bappeda\x00\x01 \ufffe"
    plan = scm.Masterplan.from_dict(plan_data)
    text = scm.graph_to_text(scm.build_graph(plan), "graphml")
    read = nx.read_graphml(io.BytesIO(text.encode("utf-8")))
    names = {data["label"] for _, data in read.nodes(data=True) if data.get("kind") == "opd"}
    assert "Dinas\rKominfo" in names
    assert "Bappeda\\u0000\\u0001 \\ufffe" in names
