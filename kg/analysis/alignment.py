"""Who agrees with whom: the stance matrix, pairwise alignment, coalitions, bridges, contested proposals.

Every function works on each party's *current* stance per proposal (its latest position, see
``current_stances``), and returns plain records or a networkx graph.

>>> from kg.analysis.records import StanceRecord
>>> def rec(party, target, stance, polarity):
...     return StanceRecord(f"{party}-{target}", party, party, stance, polarity, target, None,
...                         "curated", ("article",))
>>> current = current_stances([rec("us", "deal", "support", "support"),
...                            rec("ru", "deal", "propose", "support"),
...                            rec("us", "force", "support", "support"),
...                            rec("ru", "force", "reject", "oppose")])
>>> graph = alignment_graph(current)
>>> a = graph.edges["ru", "us"]
>>> a["agree_on"], a["disagree_on"], a["score"]
(('deal',), ('force',), 0.0)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np

from kg.analysis.records import CONDITIONAL, OPPOSE, SUPPORT, StanceRecord

__all__ = [
    "Alignment",
    "Bridge",
    "Contest",
    "StanceMatrix",
    "alignment_graph",
    "alignment_positions",
    "alignment_records",
    "alignments",
    "bridges",
    "coalitions",
    "contested_proposals",
    "current_stances",
    "stance_matrix",
]

BETWEENNESS_SAMPLE = 32  # above this many parties, betweenness is estimated from a seeded sample

Current = Mapping[tuple[str, str], StanceRecord]  # (party, proposal) -> latest record


def _label(labels: Mapping[str, str] | None, iri: str) -> str:
    return (labels or {}).get(iri) or iri.rstrip("/").rsplit("/", 1)[-1]


def current_stances(records: Iterable[StanceRecord]) -> dict[tuple[str, str], StanceRecord]:
    """Each party's latest record per proposal (by date, then by the order the article tells it)."""
    current: dict[tuple[str, str], StanceRecord] = {}
    for record in records:
        key = (record.party, record.target)
        if key not in current or record.order > current[key].order:
            current[key] = record
    return current


@dataclass(frozen=True)
class StanceMatrix:
    """Parties x proposals; ``cell`` gives support, conditional, oppose or unknown."""

    parties: tuple[str, ...]
    proposals: tuple[str, ...]
    cells: Mapping[tuple[str, str], str]

    def cell(self, party: str, proposal: str) -> str:
        """The party's current stance category on the proposal, "unknown" without a position."""
        return self.cells.get((party, proposal), "unknown")


def stance_matrix(current: Current, labels: Mapping[str, str] | None = None) -> StanceMatrix:
    """The stance matrix, parties and proposals sorted by label."""
    parties = sorted({p for p, _ in current}, key=lambda i: (_label(labels, i).casefold(), i))
    proposals = sorted({t for _, t in current}, key=lambda i: (_label(labels, i).casefold(), i))
    cells = {key: record.category for key, record in current.items()}
    return StanceMatrix(tuple(parties), tuple(proposals), cells)


def alignment_graph(current: Current, labels: Mapping[str, str] | None = None) -> nx.Graph:
    """Parties as nodes; an edge for every pair with a shared proposal.

    Edge attributes: ``agreements`` and ``disagreements`` (counts), ``agree_on`` and
    ``disagree_on`` (proposal IRIs), ``score`` = (agreements - disagreements) / shared, from -1
    to 1, and ``weight`` = agreements - disagreements (``alignment_positions`` gives the positions
    behind an edge). Conditional support agrees with support: both have supportive polarity.
    """
    parties = sorted({p for p, _ in current})
    proposals = sorted({t for _, t in current})
    row = {p: i for i, p in enumerate(parties)}
    column = {t: j for j, t in enumerate(proposals)}
    # One boolean row per party: which proposals it currently supports / opposes. Pair counts
    # are then matrix products, and each row's partners come from one vectorised comparison,
    # instead of a Python loop over every pair of parties on every proposal.
    support = np.zeros((len(parties), len(proposals)), dtype=bool)
    oppose = np.zeros_like(support)
    for (party, proposal), record in current.items():
        (support if record.polarity == SUPPORT else oppose)[row[party], column[proposal]] = True
    names = np.array(proposals, dtype=object)
    graph = nx.Graph()
    for party in parties:
        graph.add_node(party, label=_label(labels, party))
    for i in range(len(parties) - 1):
        agree = (support[i] & support[i + 1 :]) | (oppose[i] & oppose[i + 1 :])
        disagree = (support[i] & oppose[i + 1 :]) | (oppose[i] & support[i + 1 :])
        yes_count, no_count = agree.sum(axis=1), disagree.sum(axis=1)
        for k in np.flatnonzero(yes_count + no_count):
            yes, no = tuple(names[agree[k]]), tuple(names[disagree[k]])
            graph.add_edge(
                parties[i],
                parties[i + 1 + k],
                agreements=len(yes),
                disagreements=len(no),
                agree_on=yes,
                disagree_on=no,
                score=(len(yes) - len(no)) / (len(yes) + len(no)),
                weight=len(yes) - len(no),
            )
    return graph


@dataclass(frozen=True)
class Alignment:
    """How far two parties agree over the proposals both take a stance on."""

    party_a: str
    party_b: str
    agree_on: tuple[str, ...]
    disagree_on: tuple[str, ...]

    @property
    def shared(self) -> int:
        """The number of proposals both parties take a stance on."""
        return len(self.agree_on) + len(self.disagree_on)

    @property
    def score(self) -> float | None:
        """(agreements - disagreements) / shared, from -1 to 1; None when nothing is shared."""
        return (len(self.agree_on) - len(self.disagree_on)) / self.shared if self.shared else None


def alignment_positions(current: Current, alignment: Alignment) -> tuple[str, ...]:
    """The positions an alignment rests on: both parties' current positions on the shared proposals."""
    parties = (alignment.party_a, alignment.party_b)
    return tuple(
        sorted(
            {current[(p, t)].position for t in alignment.agree_on + alignment.disagree_on for p in parties}
        )
    )


def alignments(graph: nx.Graph) -> tuple[Alignment, ...]:
    """Every edge of the alignment graph as a record, most shared proposals first."""
    records = [
        Alignment(*sorted((a, b)), data["agree_on"], data["disagree_on"])
        for a, b, data in graph.edges(data=True)
    ]
    return tuple(sorted(records, key=lambda r: (-r.shared, -(r.score or 0), r.party_a, r.party_b)))


def coalitions(graph: nx.Graph, seed: int = 0) -> tuple[frozenset[str], ...]:
    """Communities (Louvain, fixed ``seed``) of the graph of net agreement.

    Only pairs that agree more than they disagree are linked, weighted by their score, so a
    coalition is a group whose members mostly agree whenever they both take a stance (two parties
    that meet on many proposals do not outweigh two that never differ). A party with no such
    partner stands alone. Largest coalitions first.
    """
    net = _net_agreement(graph)
    if not net.number_of_edges():
        groups = [{n} for n in net.nodes]
    else:
        groups = nx.community.louvain_communities(net, weight="weight", seed=seed)
    return tuple(sorted((frozenset(g) for g in groups), key=lambda g: (-len(g), sorted(g))))


@dataclass(frozen=True)
class Bridge:
    """A party that links coalitions: it agrees with members of several of them."""

    party: str
    betweenness: float
    coalitions: tuple[int, ...]  # indexes into the coalitions tuple


def _net_agreement(graph: nx.Graph) -> nx.Graph:
    """The pairs that agree more than they disagree, weighted by score (nodes: every party)."""
    net = nx.Graph()
    net.add_nodes_from(sorted(graph.nodes))
    net.add_weighted_edges_from(
        sorted((a, b, d["score"]) for a, b, d in graph.edges(data=True) if d["score"] > 0)
    )
    return net


def bridges(graph: nx.Graph, groups: tuple[frozenset[str], ...], seed: int = 0) -> tuple[Bridge, ...]:
    """Parties on the shortest paths of net agreement between others, with partners in 2+ coalitions.

    Betweenness is computed on the graph of net agreement (as for ``coalitions``), each edge as
    long as 1 / score; above BETWEENNESS_SAMPLE parties it is estimated from that many sources
    chosen with ``seed`` (exact below), which keeps it to seconds on hundreds of parties.
    """
    net = _net_agreement(graph)
    if net.number_of_edges() == 0:
        return ()
    for *_, data in net.edges(data=True):
        data["distance"] = 1 / data["weight"]
    n = net.number_of_nodes()
    sample = BETWEENNESS_SAMPLE if n > BETWEENNESS_SAMPLE else None
    centrality = nx.betweenness_centrality(net, k=sample, weight="distance", seed=seed)
    member_of = {party: i for i, group in enumerate(groups) for party in group}
    found = []
    for party in sorted(net.nodes):
        reached = {member_of[p] for p in net[party] if p in member_of} | {member_of.get(party, -1)}
        reached.discard(-1)
        if centrality[party] > 0 and len(reached) > 1:
            found.append(Bridge(party, round(centrality[party], 6), tuple(sorted(reached))))
    return tuple(sorted(found, key=lambda b: (-b.betweenness, b.party)))


@dataclass(frozen=True)
class Contest:
    """A proposal that some parties support and others oppose."""

    proposal: str
    supporters: tuple[str, ...]
    conditional: tuple[str, ...]  # conditional supporters (also counted as support)
    opponents: tuple[str, ...]

    @property
    def evenness(self) -> float:
        """1.0 when split down the middle, toward 0 when one side dominates."""
        support = len(self.supporters) + len(self.conditional)
        return min(support, len(self.opponents)) / max(support, len(self.opponents), 1)

    @property
    def conflicts(self) -> int:
        """The number of pairs of parties on opposite sides: grows with both size and evenness."""
        return (len(self.supporters) + len(self.conditional)) * len(self.opponents)


def contested_proposals(current: Current, labels: Mapping[str, str] | None = None) -> tuple[Contest, ...]:
    """Proposals with supporters and opponents, the most pairs of parties split by them first (3
    against 1 is more contested than 1 against 1), then the most evenly split."""
    sides: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for (party, proposal), record in current.items():
        sides[proposal][record.category].append(party)
    contests = [
        Contest(p, tuple(sorted(s[SUPPORT])), tuple(sorted(s[CONDITIONAL])), tuple(sorted(s[OPPOSE])))
        for p, s in sides.items()
        if s[OPPOSE] and (s[SUPPORT] or s[CONDITIONAL])
    ]
    return tuple(
        sorted(
            contests,
            key=lambda c: (-c.conflicts, -c.evenness, _label(labels, c.proposal).casefold(), c.proposal),
        )
    )


def alignment_records(graph: nx.Graph, groups: tuple[frozenset[str], ...] = ()) -> dict:
    """The alignment graph as JSON-ready nodes and edges (for an HTML view or a notebook).

    Nodes carry ``id``, ``label`` and ``coalition`` (index, or None); edges ``source``,
    ``target``, ``agreements``, ``disagreements``, ``score``, ``agreeOn``, ``disagreeOn`` and
    ``sign`` (+1 net agreement, -1 net disagreement, 0 even).
    """
    member_of = {party: i for i, group in enumerate(groups) for party in group}
    nodes = [
        {"id": n, "label": graph.nodes[n].get("label", n), "coalition": member_of.get(n)}
        for n in sorted(graph.nodes)
    ]
    edges = []
    for a, b in sorted(tuple(sorted(e)) for e in graph.edges):
        data = graph.edges[a, b]
        edges.append(
            {
                "source": a,
                "target": b,
                "agreements": data["agreements"],
                "disagreements": data["disagreements"],
                "score": round(data["score"], 6),
                "sign": (data["weight"] > 0) - (data["weight"] < 0),
                "agreeOn": list(data["agree_on"]),
                "disagreeOn": list(data["disagree_on"]),
            }
        )
    return {"nodes": nodes, "edges": edges}
