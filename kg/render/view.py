"""What the interactive page shows, read back from the built graph as plain records.

The render queries in ``kg/render/queries`` select nodes, positions, every quote of each
position (``evidence.rq``; the public ``positions`` query shows only the first), articles and
speaks-for links; ``kg.render.analysis_view`` adds the alignment and timeline views' data.
``kg.render.page`` and ``kg.render.layout`` draw from these records only.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph
from rdflib import Graph

from kg.namespace import NEG
from kg.render.analysis_view import analysis_page_data
from kg.sparql.engines import run_query
from kg.sparql.queries import NamedQuery, package_query
from kg.vocabulary import vocabulary

__all__ = ["ArticleRecord", "EvidenceRecord", "GraphView", "NodeRecord", "PositionRecord", "load_graph_view"]


@dataclass(frozen=True)
class NodeRecord:
    """An actor or proposal: its IRI, kind (person, country, institution, group, proposal), names."""

    id: str
    kind: str
    label: str
    aliases: tuple[str, ...] = ()
    definition: str | None = None


@dataclass(frozen=True)
class EvidenceRecord:
    """One quote behind a position: the article and the quote's offsets in its text."""

    article: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class PositionRecord:
    """One position as the page shows it: an edge from holder to proposal."""

    id: str
    holder: str
    target: str
    stance: str
    polarity: str
    method: str
    date: str | None
    evidence: tuple[EvidenceRecord, ...]
    confidence: float | None = None
    condition: str | None = None


@dataclass(frozen=True)
class ArticleRecord:
    """A source article with the text the quotes point into."""

    id: str
    title: str
    date: str | None
    publisher: str | None
    text: str


@dataclass(frozen=True)
class GraphView:
    """Everything the page draws: nodes, positions, speaks-for links, the articles, and the
    alignment and timeline views' data (``kg.render.analysis_view``; None draws those views empty)."""

    nodes: tuple[NodeRecord, ...]
    positions: tuple[PositionRecord, ...]
    speaks_for: tuple[tuple[str, str], ...]
    articles: tuple[ArticleRecord, ...]
    analysis: dict | None = None


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


def load_graph_view(graph: Graph | pyoxigraph.Store, texts: dict[str, str]) -> GraphView:
    """Read what the page shows from the built graph; ``texts`` maps article IRI to its text."""
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
    return GraphView(_nodes(graph), _positions(graph), links, articles, analysis_page_data(graph))
