"""Add new articles to the corpus (``kg ingest``): keep the original, give a stable id, record metadata.

Articles come from a file, a folder, a manifest (``kg.manifest``: one row per file or URL with
its title, date, publisher and url) or a URL. A plain-text file is stored byte for byte; an
HTML page is reduced to its article text (``kg.pages``) and the page itself is kept in
``articles/raw/``. The article id is the first 16 hex digits of the SHA-256 of the text, so
ingesting the same text again does nothing.

A date comes from the manifest row, then ``--date``, then the page's metadata, then a plain
dateline at the start of the text; an article with none is refused (the default: every
undated file is listed and nothing is written) or kept undated.

Every source is read and checked before anything is written. With a manifest, a URL or one
file, any problem refuses the whole ingest (``IngestRefused`` lists each one, naming the file
and the manifest row); in a folder without a manifest, an unreadable file is skipped and
reported. Writing is ordered so that an ingest stopped at any moment leaves ``articles.ttl``
and the files it names as they were or complete: the texts go first, then ``articles.ttl``,
rewritten in one rename, is the commit point. A text an interrupted ingest left unlisted (an
orphan) is completed when its source is ingested again, and reported until then.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SDO, XSD
from tqdm import tqdm

from kg.corpus import MAX_ARTICLE_BYTES
from kg.errors import ArticleError, EnvironmentFailure, IngestRefused, KgError
from kg.files import append_turtle, parse_turtle, write_atomic
from kg.manifest import Source, find_manifest, read_manifest
from kg.namespace import ARTICLE, NEG, PUBLISHER, slug
from kg.pages import Page, article_text, dateline_date, fetch_page, is_url, read_page

__all__ = [
    "IngestReport",
    "IngestResult",
    "MAX_ARTICLE_BYTES",
    "UNDATED",
    "article_text",
    "ingest",
    "text_id",
]

UNDATED = ("refuse", "keep")  # what to do with an article whose date cannot be found
_TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".xhtml"}
_MANIFEST_SUFFIXES = {".csv", ".jsonl"}
_PROGRESS_FROM = 20  # a progress bar for this many sources or more
_PAUSE_FOR_TESTS = "KG_TEST_PAUSE_BEFORE_METADATA"  # seconds; only the interrupted-ingest test sets it


@dataclass(frozen=True)
class IngestResult:
    """What happened to one source (a file or a URL)."""

    source: str
    status: str  # added, exists, skipped
    message: str
    article: str | None = None
    text: str | None = None
    date: date | None = None


@dataclass
class IngestReport:
    """One ingest: a result per source, and what the user should know about the seeds."""

    results: list[IngestResult] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # files under seeds/ no metadata names, after this run
    left_out: list[Path] = field(default_factory=list)  # files beside a manifest that it does not list

    @property
    def added(self) -> list[IngestResult]:
        return [r for r in self.results if r.status == "added"]


def text_id(text: str) -> str:
    """The stable id of an article text: 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class _Corpus:
    """The seeds as they are: the texts articles.ttl lists, and the files it does not."""

    known: dict[str, str]  # text id -> file name, for every listed article
    orphans: set[str]  # paths under seeds/: unlisted texts, raw pages, unfinished temporary files

    @classmethod
    def read(cls, seeds_dir: Path) -> _Corpus:
        meta_path = seeds_dir / "articles.ttl"
        if not meta_path.is_file():
            raise ArticleError("article metadata file is missing", meta_path)
        listed = {str(f) for f in parse_turtle(meta_path, ArticleError).objects(None, NEG.sourceFile)}
        known = {}
        for source in sorted(listed):
            try:
                known[text_id((seeds_dir / source).read_bytes().decode("utf-8"))] = Path(source).name
            except (OSError, UnicodeDecodeError):
                continue  # kg build reports it; ingest only needs the texts it can compare
        articles = seeds_dir / "articles"
        orphans = {f"articles/{p.name}" for p in articles.glob("*.txt")} - listed
        orphans |= {f"articles/raw/{p.name}" for p in articles.glob("raw/*.html") if p.stem not in known}
        for folder in (seeds_dir, articles, articles / "raw"):
            orphans |= {str(p.relative_to(seeds_dir)) for p in folder.glob(".*.tmp")}
        return cls(known, orphans)


@dataclass(frozen=True)
class _Staged:
    """An article read, checked and ready to write."""

    ident: str
    text: str
    html: bytes | None
    metadata: Graph


def _metadata(iri: URIRef, source: str, title: str, published: date | None, publisher, url) -> Graph:
    graph = Graph()
    graph.add((iri, RDF.type, SDO.NewsArticle))
    graph.add((iri, SDO.headline, Literal(title)))
    if published is not None:
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


def _published(source: Source, page: Page) -> tuple[date | None, str]:
    """The article's date and where it was found: the manifest row or --date, the page, a dateline."""
    if source.published is not None:
        return source.published, "given"
    try:
        if page.found.get("date"):
            return date.fromisoformat(page.found["date"][:10]), "from the page"
    except ValueError:
        pass
    found = dateline_date(page.text)
    return found, "from its dateline"


def _read(source: Source) -> Page:
    return read_page(source.file) if source.file is not None else fetch_page(str(source.url))


def _problem(source: Source, exc: KgError) -> KgError:
    """The error as one line naming the source's manifest row (when it has one)."""
    if source.manifest is None:
        return exc
    where = f" (line {exc.line} of the file)" if exc.line else ""
    return source.error(
        exc.message + where, EnvironmentFailure if isinstance(exc, EnvironmentFailure) else None
    )


class _Run:
    """One ingest's reading and checking of its sources, before anything is written."""

    def __init__(self, corpus: _Corpus, undated: str, lenient: bool):
        self.corpus, self.undated, self.lenient = corpus, undated, lenient
        self.results: list[IngestResult] = []
        self.problems: list[KgError] = []
        self.skipped: list[KgError] = []
        self.staged: dict[str, tuple[Source, _Staged]] = {}

    def take(self, source: Source) -> None:
        if self.lenient and source.file is not None and source.file.suffix.lower() not in _TEXT_SUFFIXES:
            message = f"not a text or HTML file ({source.file.suffix or 'no suffix'})"
            self.results.append(IngestResult(source.name, "skipped", message))
            return
        try:
            page = _read(source)
        except KgError as exc:
            if not self.lenient:
                self.problems.append(_problem(source, exc))
                return
            self.skipped.append(exc)
            self.results.append(IngestResult(source.name, "skipped", exc.message))
            return
        ident = text_id(page.text)
        if ident in self.corpus.known:
            message = f"already in the corpus as articles/{self.corpus.known[ident]}"
            self.results.append(IngestResult(source.name, "exists", message))
            return
        if ident in self.staged:
            first = self.staged[ident][0]
            if self.lenient:
                self.results.append(IngestResult(source.name, "exists", f"same text as {first.name}"))
            else:
                where = f"line {first.line}" if first.manifest is not None else first.name
                self.problems.append(source.error(f"duplicate article: the same text as {where}"))
            return
        self._stage(source, page, ident)

    def _stage(self, source: Source, page: Page, ident: str) -> None:
        published, how = _published(source, page)
        if published is None and self.undated == "refuse":
            self.problems.append(
                source.error(
                    "no publication date (none given, none in the page's metadata or in a dateline): "
                    "give one (--date, a manifest's date column) or pass --undated keep"
                )
            )
            return
        stored = f"articles/{ident}.txt"
        title = source.title or page.found.get("title") or page.text.strip().splitlines()[0][:160]
        url = source.url or page.found.get("url")
        metadata = _metadata(
            ARTICLE[ident], stored, title, published, source.publisher or page.found.get("publisher"), url
        )
        self.staged[ident] = (source, _Staged(ident, page.text, page.html, metadata))
        dated = f"dated {published} ({how})" if published else "undated"
        completes = " (completes an interrupted ingest)" if stored in self.corpus.orphans else ""
        message = f"added as {stored}, {dated}{completes}"
        self.results.append(
            IngestResult(source.name, "added", message, str(ARTICLE[ident]), page.text, published)
        )

    def refusal(self) -> IngestRefused | None:
        if not self.problems:
            return None
        problems = self.problems + (self.skipped if self.lenient else [])
        return IngestRefused(sorted(problems, key=lambda p: (str(p.path), p.line or 0)))


def _commit(seeds_dir: Path, staged: list[_Staged]) -> None:
    """Write the texts and raw pages, then articles.ttl (the commit point) in one rename."""
    meta_path = seeds_dir / "articles.ttl"
    files, metadata = {}, Graph()
    for article in staged:
        files[seeds_dir / "articles" / f"{article.ident}.txt"] = article.text.encode("utf-8")
        if article.html is not None:
            files[seeds_dir / "articles" / "raw" / f"{article.ident}.html"] = article.html
        metadata += article.metadata
    document = meta_path.read_text(encoding="utf-8")
    updated = append_turtle(document, metadata, "Ingested by `kg ingest` (id from the SHA-256 of the text).")
    Graph().parse(data=updated, format="turtle")  # never write metadata that does not parse
    write_atomic(files)  # stopped after this, the texts are orphans the next ingest completes
    if os.environ.get(_PAUSE_FOR_TESTS):
        time.sleep(float(os.environ[_PAUSE_FOR_TESTS]))
    write_atomic({meta_path: updated.encode("utf-8")})


def _sources(
    target: str | Path | None, manifest: Path | None, options: Source
) -> tuple[list[Source], list[KgError], list[Path], bool]:
    """(sources, problems in the manifest, files a manifest leaves out, whether bad files are skipped)."""
    if manifest is not None and target is not None:
        raise ArticleError("give a target or --manifest, not both", manifest)
    if manifest is None:
        if target is None:
            raise ArticleError("give a file, a folder, a URL or --manifest")
        if is_url(str(target)):
            if options.url:
                raise ArticleError("--url is for a file: a URL target is its own url", str(target))
            return [replace(options, name=str(target), url=str(target))], [], [], False
        path = Path(target)
        if not path.exists():
            raise ArticleError("no such file or directory (nor an http(s) URL)", path)
        if path.is_file() and path.suffix.lower() not in _MANIFEST_SUFFIXES:
            return [replace(options, name=str(path), file=path)], [], [], False
        manifest = find_manifest(path) if path.is_dir() else path
    if options.title or options.url:
        where = manifest if manifest is not None else target
        raise ArticleError("--title and --url describe one article: give a file, not a directory", where)
    if manifest is None:  # a folder without a manifest: every file in it
        return [replace(options, name=str(p), file=p) for p in _files(Path(target))], [], [], True
    rows, problems = read_manifest(manifest)
    defaults = {"published": options.published, "publisher": options.publisher}
    sources = [replace(r, **{k: getattr(r, k) or v for k, v in defaults.items()}) for r in rows]
    listed = {s.file for s in sources} | {manifest.resolve()}
    folder = Path(target) if target is not None and Path(target).is_dir() else None
    beside = [p for p in _files(folder) if p.resolve() not in listed] if folder else []  # kg ingest DIR
    return sources, problems, beside, False


def _files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def ingest(
    target: str | Path | None,
    seeds_dir: Path,
    *,
    manifest: Path | None = None,
    title: str | None = None,
    published: date | None = None,
    publisher: str | None = None,
    url: str | None = None,
    undated: str = "refuse",
    progress: bool = False,
) -> IngestReport:
    """Ingest a file, a folder (with its manifest if it has one), a manifest or a URL into ``seeds_dir``.

    ``published`` and ``publisher`` apply to every article that does not say otherwise;
    ``title`` and ``url`` only to one file. ``undated`` is "refuse" (any article without a
    date refuses the ingest) or "keep" (ingested without one). Raises ``IngestRefused``, having
    written nothing, when any source is unusable (in a folder without a manifest, unusable
    files are skipped instead).
    """
    if undated not in UNDATED:
        raise ValueError(f"undated must be one of {UNDATED}, not {undated!r}")
    options = Source("", title=title, published=published, publisher=publisher, url=url)
    sources, problems, left_out, lenient = _sources(target, manifest, options)
    corpus = _Corpus.read(seeds_dir)
    run = _Run(corpus, undated, lenient)
    run.problems.extend(problems)
    bar = tqdm(sources, unit="file", leave=False, disable=not progress or len(sources) < _PROGRESS_FROM)
    for source in bar:
        run.take(source)
    refusal = run.refusal()
    if refusal is not None:
        raise refusal
    staged = [article for _, article in run.staged.values()]
    if staged:
        _commit(seeds_dir, staged)
    written = {f"articles/{a.ident}.txt" for a in staged} | {
        f"articles/raw/{a.ident}.html" for a in staged if a.html is not None
    }
    return IngestReport(run.results, sorted(corpus.orphans - written), left_out)
