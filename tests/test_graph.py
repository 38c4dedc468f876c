"""Graph views: the typed dependency graph, the collaboration network, metrics and exports."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET

import networkx as nx
import pydot
import pytest
from click.testing import CliRunner

import smartcity_model as scm
from smartcity_model.cli import main
from smartcity_model.graph import EDGE_KINDS, NODE_KINDS, OPD_METRIC_COLUMNS, views

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
        "goal": len(example_plan.goals),
        "issue": len(example_plan.issues),
        "stakeholder": len(example_plan.stakeholders),
        "body": len(example_plan.bodies),
        "area": len(example_plan.areas),
    }
    assert set(nodes) == set(NODE_KINDS)
    edges = Counter(key for _, _, key in graph.edges(keys=True))
    assert set(edges) == set(EDGE_KINDS)
    assert edges["leads"] == len(example_plan.initiatives)
    assert edges["supports"] == sum(len(i.supporting) for i in example_plan.initiatives)
    assert edges["depends_on"] == sum(len(i.depends_on) for i in example_plan.initiatives)
    parents = sum(1 for part in [*example_plan.goals, *example_plan.areas] if part.parent)
    assert edges["part_of"] == 18 + parents
    assert edges["aligns_with"] == sum(
        len(part.goals) for part in [*example_plan.initiatives, *example_plan.indicators]
    )
    assert edges["addresses"] == sum(len(i.addresses) for i in example_plan.initiatives)
    assert edges["partners"] == sum(len(i.stakeholders) for i in example_plan.initiatives)
    assert edges["located_in"] == sum(len(i.areas) for i in example_plan.initiatives)
    assert edges["member_of"] == sum(len(body.members) for body in example_plan.bodies)
    assert edges["concerns"] == sum(1 for issue in example_plan.issues if issue.dimension)
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
    assert graph.has_edge("goal:t1", "goal:m1", key="part_of")
    assert graph.nodes["goal:t1"]["level"] == "tujuan"
    assert graph.has_edge("stakeholder:kampus", "body:dewan", key="member_of")
    assert graph.has_edge("opd:bappeda", "body:dewan", key="member_of")
    assert graph.nodes["body:dewan"]["decree"] == "1/2024"


def test_collaboration_network_weights_shared_initiatives(clean: scm.Masterplan) -> None:
    network = scm.collaboration_network(clean, partners=False)
    assert set(network) == {opd.id for opd in clean.opds}
    assert network["diskop"]["bappeda"] == {"weight": 1, "initiatives": ["eco-a"]}
    assert network.nodes["dishub"]["led"] == 2
    assert sum(w for *_, w in network.edges(data="weight")) == sum(
        len(i.partners) * (len(i.partners) - 1) // 2 for i in clean.initiatives
    )


def test_partners_beyond_government_join_the_network_through_their_initiatives(clean: scm.Masterplan) -> None:
    network = scm.collaboration_network(clean)
    partners = {node for node, kind in network.nodes(data="kind") if kind == "stakeholder"}
    assert partners == {p for i in clean.initiatives for p in i.stakeholders}
    assert network.nodes["kampus"]["role"] == "academia"
    gov_a = clean.initiative("gov-a")
    assert all(network.has_edge("kampus", opd) for opd in gov_a.partners)
    assert network["kampus"]["warga"]["initiatives"] == ["gov-a", "soc-a"]
    metrics = scm.opd_metrics(clean)
    assert metrics.loc[gov_a.lead, "society_partners"] == 2
    assert metrics.loc[gov_a.lead, "partners"] == len(set(network[gov_a.lead]) - partners)


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


# ------------------------------------------------------------------ views people can read


def test_the_dependency_view_holds_the_initiatives_and_their_prerequisites(example_plan: scm.Masterplan) -> None:
    view = views.dependency_graph(example_plan)
    assert set(view.nodes) == {ini.id for ini in example_plan.initiatives}
    assert set(view.edges) == {(pre, ini.id) for ini in example_plan.initiatives for pre in ini.depends_on}
    for ini in example_plan.initiatives:
        assert (view.nodes[ini.id]["start"], view.nodes[ini.id]["end"]) == example_plan.schedule(ini)
    dot = views.view_to_text(example_plan, "dependency", "dot")
    (parsed,) = pydot.graph_from_dot_data(dot)
    clusters = {sub.get_name().strip('"'): sub for sub in parsed.get_subgraphs()}
    starts = {str(example_plan.schedule(ini)[0]) for ini in example_plan.initiatives}
    assert set(clusters) == {f"cluster_{year}" for year in starts}


def test_the_collaboration_view_names_opds_by_acronym(example_plan: scm.Masterplan) -> None:
    view = views.graph_view(example_plan, "collaboration")
    assert view.nodes["diskominfo"]["label"] == example_plan.opd("diskominfo").acronym
    assert view.nodes["diskominfo"]["full_name"] == example_plan.opd("diskominfo").name


def test_the_framework_view_is_a_tree_down_to_the_indicators(example_plan: scm.Masterplan) -> None:
    view = views.framework_graph(example_plan)
    roots = [node for node, degree in view.in_degree() if degree == 0]
    assert sorted(roots) == sorted(d.id for d in example_plan.framework.dimensions)
    assert nx.is_forest(view)
    assert all(view.has_edge(ind.element, ind.id) for ind in example_plan.indicators)


@pytest.mark.parametrize("view", ["dependency", "collaboration", "framework"])
def test_a_view_is_drawn_without_graphviz(view: str, example_plan: scm.Masterplan) -> None:
    svg = views.render(example_plan, view, "svg", graphviz=False).decode("utf-8")
    ET.fromstring(svg)  # noqa: S314 - our own output
    png = views.render(example_plan, view, "png", graphviz=False)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_an_unknown_view_or_picture_is_refused_with_the_closest(example_plan: scm.Masterplan) -> None:
    with pytest.raises(views.GraphViewError, match=r"unknown view 'dependancy' \(did you mean 'dependency'\?\)"):
        views.graph_view(example_plan, "dependancy")
    with pytest.raises(views.GraphViewError, match="unknown picture format 'jpg'"):
        views.render(example_plan, "dependency", "jpg")
    with pytest.raises(views.GraphViewError, match="drawn by Graphviz only"):
        views.render(example_plan, "full", "svg", graphviz=False)


def test_graph_writes_pictures_from_the_suffix(tmp_path: Path) -> None:
    run = CliRunner()
    result = run.invoke(
        main, ["graph", str(scm.example_path()), "--view", "collaboration", "-o", str(tmp_path / "g.svg")]
    )
    assert result.exit_code == 0, result.output
    assert "Diskominfo" in (tmp_path / "g.svg").read_text(encoding="utf-8")
    refused = run.invoke(main, ["graph", str(scm.example_path()), "--format", "png"])
    assert refused.exit_code == 2
    assert "give -o FILE.png" in refused.output


@pytest.mark.parametrize("view", ["dependency", "collaboration", "framework", "full"])
def test_every_view_is_written_as_dot_graphviz_reads(view: str, example_plan: scm.Masterplan) -> None:
    (parsed,) = pydot.graph_from_dot_data(views.view_to_text(example_plan, view, "dot"))
    nodes = {node.get_name().strip('"') for node in parsed.get_nodes()}
    nodes |= {n.get_name().strip('"') for sub in parsed.get_subgraphs() for n in sub.get_nodes()}
    assert set(views.graph_view(example_plan, view).nodes) <= nodes


def test_a_node_attribute_called_name_does_not_break_dot() -> None:
    graph = nx.Graph()
    graph.add_node("a", name="Dinas A")
    (parsed,) = pydot.graph_from_dot_data(scm.graph_to_text(graph, "dot"))
    assert parsed.get_node('"a"')[0].get("name_") == '"Dinas A"'
