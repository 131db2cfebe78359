"""Benchmark: a whole corpus through ingest and build, per stage, against spaCy's own parse time.

Run: ``python tests/benchmarks/bench_corpus.py --articles 1000 [--jobs 1]``
     ``python tests/benchmarks/bench_corpus.py --articles 10000 --jobs 2``

A corpus of ``--articles`` generated articles (``tests/generated_corpus.py``: many actors,
proposals, negotiations and sentence patterns; seeded, so every run reads the same texts) is
ingested into a copy of the seeds with its manifest's dates, then built cold (empty cache) by
``kg build --timings`` in its own process, which reports each stage's wall and CPU seconds and
the peak memory so far. In the same run, and as baselines:

- spaCy alone parses the same texts (article bodies and headlines, with the pipeline the
  extractor loads, lemmatizer excluded), one process, CPU seconds;
- the seeds alone are built cold, in their own process (wall seconds);
- one more article is ingested and the corpus rebuilt (its cache warm).

Targets (exit status 1 if one is missed): cold build at most 1.3 x spaCy's parse of the same
texts (CPU seconds, as the build with ``--jobs 1`` is one process; with more jobs the build's
wall time is compared with spaCy's CPU time divided by the jobs); the rebuild after adding one
article at most 3 x the seeds' cold build for 1,000 articles, at most 10 x from 10,000; peak
memory under 4 GiB. Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from generated_corpus import article_texts, write_corpus  # noqa: E402

from kg.extract.pipeline import _headline, load_nlp  # noqa: E402
from kg.ingest import ingest  # noqa: E402

_STAGE = re.compile(r"^(\S[\w ]*?)\s{2,}([\d.]+)\s+([\d.]+)\s+([\d.]+)$")


def _ingest(folder: Path, seeds: Path) -> float:
    """``kg ingest`` of the folder through its manifest (dates, titles, publishers); wall seconds."""
    started = time.perf_counter()
    ingest(folder, seeds)
    return time.perf_counter() - started


def _spacy_seconds(texts: list[str]) -> float:
    """CPU seconds spaCy needs to parse the texts and their headlines, as the extractor does."""
    nlp = load_nlp()
    heads = [h[1] for h in map(_headline, texts) if h]
    started = time.process_time()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    for _ in nlp.pipe(heads, batch_size=16):
        pass
    return time.process_time() - started


def _build(seeds: Path, out: Path, jobs: int) -> tuple[float, list[tuple[str, float, float, float]]]:
    """Run ``kg build --timings`` in its own process: wall seconds and (stage, wall, cpu, peak MiB)."""
    command = [sys.executable, "-m", "kg.cli", "build", "--seeds", str(seeds), "--out", str(out)]
    started = time.perf_counter()
    done = subprocess.run([*command, "--jobs", str(jobs), "--timings"], capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"kg build failed: {done.stderr or done.stdout}")
    stages = [m.groups() for m in map(_STAGE.match, done.stdout.splitlines()) if m and m.group(1) != "stage"]
    return wall, [(name, float(w), float(c), float(p)) for name, w, c, p in stages]


def _table(title: str, stages) -> None:
    print(f"\n{title}")
    print(f"{'stage':<18} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}")
    for name, wall, cpu, peak in stages:
        print(f"{name:<18} {wall:>8.2f} {cpu:>8.2f} {peak:>9.0f}")
    print(f"{'total':<18} {sum(s[1] for s in stages):>8.2f} {sum(s[2] for s in stages):>8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument(
        "--keep", type=Path, help="Keep the corpus, seeds and out here (default: a temp dir)."
    )
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-corpus-"))
    seeds, out, incoming = root / "seeds", root / "out", root / "incoming"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(ROOT / "seeds", seeds)
    write_corpus(incoming, args.articles, seed=7)
    corpus = article_texts(args.articles, seed=7)
    ingest_wall = _ingest(incoming, seeds)
    spacy_cpu = _spacy_seconds([text for _, text, _, _ in corpus])
    words = sum(len(text.split()) for _, text, _, _ in corpus)
    seeds_wall, _ = _build(ROOT / "seeds", root / "seeds-out", 1)
    cold_wall, cold = _build(seeds, out, args.jobs)
    write_corpus(root / "one-more", 1, seed=8)
    ingest(root / "one-more", seeds)
    warm_wall, warm = _build(seeds, out, args.jobs)

    print(f"{args.articles:,} generated articles, {words:,} words; --jobs {args.jobs}")
    print(f"ingest (manifest, no extraction):    {ingest_wall:8.2f} s wall")
    print(f"spaCy parse of the same texts:        {spacy_cpu:8.2f} s CPU ({words / spacy_cpu:,.0f} words/s)")
    print(f"seeds cold build (own process):       {seeds_wall:8.2f} s wall")
    _table(f"cold build ({cold_wall:.2f} s wall for the whole process)", cold)
    _table(f"rebuild after adding one article ({warm_wall:.2f} s wall)", warm)

    cold_cost = sum(s[2] for s in cold) if args.jobs == 1 else cold_wall
    baseline = spacy_cpu if args.jobs == 1 else spacy_cpu / args.jobs
    peak = max(s[3] for s in cold + warm)
    limit = 3 if args.articles <= 1000 else 10
    checks = [
        ("cold build / spaCy parse", cold_cost / baseline, 1.3),
        ("rebuild + 1 / seeds cold build", warm_wall / seeds_wall, limit),
        ("peak memory GiB", peak / 1024, 4.0),
    ]
    print(f"\n{'target':<34} {'measured':>9} {'goal':>6}")
    failed = False
    for name, value, goal in checks:
        mark = "ok" if value <= goal else "MISSED"
        failed |= value > goal
        print(f"{name:<34} {value:>9.2f} {goal:>6.1f}  {mark}")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
