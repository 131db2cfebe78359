"""Benchmark: extraction throughput against spaCy's own, on articles recombined from the seeds.

Run: ``python tests/benchmarks/bench_extract.py [--articles 500] [--paragraphs 8] [--jobs 1]``

The corpus is generated from the seed articles (seeded random, so every run reads the same
texts): each article is a seed headline followed by paragraphs drawn from all five seeds. The
baseline is spaCy alone, ``nlp.pipe`` with the very pipeline the extractor uses (the same
model, lemmatizer excluded, the paragraph-break component) over the same texts, with
``n_process`` = ``--jobs``; then the extractor (``Extractor.extract_many``, parses not reused,
``--jobs`` processes, progress bar) runs over them. Reported: words per second of both (CPU
time with one process, wall time with several) and their ratio (goal: the extractor keeps at
least 0.8 of spaCy's throughput).
Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from rdflib import Graph

from kg.extract import Extractor, load_nlp, model_info
from kg.extract.attribution import paragraphs

ROOT = Path(__file__).resolve().parents[2]


def corpus(count: int, size: int, seed: int = 13) -> list[tuple[str, str]]:
    """``count`` articles of a headline and ``size`` paragraphs recombined from the seeds."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds" / "articles").glob("*.txt"))]
    heads = [t.strip().splitlines()[0] for t in texts]
    pool = [t[s:e] for t in texts for s, e in paragraphs(t)[1:]]
    rng = random.Random(seed)
    return [
        (f"urn:bench:{i}", rng.choice(heads) + "\n\n" + "\n\n".join(rng.sample(pool, size)) + "\n")
        for i in range(count)
    ]


def curated_graph() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "seeds" / "curated").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--paragraphs", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args(argv)

    items = corpus(args.articles, args.paragraphs)
    words = sum(len(text.split()) for _, text in items)
    nlp = load_nlp()
    name, version = model_info(nlp)
    print(f"corpus: {len(items)} articles, {words:,} words; model {name} {version}, pipes {nlp.pipe_names}")

    # One process: CPU time of this process (robust when other work shares the cores);
    # several: wall time (the workers' CPU time is not this process's).
    clock = time.process_time if args.jobs == 1 else time.perf_counter
    started = clock()
    for _ in nlp.pipe((text for _, text in items), batch_size=args.batch_size, n_process=args.jobs):
        pass
    spacy_seconds = clock() - started

    extractor = Extractor(curated_graph(), reuse_parses=False)
    started = clock()
    candidates = extractor.extract_many(items, jobs=args.jobs, progress=True, batch_size=args.batch_size)
    extract_seconds = clock() - started

    spacy_rate, extract_rate = words / spacy_seconds, words / extract_seconds
    ratio = extract_rate / spacy_rate
    unit = "CPU s" if args.jobs == 1 else "s"
    print(f"spaCy alone:  {spacy_seconds:7.1f} {unit}  {spacy_rate:8,.0f} words/s  (jobs={args.jobs})")
    print(
        f"extractor:    {extract_seconds:7.1f} {unit}  {extract_rate:8,.0f} words/s  "
        f"({len(candidates):,} candidates, jobs={args.jobs})"
    )
    verdict = "ok" if ratio >= 0.8 else "MISSED"
    print(f"ratio:        {ratio:.2f} of spaCy's throughput (goal >= 0.80): {verdict}")
    return 0 if ratio >= 0.8 else 1


if __name__ == "__main__":
    sys.exit(main())
