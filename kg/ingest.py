"""Add new articles to the corpus (``kg ingest``): keep the original, give a stable id, record metadata.

A plain-text file is stored byte for byte; an HTML page is reduced to its article text
(trafilatura) and the page itself is kept beside it. The article id is the first 16 hex digits
of the SHA-256 of the text, so ingesting the same text again does nothing. Metadata is
appended to ``articles.ttl``; the new files and the metadata are written in one atomic step,
so a failed ingest changes nothing. Each bad file (empty, binary, not UTF-8, over
``MAX_ARTICLE_BYTES``, HTML without article text, no date) is reported and skipped.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SDO, XSD

from kg.corpus import MAX_ARTICLE_BYTES, decode_article
from kg.errors import ArticleError
from kg.files import append_turtle, write_atomic
from kg.namespace import ARTICLE, NEG, PUBLISHER, slug

__all__ = ["IngestResult", "MAX_ARTICLE_BYTES", "article_text", "ingest", "text_id"]

_HTML = re.compile(rb"^\s*(<!doctype html|<html|<head|<body)", re.IGNORECASE)
_TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".xhtml"}


@dataclass(frozen=True)
class IngestResult:
    """What happened to one input file."""

    path: Path
    status: str  # added, exists, skipped
    message: str
    article: str | None = None
    text: str | None = None
    date: date | None = None


def text_id(text: str) -> str:
    """The stable id of an article text: 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _is_html(path: Path, data: bytes) -> bool:
    return path.suffix.lower() in (".html", ".htm", ".xhtml") or bool(_HTML.match(data[:512]))


def article_text(path: Path) -> tuple[str, dict[str, str], bytes | None]:
    """(article text, metadata found in the page, raw HTML or None) of one file; ArticleError if unusable."""
    raw = decode_article(path)  # size, binary, UTF-8 and emptiness checks
    data = raw.encode("utf-8")
    if not _is_html(path, data):
        return raw, {}, None
    import trafilatura

    try:
        text = trafilatura.extract(raw, include_comments=False, include_tables=False, favor_precision=True)
        meta = trafilatura.extract_metadata(raw)
    except Exception as exc:  # trafilatura/lxml raise assorted errors on broken markup
        raise ArticleError(f"cannot read the HTML page: {exc}", path) from exc
    if not text or len(text.split()) < 20:
        raise ArticleError("HTML page has no article text (trafilatura found none)", path)
    found = {}
    if meta is not None:
        found = {
            k: v
            for k, v in (
                ("title", meta.title),
                ("date", meta.date),
                ("publisher", meta.sitename),
                ("url", meta.url),
            )
            if v
        }
    # One blank line between paragraphs, as in the plain-text articles (the extractor reads them).
    body = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    return body + "\n", found, data


def _files(target: Path) -> list[Path]:
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [target]


def _known_texts(seeds_dir: Path) -> dict[str, str]:
    """id -> file name of every article text already in the corpus."""
    known = {}
    for path in sorted((seeds_dir / "articles").glob("*.txt")):
        try:
            known[text_id(path.read_bytes().decode("utf-8"))] = path.name
        except (OSError, UnicodeDecodeError):
            continue
    return known


def _metadata(
    iri: URIRef, source: str, title: str, published: date, publisher: str | None, url: str | None
) -> Graph:
    graph = Graph()
    graph.add((iri, RDF.type, SDO.NewsArticle))
    graph.add((iri, SDO.headline, Literal(title)))
    graph.add((iri, SDO.datePublished, Literal(published, datatype=XSD.date)))
    if publisher:
        publisher_iri = PUBLISHER[slug(publisher)]
        graph.add((iri, SDO.publisher, publisher_iri))
        graph.add((publisher_iri, RDF.type, SDO.NewsMediaOrganization))
        graph.add((publisher_iri, RDFS.label, Literal(publisher)))
    if url:
        graph.add((iri, SDO.url, URIRef(url)))
    graph.add((iri, NEG.sourceFile, Literal(source)))
    return graph


def _date(value: str | date | None, path: Path) -> date:
    if isinstance(value, date):
        return value
    if value:
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            pass
    raise ArticleError("no publication date: pass --date YYYY-MM-DD", path)


def _one(path: Path, seeds_dir: Path, known: dict[str, str], options: dict) -> tuple[IngestResult, dict]:
    text, found, html = article_text(path)
    ident = text_id(text)
    if ident in known:
        return IngestResult(path, "exists", f"already in the corpus as articles/{known[ident]}"), {}
    if options.get("url") and not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", options["url"]):
        raise ArticleError(f"not an http(s) URL: {options['url']!r}", path)
    title = options.get("title") or found.get("title") or text.strip().splitlines()[0][:160]
    published = _date(options.get("date") or found.get("date"), path)
    source = f"articles/{ident}.txt"
    iri = ARTICLE[ident]
    files = {seeds_dir / source: text.encode("utf-8")}
    if html is not None:
        files[seeds_dir / "articles" / "raw" / f"{ident}.html"] = html
    meta = _metadata(
        iri,
        source,
        title,
        published,
        options.get("publisher") or found.get("publisher"),
        options.get("url") or found.get("url"),
    )
    known[ident] = f"{ident}.txt"
    result = IngestResult(path, "added", f"added as {source}", str(iri), text, published)
    return result, {"files": files, "meta": meta}


def ingest(
    target: Path,
    seeds_dir: Path,
    title: str | None = None,
    published: date | None = None,
    publisher: str | None = None,
    url: str | None = None,
) -> list[IngestResult]:
    """Ingest a file, or every file under a directory, into ``seeds_dir``; one result per file.

    ``published`` and ``publisher`` may apply to a whole directory; ``title`` and ``url`` only to a file.
    """
    meta_path = seeds_dir / "articles.ttl"
    if not meta_path.is_file():
        raise ArticleError("article metadata file is missing", meta_path)
    if target.is_dir() and (title or url):
        raise ArticleError("--title and --url describe one article: give a file, not a directory", target)
    options = {"title": title, "date": published, "publisher": publisher, "url": url}
    known = _known_texts(seeds_dir)
    results, files, metadata = [], {}, []
    for path in _files(target):
        if target.is_dir() and path.suffix.lower() not in _TEXT_SUFFIXES:
            results.append(
                IngestResult(path, "skipped", f"not a text or HTML file ({path.suffix or 'no suffix'})")
            )
            continue
        try:
            result, staged = _one(path, seeds_dir, known, options)
        except ArticleError as exc:
            results.append(IngestResult(path, "skipped", exc.message))
            continue
        results.append(result)
        if staged:
            files.update(staged["files"])
            metadata.append(staged["meta"])
    if metadata:
        updated = meta_path.read_text(encoding="utf-8")
        for graph in metadata:
            updated = append_turtle(
                updated, graph, "Ingested by `kg ingest` (id from the SHA-256 of the text)."
            )
        Graph().parse(data=updated, format="turtle")  # never write metadata that does not parse
        files[meta_path] = updated.encode("utf-8")
        write_atomic(files)
    return results
