"""Benchmark: load time and every named query, rdflib against pyoxigraph, on ~1M triples.

The graph is synthetic but has the real shape: positions written by ``kg.graph.add_position``
from ``Position`` records, actors and proposals with labels and aliases, articles with dates,
the real ontology, and the analysis graph computed by ``kg.analysis.rdf.add_analysis``.
Both engines load the same ``graph.trig`` with the project's own loaders. rdflib runs each
query in a forked process that is killed after ``--rdflib-timeout`` seconds ("timeout").
``kg serve`` (Oxigraph server behind the proxy) is timed over HTTP with the same queries.

    python tests/benchmarks/bench_store.py                 # ~1M triples (1,023,554)
    python tests/benchmarks/bench_store.py --triples 100000
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import pyoxigraph
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SDO, SKOS, XSD
from rdflib.term import Node

from kg.analysis.rdf import add_analysis
from kg.graph import (
    _stance_shortcuts,
    add_curation_activity,
    add_position,
    graph_iri,
    load_ontology,
    new_dataset,
)
from kg.model import Evidence, Position
from kg.namespace import ACTOR, ARTICLE, NEG, POSITION, PROPOSAL
from kg.serve.endpoint import Endpoint
from kg.sparql.engines import load_built_graph, load_oxigraph, run_query
from kg.sparql.queries import bind_parameters, bindings, named_queries

STANCES = (NEG.Propose, NEG.Support, NEG.ConditionalSupport, NEG.Oppose, NEG.Reject)
ACTOR_CLASSES = (NEG.Person, NEG.Country, NEG.Institution, NEG.Group)
TRIPLES_PER_POSITION = 48  # measured: ~29 in the curated graph (1.15 quotes each), ~19 of analysis


def to_oxigraph(term: Node):
    """The pyoxigraph term equal to an rdflib term."""
    if isinstance(term, URIRef):
        try:
            return pyoxigraph.NamedNode(str(term))
        except ValueError as exc:
            raise ValueError(f"not a valid IRI: {str(term)!r} ({exc})") from exc
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        datatype = term.datatype or (RDF.langString if term.language else XSD.string)
        return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(datatype)))
    raise TypeError(f"cannot bind {term!r} as an RDF term")


def synthetic_dataset(triples: int, seed: int = 7):
    """An rdflib Dataset of about ``triples`` triples shaped like a real build."""
    rng = random.Random(seed)
    positions = max(10, triples // TRIPLES_PER_POSITION)
    n_actors, n_proposals = max(8, positions // 25), max(4, positions // 100)
    n_articles = max(4, positions // 10)
    dataset = new_dataset()
    ontology = load_ontology()
    dataset.graph(graph_iri("ontology")).__iadd__(ontology)
    articles = dataset.graph(graph_iri("articles"))
    article_dates = []
    for i in range(n_articles):
        node, day = ARTICLE[f"a{i:06d}"], date(2013, 1, 1) + timedelta(days=i % 700)
        article_dates.append((str(node), day))
        articles.add((node, RDF.type, SDO.NewsArticle))
        articles.add((node, SDO.headline, Literal(f"Headline {i}")))
        articles.add((node, SDO.datePublished, Literal(day, datatype=XSD.date)))
    curated = dataset.graph(graph_iri("curated"))
    actors = [str(ACTOR[f"actor-{i:05d}"]) for i in range(n_actors)]
    countries = actors[: max(2, min(40, n_actors // 10))]  # parties: the analysis pairs them all
    for i, actor in enumerate(actors):
        node = URIRef(actor)
        curated.add((node, RDF.type, ACTOR_CLASSES[i % 4] if actor not in countries else NEG.Country))
        curated.add((node, RDFS.label, Literal(f"Actor {i:05d}", lang="en")))
        curated.add((node, SKOS.altLabel, Literal(f"A{i:05d}", lang="en")))
        curated.add((node, OWL.sameAs, URIRef(f"http://www.wikidata.org/entity/Q{1000 + i}")))
        curated.add((node, NEG.speaksFor, URIRef(countries[i % len(countries)])))
    proposals = [str(PROPOSAL[f"proposal-{i:04d}"]) for i in range(n_proposals)]
    for i, proposal in enumerate(proposals):
        node = URIRef(proposal)
        curated.add((node, RDF.type, NEG.Proposal))
        curated.add((node, RDFS.label, Literal(f"Proposal {i:04d}", lang="en")))
        curated.add((node, SKOS.altLabel, Literal(f"P{i:04d}", lang="en")))
        curated.add((node, SKOS.definition, Literal(f"Definition of proposal {i}", lang="en")))
        curated.add((node, NEG.proposedBy, URIRef(actors[i % n_actors])))
    add_curation_activity(curated)
    shortcuts = _stance_shortcuts(ontology)
    for i in range(positions):
        quotes = []
        for _ in range(2 if rng.random() < 0.15 else 1):
            article, _day = article_dates[rng.randrange(n_articles)]
            start = rng.randrange(0, 5000)
            exact = f'quote {i} with "words"'
            quotes.append(Evidence(article, exact, "before ", " after", start, start + 40))
        extracted = rng.random() < 0.3
        add_position(
            curated,
            Position(
                iri=str(POSITION[f"p{i:07d}"]),
                holder=rng.choice(actors),
                stance=str(rng.choice(STANCES)),
                target=rng.choice(proposals),
                method="extracted" if extracted else "curated",
                evidence=tuple(sorted(set(quotes), key=lambda e: (e.article, e.start))),
                stated_on=date(2013, 1, 1) + timedelta(days=rng.randrange(700)),
                on_behalf_of=countries[i % len(countries)],
                condition="if talks resume" if i % 9 == 0 else None,
                confidence=round(rng.random(), 3) if extracted else None,
                rule="cue-verb" if extracted else None,
            ),
            shortcuts,
        )
    add_analysis(dataset)
    return dataset


def write_trig(dataset, out_dir: Path) -> int:
    """Write the dataset as out_dir/graph.trig with pyoxigraph (rdflib's writer takes minutes)."""
    cache: dict = {}

    def term(t):
        if t not in cache:
            cache[t] = to_oxigraph(t)
        return cache[t]

    quads = [
        pyoxigraph.Quad(term(s), term(p), term(o), pyoxigraph.NamedNode(str(g.identifier)))
        for g in dataset.graphs()
        if len(g)
        for s, p, o in g
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    pyoxigraph.serialize(quads, str(out_dir / "graph.trig"), pyoxigraph.RdfFormat.TRIG)
    return len(quads)


def sample_params() -> dict[str, str]:
    """Parameters for the named queries that take one."""
    return {"actor": "Actor 00007", "proposal": "Proposal 0003", "position": "p0000001"}


_GRAPH = None  # the rdflib dataset, inherited by the forked query processes


def _rdflib_child(conn, name: str, params: dict[str, str]) -> None:
    start = time.perf_counter()
    result = run_query(_GRAPH, named_queries()[name], params)
    conn.send((time.perf_counter() - start, len(result.rows)))


def time_rdflib(out_dir: Path, timeout: float) -> tuple[float, dict[str, tuple[float | None, int | None]]]:
    """rdflib load time and per-query (seconds or None for timeout, rows)."""
    global _GRAPH
    start = time.perf_counter()
    _GRAPH = load_built_graph(out_dir)
    load = time.perf_counter() - start
    context, timings = multiprocessing.get_context("fork"), {}
    for name, query in named_queries().items():
        params = {k: v for k, v in sample_params().items() if k in query.params}
        parent, child = context.Pipe()
        process = context.Process(target=_rdflib_child, args=(child, name, params))
        process.start()
        if parent.poll(timeout):
            timings[name] = parent.recv()
        else:
            timings[name] = (None, None)
            process.kill()
        process.join()
        print(f"  rdflib {name}: {timings[name]}", file=sys.stderr)
    _GRAPH = None
    return load, timings


def time_oxigraph(out_dir: Path, runs: int = 3) -> tuple[float, dict[str, tuple[float, float, int]]]:
    """pyoxigraph load time and per query (median of ``runs``): seconds until the store has
    answered as SPARQL JSON (what ``kg serve`` sends), seconds until ``kg query`` has its rows
    (``OxigraphEngine``: TSV read into rdflib terms), and rows."""
    start = time.perf_counter()
    store = load_oxigraph(out_dir)
    load = time.perf_counter() - start
    timings = {}
    for name, query in named_queries().items():
        params = {k: v for k, v in sample_params().items() if k in query.params}
        text = bind_parameters(query.text, bindings(query, params))
        answers, rows_seconds, rows = [], [], 0
        for _ in range(runs):
            start = time.perf_counter()
            answer = store.query(text, use_default_graph_as_union=True)
            answer.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
            answers.append(time.perf_counter() - start)
            start = time.perf_counter()
            rows = len(run_query(store, query, params).rows)
            rows_seconds.append(time.perf_counter() - start)
        timings[name] = (statistics.median(answers), statistics.median(rows_seconds), rows)
        print(f"  oxigraph {name}: {timings[name]}", file=sys.stderr)
    return load, timings


def time_serve(out_dir: Path, runs: int = 3) -> tuple[float, dict[str, float]]:
    """``kg serve`` start-up time (Oxigraph started and loaded, proxy listening) and per query the
    median seconds until an HTTP client holds the whole SPARQL JSON answer."""
    start = time.perf_counter()
    with Endpoint(out_dir, port=0, timeout=120) as endpoint:
        startup = time.perf_counter() - start
        thread = threading.Thread(target=endpoint.serve_forever, daemon=True)
        thread.start()
        timings = {}
        url, accept = f"{endpoint.url}/query", {"Accept": "application/sparql-results+json"}
        for name, query in named_queries().items():
            params = {k: v for k, v in sample_params().items() if k in query.params}
            text = bind_parameters(query.text, bindings(query, params))
            seconds = []
            for _ in range(runs):
                start = time.perf_counter()
                response = httpx.post(url, data={"query": text}, headers=accept, timeout=300)
                response.raise_for_status()
                seconds.append(time.perf_counter() - start)
            timings[name] = statistics.median(seconds)
            print(f"  kg serve {name}: {timings[name]:.3f}", file=sys.stderr)
        endpoint.shutdown()
        thread.join(10)
    return startup, timings


def _cell(seconds: float | None) -> str:
    return "timeout" if seconds is None else f"{seconds:.3f}"


def report(triples: int, rdflib: tuple, oxigraph: tuple, serve: tuple, timeout: float) -> str:
    """The results as a Markdown table (seconds; ratio = rdflib / oxigraph rows)."""
    lines = [
        f"{triples:,} triples; rdflib per-query cap {timeout:.0f} s",
        "",
        "| step | rdflib s | oxigraph answer s | oxigraph rows s | kg serve s | rdflib/oxigraph | rows |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    load_ratio = rdflib[0] / oxigraph[0]
    lines.append(
        f"| load graph.trig | {rdflib[0]:.1f} | {oxigraph[0]:.1f} | | {serve[0]:.1f} | {load_ratio:.0f}x | |"
    )
    for name, (answer, ox_seconds, rows) in oxigraph[1].items():
        rd_seconds, rd_rows = rdflib[1][name]
        ratio = "—" if rd_seconds is None else f"{rd_seconds / max(ox_seconds, 1e-6):.0f}x"
        if rd_rows is not None and rd_rows != rows:
            ratio += f" (rdflib {rd_rows} rows!)"
        lines.append(
            f"| {name} | {_cell(rd_seconds)} | {answer:.3f} | {ox_seconds:.3f} | {serve[1][name]:.3f} "
            f"| {ratio} | {rows} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--rdflib-timeout", type=float, default=60.0)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="Keep the generated graph here; an existing graph.trig there is reused.",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        out_dir = args.workdir or Path(temp)
        if (out_dir / "graph.trig").is_file():  # a --workdir kept from an earlier run
            count = len(load_oxigraph(out_dir))
        else:
            start = time.perf_counter()
            count = write_trig(synthetic_dataset(args.triples), out_dir)
            print(f"generated {count:,} triples in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        oxigraph = time_oxigraph(out_dir)
        serve = time_serve(out_dir)
        rdflib = time_rdflib(out_dir, args.rdflib_timeout)
        print(report(count, rdflib, oxigraph, serve, args.rdflib_timeout))
        slow = [n for n, (a, r, _) in oxigraph[1].items() if max(a, r) >= 1.0]
        if slow:
            print(f"\nover 1 s on oxigraph: {', '.join(slow)}")
            sys.exit(1)


if __name__ == "__main__":
    main()
