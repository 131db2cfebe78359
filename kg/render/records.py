"""The plain records the page is drawn from: nodes, positions with their quotes, articles, and
for a graph too big to show whole, what the overview holds of it.

``kg.render.view`` reads them from the built graph, ``kg.render.overview`` chooses part of a big
one, ``kg.render.layout`` and ``kg.render.page`` draw them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ArticleRecord",
    "EvidenceRecord",
    "GraphView",
    "NodeRecord",
    "Overview",
    "PositionRecord",
    "Share",
]


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
class Share:
    """How many positions of one group the overview kept, of how many, on how many proposals."""

    kept: int
    of: int
    proposals: int  # proposals with a kept position of the group
    all_proposals: int  # proposals with any position of the group
    partial: bool  # the last of those proposals was cut short


@dataclass(frozen=True)
class Overview:
    """What the page holds of a graph too big to show whole, group by group (``kg.render.overview``)."""

    positions: int
    all_positions: int
    first_methods: tuple[str, ...]  # the methods the page opens on (none when it opens on all)
    other_methods: tuple[str, ...]
    first: Share
    claims: Share
    repeats: Share
    nodes: int
    all_nodes: int
    articles: int
    all_articles: int


@dataclass(frozen=True)
class GraphView:
    """Everything the page draws: nodes, positions, speaks-for links, the articles, the
    alignment and timeline views' data (``kg.render.analysis_view``; None draws those views empty),
    and for a graph too big to show whole, what the overview holds of it (``kg.render.overview``)."""

    nodes: tuple[NodeRecord, ...]
    positions: tuple[PositionRecord, ...]
    speaks_for: tuple[tuple[str, str], ...]
    articles: tuple[ArticleRecord, ...]
    analysis: dict | None = None
    overview: Overview | None = None
