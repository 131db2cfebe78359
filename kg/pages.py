"""What a page says: its article text and the title, date, publisher and address it carries.

A page is a file (plain text, or HTML reduced to its article text by trafilatura) or a URL
fetched over HTTP. The metadata comes from the page's own markup (trafilatura's
``extract_metadata``, whose dates come from htmldate); htmldate's extensive search of the text
is left off, since it turns any year in the page ("in 2012", a link to another article) into a
date. A date the markup does not carry may still stand in a plain dateline near the start of
the text ("WASHINGTON, Sept. 14, 2013 (Reuters) -", "Published 24-04-2013"), which
``dateline_date`` reads with dateparser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kg.corpus import MAX_ARTICLE_BYTES, decode_article
from kg.errors import ArticleError, EnvironmentFailure

__all__ = ["FETCH_TIMEOUT", "Page", "article_text", "dateline_date", "fetch_page", "is_url", "read_page"]

FETCH_TIMEOUT = 30.0  # seconds for one page
_USER_AGENT = "negotiation-kg (kg ingest)"
_HTML = re.compile(rb"^\s*(<!doctype html|<html|<head|<body)", re.IGNORECASE)
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_MIN_WORDS = 20  # fewer words than this from an HTML page: a menu or a paywall, not an article


@dataclass(frozen=True)
class Page:
    """An article's text, the page as received (HTML only), and the metadata the page carries."""

    text: str
    html: bytes | None = None
    found: dict[str, str] = field(default_factory=dict)  # title, date, publisher, url


def is_url(value: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", value)


def read_page(path: Path) -> Page:
    """The article in a file (text or HTML); ArticleError if it is unusable."""
    raw = decode_article(path)  # size, binary, UTF-8 and emptiness checks
    data = raw.encode("utf-8")
    if path.suffix.lower() in _HTML_SUFFIXES or _HTML.match(data[:512]):
        return _html_page(raw, data, str(path))
    return Page(raw)


def article_text(path: Path) -> tuple[str, dict[str, str], bytes | None]:
    """(article text, metadata found in the page, raw HTML or None) of one file; ArticleError if unusable."""
    page = read_page(path)
    return page.text, page.found, page.html


def fetch_page(url: str, timeout: float = FETCH_TIMEOUT) -> Page:
    """Fetch ``url`` and read its article.

    A server that cannot be reached, or fails (5xx), is an ``EnvironmentFailure``; a page that
    is not there (4xx), too big or without article text is an ``ArticleError``.
    """
    import httpx

    try:
        with httpx.stream(
            "GET", url, follow_redirects=True, timeout=timeout, headers={"User-Agent": _USER_AGENT}
        ) as response:
            if response.status_code >= 400:
                kind = EnvironmentFailure if response.status_code >= 500 else ArticleError
                raise kind(f"cannot fetch: HTTP {response.status_code} {response.reason_phrase}", url)
            data = bytearray()
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > MAX_ARTICLE_BYTES:
                    raise ArticleError(f"page is over the {MAX_ARTICLE_BYTES:,}-byte limit", url)
            content_type = response.headers.get("content-type", "")
            charset = response.charset_encoding
    except httpx.HTTPError as exc:
        raise EnvironmentFailure(f"cannot fetch: {exc}", url) from exc
    if not data.strip():
        raise ArticleError("the page is empty", url)
    text = _decode(bytes(data), charset)
    if "html" in content_type or _HTML.match(bytes(data[:512])):
        page = _html_page(text, bytes(data), url)
        return Page(page.text, page.html, {"url": url, **page.found})
    return Page(text if text.endswith("\n") else text + "\n")


def _decode(data: bytes, charset: str | None) -> str:
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    from trafilatura.utils import decode_file  # UTF-8, then the encoding charset_normalizer guesses

    return decode_file(data)


def _html_page(raw: str, data: bytes, where: str) -> Page:
    import trafilatura

    try:
        text = trafilatura.extract(raw, include_comments=False, include_tables=False, favor_precision=True)
        meta = trafilatura.extract_metadata(raw, extensive=False)
    except Exception as exc:  # trafilatura/lxml raise assorted errors on broken markup
        raise ArticleError(f"cannot read the HTML page: {exc}", where) from exc
    if not text or len(text.split()) < _MIN_WORDS:
        raise ArticleError("HTML page has no article text (trafilatura found none)", where)
    found = {}
    if meta is not None:
        pairs = (("title", meta.title), ("date", meta.date), ("publisher", meta.sitename), ("url", meta.url))
        found = {key: value for key, value in pairs if value}
    # One blank line between paragraphs, as in the plain-text articles (the extractor reads them).
    body = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    return Page(body + "\n", data, found)


_DATELINE_LINES = 4  # the headline, a byline or date line, and the first paragraphs
_DATELINE_CHARS = 100  # a dateline is short: "WASHINGTON, Sept. 14, 2013 (Reuters) -"
_DASH = re.compile(r"\s(?:-|--|\u2013|\u2014)\s")
_YEAR = re.compile(r"\b\d{4}\b")
_ABBREVIATION_DOT = re.compile(r"(?<=[A-Za-z])\.")  # "Sept." as "Sept": dateparser's search misses the dot


def _datelines(text: str) -> list[str]:
    """The places a dateline stands: a short line that is not a sentence, or the lead of a
    paragraph before its dashes ("MOSCOW, Sept. 16, 2013 (Reuters) - ...")."""
    places = []
    for line in [line.strip() for line in text.splitlines() if line.strip()][:_DATELINE_LINES]:
        if len(line) <= _DATELINE_CHARS and not line.endswith((".", "!", "?", '"', "\u201d")):
            places.append(line)
            continue
        dashes = list(_DASH.finditer(line[: _DATELINE_CHARS + 3]))
        if dashes:  # up to the last one: "GENEVA \u2014 14 September 2013 \u2014 Envoys met..."
            places.append(line[: dashes[-1].start()])
    return places


def dateline_date(text: str) -> date | None:
    """The date of a plain dateline near the start of ``text``: day, month and year all written.

    >>> dateline_date("Talks resume\\n\\nWASHINGTON, Sept. 14, 2013 (Reuters) - Kerry said on Monday...")
    datetime.date(2013, 9, 14)
    >>> dateline_date("Talks resume\\n\\nMOSCOW, Sept 16 (Reuters) - Lavrov said...") is None  # no year
    True
    """
    from dateparser.search import search_dates

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"}
    for place in _datelines(text):
        found = search_dates(_ABBREVIATION_DOT.sub("", place), languages=["en"], settings=settings) or []
        for words, moment in found:
            if _YEAR.search(words):  # dateparser also reads "of 12 days" as a date from today
                return moment.date()
    return None
