"""Benchmark: the interactive page for generated graphs of 500, 2,000 and 5,000 nodes in headless
Chromium (goal: usable within 5 s at 2,000 nodes).

Run: ``python tests/benchmarks/bench_render.py [--sizes 500 2000 5000] [--repeat 1]``

With ``--built OUT --seeds SEEDS`` it measures the page of a corpus already built there instead
(``kg build --seeds SEEDS --out OUT``): the page step as the build runs it (the TriG loaded into
Oxigraph, the page's records read, the overview chosen, the HTML written), the page's size and
what it holds of the graph, and the same Chromium timings; with ``--built OUT`` alone, the
Chromium timings of OUT/graph.html as the build wrote it.

Each graph has 20 % proposals, 65 % persons, 10 % countries, 5 % groups; about 1.5 positions per
node (a fifth extracted, a tenth conditional, one to three sources each) and every person speaks
for a country. For each size: the Python render time (``kg.render.page.render_html``: layout + pyvis +
template), the page size, and in Chromium (the flags of ``kg.render.screenshot``, 1366x768) the time from
navigation start to the first drawn frame and to a stable layout (physics off; from then on the
page answers clicks at once), plus the time one filter change takes. Baseline measured in the same
run: a seed-sized graph (60 nodes); the table gives each size's stable time as a ratio to it.
Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from kg.corpus import load_articles
from kg.files import built_graph
from kg.render.layout import PHYSICS_NODE_LIMIT, SPRING_NODE_LIMIT, physics_iterations
from kg.render.page import render_html
from kg.render.screenshot import open_chromium
from kg.render.view import (
    ArticleRecord,
    EvidenceRecord,
    GraphView,
    NodeRecord,
    PositionRecord,
    load_graph_view,
)
from kg.sparql.engines import oxigraph_of_trig

STANCES = [
    ("propose", "support"),
    ("support", "support"),
    ("conditional", "support"),
    ("oppose", "oppose"),
    ("reject", "oppose"),
]
GOAL_NODES, GOAL_SECONDS = 2000, 5.0


def generated_view(size: int, seed: int = 1) -> GraphView:
    """A graph of ``size`` nodes shaped like the seeds (see the module docstring)."""
    rng = random.Random(seed)
    kinds = [("proposal", 0.20), ("person", 0.65), ("country", 0.10), ("group", 0.05)]
    nodes, by_kind = [], {}
    for kind, share in kinds:
        for i in range(max(1, round(size * share))):
            node = NodeRecord(f"urn:{kind}:{i}", kind, f"{kind.title()} {i}", (f"{kind} alias {i}",))
            nodes.append(node)
            by_kind.setdefault(kind, []).append(node.id)
    nodes = nodes[:size]
    holders = [n.id for n in nodes if n.kind != "proposal"]
    proposals = by_kind["proposal"]
    text = "Someone said something about a proposal. " * 40
    articles = tuple(
        ArticleRecord(f"urn:article:{i}", f"Article {i}", "2013-05-01", "Wire", text) for i in range(20)
    )
    positions = []
    for i in range(int(size * 1.5)):
        stance, polarity = rng.choice(STANCES)
        evidence = tuple(
            EvidenceRecord(f"urn:article:{rng.randrange(20)}", 0, 15, text[:15])
            for _ in range(rng.randint(1, 3))
        )
        positions.append(
            PositionRecord(
                f"urn:position:{i:06d}",
                rng.choice(holders),
                rng.choice(proposals),
                stance,
                polarity,
                "extracted" if rng.random() < 0.2 else "curated",
                f"2013-{rng.randint(1, 12):02d}-15",
                evidence,
                condition="if asked" if stance == "conditional" else None,
            )
        )
    speaks = tuple((p, rng.choice(by_kind["country"])) for p in by_kind["person"])
    return GraphView(tuple(nodes), tuple(sorted(positions, key=lambda p: p.id)), speaks, articles)


def measure(context, html_path: Path) -> dict[str, float]:
    """Open the page; milliseconds to first draw, to stable layout, for one filter change, for
    showing every position it holds (the Show everything button) and for showing the Alignment tab."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html_path.as_uri())
    page.wait_for_function("document.body.dataset.stable === 'true'", timeout=120_000, polling=50)
    timings = page.evaluate(  # the page's performance marks: milliseconds since navigation
        "(() => { const at = name => performance.getEntriesByName(name)[0].startTime;"
        " return {first: at('kg:first-draw'), stable: at('kg:stable')}; })()"
    )
    started = time.perf_counter()
    page.uncheck("input[name=stance][value=oppose]")
    filter_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    page.click("#kg-filter-reset")
    everything_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    page.click(".kg-view-tab[data-view=alignment]")
    page.locator("#kg-alignment").wait_for(state="visible")
    page.evaluate("new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))")  # drawn
    alignment_ms = (time.perf_counter() - started) * 1000
    page.close()
    if errors:
        raise SystemExit(f"page errors: {errors}")
    return {
        "first": timings["first"],
        "stable": timings["stable"],
        "filter": filter_ms,
        "everything": everything_ms,
        "alignment": alignment_ms,
    }


def _page_step(out: Path, seeds: Path) -> str:
    """The page of the corpus built in ``out``, rendered as the build does, with its timings."""
    articles, _ = load_articles(seeds)
    texts = {a.iri: a.text for a in articles}
    started = time.perf_counter()
    store = oxigraph_of_trig(built_graph(out).read_bytes())
    loaded = time.perf_counter()
    view = load_graph_view(store, texts)
    read = time.perf_counter()
    html = render_html(view)
    drawn = time.perf_counter()
    print(
        f"page step {drawn - started:.1f} s (load {loaded - started:.1f} s, read and analyse "
        f"{read - loaded:.1f} s, render {drawn - read:.1f} s); "
        f"{len(view.nodes)} nodes, {len(view.positions)} positions, {len(view.articles)} articles"
    )
    if view.overview is not None:
        print(f"overview of {view.overview.all_positions} positions, {view.overview.all_articles} articles")
    return html


def bench_built(out: Path, seeds: Path | None, repeat: int) -> int:
    """The page of a built corpus: the page step, its size, what it holds, and Chromium timings;
    without ``seeds``, out/graph.html as the build wrote it (one built by an older version, say)."""
    html = (out / "graph.html").read_text(encoding="utf-8") if seeds is None else _page_step(out, seeds)
    print(f"{len(html.encode()) / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as tmp, open_chromium() as context:
        path = Path(tmp) / "graph.html"
        path.write_text(html, encoding="utf-8")
        runs = [measure(context, path) for _ in range(repeat)]
    best = {k: min(r[k] for r in runs) for k in runs[0]}
    print(
        f"first draw {best['first'] / 1000:.2f} s, stable {best['stable'] / 1000:.2f} s, "
        f"filter {best['filter']:.0f} ms, show everything {best['everything']:.0f} ms, "
        f"alignment tab {best['alignment']:.0f} ms"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--built", type=Path, help="measure the page of the corpus built in this out dir")
    parser.add_argument(
        "--seeds", type=Path, help="with --built: the seeds it was built from (without: time its graph.html)"
    )
    args = parser.parse_args()
    if args.built:
        return bench_built(args.built, args.seeds, args.repeat)
    print(
        f"physics: spring layout + physics up to {SPRING_NODE_LIMIT} nodes, hub layout + "
        f"{physics_iterations(SPRING_NODE_LIMIT + 1)} physics steps up to {PHYSICS_NODE_LIMIT}, "
        "precomputed positions and physics off beyond"
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp, open_chromium() as context:
        for size in [60, *args.sizes]:
            view = generated_view(size)
            started = time.perf_counter()
            html = render_html(view)
            render_s = time.perf_counter() - started
            path = Path(tmp) / f"graph-{size}.html"
            path.write_text(html, encoding="utf-8")
            runs = [measure(context, path) for _ in range(args.repeat)]
            best = {k: min(r[k] for r in runs) for k in runs[0]}
            rows.append((size, len(view.positions), render_s, len(html) / 1e6, best))
    base = rows[0][4]["stable"]
    print(
        f"{'nodes':>6} {'edges':>6} {'render s':>9} {'MB':>5} {'first draw s':>13} {'stable s':>9} "
        f"{'filter ms':>10} {'x seed':>7}"
    )
    for size, edges, render_s, mb, best in rows:
        print(
            f"{size:>6} {edges:>6} {render_s:>9.2f} {mb:>5.1f} {best['first'] / 1000:>13.2f} "
            f"{best['stable'] / 1000:>9.2f} {best['filter']:>10.0f} {best['stable'] / base:>7.1f}"
        )
    goal = next((r for r in rows if r[0] == GOAL_NODES), None)
    if goal is not None:
        usable = goal[4]["stable"] / 1000
        verdict = "met" if usable <= GOAL_SECONDS else "MISSED"
        print(f"goal: {GOAL_NODES} nodes usable within {GOAL_SECONDS:.0f} s: {usable:.2f} s ({verdict})")
        return 0 if usable <= GOAL_SECONDS else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
