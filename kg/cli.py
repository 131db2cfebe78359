"""The ``kg`` command: every command parses options, calls the library, prints the result.

Exit status (as pySHACL's): 0 success; 1 the data does not conform (SHACL violations); 2 a usage
or input error; 3 an environment error (a server or store unreachable, a browser missing).
"""

from __future__ import annotations

import json
import signal
import sys
from datetime import datetime
from pathlib import Path

import click

from kg.build import build as run_build
from kg.curation import curated_graph
from kg.errors import EXIT_INPUT, EXIT_INVALID, ArticleError, KgError
from kg.export import EXPORT_FORMATS, serialize
from kg.files import parse_rdf, write_atomic
from kg.graph import union_graph
from kg.namespace import ARTICLE, NEG
from kg.sparql.engines import ENGINES, load_built_graph, load_oxigraph, open_built
from kg.sparql.queries import named_queries, resolve_query
from kg.sparql.results import FORMATS, format_result
from kg.tables import text_table
from kg.validate import validate_graph
from kg.vocabulary import vocabulary

SEEDS = click.option(
    "--seeds",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("seeds"),
    show_default=True,
    help="Directory with articles.ttl, articles/ and curated/.",
)
OUT = click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Directory the build writes into and queries read from.",
)
RESULT_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table for reading; csv, tsv, json or xml as the SPARQL 1.1 results formats.",
)
JOBS = click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes for extraction (each loads its own spaCy model).",
)
EXIT_STATUS = """\b
Exit status: 0 success; 1 the data does not conform (SHACL violations);
2 a usage or input error; 3 an environment error (server or store
unreachable, browser missing)."""


class KgGroup(click.Group):
    """Turns library errors into one line on stderr and the exit status of their kind."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=KgGroup, epilog=EXIT_STATUS)
@click.version_option(package_name="negotiation-kg")
def main() -> None:
    """Negotiation position knowledge graph: who takes which stance on which proposal, and who said so."""


@main.command()
@SEEDS
@OUT
@JOBS
@click.option("--timings", is_flag=True, help="Print each step's wall and CPU seconds and peak memory.")
def build(seeds: Path, out: Path, jobs: int, timings: bool) -> None:
    """Build the graph from the seeds, validate it, and write out/graph.{ttl,trig,jsonld,html}.

    Extraction results are cached per article in out/cache/extract: a rebuild extracts only the
    articles that are new or whose inputs (text, extractor, lexicons, curated actors and
    proposals) changed.
    """
    report = run_build(seeds, out, jobs=jobs, progress=sys.stderr.isatty())
    actors = ", ".join(f"{n} {t.lower()}" for t, n in report.actors.items())
    stances = ", ".join(f"{n} {method} {stance}" for (method, stance), n in sorted(report.positions.items()))
    cached = report.articles - report.extracted
    click.echo(f"articles:  {report.articles} ({report.extracted} extracted, {cached} from the cache)")
    click.echo(f"actors:    {sum(report.actors.values())} ({actors})")
    click.echo(f"proposals: {report.proposals}")
    click.echo(f"positions: {sum(report.positions.values())} ({stances})")
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    left_out = f" ({len(report.warnings)} extracted candidate(s) left out)" if report.warnings else ""
    click.echo(f"SHACL:     conforms{left_out}")
    click.echo(
        f"wrote {', '.join(str(f) for f in report.files)} ({report.triples} triples, {report.seconds:.1f} s)"
    )
    if timings:
        rows = [[s.stage, f"{s.wall:.2f}", f"{s.cpu:.2f}", f"{s.peak_mib:.0f}"] for s in report.stages]
        click.echo(text_table(["stage", "wall s", "cpu s", "peak MiB"], rows))


def _params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected name=value, got {value!r}", param_hint="--param")
        params[name] = text
    return params


ENDPOINT_USER = click.option("--user", help="User name for the remote store (HTTP Basic or Digest).")
ENDPOINT_PASSWORD = click.option("--password", help="Password for the remote store.")


def _remote(endpoint: str, user: str | None, password: str | None, graph_store: str | None = None):
    from kg.sparql.remote import remote_for

    return remote_for(endpoint, graph_store=graph_store, user=user, password=password)


@main.command()
@click.argument("query", required=False)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and exit.")
@click.option("--param", "-p", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable).")
@RESULT_FORMAT
@click.option(
    "--store",
    "engine",
    type=click.Choice(ENGINES),
    default="oxigraph",
    show_default=True,
    help="Engine for the built graph: Oxigraph (fast at any size), or rdflib (same rows).",
)
@click.option("--endpoint", metavar="URL", help="Run on a remote SPARQL endpoint instead of the built graph.")
@ENDPOINT_USER
@ENDPOINT_PASSWORD
@OUT
def query(
    query: str | None,
    list_queries: bool,
    param: tuple[str, ...],
    fmt: str,
    engine: str,
    endpoint: str | None,
    user: str | None,
    password: str | None,
    out: Path,
) -> None:
    """Run SPARQL on the built graph: a named query, a .rq file, or query text."""
    if list_queries:
        rows = [
            [name, named.description + "".join(f" --param {p}=..." for p in named.params)]
            for name, named in named_queries().items()
        ]
        click.echo(text_table(None, rows))
        return
    if not query:
        raise click.UsageError("give a query (name, .rq file or SPARQL text), or --list")
    named = resolve_query(query)
    source = _remote(endpoint, user, password) if endpoint else open_built(out, engine)
    result = source.query(named, _params(param))
    click.echo(format_result(result, fmt), nl=False)


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXPORT_FORMATS)),
    default="turtle",
    show_default=True,
    help="RDF syntax; trig, nquads and jsonld keep the named graphs, the others write their union.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default stdout)."
)
@OUT
def export(fmt: str, output: Path | None, out: Path) -> None:
    """Write the built graph in an RDF syntax (named graphs kept in trig, nquads, jsonld)."""
    data = serialize(load_built_graph(out), fmt)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        write_atomic({output: data})
        click.echo(f"wrote {output}", err=True)


@main.command()
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An RDF file to validate instead of the built graph.",
)
@OUT
def validate(data: Path | None, out: Path) -> None:
    """Check the built graph (or --data FILE) against ontology/shapes.ttl; exit 1 on violations."""
    graph = union_graph(parse_rdf(data)) if data is not None else union_graph(load_built_graph(out))
    violations = validate_graph(graph)
    for violation in violations:
        click.echo(str(violation))
    if violations:
        click.echo(f"{len(violations)} violation(s)", err=True)
        sys.exit(EXIT_INVALID)
    click.echo(f"conforms ({len(graph)} triples checked)")


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table: print the tables; json: write out/analysis.json instead.",
)
@click.option(
    "--level",
    type=click.Choice(["party", "holder"]),
    default="party",
    show_default=True,
    help="Count positions for the body spoken for (party) or for each holder.",
)
@click.option("--extracted", is_flag=True, help="Include extracted positions (default: curated only).")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only positions stated on or before this date (YYYY-MM-DD).",
)
@OUT
def analyze(fmt: str, level: str, extracted: bool, as_of, out: Path) -> None:
    """Who agrees with whom, coalitions, contested proposals, position timelines; writes out/matrix.csv."""
    from kg.analysis.positions import analyze as run_analysis
    from kg.analysis.positions import read_positions
    from kg.analysis.report import analysis_tables, write_analysis_files

    methods = ("curated", "extracted") if extracted else ("curated",)
    positions = read_positions(load_oxigraph(out), level=level, methods=methods)
    result = run_analysis(positions, as_of=as_of.date() if as_of else None)
    files = write_analysis_files(result, out, with_json=fmt == "json")
    if fmt == "table":
        click.echo(analysis_tables(result), nl=False)
    click.echo(f"wrote {', '.join(str(f) for f in files)}", err=True)


CANDIDATE_COLUMNS = ("id", "holder", "stance", "modality", "target", "conf", "rule", "start", "end", "quote")


def _candidates(candidates) -> str:
    rows = []
    for c in candidates:
        quote = " ".join(c.quote.split())
        rows.append(
            (
                c.id,
                c.holder_label + ("" if c.holder_linked else "*"),
                c.stance,
                c.modality or "",
                c.target_label[:40] + ("" if c.target_linked else "*"),
                f"{c.confidence:.2f}",
                c.rule,
                str(c.start),
                str(c.end),
                quote[:70] + ("…" if len(quote) > 70 else ""),
            )
        )
    return text_table(CANDIDATE_COLUMNS, rows) + "\n"


@main.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "jsonl"]),
    default="table",
    show_default=True,
    help="table: aligned columns for reading; jsonl: one JSON object per candidate.",
)
@JOBS
@SEEDS
def extract_command(files: tuple[Path, ...], fmt: str, jobs: int, seeds: Path) -> None:
    """Print the candidate positions in article FILEs (text or HTML), linked against the curated data.

    Unlinked holders and targets (not in the curated data) are marked with *.
    """
    from kg.extract.pipeline import Extractor
    from kg.ingest import article_text, text_id

    items, failed = [], 0
    for path in files:
        try:
            text = article_text(path)[0]
            items.append((str(ARTICLE[text_id(text)]), text))  # the IRI kg ingest gives it
        except ArticleError as exc:
            click.echo(f"skipped: {exc}", err=True)
            failed += 1
    extractor = Extractor(curated_graph(seeds))
    candidates = extractor.extract_many(items, jobs=jobs, progress=len(items) > 20)
    if fmt == "jsonl":
        for candidate in candidates:
            click.echo(json.dumps(candidate.as_dict(), ensure_ascii=False, sort_keys=True))
    else:
        click.echo(_candidates(candidates), nl=False)
    click.echo(f"{len(candidates)} candidate position(s) in {len(items)} article(s)", err=True)
    if failed and not items:
        raise SystemExit(EXIT_INPUT)


INGEST_LIST_UP_TO = 20  # more articles than this: counts instead of a line (or candidate table) each


@main.command("ingest")
@click.argument("target", required=False)
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A manifest (.csv or .jsonl: file,title,date,publisher,url per row) naming what to ingest.",
)
@click.option("--title", help="Headline of one file (default: the page's title or the first line).")
@click.option(
    "--date",
    "published",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Publication date (YYYY-MM-DD) of every article that has none of its own in a manifest.",
)
@click.option("--publisher", help="Publisher of every article that has none of its own in a manifest.")
@click.option("--url", help="Where one file was published.")
@click.option(
    "--undated",
    type=click.Choice(["refuse", "keep"]),  # kg.ingest.UNDATED
    default="refuse",
    show_default=True,
    help="An article whose date is not found: refuse lists them all and writes nothing; "
    "keep adds them undated.",
)
@click.option(
    "--extract/--no-extract",
    default=True,
    show_default=True,
    help="Extract candidate positions from the new articles into the build's cache (--out).",
)
@SEEDS
@OUT
@JOBS
def ingest_command(
    target, manifest, title, published, publisher, url, undated, extract, seeds: Path, out: Path, jobs: int
) -> None:
    """Add articles to the corpus: a file, a folder (every file, or those its manifest.csv or
    manifest.jsonl lists), a manifest, or an http(s) URL to fetch.

    Dates come from the manifest or --date, else the page's metadata, else a plain dateline at the
    start of the text. Everything is read and checked first: a bad manifest row, an unreadable
    file or a page that cannot be fetched refuses the ingest (every problem listed, nothing
    written); in a folder without a manifest unreadable files are skipped instead.
    """
    from kg.errors import IngestRefused
    from kg.ingest import ingest

    day = published.date() if isinstance(published, datetime) else None
    try:
        report = ingest(
            target,
            seeds,
            manifest=manifest,
            title=title,
            published=day,
            publisher=publisher,
            url=url,
            undated=undated,
            progress=sys.stderr.isatty(),
        )
    except IngestRefused as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(exc.exit_code) from None
    _print_ingest(report, seeds)
    added = report.added
    if added and extract:
        from kg.build import extract_ahead

        iris = {r.article for r in added}
        candidates, extracted = extract_ahead(seeds, out, iris, jobs=jobs, progress=sys.stderr.isatty())
        if len(added) <= INGEST_LIST_UP_TO:
            click.echo(_candidates(candidates), nl=False)
        click.echo(
            f"{len(candidates)} candidate position(s) in {len(added)} article(s) ({extracted} extracted, "
            f"the rest from the cache in {out}); review them with `kg review`",
            err=True,
        )
    if report.results and all(r.status == "skipped" for r in report.results):
        raise SystemExit(EXIT_INPUT)


def _print_ingest(report, seeds: Path) -> None:
    def some(items) -> str:
        shown = ", ".join(str(i) for i in items[:5])
        return shown + (f" and {len(items) - 5} more" if len(items) > 5 else "")

    few = len(report.results) <= INGEST_LIST_UP_TO
    for result in report.results:
        if few or result.status == "skipped":
            click.echo(f"{result.status}: {result.source}: {result.message}", err=result.status == "skipped")
    counts = {s: sum(r.status == s for r in report.results) for s in ("added", "exists", "skipped")}
    if not few:
        click.echo(
            f"{counts['added']} added, {counts['exists']} already in the corpus, {counts['skipped']} skipped"
        )
    if report.left_out:
        click.echo(
            f"warning: {len(report.left_out)} file(s) not in the manifest, left out: {some(report.left_out)}",
            err=True,
        )
    if report.orphans:
        click.echo(
            f"warning: {len(report.orphans)} file(s) in {seeds} that articles.ttl does not list, left by an "
            f"interrupted ingest: {some(report.orphans)}; ingest their sources again to complete them, "
            "or delete them",
            err=True,
        )


@main.command("review")
@click.option("--list", "list_only", is_flag=True, help="List the candidates waiting for review and exit.")
@click.option("--accept", "accept_ids", multiple=True, metavar="ID", help="Accept a candidate (repeatable).")
@click.option("--reject", "reject_ids", multiple=True, metavar="ID", help="Reject a candidate (repeatable).")
@click.option("--correct", "correct_id", metavar="ID", help="Accept a candidate with corrections:")
@click.option("--holder", help="with --correct: actor IRI or label.")
@click.option(
    "--stance",
    type=click.Choice(vocabulary().stances.notations),
    help="with --correct: the right stance.",
)
@click.option("--target", help="with --correct: proposal IRI or label.")
@click.option("--condition", help="with --correct: the condition of a conditional stance.")
@SEEDS
def review_command(
    list_only, accept_ids, reject_ids, correct_id, holder, stance, target, condition, seeds: Path
) -> None:
    """Walk the extracted positions no curated position confirms: accept, correct or reject each.

    Without options it asks about each candidate in turn; with --accept/--reject/--correct it
    acts on the given ids (from --list) and asks nothing.
    """
    from kg.extract import review

    items = review.pending(seeds)
    if list_only:
        click.echo(_candidates([i.candidate for i in items]), nl=False)
        return
    if accept_ids or reject_ids or correct_id:
        for ident in accept_ids:
            click.echo(f"accepted {ident} -> {review.accept(seeds, ident, items)}")
        for ident in reject_ids:
            click.echo(f"rejected {ident} -> {review.reject(seeds, ident, items)}")
        if correct_id:
            path = review.correct(seeds, correct_id, holder, stance, target, condition, items)
            click.echo(f"corrected {correct_id} -> {path}")
        return
    _interactive(review, items, seeds)


def _interactive(review, items, seeds: Path) -> None:
    if not items:
        click.echo("nothing to review")
    for number, item in enumerate(items, start=1):
        c = item.candidate
        click.echo(
            f"\n[{number}/{len(items)}] {c.id}  {c.holder_label} {c.stance} {c.target_label}"
            f"  ({c.rule}, {c.confidence:.2f}{', ' + c.modality if c.modality else ''})"
        )
        click.echo(f"  {item.sentence}")
        choice = click.prompt(
            "  [a]ccept, [c]orrect, [r]eject, [s]kip, [q]uit",
            type=click.Choice(list("acrsq")),
            default="s",
            show_choices=False,
        )
        if choice == "q":
            return
        try:
            if choice == "a":
                click.echo(f"  accepted -> {review.accept(seeds, c.id, items)}")
            elif choice == "r":
                click.echo(f"  rejected -> {review.reject(seeds, c.id, items)}")
            elif choice == "c":
                holder = click.prompt("  holder (IRI or label)", default=c.holder_label)
                stance = click.prompt(
                    "  stance",
                    default=c.stance,
                    type=click.Choice(vocabulary().stances.notations),
                )
                target = click.prompt("  target (IRI or label)", default=c.target_label)
                condition = c.condition
                if stance == vocabulary().stances[NEG.ConditionalSupport].notation:
                    condition = click.prompt("  condition", default=c.condition or "")
                path = review.correct(seeds, c.id, holder, stance, target, condition, items)
                click.echo(f"  corrected -> {path}")
        except KgError as exc:
            click.echo(f"  error: {exc}", err=True)


@main.command("eval")
@click.option(
    "--details/--no-details",
    default=True,
    show_default=True,
    help="List every miss and false alarm with its sentence.",
)
@SEEDS
def eval_command(details: bool, seeds: Path) -> None:
    """Score extracted positions against the curated ones: precision, recall, F1, misses, false alarms."""
    from kg.extract.evaluate import evaluate, format_report, load_gold
    from kg.extract.pipeline import Extractor

    articles, gold, bodies, curated = load_gold(seeds)
    candidates = Extractor(curated).extract_articles(articles)
    click.echo(format_report(evaluate(articles, gold, candidates, bodies), details), nl=False)


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (loopback only unless you say otherwise).",
)
@click.option(
    "--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port."
)
@click.option(
    "--timeout",
    default=30,
    show_default=True,
    type=click.IntRange(1),
    help="Seconds a query may run before it is stopped.",
)
@click.option(
    "--max-body-kib",
    default=1024,
    show_default=True,
    type=click.IntRange(1),
    help="Largest request body (a POSTed query) in KiB; a larger one is refused with 413.",
)
@click.option(
    "--allow-host",
    multiple=True,
    metavar="NAME",
    help="Also answer requests addressed to NAME (Host header), e.g. a proxy's name; '*' for any. "
    "By default only the listening address and its loopback names.",
)
@OUT
def serve(
    host: str, port: int, timeout: int, max_body_kib: int, allow_host: tuple[str, ...], out: Path
) -> None:
    """Serve the built graph as a read-only SPARQL endpoint with a query page (Oxigraph server)."""
    from kg.serve.app import Limits
    from kg.serve.endpoint import Endpoint

    def stop(signum, frame):  # `kill`, a service manager: stop as on Ctrl-C, Oxigraph server included
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        limits = Limits(body=max_body_kib * 1024)
        with Endpoint(
            out, host=host, port=port, timeout=timeout, limits=limits, allowed_hosts=allow_host
        ) as endpoint:
            click.echo(f"query page:      {endpoint.url}/")
            click.echo(f"SPARQL endpoint: {endpoint.url}/query (read-only, {timeout} s limit); Ctrl-C stops")
            try:
                endpoint.serve_forever()
            except KeyboardInterrupt:
                click.echo("stopped", err=True)
    finally:
        signal.signal(signal.SIGTERM, previous)


@main.command()
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The store: its base URL (Oxigraph), dataset URL (Fuseki) or query endpoint.",
)
@click.option("--graph-store", metavar="URL", help="Graph Store Protocol URL, when it cannot be derived.")
@ENDPOINT_USER
@ENDPOINT_PASSWORD
@OUT
def push(endpoint: str, graph_store: str | None, user: str | None, password: str | None, out: Path) -> None:
    """Publish each named graph to a SPARQL store (Graph Store Protocol PUT), then check the counts."""
    from kg.sparql.remote import check_counts
    from kg.sparql.remote import push as run_push

    remote = _remote(endpoint, user, password, graph_store)
    pushed = run_push(out, remote)
    click.echo(f"replaced {len(pushed)} graphs at {remote.store_url}; triples counted at {remote.query_url}:")
    rows = [[g.iri, str(g.sent), str(g.stored), "ok" if g.sent == g.stored else "MISMATCH"] for g in pushed]
    click.echo(text_table(["graph", "sent", "in store", ""], rows))
    check_counts(pushed)


@main.command()
@click.argument("query")
@click.option(
    "--endpoint", required=True, metavar="URL", help="The remote SPARQL endpoint (or store base URL)."
)
@click.option("--param", "-p", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable).")
@RESULT_FORMAT
@ENDPOINT_USER
@ENDPOINT_PASSWORD
def pull(
    query: str, endpoint: str, param: tuple[str, ...], fmt: str, user: str | None, password: str | None
) -> None:
    """Run a named query (or .rq file, or text) on a remote SPARQL endpoint: kg query --endpoint."""
    result = _remote(endpoint, user, password).query(resolve_query(query), _params(param))
    click.echo(format_result(result, fmt), nl=False)


@main.command()
@SEEDS
@OUT
def render(seeds: Path, out: Path) -> None:
    """Re-draw out/graph.html (the interactive graph) from the built graph and the article texts."""
    from kg.render.page import render_built

    click.echo(f"wrote {render_built(out, seeds)}")


@main.command()
@OUT
def view(out: Path) -> None:
    """Open out/graph.html, the interactive graph, in the default web browser."""
    from kg.render.page import open_page

    uri, opened = open_page(out)
    click.echo(f"opened {uri}" if opened else f"no default browser found: open {uri} in one")


@main.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="PNG file to write (default: graph.png in the --out directory).",
)
@click.option("--width", type=int, default=1366, show_default=True, help="Viewport width in pixels.")
@click.option("--height", type=int, default=768, show_default=True, help="Viewport height in pixels.")
@OUT
def screenshot(output: Path | None, width: int, height: int, out: Path) -> None:
    """Take a PNG of out/graph.html in headless Chromium, once its layout has settled."""
    from kg.render.page import GRAPH_PAGE
    from kg.render.screenshot import take_screenshot

    png = output if output is not None else out / "graph.png"
    click.echo(f"wrote {take_screenshot(out / GRAPH_PAGE, png, width, height)}")


if __name__ == "__main__":
    main()
