"""Read the positions for analysis with one SPARQL SELECT, and run every analysis over them.

The analysis never joins positions with each other in SPARQL (on 100,000 positions such a
self-join takes minutes on rdflib): ``read_positions`` runs one SELECT over the positions
(``kg/analysis/queries/analysis-positions.rq``) and one over actors, proposals and articles
(``analysis-context.rq``); everything else is Python and networkx over plain records.

**Parties.** Alignment, coalitions, contested proposals, timelines and changes are computed per
*party*, the body a position counts for, so that an actor and the body it speaks for are one
voice, never two that trivially agree: the position's ``neg:onBehalfOf`` (else the holder's
single ``neg:speaksFor``, else the holder), rolled up ``org:subOrganizationOf`` (the State
Department counts for the United States). A position on behalf of a ``neg:Group`` with
``org:hasMember`` members (a bloc speaking jointly: "the United States, Britain and France
agreed...") counts for each member. ``level="holder"`` counts every holder as itself instead.

By default only curated positions are analysed: extracted ones are unreviewed candidates.

>>> from kg.graph import new_dataset
>>> analysis = analyze(read_positions(new_dataset()))
>>> analysis.alignments, analysis.coalitions
((), ())
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter

import networkx as nx

from kg.analysis.alignment import (
    Alignment,
    Bridge,
    Contest,
    StanceMatrix,
    alignment_graph,
    alignments,
    bridges,
    coalitions,
    contested_proposals,
    stance_matrix,
)
from kg.analysis.records import CURATED, PositionSet, StanceRecord
from kg.analysis.timeline import (
    PositionChange,
    SingleSourceClaim,
    position_changes,
    single_source_claims,
    timelines,
)
from kg.sparql.engines import run_query
from kg.sparql.queries import NamedQuery, package_query

__all__ = ["Analysis", "LEVELS", "analysis_query", "analyze", "read_positions"]

LEVELS = ("party", "holder")
_ANCESTRY_LIMIT = 20  # org:subOrganizationOf chains longer than this are treated as a cycle


def analysis_query(name: str) -> NamedQuery:
    """One of the analysis input queries (``kg/analysis/queries/<name>.rq``)."""
    return package_query("analysis", "queries", f"{name}.rq")


@dataclass(frozen=True)
class _Context:
    labels: dict[str, str]
    kinds: dict[str, str]
    articles: dict[str, tuple[str, date | None]]
    speaks_for: dict[str, set[str]]
    parent: dict[str, str]
    members: dict[str, set[str]]
    notations: dict[str, str]  # stance, method and modality concepts -> skos:notation
    polarity: dict[str, str]  # stance concept -> polarity notation


def _context(rows: list[dict[str, str]]) -> _Context:
    context = _Context({}, {}, {}, defaultdict(set), {}, defaultdict(set), {}, {})
    for row in rows:
        node, kind, related = row["node"], row["kind"], row.get("related")
        if kind in ("stance", "concept"):
            context.notations[node] = row["label"]
            if related:
                context.polarity[node] = related
        elif kind == "speaksFor":
            context.speaks_for[node].add(related)
        elif kind == "subOrganizationOf":
            context.parent[node] = min(related, context.parent.get(node, related))
        elif kind == "hasMember":
            context.members[node].add(related)
        elif kind == "article":
            published = row.get("date")
            context.articles[node] = (row["label"], date.fromisoformat(published[:10]) if published else None)
            context.labels[node] = row["label"]
        else:
            if "label" in row:
                context.labels.setdefault(node, row["label"])
            if kind != "actor" or node not in context.kinds:
                context.kinds[node] = kind
    return context


def _top_body(body: str, context: _Context) -> str:
    for _ in range(_ANCESTRY_LIMIT):
        if body not in context.parent:
            break
        body = context.parent[body]
    return body


def _parties(holder: str, on_behalf_of: str | None, context: _Context, level: str) -> tuple[str, ...]:
    """The parties one position counts for (see the module docstring)."""
    if level == "holder":
        return (holder,)
    spoken_for = sorted(context.speaks_for.get(holder, ()))
    body = on_behalf_of or (spoken_for[0] if len(spoken_for) == 1 else holder)
    body = _top_body(body, context)
    if context.kinds.get(body) == "group" and context.members.get(body):
        return tuple(sorted({_top_body(m, context) for m in context.members[body]}))
    return (body,)


def read_positions(source, level: str = "party", methods: tuple[str, ...] = (CURATED,)) -> PositionSet:
    """The positions of an rdflib graph/dataset, a pyoxigraph store or any SPARQL engine, per party.

    ``level`` is "party" (count each position for the body spoken for) or "holder";
    ``methods`` selects curated and/or extracted positions.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    context = _context(run_query(source, analysis_query("analysis-context")).records())
    notation = context.notations
    result = run_query(source, analysis_query("analysis-positions"))
    names, rows = result.vars, [["" if t is None else str(t) for t in row] for row in result.rows]
    col = {name: i for i, name in enumerate(names)}
    position, method, article, start = col["position"], col["method"], col["article"], col["start"]
    first_row: dict[str, list[str]] = {}
    sources: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:  # the position rows and the quote rows of the UNION, joined on ?position
        if row[start]:
            offset, seen = int(row[start]), sources[row[position]]
            seen[row[article]] = min(offset, seen.get(row[article], offset))
        elif notation.get(row[method]) in methods:
            first_row[row[position]] = row
    published = {a: (when or date.max, a) for a, (_, when) in context.articles.items()}
    dates: dict[str, date | None] = {"": None}
    parties: dict[tuple[str, str], tuple[str, ...]] = {}
    holder, behalf, stance, target, stated, modality = (
        col[n] for n in ("holder", "onBehalfOf", "stance", "target", "date", "modality")
    )
    records = []
    for iri, row in first_row.items():
        seen = sources.get(iri, {})
        first = min(seen, key=lambda a: published.get(a, (date.max, a)), default="")
        key = (row[holder], row[behalf])
        if key not in parties:
            parties[key] = _parties(row[holder], row[behalf] or None, context, level)
        if row[stated] not in dates:
            dates[row[stated]] = date.fromisoformat(row[stated][:10])
        shared = (
            row[holder],
            notation[row[stance]],
            context.polarity[row[stance]],
            row[target],
            dates[row[stated]],
            notation[row[method]],
            tuple(sorted(seen)),
            notation.get(row[modality]),
            row[behalf] or None,
            first,
            seen.get(first, 0),
        )
        records.extend(StanceRecord(iri, shared[0], party, *shared[1:]) for party in parties[key])
    records.sort(key=attrgetter("party", "target", "position"))
    return PositionSet(
        records=tuple(records),
        labels=context.labels,
        articles=context.articles,
        level=level,
        methods=tuple(methods),
    )


@dataclass(frozen=True)
class Analysis:
    """Every analysis of one position set (see ``analyze``); ``kg.analysis.report`` renders it as
    tables, CSV and JSON, ``kg.analysis.rdf`` as RDF."""

    positions: PositionSet
    as_of: date | None
    matrix: StanceMatrix
    alignments: tuple[Alignment, ...]
    coalitions: tuple[frozenset[str], ...]
    bridges: tuple[Bridge, ...]
    contested: tuple[Contest, ...]
    timelines: dict[tuple[str, str], tuple[StanceRecord, ...]] = field(repr=False)
    changes: tuple[PositionChange, ...]
    single_source: tuple[SingleSourceClaim, ...]
    alignment_graph: nx.Graph = field(repr=False, compare=False)
    current: dict[tuple[str, str], StanceRecord] = field(repr=False, compare=False)

    def label(self, iri: str) -> str:
        """The label of an actor, proposal or article (its IRI when it has none)."""
        return self.positions.label(iri)


def analyze(positions: PositionSet, as_of: date | None = None, seed: int = 0) -> Analysis:
    """Run every analysis: stance matrix, alignment, coalitions, bridges, contested, timelines.

    ``as_of`` ignores positions stated after that date (the state of play on that day);
    ``seed`` fixes the community detection, so the same input always gives the same coalitions.
    """
    records = list(positions.records)
    if as_of is not None:
        records = [r for r in records if r.date is None or r.date <= as_of]
    lines = timelines(records)
    current = {key: line[-1] for key, line in lines.items()}  # = current_stances(records)
    graph = alignment_graph(current, positions.labels)
    groups = coalitions(graph, seed=seed)
    return Analysis(
        positions=positions,
        as_of=as_of,
        matrix=stance_matrix(current, positions.labels),
        alignments=alignments(graph),
        coalitions=groups,
        bridges=bridges(graph, groups, seed=seed),
        contested=contested_proposals(current, positions.labels),
        timelines=lines,
        changes=position_changes(lines),
        single_source=single_source_claims(records),
        alignment_graph=graph,
        current=current,
    )
