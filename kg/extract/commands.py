"""The ``kg extract``, ``kg ingest``, ``kg review`` and ``kg eval`` commands (thin: options in, library out).

kg/cli.py registers them on the ``kg`` group.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click
from rdflib import Graph

from kg.cli_options import SEEDS
from kg.errors import ArticleError, KgError

__all__ = ["COMMANDS"]


def _curated_graph(seeds: Path) -> Graph:
    """The curated Turtle files as one graph (for linking); empty when there are none."""
    from kg.errors import CurationError
    from kg.turtle import parse_turtle

    graph = Graph()
    for path in sorted((seeds / "curated").glob("*.ttl")):
        parse_turtle(path, CurationError, graph)
    return graph


def _table(candidates) -> str:
    rows = [("id", "holder", "stance", "modality", "target", "conf", "rule", "start", "end", "quote")]
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
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return (
        "\n".join("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=False)) + "  " + r[-1] for r in rows)
        + "\n"
    )


@click.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes.")
@SEEDS
def extract_command(files: tuple[Path, ...], fmt: str, jobs: int, seeds: Path) -> None:
    """Print the candidate positions in article FILEs (text or HTML), linked against the curated data.

    Unlinked holders and targets (not in the curated data) are marked with *.
    """
    from kg.extract.pipeline import Extractor
    from kg.ingest import article_text

    items, failed = [], 0
    for path in files:
        try:
            items.append((path.resolve().as_uri(), article_text(path)[0]))
        except ArticleError as exc:
            click.echo(f"skipped: {exc}", err=True)
            failed += 1
    extractor = Extractor(_curated_graph(seeds))
    candidates = extractor.extract_many(items, jobs=jobs, progress=len(items) > 20)
    if fmt == "jsonl":
        for candidate in candidates:
            click.echo(json.dumps(candidate.as_dict(), ensure_ascii=False, sort_keys=True))
    else:
        click.echo(_table(candidates), nl=False)
    click.echo(f"{len(candidates)} candidate position(s) in {len(items)} article(s)", err=True)
    if failed and not items:
        raise SystemExit(1)


@click.command("ingest")
@click.argument("target", type=click.Path(exists=True, path_type=Path))
@click.option("--title", help="Headline (default: the page's title or the first line).")
@click.option("--date", "published", type=click.DateTime(formats=["%Y-%m-%d"]), help="Publication date.")
@click.option("--publisher", help="Publisher name.")
@click.option("--url", help="Where the article was published.")
@SEEDS
def ingest_command(target: Path, title, published, publisher, url, seeds: Path) -> None:
    """Add article files (or every file under a directory) to the corpus, then extract from them."""
    from kg.extract.pipeline import Extractor
    from kg.ingest import ingest

    day = published.date() if isinstance(published, datetime) else None
    results = ingest(target, seeds, title=title, published=day, publisher=publisher, url=url)
    for result in results:
        click.echo(f"{result.status}: {result.path}: {result.message}", err=result.status == "skipped")
    added = [r for r in results if r.status == "added"]
    if added:
        candidates = Extractor(_curated_graph(seeds)).extract_many([(r.article, r.text) for r in added])
        click.echo(_table(candidates), nl=False)
        click.echo(f"{len(candidates)} candidate position(s); review them with `kg review`", err=True)
    if results and all(r.status == "skipped" for r in results):
        raise SystemExit(1)


@click.command("review")
@click.option("--list", "list_only", is_flag=True, help="List the candidates waiting for review and exit.")
@click.option("--accept", "accept_ids", multiple=True, metavar="ID", help="Accept a candidate (repeatable).")
@click.option("--reject", "reject_ids", multiple=True, metavar="ID", help="Reject a candidate (repeatable).")
@click.option("--correct", "correct_id", metavar="ID", help="Accept a candidate with corrections:")
@click.option("--holder", help="with --correct: actor IRI or label.")
@click.option(
    "--stance",
    type=click.Choice(["propose", "support", "conditional", "oppose", "reject"]),
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
        click.echo(_table([i.candidate for i in items]), nl=False)
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
                    type=click.Choice(["propose", "support", "conditional", "oppose", "reject"]),
                )
                target = click.prompt("  target (IRI or label)", default=c.target_label)
                condition = c.condition
                if stance == "conditional":
                    condition = click.prompt("  condition", default=c.condition or "")
                path = review.correct(seeds, c.id, holder, stance, target, condition, items)
                click.echo(f"  corrected -> {path}")
        except KgError as exc:
            click.echo(f"  error: {exc}", err=True)


@click.command("eval")
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


COMMANDS = (extract_command, ingest_command, review_command, eval_command)
