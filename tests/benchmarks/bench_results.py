"""Benchmark: Oxigraph SELECT results into rdflib terms, kg's TSV reader against rdflib's parsers.

Run: ``python tests/benchmarks/bench_results.py [--rows 20833] [--columns 12]``

``OxigraphEngine`` has Oxigraph write its solutions as SPARQL TSV and reads them back with
``kg.sparql.tsv.rows`` (each distinct cell turned into an rdflib term once). This measures that
reader against the alternatives rdflib offers for the same solutions: its SPARQL JSON results
parser and its TSV results parser, all in the same run over the same store. Reported: the best
of three runs of each, and each alternative's time as a ratio of the TSV reader's (the reader
earns its place while the ratios stay well above 1). The default size is the ``positions``
query at 1M triples (``bench_store.py``): 20,833 rows. The rdflib TSV parser is given at most
``--rdflib-tsv-rows`` rows and its time scaled, as it is very slow.
Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import io
import time

import pyoxigraph as ox
from rdflib.query import Result

from kg.sparql import tsv


def _store(rows: int, columns: int) -> ox.Store:
    store = ox.Store()
    quads = []
    for i in range(rows):
        subject = ox.NamedNode(f"https://w3id.org/neg-kg/id/position/p{i}")
        for k in range(columns):
            if k % 2:
                value = ox.NamedNode(f"https://w3id.org/neg-kg/id/actor/a{(i * 7 + k) % 800}")
            else:
                value = ox.Literal(f"label {i % 300} {k}", language="en")
            quads.append(ox.Quad(subject, ox.NamedNode(f"http://x/p{k}"), value, ox.DefaultGraph()))
    store.extend(quads)
    return store


def _best(run, repeat: int = 3) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = run()
        best = min(best, time.perf_counter() - start)
    return best, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_833)
    parser.add_argument("--columns", type=int, default=12)
    parser.add_argument("--rdflib-tsv-rows", type=int, default=2_000)
    args = parser.parse_args()
    store = _store(args.rows, args.columns)
    patterns = " ".join(f"?s <http://x/p{k}> ?o{k} ." for k in range(args.columns))
    query = f"SELECT * WHERE {{ {patterns} }}"
    small = f"{query} LIMIT {args.rdflib_tsv_rows}"

    def serialized(text, fmt):
        return store.query(text).serialize(format=fmt)

    def ours():
        return len(tsv.rows(serialized(query, ox.QueryResultsFormat.TSV))[1])

    def rdflib_json():
        data = serialized(query, ox.QueryResultsFormat.JSON)
        return len(list(Result.parse(io.BytesIO(data), format="json")))

    def rdflib_tsv():
        data = serialized(small, ox.QueryResultsFormat.TSV)
        return len(list(Result.parse(io.BytesIO(data), format="tsv")))

    base, rows = _best(ours)
    print(f"{rows:,} rows of {args.columns} terms")
    print(f"{'reader':<28} {'seconds':>8} {'ratio':>7}")
    print(f"{'kg.sparql.tsv (TSV)':<28} {base:>8.3f} {1.0:>7.2f}")
    seconds, _ = _best(rdflib_json)
    print(f"{'rdflib Result.parse (JSON)':<28} {seconds:>8.3f} {seconds / base:>7.2f}")
    seconds, parsed = _best(rdflib_tsv, repeat=1)
    scaled = seconds * rows / max(parsed, 1)
    note = f"(scaled from {parsed:,} rows)"
    print(f"{'rdflib Result.parse (TSV)':<28} {scaled:>8.3f} {scaled / base:>7.2f}  {note}")


if __name__ == "__main__":
    main()
