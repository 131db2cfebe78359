"""Load the source articles: metadata from ``seeds/articles.ttl``, text from the files it names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SDO

from kg.errors import ArticleError
from kg.files import line_of, parse_turtle
from kg.model import Article
from kg.namespace import NEG

__all__ = ["MAX_ARTICLE_BYTES", "decode_article", "load_articles"]

MAX_ARTICLE_BYTES = 2_000_000


def decode_article(path: Path) -> str:
    """Read an article file as UTF-8 text; refuse binary, non-UTF-8, empty or huge files."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot read article: {exc.strerror}", path) from exc
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(f"article is {len(data):,} bytes, over the {MAX_ARTICLE_BYTES:,}-byte limit", path)
    if b"\x00" in data:
        raise ArticleError("binary file, not article text", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ArticleError(f"not UTF-8 text (byte {exc.start})", path, line) from exc
    if not text.strip():
        raise ArticleError("article is empty", path)
    return text


def _one(graph: Graph, subject: URIRef, predicate: URIRef, path: Path, required: bool = True):
    values = sorted(graph.objects(subject, predicate))
    if len(values) > 1 or (required and not values):
        count = "no" if not values else f"{len(values)}"
        raise ArticleError(
            f"article {subject} has {count} {graph.qname(predicate)} (needs exactly one)",
            path,
            line_of(path, subject, graph),
        )
    return values[0] if values else None


def load_articles(seeds_dir: Path) -> tuple[list[Article], Graph]:
    """Read ``articles.ttl`` and every article file it names; return articles sorted by IRI."""
    meta_path = seeds_dir / "articles.ttl"
    if not meta_path.is_file():
        raise ArticleError("article metadata file is missing", meta_path)
    graph = parse_turtle(meta_path, ArticleError)
    articles = []
    for iri in sorted(graph.subjects(RDF.type, SDO.NewsArticle)):
        source = str(_one(graph, iri, NEG.sourceFile, meta_path))
        path = seeds_dir / source
        if not path.is_file():
            raise ArticleError(
                f"article file {source} named by {iri} does not exist",
                meta_path,
                line_of(meta_path, iri, graph),
            )
        published = _one(graph, iri, SDO.datePublished, meta_path, required=False)
        publisher = _one(graph, iri, SDO.publisher, meta_path, required=False)
        articles.append(
            Article(
                iri=str(iri),
                path=path,
                source_file=source,
                title=str(_one(graph, iri, SDO.headline, meta_path)),
                date=published.toPython() if published is not None else None,
                text=decode_article(path),
                publisher=str(publisher) if publisher is not None else None,
            )
        )
    for article in articles:
        if article.date is not None and not isinstance(article.date, date):
            raise ArticleError(f"{article.iri}: datePublished is not a date", meta_path)
    return articles, graph
