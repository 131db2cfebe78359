"""Benchmark: the full analysis on a generated graph of 100,000 positions (goal: under 10 s).

Run: ``python tests/benchmarks/bench_analysis.py [--positions 100000] [--subset 10000]``

The graph is generated with ``kg.graph.add_position`` (the same RDF the build writes: position,
shortcut, evidence annotation with both selectors, provenance) for 2,000 proposals, 150 countries
in four camps, 600 persons speaking for them, 20 blocs and 5,000 articles; it is loaded into
pyoxigraph. Timed (the 10 s goal): reading the positions (one SELECT) and every analysis; then,
reported apart, the outputs (tables and JSON; the RDF analysis graph on the subset). Baselines
measured in the same run: the same SELECT on rdflib over the first ``--subset`` positions (scaled
linearly), and a SPARQL self-join ("who agrees with whom") on pyoxigraph over that subset against
one SELECT + Python.
Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta

import pyoxigraph
from rdflib import Graph, Literal
from rdflib.namespace import ORG, RDF, RDFS, SDO, XSD

from kg.analysis.alignment import alignment_graph, current_stances
from kg.analysis.positions import analysis_query, analyze, read_positions
from kg.analysis.rdf import analysis_graph
from kg.analysis.report import analysis_json, analysis_tables
from kg.graph import add_position, load_ontology
from kg.model import Evidence, Position
from kg.namespace import ACTOR, ARTICLE, NEG, POSITION, PROPOSAL
from kg.sparql.engines import run_query

STANCES = [NEG.Propose, NEG.Support, NEG.ConditionalSupport, NEG.Oppose, NEG.Reject]
# "Who agrees with whom" as a SPARQL self-join: what the analysis avoids (and it does less: no
# latest stance, no party roll-up, no proposal lists).
NAIVE_SELF_JOIN = """
PREFIX neg: <https://w3id.org/neg-kg/ontology#>
SELECT ?a ?b (SUM(IF(?pa = ?pb, 1, 0)) AS ?agreements) (SUM(IF(?pa != ?pb, 1, 0)) AS ?disagreements)
WHERE {
  ?p1 neg:holder ?a ; neg:target ?t ; neg:stance/neg:polarity ?pa .
  ?p2 neg:holder ?b ; neg:target ?t ; neg:stance/neg:polarity ?pb .
  FILTER (STR(?a) < STR(?b))
} GROUP BY ?a ?b
"""


def select_records(source, query):
    """The rows of ``query`` as plain-string dicts, as the analysis reads them."""
    return run_query(source, query).records()


def entities(
    rng: random.Random, proposals: int, countries: int, persons: int, blocs: int, articles: int
) -> Graph:
    graph = Graph()
    for i in range(countries):
        graph.add((ACTOR[f"country-{i}"], RDF.type, NEG.Country))
        graph.add((ACTOR[f"country-{i}"], RDFS.label, Literal(f"Country {i}", lang="en")))
    for i in range(persons):
        graph.add((ACTOR[f"person-{i}"], RDF.type, NEG.Person))
        graph.add((ACTOR[f"person-{i}"], RDFS.label, Literal(f"Person {i}", lang="en")))
        graph.add((ACTOR[f"person-{i}"], NEG.speaksFor, ACTOR[f"country-{i % countries}"]))
    for i in range(blocs):
        graph.add((ACTOR[f"bloc-{i}"], RDF.type, NEG.Group))
        graph.add((ACTOR[f"bloc-{i}"], RDFS.label, Literal(f"Bloc {i}", lang="en")))
        for member in rng.sample(range(countries), 5):
            graph.add((ACTOR[f"bloc-{i}"], ORG.hasMember, ACTOR[f"country-{member}"]))
    for i in range(proposals):
        graph.add((PROPOSAL[f"proposal-{i}"], RDF.type, NEG.Proposal))
        graph.add((PROPOSAL[f"proposal-{i}"], RDFS.label, Literal(f"Proposal {i}", lang="en")))
    for i in range(articles):
        graph.add((ARTICLE[f"article-{i}"], RDF.type, SDO.NewsArticle))
        graph.add((ARTICLE[f"article-{i}"], SDO.headline, Literal(f"Article {i}")))
        published = date(2012, 1, 1) + timedelta(days=i % 730)
        graph.add((ARTICLE[f"article-{i}"], SDO.datePublished, Literal(published, datatype=XSD.date)))
    return graph


def positions(
    rng: random.Random, count: int, proposals: int, countries: int, persons: int, blocs: int, articles: int
):
    """Positions whose polarity follows each country's camp (4 camps) with 20% noise."""
    camp_view = [[rng.choice((1, -1)) for _ in range(proposals)] for _ in range(4)]
    weights = [1 / (i + 1) ** 0.8 for i in range(proposals)]  # some proposals draw most positions
    targets = rng.choices(range(proposals), weights=weights, k=count)
    for i in range(count):
        roll = rng.random()
        if roll < 0.6:
            person = rng.randrange(persons)
            holder, party = f"person-{person}", person % countries
        elif roll < 0.95:
            party = rng.randrange(countries)
            holder = f"country-{party}"
        else:
            bloc = rng.randrange(blocs)
            holder, party = f"bloc-{bloc}", bloc
        target = targets[i]
        lean = camp_view[party % 4][target] * (1 if rng.random() > 0.2 else -1)
        stance = STANCES[rng.choice((0, 1, 1, 2))] if lean > 0 else STANCES[rng.choice((3, 3, 4))]
        sources = rng.sample(range(articles), rng.choice((1, 1, 2)))
        evidence = tuple(
            Evidence(str(ARTICLE[f"article-{a}"]), f"quote {i}", "", "", 100 + i % 900, 110 + i % 900)
            for a in sorted(sources)
        )
        yield Position(
            iri=str(POSITION[f"generated-{i}"]),
            holder=str(ACTOR[holder]),
            stance=str(stance),
            target=str(PROPOSAL[f"proposal-{target}"]),
            method="curated",
            evidence=evidence,
            stated_on=date(2012, 1, 1) + timedelta(days=rng.randrange(730)),
            on_behalf_of=None if holder.startswith("person") else str(ACTOR[holder]),
        )


class _Triples(list):
    """Collects what ``add_position`` writes without an rdflib store (its indexes are the slow part)."""

    def add(self, triple) -> None:
        self.append(triple)

    def ntriples(self) -> bytes:
        return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in self).encode("utf-8")


def generate(count: int, subset: int) -> tuple[pyoxigraph.Store, Graph]:
    """The full graph in pyoxigraph, and the first ``subset`` positions in an rdflib graph."""
    rng = random.Random(20130914)
    sizes = dict(proposals=2000, countries=150, persons=600, blocs=20, articles=5000)
    ontology = load_ontology()
    shortcuts = {str(s): o for s, o in ontology.subject_objects(NEG.shortcut)}
    base = ontology + entities(rng, **sizes)
    store = pyoxigraph.Store()
    store.bulk_load(base.serialize(format="nt").encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    small = Graph()
    small += base
    chunk = _Triples()
    for i, position in enumerate(positions(rng, count, **sizes), start=1):
        add_position(chunk, position, shortcuts)
        if i <= subset:
            add_position(small, position, shortcuts)
        if i % 10_000 == 0 or i == count:
            store.bulk_load(chunk.ntriples(), format=pyoxigraph.RdfFormat.N_TRIPLES)
            chunk = _Triples()
    return store, small


def timed(label: str, function, *args, **kwargs):
    """Run and report wall-clock and CPU seconds; CPU time is what other jobs on the machine do not
    inflate (much), so both are printed. Returns the result and the wall-clock seconds."""
    started, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    print(f"  {label:<44} {seconds:7.2f} s  (CPU {cpu_seconds:6.2f} s)", flush=True)
    return result, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=100_000)
    parser.add_argument("--subset", type=int, default=10_000, help="positions for the rdflib baselines")
    args = parser.parse_args()

    print(f"generating {args.positions:,} positions with kg.graph.add_position ...", flush=True)
    started = time.perf_counter()
    store, small = generate(args.positions, args.subset)
    print(f"  {len(store):,} triples in pyoxigraph ({time.perf_counter() - started:.0f} s to generate)")

    print(f"full analysis, {args.positions:,} positions (pyoxigraph store):")
    cpu = time.process_time()
    position_set, read_s = timed("read positions (1 SELECT + 1 context SELECT)", read_positions, store)
    analysis, analyze_s = timed("analyze (matrix, alignment, coalitions, ...)", analyze, position_set)
    total, total_cpu = read_s + analyze_s, time.process_time() - cpu
    parties, edges = analysis.alignment_graph.number_of_nodes(), analysis.alignment_graph.number_of_edges()
    verdict = "under" if total < 10 else "OVER"
    print(
        f"  {'TOTAL (read + analyze)':<44} {total:7.2f} s  (CPU {total_cpu:6.2f} s; {verdict} the 10 s "
        f"goal; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print(
        f"  {len(position_set.records):,} party records, {parties} parties, {edges:,} aligned pairs, "
        f"{len(analysis.coalitions)} coalitions, {len(analysis.bridges)} bridges, "
        f"{len(analysis.contested):,} contested, {len(analysis.changes):,} changes"
    )
    print("outputs (not in the total):")
    timed("terminal tables", analysis_tables, analysis)
    timed("JSON document", analysis_json, analysis)
    del analysis, position_set

    print(f"baselines on the first {args.subset:,} positions:")
    query = analysis_query("analysis-positions")
    _, ox_s = timed("analysis SELECT, pyoxigraph (full graph)", select_records, store, query)
    _, rdf_s = timed(f"analysis SELECT, rdflib ({args.subset:,} positions)", select_records, small, query)
    scaled = rdf_s * args.positions / args.subset
    print(
        f"  rdflib scaled linearly to {args.positions:,} positions: ~{scaled:.0f} s, "
        f"{scaled / ox_s:.0f}x pyoxigraph on the full graph"
    )
    subset_store = pyoxigraph.Store()
    subset_store.bulk_load(small.serialize(format="nt").encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    _, join_s = timed(
        "SPARQL self-join, pyoxigraph (subset)", lambda: list(subset_store.query(NAIVE_SELF_JOIN))
    )
    _, python_s = timed(
        "one SELECT + alignment_graph (subset)",
        lambda: alignment_graph(current_stances(read_positions(subset_store).records)),
    )
    print(f"  self-join / (one SELECT + Python): {join_s / python_s:.1f}x on the subset")
    # The analysis graph links every alignment to the positions behind it: millions of triples at
    # full scale (6 million, about 5 minutes in rdflib), so it is measured on the subset.
    graph, _ = timed("analysis graph, rdflib (subset)", analysis_graph, analyze(read_positions(subset_store)))
    print(f"  analysis graph of the subset: {len(graph):,} triples")
    return 0 if total < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
