"""Read the positions for analysis with one SPARQL SELECT, and run every analysis over them.

The analysis never joins positions with each other in SPARQL (on 100,000 positions such a
self-join takes minutes on rdflib): ``read_positions`` runs one SELECT over the positions
(``kg/queries/analysis-positions.rq``) and one over actors, proposals and articles
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

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import networkx as nx
from rdflib import Graph

from kg.alignment import (
    Alignment,
    Bridge,
    Contest,
    StanceMatrix,
    alignment_graph,
    alignments,
    bridges,
    coalitions,
    contested_proposals,
    current_stances,
    stance_matrix,
)
from kg.resources import package_file
from kg.stances import PositionSet, StanceRecord
from kg.timeline import PositionChange, SingleSourceClaim, position_changes, single_source_claims, timelines

__all__ = ["Analysis", "LEVELS", "analysis_query", "analyze", "read_positions", "select_rows"]

LEVELS = ("party", "holder")
_ANCESTRY_LIMIT = 20  # org:subOrganizationOf chains longer than this are treated as a cycle


def analysis_query(name: str) -> str:
    """The text of one of the analysis input queries (``kg/queries/<name>.rq``)."""
    return package_file("queries", f"{name}.rq").read_text(encoding="utf-8")


def select_rows(source, query: str) -> list[dict[str, str]]:
    """Run a SELECT on an rdflib graph/dataset or a pyoxigraph ``Store``; values as plain strings.

    A pyoxigraph store is queried with its default graph as the union of all named graphs, as an
    rdflib ``Dataset(default_union=True)`` is, and its results are read as SPARQL CSV (far faster
    than one Python object per term). Unbound values are left out of the row.
    """
    if isinstance(source, Graph):
        result = source.query(query)
        names = [str(v) for v in result.vars]
        return [{n: str(v) for n, v in zip(names, row) if v is not None} for row in result]
    import pyoxigraph

    solutions = source.query(query, use_default_graph_as_union=True)
    data = solutions.serialize(format=pyoxigraph.QueryResultsFormat.CSV).decode("utf-8")
    reader = csv.reader(io.StringIO(data, newline=""))
    names = next(reader, [])
    return [{n: v for n, v in zip(names, row) if v} for row in reader]


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


def read_positions(
    source, level: str = "party", methods: tuple[str, ...] = ("curated",)
) -> PositionSet:
    """The positions of an rdflib graph/dataset or pyoxigraph store, as one record per party.

    ``level`` is "party" (count each position for the body spoken for) or "holder";
    ``methods`` selects curated and/or extracted positions.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    context = _context(select_rows(source, analysis_query("analysis-context")))
    by_position: dict[str, dict] = {}
    notation = context.notations
    for row in select_rows(source, analysis_query("analysis-positions")):
        if notation.get(row["method"]) not in methods:
            continue
        entry = by_position.get(row["position"])
        if entry is None:
            entry = by_position[row["position"]] = {"row": row, "sources": {}}
        start = int(row["start"])
        entry["sources"][row["article"]] = min(start, entry["sources"].get(row["article"], start))
    records = []
    for iri, entry in by_position.items():
        row, sources = entry["row"], entry["sources"]
        first = min(sources, key=lambda a: (context.articles.get(a, ("", date.max))[1] or date.max, a))
        for party in _parties(row["holder"], row.get("onBehalfOf"), context, level):
            records.append(
                StanceRecord(
                    position=iri,
                    holder=row["holder"],
                    party=party,
                    stance=notation[row["stance"]],
                    polarity=context.polarity[row["stance"]],
                    target=row["target"],
                    date=date.fromisoformat(row["date"][:10]) if row.get("date") else None,
                    method=notation[row["method"]],
                    sources=tuple(sorted(sources)),
                    modality=notation.get(row.get("modality", "")),
                    on_behalf_of=row.get("onBehalfOf"),
                    first_source=first,
                    offset=sources[first],
                )
            )
    records.sort(key=lambda r: (r.party, r.target, r.order))
    return PositionSet(
        records=tuple(records), labels=context.labels, articles=context.articles, level=level,
        methods=tuple(methods),
    )


@dataclass(frozen=True)
class Analysis:
    """Every analysis of one position set (see ``analyze``); ``to_json`` gives the JSON document."""

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
    records = [r for r in positions.records if as_of is None or r.date is None or r.date <= as_of]
    current = current_stances(records)
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
        timelines=timelines(records),
        changes=position_changes(records),
        single_source=single_source_claims(records),
        alignment_graph=graph,
        current=current,
    )
