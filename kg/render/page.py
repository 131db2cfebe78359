"""Draw the built graph as one self-contained HTML page (``out/graph.html``).

The page's records come from ``kg.render.view``; pyvis builds the vis-network nodes, edges and
options from them; our own Jinja template (autoescape on) writes the page with vis-network's JS
and CSS inlined from the pyvis package, so the page makes no request at all.

Everything that came from an article (quotes, titles, labels) is data, never markup: it travels
as JSON inside ``<script type="application/json">`` with ``<``, ``>`` and ``&`` escaped, and the
page script puts it into the DOM with ``textContent`` only.
"""

from __future__ import annotations

import json
import webbrowser
from dataclasses import asdict, replace
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2
import pyoxigraph
from pyvis.edge import Edge
from pyvis.network import Network
from rdflib import Graph

from kg.corpus import load_articles
from kg.errors import GraphNotBuiltError
from kg.files import write_atomic
from kg.render.layout import layout_positions, physics_iterations
from kg.render.overview import overview_notice
from kg.render.records import GraphView, PositionRecord
from kg.render.style import graph_style, opening_methods
from kg.render.view import load_graph_view
from kg.resources import package_file
from kg.sparql.engines import load_oxigraph

__all__ = [
    "GRAPH_PAGE",
    "PAGE_SCRIPTS",
    "VIEWS",
    "build_network",
    "graph_page",
    "graph_style",
    "open_page",
    "opening_methods",
    "render_built",
    "render_html",
    "write_graph_html",
]

GRAPH_PAGE = "graph.html"
VIEWS = (("positions", "Positions"), ("alignment", "Alignment"), ("timeline", "Timeline"))  # (id, tab label)
_VIS = "templates/lib/vis-9.1.2/"
# The page script's files (kg/render/templates/), inlined in this order into one function scope:
# each defines one module that the files after it use; the test hook comes last.
PAGE_SCRIPTS = (
    "graph-core.js",
    "graph-panel.js",
    "graph-positions.js",
    "graph-filter.js",
    "graph-alignment.js",
    "graph-timeline.js",
    "graph-hook.js",
)


def _edge_options(position: PositionRecord, style: dict) -> dict:
    polarity = style["polarities"].get(position.polarity, {"color": "#555555"})
    stance = style["stances"].get(position.stance, {})
    method = style["methods"].get(position.method, {"opacity": 1.0})
    widths = style["edgeWidth"]
    width = min(widths["max"], widths["base"] + widths["perSource"] * (len(position.evidence) - 1))
    return {
        "color": {
            "color": polarity["color"],
            "highlight": polarity["color"],
            "hover": polarity["color"],
            "opacity": method["opacity"],
        },
        "dashes": stance.get("dashes", False),
        "width": width,
        "kind": "position",
    }


def _parallel_smooth(positions: tuple[PositionRecord, ...]) -> dict[str, dict]:
    """Curve the 2nd, 3rd... edge between the same holder and proposal so each stays visible."""
    seen: dict[tuple[str, str], int] = {}
    smooth = {}
    for position in positions:
        k = seen.get((position.holder, position.target), 0)
        seen[(position.holder, position.target)] = k + 1
        if k:
            kind = "curvedCW" if k % 2 else "curvedCCW"
            smooth[position.id] = {"enabled": True, "type": kind, "roundness": 0.15 * ((k + 1) // 2)}
    return smooth


def _options(node_count: int) -> dict:
    iterations = physics_iterations(node_count)
    physics = iterations > 0
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": node_count > 1000,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
        },
        "nodes": {
            "font": {"size": 18, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "smooth": {"enabled": physics, "type": "continuous", "roundness": 0.3},
            "selectionWidth": 2,
            "hoverWidth": 1.5,
        },
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -90,
                "centralGravity": 0.012,
                "springLength": 130,
                "springConstant": 0.06,
                "avoidOverlap": 0.6,
            },
            "stabilization": {
                "enabled": physics,
                "iterations": iterations,
                "updateInterval": 50,
                "fit": True,
            },
            "minVelocity": 1.0,
        },
    }


def _opening_view(view: GraphView) -> tuple[set[str], set[str]]:
    """Ids of the positions and nodes visible when the page opens (as the page's filters decide)."""
    methods = opening_methods(view)
    positions = {p.id for p in view.positions if p.method in methods}
    if all(p.method in methods for p in view.positions):
        return positions, {n.id for n in view.nodes}
    nodes = {e for p in view.positions if p.id in positions for e in (p.holder, p.target)}
    return positions, nodes


def build_network(view: GraphView) -> Network:
    """The pyvis network: one node per actor and proposal, one edge per position and speaks-for link.

    Elements hidden when the page opens are also left out of the physics, so that the first
    layout is the one of what the reader sees.
    """
    style = graph_style()
    net = Network(directed=True, height="100%", width="100%")  # directed: keeps parallel edges
    shown_positions, shown_nodes = _opening_view(view)
    opening = tuple(p for p in view.positions if p.id in shown_positions)
    coords = layout_positions(replace(view, positions=opening))
    for node in view.nodes:
        kind = style["nodes"][node.kind]
        color = {"background": kind["color"], "border": kind.get("border", kind["color"])}
        x, y = coords[node.id]
        shown = node.id in shown_nodes
        net.add_node(
            node.id,
            label=node.label,
            shape=kind["shape"],
            color=color,
            size=kind["size"],
            x=x,
            y=y,
            kind=node.kind,
            widthConstraint={"maximum": 190},
            hidden=not shown,
            physics=shown,
        )
    # pyvis's add_edge scans the node list for every edge (quadratic); our ids are known to exist
    smooth = _parallel_smooth(view.positions)
    for position in view.positions:
        options = _edge_options(position, style)
        if position.id in smooth:
            options["smooth"] = smooth[position.id]
        shown = position.id in shown_positions
        net.edges.append(
            Edge(
                position.holder,
                position.target,
                True,
                id=position.id,
                hidden=not shown,
                physics=shown,
                **options,
            ).options
        )
    link = style["speaksFor"]
    for member, body in view.speaks_for:
        shown = member in shown_nodes and body in shown_nodes
        net.edges.append(
            Edge(
                member,
                body,
                True,
                id=f"speaksFor {member} {body}",
                kind="speaksFor",
                color={"color": link["color"], "opacity": 0.8},
                dashes=link["dashes"],
                width=1,
                smooth=False,
                hidden=not shown,
                physics=shown,
            ).options
        )
    net.options = _options(len(view.nodes))
    return net


def _script_json(value) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' can close or open a tag."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _inline(text: str, name: str) -> str:
    """Text for a <script> or <style> element, refused if it could end the element early."""
    lowered = text.lower()
    if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
        raise ValueError(f"{name} cannot be inlined safely")
    return text


def _vis_asset(name: str) -> str:
    return _inline(resources.files("pyvis").joinpath(_VIS + name).read_text(encoding="utf-8"), name)


def _page_asset(name: str) -> str:
    return _inline(package_file("render", "templates", name).read_text(encoding="utf-8"), name)


def _page_script() -> str:
    """The page's own script: the files of ``PAGE_SCRIPTS`` in one function scope, so none lands on window."""
    body = "".join(_page_asset(name) for name in PAGE_SCRIPTS)
    return '(function () {\n"use strict";\n' + body + "})();\n"


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(package_file("render", "templates", "graph.html.j2").read_text(encoding="utf-8"))


def _page_data(view: GraphView, net: Network) -> dict:
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    return {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "physics": physics_iterations(len(view.nodes)) > 0,
        "style": graph_style(),
        "meta": {
            "nodes": {n.id: asdict(n) for n in view.nodes},
            "positions": {p.id: asdict(p) for p in view.positions},
            "speaksFor": [list(link) for link in view.speaks_for],
            "articles": {a.id: asdict(a) for a in view.articles},
        },
        "analysis": view.analysis
        or {
            "alignment": {"nodes": [], "edges": [], "coalitions": [], "current": {}},
            "timelines": {},
            "labels": {},
        },
    }


def render_html(view: GraphView, title: str = "Negotiation positions") -> str:
    """The complete page: vis-network, styles, script and data all inline."""
    net = build_network(view)
    return _template().render(
        title=title,
        views=VIEWS,
        style=graph_style(),
        vis_js=_vis_asset("vis-network.min.js"),
        vis_css=_vis_asset("vis-network.css"),
        page_css=_page_asset("graph.css"),
        page_js=_page_script(),
        data_json=_script_json(_page_data(view, net)),
        opening_methods=opening_methods(view),
        counts={"nodes": len(view.nodes), "positions": len(view.positions), "articles": len(view.articles)},
        notice=None if view.overview is None else overview_notice(view.overview),
    )


def graph_page(graph: Graph | pyoxigraph.Store, texts: dict[str, str]) -> bytes:
    """The page for a built graph (rdflib or Oxigraph: the same page), as the UTF-8 bytes of
    ``out/graph.html``."""
    return render_html(load_graph_view(graph, texts)).encode("utf-8")


def write_graph_html(graph: Graph | pyoxigraph.Store, texts: dict[str, str], path: Path) -> Path:
    """Render the built graph and write it atomically to ``path``."""
    write_atomic({path: graph_page(graph, texts)})
    return path


def render_built(out_dir: Path, seeds_dir: Path) -> Path:
    """Re-render ``out/graph.html`` from the built graph and the article texts under ``seeds_dir``."""
    articles, _ = load_articles(seeds_dir)
    return write_graph_html(load_oxigraph(out_dir), {a.iri: a.text for a in articles}, out_dir / GRAPH_PAGE)


def open_page(out_dir: Path) -> tuple[str, bool]:
    """Open ``out/graph.html`` in the default browser: its file URI, and whether a browser took it."""
    path = out_dir / GRAPH_PAGE
    if not path.is_file():
        raise GraphNotBuiltError("no graph page here: run `kg build` first", path)
    uri = path.resolve().as_uri()
    return uri, webbrowser.open(uri)
