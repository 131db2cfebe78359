"""What the interactive page shows, read back from the built graph as plain records.

The render queries in ``kg/render/queries`` select nodes, positions, every quote of each
position (``evidence.rq``; the public ``positions`` query shows only the first), articles and
speaks-for links; past a size ``kg.render.overview`` keeps only part of them, and
``kg.render.analysis_view`` adds the alignment and timeline views' data of what is kept.
``kg.render.page`` and ``kg.render.layout`` draw from these records only (``kg.render.records``;
imported from here too).
"""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph
from rdflib import Graph

from kg.namespace import NEG
from kg.render.analysis_view import analysis_page_data
from kg.render.overview import select_overview
from kg.render.records import ArticleRecord, EvidenceRecord, GraphView, NodeRecord, PositionRecord
from kg.sparql.engines import run_query
from kg.sparql.queries import NamedQuery, package_query
from kg.vocabulary import vocabulary

__all__ = ["ArticleRecord", "EvidenceRecord", "GraphView", "NodeRecord", "PositionRecord", "load_graph_view"]


def _text(value) -> str | None:
    return None if value is None else str(value)


def _render_query(name: str) -> NamedQuery:
    return package_query("render", "queries", f"{name}.rq")


def _rows(graph: Graph | pyoxigraph.Store, query: NamedQuery) -> list[dict[str, object]]:
    result = run_query(graph, query)
    return [dict(zip(result.vars, row, strict=True)) for row in result.rows]


def _kinds() -> dict[str, str]:
    """Node class IRI -> the kind the page styles it as: its local name in lower case."""
    classes = [kind.iri for kind in vocabulary().actor_kinds] + [NEG.Proposal]
    return {str(c): str(c).rsplit("#", 1)[-1].lower() for c in classes}


def _nodes(graph: Graph | pyoxigraph.Store) -> tuple[NodeRecord, ...]:
    kinds = _kinds()
    found: dict[str, dict] = {}
    for row in _rows(graph, _render_query("nodes")):
        node = found.setdefault(
            str(row["node"]),
            {
                "kind": kinds[str(row["class"])],
                "label": str(row["label"]),
                "aliases": set(),
                "definition": _text(row["definition"]),
            },
        )
        if row["alias"] is not None:
            node["aliases"].add(str(row["alias"]))
    return tuple(
        NodeRecord(iri, n["kind"], n["label"], tuple(sorted(n["aliases"] - {n["label"]})), n["definition"])
        for iri, n in sorted(found.items())
    )


def _positions(graph: Graph | pyoxigraph.Store) -> tuple[PositionRecord, ...]:
    evidence: dict[str, list[EvidenceRecord]] = {}
    for row in _rows(graph, _render_query("evidence")):
        evidence.setdefault(str(row["position"]), []).append(
            EvidenceRecord(str(row["article"]), int(row["start"]), int(row["end"]), str(row["quote"]))
        )
    positions = {}
    for row in _rows(graph, _render_query("positions")):
        iri = str(row["position"])
        confidence = row["confidence"]
        positions[iri] = PositionRecord(
            id=iri,
            holder=str(row["holder"]),
            target=str(row["target"]),
            stance=str(row["stance"]),
            polarity=str(row["polarity"]),
            method=str(row["method"]),
            date=_text(row["date"]),
            evidence=tuple(sorted(set(evidence.get(iri, [])), key=lambda e: (e.article, e.start))),
            confidence=None if confidence is None else float(confidence),
            condition=_text(row["condition"]),
        )
    return tuple(positions[k] for k in sorted(positions))


def load_graph_view(
    graph: Graph | pyoxigraph.Store, texts: dict[str, str], limit: int | None = None
) -> GraphView:
    """Read what the page shows from the built graph; ``texts`` maps article IRI to its text.

    Past ``limit`` positions (default: ``page-limits.json``) that is an overview
    (``kg.render.overview``), and the alignment and timeline views count its positions only.
    """
    articles = tuple(
        ArticleRecord(
            str(r["article"]),
            str(r["title"]),
            _text(r["published"]),
            _text(r["publisher"]),
            texts.get(str(r["article"]), ""),
        )
        for r in _rows(graph, _render_query("articles"))
    )
    links = tuple((str(r["member"]), str(r["body"])) for r in _rows(graph, _render_query("speaks-for")))
    view = select_overview(GraphView(_nodes(graph), _positions(graph), links, articles), limit)
    kept = None if view.overview is None else frozenset(p.id for p in view.positions)
    return replace(view, analysis=analysis_page_data(graph, kept))
