"""The ``kg`` command: a thin layer that parses options, calls the library, prints results."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from kg.build import build as run_build
from kg.cli_options import OUT, SEEDS
from kg.errors import KgError
from kg.export import EXPORT_FORMATS, serialize, write_atomic
from kg.extract.commands import COMMANDS as EXTRACT_COMMANDS
from kg.graph import load_rdf_file, union_graph
from kg.sparql.oxigraph import ENGINES, query_built
from kg.sparql.query import load_built_graph, named_queries, resolve_query
from kg.sparql.results import FORMATS, format_result
from kg.validate import validate_graph


class KgGroup(click.Group):
    """Turns library errors into one line on stderr and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=KgGroup)
@click.version_option(package_name="negotiation-kg")
def main() -> None:
    """Negotiation position knowledge graph: who takes which stance on which proposal, and who said so."""


@main.command()
@SEEDS
@OUT
def build(seeds: Path, out: Path) -> None:
    """Build the graph from the seeds, validate it, and write out/graph.{ttl,trig,jsonld}."""
    report = run_build(seeds, out)
    actors = ", ".join(f"{n} {t.lower()}" for t, n in report.actors.items())
    stances = ", ".join(f"{n} {method} {stance}" for (method, stance), n in sorted(report.positions.items()))
    click.echo(f"articles:  {report.articles}")
    click.echo(f"actors:    {sum(report.actors.values())} ({actors})")
    click.echo(f"proposals: {report.proposals}")
    click.echo(f"positions: {sum(report.positions.values())} ({stances})")
    click.echo("SHACL:     conforms")
    click.echo(
        f"wrote {', '.join(str(f) for f in report.files)} ({report.triples} triples, {report.seconds:.1f} s)"
    )


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
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option(
    "--store",
    "engine",
    type=click.Choice(ENGINES),
    default="rdflib",
    show_default=True,
    help="Engine for the built graph: rdflib, or pyoxigraph (fast, same rows).",
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
        queries = named_queries()
        width = max(len(n) for n in queries)
        for name, named in queries.items():
            params = "".join(f" --param {p}=..." for p in named.params)
            click.echo(f"{name.ljust(width)}  {named.description}{params}")
        return
    if not query:
        raise click.UsageError("give a query (name, .rq file or SPARQL text), or --list")
    named = resolve_query(query)
    if endpoint:
        from kg.sparql.remote import remote_query

        result = remote_query(_remote(endpoint, user, password), named, _params(param))
    else:
        result = query_built(out, named, _params(param), engine)
    click.echo(format_result(result, fmt), nl=False)


@main.command()
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default="turtle", show_default=True)
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
    graph = load_rdf_file(data) if data is not None else union_graph(load_built_graph(out))
    violations = validate_graph(graph)
    for violation in violations:
        click.echo(str(violation))
    if violations:
        click.echo(f"{len(violations)} violation(s)", err=True)
        sys.exit(1)
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
    positions = read_positions(load_built_graph(out), level=level, methods=methods)
    result = run_analysis(positions, as_of=as_of.date() if as_of else None)
    files = write_analysis_files(result, out, with_json=fmt == "json")
    if fmt == "table":
        click.echo(analysis_tables(result), nl=False)
    click.echo(f"wrote {', '.join(str(f) for f in files)}", err=True)


for _command in EXTRACT_COMMANDS:  # kg extract, ingest, review, eval (kg/extract/commands.py)
    main.add_command(_command)


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
    from kg.sparql.remote import RemoteError
    from kg.sparql.remote import push as run_push

    remote = _remote(endpoint, user, password, graph_store)
    pushed = run_push(out, remote)
    width = max(len(p.iri) for p in pushed)
    click.echo(f"replaced {len(pushed)} graphs at {remote.store_url}; triples counted at {remote.query_url}:")
    for graph in pushed:
        mark = "ok" if graph.sent == graph.stored else "MISMATCH"
        click.echo(f"  {graph.iri.ljust(width)}  sent {graph.sent:>8}  in store {graph.stored:>8}  {mark}")
    wrong = [p.iri for p in pushed if p.sent != p.stored]
    if wrong:
        raise RemoteError(f"the store holds other triple counts than were sent for: {', '.join(wrong)}")


@main.command()
@click.argument("query")
@click.option(
    "--endpoint", required=True, metavar="URL", help="The remote SPARQL endpoint (or store base URL)."
)
@click.option("--param", "-p", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@ENDPOINT_USER
@ENDPOINT_PASSWORD
def pull(
    query: str, endpoint: str, param: tuple[str, ...], fmt: str, user: str | None, password: str | None
) -> None:
    """Run a named query (or .rq file, or text) on a remote SPARQL endpoint: kg query --endpoint."""
    from kg.sparql.remote import remote_query

    result = remote_query(_remote(endpoint, user, password), resolve_query(query), _params(param))
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
    default=Path("tests/screenshots/seed-graph.png"),
    show_default=True,
    help="PNG file to write.",
)
@click.option("--width", type=int, default=1366, show_default=True)
@click.option("--height", type=int, default=768, show_default=True)
@OUT
def screenshot(output: Path, width: int, height: int, out: Path) -> None:
    """Take a PNG of out/graph.html in headless Chromium, once its layout has settled."""
    from kg.render.page import GRAPH_PAGE
    from kg.render.screenshot import take_screenshot

    click.echo(f"wrote {take_screenshot(out / GRAPH_PAGE, output, width, height)}")


if __name__ == "__main__":
    main()
