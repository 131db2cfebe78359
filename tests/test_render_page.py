"""The rendered page (kg/render/) without a browser: its data,
its escaping, its self-containment, determinism, the large-graph layout and the render/view
commands.
The page's behaviour in a real browser is tested in tests/test_browser.py."""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
import webbrowser
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph

from kg.analysis.alignment import alignment_records
from kg.analysis.positions import analyze, read_positions
from kg.corpus import load_articles
from kg.export import serialize
from kg.graph import union_graph
from kg.render.analysis_view import VARIANTS, analysis_view_data
from kg.render.layout import PHYSICS_NODE_LIMIT, SPRING_NODE_LIMIT, layout_positions, physics_iterations
from kg.render.overview import select_overview
from kg.render.page import PAGE_SCRIPTS, graph_page, graph_style, opening_methods, render_html
from kg.render.style import page_limits
from kg.render.view import (
    ArticleRecord,
    EvidenceRecord,
    GraphView,
    NodeRecord,
    PositionRecord,
    load_graph_view,
)
from kg.resources import package_file
from kg.sparql.engines import load_built_graph, oxigraph_of_trig, run_query
from kg.sparql.queries import NamedQuery

from .conftest import SEEDS
from .generated_graph import GENERATED, add_generated_positions

FIXTURE = Path(__file__).parent / "fixtures" / "render"
PAYLOAD = '<script>window.__kgPwned = 1</script><img src=x onerror="window.__kgPwned = 2">'


def inject_fixture(seeds: Path) -> None:
    """Add the script-payload article, its metadata and its curated position to a seeds copy."""
    shutil.copy(FIXTURE / "articles" / "900_injected.txt", seeds / "articles")
    with (seeds / "articles.ttl").open("a", encoding="utf-8") as meta:
        meta.write("\n" + (FIXTURE / "articles.ttl").read_text(encoding="utf-8"))
    shutil.copy(FIXTURE / "injected.ttl", seeds / "curated")


def page_data(html: str) -> dict:
    """The JSON data block the page script reads."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert match, "no data block"
    return json.loads(match.group(1))


def count(graph: Graph, where: str) -> int:
    text = f"PREFIX neg: <https://w3id.org/neg-kg/ontology#>\nSELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"
    return int(run_query(graph, NamedQuery("count", "", text)).rows[0][0])


@pytest.fixture(scope="module")
def seed_html(built) -> str:
    return (built / "graph.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_graph(built) -> Graph:
    return union_graph(load_built_graph(built))


def test_build_writes_graph_html_next_to_the_rdf(built):
    assert (built / "graph.html").is_file()
    assert (built / "graph.html").read_bytes().startswith(b"<!DOCTYPE html>")


def test_page_loads_nothing_from_outside(seed_html):
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=", seed_html, re.I)
    assert not re.search(r"<link\b", seed_html, re.I)
    assert not re.search(r"@import|url\((?!\"?data:)", seed_html)
    assert "default-src 'none'" in seed_html  # the page's CSP refuses any load, too


def test_page_script_is_every_script_file_once_in_its_fixed_order(seed_html):
    templates = package_file("render", "templates")
    assert sorted(PAGE_SCRIPTS) == sorted(f.name for f in templates.iterdir() if f.name.endswith(".js"))
    script = seed_html.rsplit("<script>", 1)[1]  # the last script element: the page's own
    starts = [script.index((templates / name).read_text(encoding="utf-8")) for name in PAGE_SCRIPTS]
    assert starts == sorted(starts)


def test_the_alignment_views_vis_options_come_from_the_style_file(seed_html):
    options = page_data(seed_html)["style"]["alignment"]["options"]
    assert options == graph_style()["alignment"]["options"]
    assert options["physics"] == {"enabled": False}  # the page lays the circle out itself
    assert "tooltipDelay" not in seed_html.rsplit("<script>", 1)[1]  # no vis options in the page script


def test_page_holds_one_node_per_actor_and_proposal(seed_html, seed_graph):
    data = page_data(seed_html)
    actors = count(
        seed_graph,
        "SELECT DISTINCT ?a WHERE { VALUES ?c { neg:Person neg:Country neg:Institution neg:Group } ?a a ?c }",
    )
    proposals = count(seed_graph, "?p a neg:Proposal")
    assert len(data["nodes"]) == actors + proposals
    assert {n["kind"] for n in data["nodes"]} <= set(graph_style()["nodes"])


def test_page_holds_one_edge_per_position_and_speaks_for_link(seed_html, seed_graph):
    data = page_data(seed_html)
    positions = count(seed_graph, "?p a neg:Position")
    links = count(seed_graph, "SELECT DISTINCT ?a ?b WHERE { ?a neg:speaksFor ?b }")
    kinds = [e["kind"] for e in data["edges"]]
    assert kinds.count("position") == positions == len(data["meta"]["positions"])
    assert kinds.count("speaksFor") == links
    assert len({e["id"] for e in data["edges"]}) == len(data["edges"])


def test_every_position_carries_its_quotes_and_their_articles(seed_html):
    meta = page_data(seed_html)["meta"]
    for position in meta["positions"].values():
        assert position["evidence"], position["id"]
        for evidence in position["evidence"]:
            text = meta["articles"][evidence["article"]]["text"]
            assert text[evidence["start"] : evidence["end"]] == evidence["quote"]


def test_edges_show_polarity_condition_method_and_sources(seed_html):
    data = page_data(seed_html)
    style = graph_style()
    for edge in (e for e in data["edges"] if e["kind"] == "position"):
        position = data["meta"]["positions"][edge["id"]]
        assert edge["color"]["color"] == style["polarities"][position["polarity"]]["color"]
        assert edge["color"]["opacity"] == style["methods"][position["method"]]["opacity"]
        assert bool(edge["dashes"]) == (position["stance"] == "conditional")
        assert edge["width"] >= style["edgeWidth"]["base"]
        assert edge["from"] == position["holder"] and edge["to"] == position["target"]


def test_render_is_byte_identical_for_the_same_graph(seed_graph, built):
    articles = page_data((built / "graph.html").read_text("utf-8"))["meta"]["articles"]
    texts = {a["id"]: a["text"] for a in articles.values()}
    view = load_graph_view(seed_graph, texts)
    assert render_html(view) == render_html(view) == (built / "graph.html").read_text("utf-8")


def _payload_view() -> GraphView:
    text = (FIXTURE / "articles" / "900_injected.txt").read_text(encoding="utf-8")
    start = text.index(PAYLOAD)
    evidence = EvidenceRecord("urn:a", start, start + len(PAYLOAD), PAYLOAD)
    return GraphView(
        nodes=(
            NodeRecord("urn:x", "country", "X </script><script>alert(1)</script>", ("<!--",)),
            NodeRecord("urn:p", "proposal", "P & <b>bold</b>"),
        ),
        positions=(
            PositionRecord(
                "urn:pos", "urn:x", "urn:p", "reject", "oppose", "curated", "2013-09-30", (evidence,)
            ),
        ),
        speaks_for=(),
        articles=(ArticleRecord("urn:a", "T </script>", "2013-09-30", None, text),),
    )


def test_untrusted_text_cannot_leave_the_data_block():
    html = render_html(_payload_view())
    assert "window.__kgPwned" in html  # the payload is there, as data...
    assert "<script>window.__kgPwned" not in html and 'onerror="window' not in html  # ...never as markup
    assert html.lower().count("</script>") == 3  # data block, vis-network, page script
    meta = page_data(html)["meta"]
    assert meta["positions"]["urn:pos"]["evidence"][0]["quote"] == PAYLOAD
    assert meta["nodes"]["urn:x"]["label"] == "X </script><script>alert(1)</script>"


def test_layout_is_deterministic_and_places_every_node(seed_graph):
    view = load_graph_view(seed_graph, {})
    first, second = layout_positions(view), layout_positions(view)
    assert first == second and set(first) == {n.id for n in view.nodes}


def _generated_view(nodes: int) -> GraphView:
    proposals = nodes // 5
    records = [NodeRecord(f"p{i}", "proposal", f"Proposal {i}") for i in range(proposals)]
    records += [NodeRecord(f"a{i}", "person", f"Actor {i}") for i in range(nodes - proposals)]
    positions = tuple(
        PositionRecord(
            f"x{i}",
            f"a{i % (nodes - proposals)}",
            f"p{(i * 7) % proposals}",
            "support",
            "support",
            "curated",
            "2013-01-01",
            (EvidenceRecord("urn:a", 0, 1, "q"),),
        )
        for i in range(int(nodes * 1.5))
    )
    return GraphView(tuple(records), positions, (), ())


def test_large_graphs_get_precomputed_positions_and_no_physics():
    view = _generated_view(5000)
    started = time.perf_counter()
    html = render_html(view)
    assert time.perf_counter() - started < 30
    data = page_data(html)
    assert data["physics"] is False and data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert physics_iterations(SPRING_NODE_LIMIT) > physics_iterations(PHYSICS_NODE_LIMIT) > 0
    assert physics_iterations(PHYSICS_NODE_LIMIT + 1) == 0


def test_kg_render_rewrites_the_page(kg_cli, built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    (out / "graph.html").unlink()
    result = kg_cli("render", "--out", out)
    assert result.exit_code == 0, result.output
    assert (out / "graph.html").read_bytes() == (built / "graph.html").read_bytes()


def test_kg_render_without_a_build_fails_with_one_line(kg_cli, tmp_path):
    result = kg_cli("render", "--out", tmp_path)
    assert result.exit_code == 2
    assert "run `kg build` first" in result.output


def test_kg_view_opens_the_page_in_the_browser(kg_cli, built, tmp_path, monkeypatch):
    opened = tmp_path / "opened.txt"
    opener = f"{sys.executable} -c \"import sys; open(r'{opened}', 'w').write(sys.argv[1])\" %s"
    monkeypatch.setenv("BROWSER", opener)
    monkeypatch.setattr(webbrowser, "_tryorder", None)  # re-read BROWSER
    result = kg_cli("view", "--out", built)
    assert result.exit_code == 0, result.output
    deadline = time.time() + 10
    while not opened.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert opened.read_text() == (built / "graph.html").resolve().as_uri()
    assert result.output.strip() == "opened " + opened.read_text()


def test_kg_view_without_a_page_fails_with_one_line(kg_cli, tmp_path):
    result = kg_cli("view", "--out", tmp_path)
    assert result.exit_code == 2
    assert result.output.strip().endswith("no graph page here: run `kg build` first")


def test_page_opens_on_curated_positions_laid_out_without_the_hidden_ones(seed_html):
    data = page_data(seed_html)
    positions = data["meta"]["positions"]
    shown = {e["id"] for e in data["edges"] if e["kind"] == "position" and not e["hidden"]}
    assert shown == {i for i, p in positions.items() if p["method"] == "curated"}
    ends = {positions[i][k] for i in shown for k in ("holder", "target")}
    assert {n["id"] for n in data["nodes"] if not n["hidden"]} == ends
    assert all(e["physics"] == (not e["hidden"]) for e in data["edges"])
    assert 'value="extracted">' in seed_html and 'value="curated" checked>' in seed_html


def test_a_graph_of_extracted_positions_only_opens_with_everything_shown():
    view = _generated_view(50)
    view = GraphView(view.nodes, tuple(replace(p, method="extracted") for p in view.positions), (), ())
    assert opening_methods(view) >= {"curated", "extracted"}
    html = render_html(view)
    assert 'value="extracted" checked>' in html
    assert not any(n["hidden"] for n in page_data(html)["nodes"])


def test_legend_explains_every_shape_colour_and_line_the_page_draws(seed_html):
    data = page_data(seed_html)
    legend = set(re.findall(r'data-legend="([^"]+)"', seed_html))
    assert {n["kind"] for n in data["nodes"]} <= legend
    assert {p["polarity"] for p in data["meta"]["positions"].values()} <= legend
    assert {p["method"] for p in data["meta"]["positions"].values()} <= legend
    dashed = {s for s, spec in graph_style()["stances"].items() if spec.get("dashes")}
    assert dashed <= legend and {"width", "speaksFor"} <= legend


# --- the alignment and timeline views' data ------------------------------------------------------


@pytest.fixture(scope="module")
def seed_analysis(seed_graph):
    return analyze(read_positions(seed_graph))


def test_alignment_view_embeds_the_alignment_graph_and_the_positions_behind_edges(seed_html, seed_analysis):
    embedded = page_data(seed_html)["analysis"]["alignment"]
    expected = alignment_records(seed_analysis.alignment_graph, seed_analysis.coalitions)
    assert [{k: n[k] for k in expected["nodes"][0]} for n in embedded["nodes"]] == expected["nodes"]
    assert [{k: e[k] for k in expected["edges"][0]} for e in embedded["edges"]] == expected["edges"]
    assert len(embedded["edges"]) == seed_analysis.alignment_graph.number_of_edges() > 0
    assert {n["id"] for n in embedded["nodes"] if n["bridge"]} == {b.party for b in seed_analysis.bridges}
    positions = page_data(seed_html)["meta"]["positions"]
    current = embedded["current"]  # the position behind each party's stance on each proposal
    for edge in embedded["edges"]:
        for proposal in edge["agreeOn"] + edge["disagreeOn"]:
            for party in (edge["source"], edge["target"]):
                position = current[party][proposal]
                assert position == seed_analysis.current[(party, proposal)].position
                assert positions[position]["target"] == proposal
    assert set(current) == {party for edge in embedded["edges"] for party in (edge["source"], edge["target"])}


def test_the_page_carries_the_analysis_for_each_choice_of_sources(seed_html, seed_graph):
    variants = page_data(seed_html)["analysis"]["variants"]
    assert sorted(variants) == sorted(VARIANTS)
    for key, methods in VARIANTS.items():
        expected = analysis_view_data(analyze(read_positions(seed_graph, methods=methods)))
        assert variants[key] == json.loads(json.dumps(expected)), key
    assert variants["curated extracted"]["alignment"] != page_data(seed_html)["analysis"]["alignment"]


def test_timeline_view_lists_each_partys_positions_in_date_order_with_its_changes(seed_html, seed_analysis):
    timelines = page_data(seed_html)["analysis"]["timelines"]
    records = [r for line in seed_analysis.timelines.values() for r in line]
    assert {p: sorted(e["position"] for e in entries) for p, entries in timelines.items()} == {
        p: sorted(r.position for r in records if r.party == p) for p in {r.party for r in records}
    }
    for entries in timelines.values():
        dates = [e["date"] or "" for e in entries]
        assert dates == sorted(dates)
    flagged = {
        (p, e["position"], e["change"]) for p, entries in timelines.items() for e in entries if e["change"]
    }
    assert flagged == {(c.party, c.after.position, c.kind) for c in seed_analysis.changes}
    assert flagged  # the seeds have changes (the US on the Chapter VII resolution, Russia walking back)


def test_analysis_labels_cannot_leave_the_data_block():
    view = replace(
        _payload_view(),
        analysis={
            "alignment": {"nodes": [], "edges": [], "coalitions": []},
            "timelines": {},
            "labels": {"urn:x": PAYLOAD},
        },
    )
    html = render_html(view)
    assert "<script>window.__kgPwned" not in html and html.lower().count("</script>") == 3
    assert page_data(html)["analysis"]["labels"]["urn:x"] == PAYLOAD


def test_alignment_and_timeline_legends_explain_signs_bridges_and_changes(seed_html):
    legend = set(re.findall(r'data-legend="([^"]+)"', seed_html))
    assert {"agree", "disagree", "even", "alignment-width", "bridge"} <= legend
    assert set(graph_style()["changes"]) <= legend
    tabs = re.findall(r'data-view="([^"]+)" aria-pressed', seed_html)
    assert tabs == ["positions", "alignment", "timeline"]


# --- a graph too big to show whole: the overview (kg/render/overview.py) -------------------------

POSITIONS = """PREFIX neg: <https://w3id.org/neg-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?position ?holder ?stance ?target ?method WHERE {
  ?position a neg:Position ; neg:holder ?holder ; neg:target ?target ;
            neg:stance/skos:notation ?stance ; neg:method/skos:notation ?method }"""


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    return {a.iri: a.text for a in load_articles(SEEDS)[0]}


@pytest.fixture(scope="module")
def big_graph(built, seed_texts):
    """The seeds' graph with GENERATED extracted positions more: past page-limits.json's limit."""
    return add_generated_positions(load_built_graph(built), load_articles(SEEDS)[0], GENERATED)


@pytest.fixture(scope="module")
def big_page(big_graph, seed_texts) -> str:
    return graph_page(big_graph, seed_texts).decode("utf-8")


@pytest.fixture(scope="module")
def big_rows(big_graph) -> list[dict[str, str]]:
    return run_query(big_graph, NamedQuery("positions", "", POSITIONS)).records()


def test_a_graph_past_the_limit_opens_on_an_overview_that_says_what_it_left_out(big_page, big_rows):
    limit, total = page_limits()["positions"], len(big_rows)
    positions = page_data(big_page)["meta"]["positions"]
    assert len(positions) == limit < total
    assert sum(e["kind"] == "position" for e in page_data(big_page)["edges"]) == limit
    notice = re.search(r'<p id="kg-overview" role="note">(.*?)</p>', big_page, re.S)
    assert notice, "no notice"
    assert f"this page shows {limit:,} of {total:,} positions: all 64 curated ones" in notice.group(1)
    assert "graph.ttl" in notice.group(1) and "kg query" in notice.group(1)


def test_the_overview_keeps_curated_positions_then_one_per_claim_then_repeats_on_top_proposals(
    big_page, big_rows
):
    kept = page_data(big_page)["meta"]["positions"]
    assert {r["position"] for r in big_rows if r["method"] == "curated"} <= set(kept)
    claim = lambda r: (r["holder"], r["stance"], r["target"])  # noqa: E731
    assert {claim(r) for r in big_rows if r["position"] in kept} == {claim(r) for r in big_rows}
    # every claim is shown before any repeat of one, and the repeats shown are on the top proposal
    curated = {claim(r) for r in big_rows if r["method"] == "curated"}
    shown = Counter(claim(r) for r in big_rows if r["method"] == "extracted" and r["position"] in kept)
    repeated = {c[2] for c, n in shown.items() if n > 1 or c in curated}
    discussed = Counter(r["target"] for r in big_rows)
    assert repeated == {max(sorted(discussed), key=discussed.__getitem__)}  # repeats: the top proposal


def test_the_overview_holds_only_the_nodes_articles_and_analysis_of_its_positions(big_page):
    data = page_data(big_page)
    meta = data["meta"]
    ends = {p[k] for p in meta["positions"].values() for k in ("holder", "target")}
    assert {n["id"] for n in data["nodes"]} == set(meta["nodes"]) == ends | {b for _, b in meta["speaksFor"]}
    assert set(meta["articles"]) == {e["article"] for p in meta["positions"].values() for e in p["evidence"]}
    for analysis in [data["analysis"], *data["analysis"]["variants"].values()]:
        entries = [e["position"] for line in analysis["timelines"].values() for e in line]
        current = [p for party in analysis["alignment"]["current"].values() for p in party.values()]
        assert entries and set(entries + current) <= set(meta["positions"])


def test_the_overview_is_the_same_bytes_whatever_the_insertion_order_and_engine(built, big_page, seed_texts):
    again = add_generated_positions(load_built_graph(built), load_articles(SEEDS)[0], GENERATED, reverse=True)
    assert graph_page(oxigraph_of_trig(serialize(again, "trig")), seed_texts).decode("utf-8") == big_page


def test_a_small_graph_has_no_overview_notice(seed_html):
    assert 'id="kg-overview"' not in seed_html


def test_curated_positions_past_the_limit_are_cut_by_proposal_and_said_so():
    view = _generated_view(100)  # 150 curated positions: make every fifth one extracted
    extracted = {p.id for i, p in enumerate(view.positions) if i % 5 == 0}
    view = replace(
        view,
        positions=tuple(replace(p, method="extracted") if p.id in extracted else p for p in view.positions),
    )
    small = select_overview(view, limit=40)
    curated = [p for p in view.positions if p.method == "curated"]
    counts = Counter(p.target for p in view.positions)
    ranked = sorted({p.target for p in curated}, key=lambda t: (-counts[t], t))
    kept = {p.target for p in small.positions}
    assert len(small.positions) == 40 and all(p.method == "curated" for p in small.positions)
    assert kept == set(ranked[: len(kept)])  # the most-discussed proposals (of any method's positions)
    assert (small.overview.first.kept, small.overview.first.of) == (40, len(curated))
    assert f"shows 40 of 150 positions: 40 of the {len(curated)} curated ones, on the " in render_html(small)
