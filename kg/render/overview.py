"""What the page holds of a graph too big to show whole: an overview, and a notice of what it left out.

Up to ``page_limits()["positions"]`` positions (``kg/render/templates/page-limits.json``) the page
holds the whole graph. Past that it holds that many positions, taken in three groups:

1. the positions of the methods the page opens on (the curated ones), so that it opens as it
   would on the full graph;
2. then one position per claim (actor, stance, proposal) not yet shown: in a large corpus most
   extracted positions repeat a claim from another article, and the distinct claims are what
   the network can show;
3. then the repeats.

Within a group, proposal by proposal, the most-discussed (most positions of any method) first,
and within a proposal the positions quoted by most sources, then the most confident, first; the
last proposal taken may be cut short. The page keeps the actors and proposals those positions
join (and the bodies their holders speak for) and the articles they quote, so its size depends
on the limit, not on the corpus. The Alignment and Timeline views count the positions kept.
Everything else is still in the RDF files next to the page, where ``kg query`` sees all of it.

>>> from kg.render.records import GraphView, NodeRecord, PositionRecord
>>> nodes = tuple(NodeRecord(i, k, i) for i, k in (("a", "person"), ("p", "proposal"), ("q", "proposal")))
>>> stances = ("support", "support"), ("oppose", "oppose")  # (stance, polarity)
>>> positions = tuple(PositionRecord(f"x{i}", "a", "pq"[i % 3 == 0], *stances[i % 2], "extracted", None, ())
...     for i in range(6))
>>> small = select_overview(GraphView(nodes, positions, (), ()), limit=3)
>>> sorted((p.target, p.stance) for p in small.positions)  # one per claim, p (most-discussed) first
[('p', 'oppose'), ('p', 'support'), ('q', 'support')]
>>> small.overview.claims, small.overview.repeats.of
(Share(kept=3, of=4, proposals=2, all_proposals=2, partial=True), 2)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from kg.render.records import GraphView, Overview, PositionRecord, Share
from kg.render.style import opening_methods, page_limits

__all__ = ["overview_notice", "select_overview"]

FIRST, CLAIM, REPEAT = range(3)  # the groups, in the order the overview takes them


def _grouped(view: GraphView, first: frozenset[str]) -> list[tuple[int, int, PositionRecord]]:
    """(group, proposal rank, position) for every position, in the order the overview takes them."""
    counts = Counter(p.target for p in view.positions)
    rank = {t: i for i, t in enumerate(sorted(counts, key=lambda t: (-counts[t], t)))}

    def strength(p: PositionRecord) -> tuple:
        return (-len(p.evidence), -(p.confidence or 0.0), p.id)

    seen: set[tuple[str, str, str]] = set()
    grouped = []
    for p in sorted(view.positions, key=lambda p: (p.method not in first, rank[p.target], strength(p))):
        claim = (p.holder, p.stance, p.target)
        group = FIRST if p.method in first else REPEAT if claim in seen else CLAIM
        seen.add(claim)
        grouped.append((group, rank[p.target], p))
    grouped.sort(key=lambda g: (g[0], g[1], strength(g[2])))
    return grouped


def _share(grouped: list[tuple[int, int, PositionRecord]], limit: int, group: int) -> Share:
    ranks = [(i < limit, rank) for i, (g, rank, _) in enumerate(grouped) if g == group]
    kept = [rank for taken, rank in ranks if taken]
    cut = bool(kept) and any(rank == kept[-1] and not taken for taken, rank in ranks)
    return Share(len(kept), len(ranks), len(set(kept)), len({rank for _, rank in ranks}), cut)


def select_overview(view: GraphView, limit: int | None = None) -> GraphView:
    """``view`` as it is when it has at most ``limit`` positions (default: page-limits.json),
    else the overview the module docstring describes, with ``overview`` saying what it holds."""
    limit = page_limits()["positions"] if limit is None else limit
    if len(view.positions) <= limit:
        return view
    opening = opening_methods(view)
    first = opening if any(p.method not in opening for p in view.positions) else frozenset()
    grouped = _grouped(view, first)
    kept = {p.id: p for _, _, p in grouped[:limit]}
    ends = {e for p in kept.values() for e in (p.holder, p.target)}
    links = tuple((m, b) for m, b in view.speaks_for if m in ends)
    nodes = ends | {b for _, b in links}
    quoted = {e.article for p in kept.values() for e in p.evidence}
    articles = tuple(a for a in view.articles if a.id in quoted)
    overview = Overview(
        positions=len(kept),
        all_positions=len(view.positions),
        first_methods=tuple(sorted(first)),
        other_methods=tuple(sorted({p.method for p in view.positions} - first)),
        first=_share(grouped, limit, FIRST),
        claims=_share(grouped, limit, CLAIM),
        repeats=_share(grouped, limit, REPEAT),
        nodes=len(nodes),
        all_nodes=len(view.nodes),
        articles=len(articles),
        all_articles=len(view.articles),
    )
    return replace(
        view,
        nodes=tuple(n for n in view.nodes if n.id in nodes),
        positions=tuple(p for p in view.positions if p.id in kept),
        speaks_for=links,
        articles=articles,
        overview=overview,
    )


def _n(count: int) -> str:
    return f"{count:,}"


def _proposals(share: Share) -> str:
    """Which proposals a group's kept positions are on, in words."""
    if share.kept == share.of:
        return f"all {_n(share.all_proposals)} proposals"
    if share.proposals == 1:
        return f"the most-discussed of {_n(share.all_proposals)} proposals" + (
            " (in part)" if share.partial else ""
        )
    words = f"the {_n(share.proposals)} most-discussed of {_n(share.all_proposals)} proposals"
    return words + (" (the last of them in part)" if share.partial else "")


def overview_notice(overview: Overview) -> str:
    """The page's notice of what it shows of the graph and where the rest is, as one paragraph.

    >>> shares = Share(64, 64, 20, 20, False), Share(1436, 3372, 12, 116, True), Share(0, 9717, 0, 116, False)
    >>> methods = ("curated",), ("extracted",)
    >>> print(overview_notice(Overview(1500, 13153, *methods, *shares, 150, 197, 812, 1005)))
    ... # doctest: +NORMALIZE_WHITESPACE
    Overview: this page shows 1,500 of 13,153 positions: all 64 curated ones, then one extracted
    position per actor, stance and proposal (the best sourced) on the 12 most-discussed of 116
    proposals (the last of them in part); 150 of 197 actors and proposals, and the 812 of 1,005
    articles they quote. The Alignment and Timeline views count these positions only. The full
    graph is in graph.ttl and graph.trig next to this page: ask it with kg query.
    """
    parts = []
    first, others = " and ".join(overview.first_methods), " and ".join(overview.other_methods)
    if overview.first.kept == overview.first.of > 0:
        parts.append(f"all {_n(overview.first.kept)} {first} ones")
    elif overview.first.kept:
        parts.append(f"{_n(overview.first.kept)} of the {_n(overview.first.of)} {first} ones, on ")
        parts[-1] += _proposals(overview.first)
    if overview.claims.kept:
        parts.append(f"one {others} position per actor, stance and proposal (the best sourced) on ")
        parts[-1] += _proposals(overview.claims)
    if overview.repeats.kept:
        parts.append(f"the {others} positions that repeat those claims on {_proposals(overview.repeats)}")
    return (
        f"Overview: this page shows {_n(overview.positions)} of {_n(overview.all_positions)} positions: "
        f"{', then '.join(parts)}; {_n(overview.nodes)} of {_n(overview.all_nodes)} actors and proposals, "
        f"and the {_n(overview.articles)} of {_n(overview.all_articles)} articles they quote. The "
        "Alignment and Timeline views count these positions only. The full graph is in graph.ttl and "
        "graph.trig next to this page: ask it with kg query."
    )
