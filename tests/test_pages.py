"""Pages: real saved pages fetched from a local HTTP server (kg ingest URL), their metadata, datelines."""

from __future__ import annotations

import socket
import threading
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import SDO

from kg.corpus import load_articles
from kg.pages import dateline_date

from .test_ingest import snapshot

PAGES = Path(__file__).parent / "data" / "pages"
# saved page -> (title, date in its metadata, words of its article text)
DATED = {
    "dw.com.colonial.html": (
        "Berlin confronts Germany's colonial past with new initiative | DW | 19.01.2020",
        date(2020, 1, 19),
        "five-year project",
    ),
    "salon.com.emissions.html": (
        "Despite everything, U.S. emissions dipped in 2019",
        date(2020, 1, 10),
        "planet-cooking pollution",
    ),
}
UNDATED_PAGE = "hertie-school.org.leyen.html"  # no date of its own: only links to other articles have one


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def site():
    """The saved pages served on a free loopback port: its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(PAGES)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _article(seeds: Path, url: str):
    articles, graph = load_articles(seeds)
    return next(a for a in articles if graph.value(URIRef(a.iri), SDO.url) == URIRef(url))


@pytest.mark.parametrize("name", sorted(DATED))
def test_a_url_is_fetched_its_text_and_metadata_kept_and_the_page_saved(site, name, seeds_copy, kg_cli):
    url = f"{site}/{name}"
    result = kg_cli("ingest", url, "--seeds", seeds_copy, "--no-extract")
    assert result.exit_code == 0, result.output
    title, published, words = DATED[name]
    article = _article(seeds_copy, url)
    assert (article.title, article.date) == (title, published)
    assert words in article.text and "<" not in article.text
    ident = article.source_file.removeprefix("articles/").removesuffix(".txt")
    assert (seeds_copy / "articles" / "raw" / f"{ident}.html").read_bytes() == (PAGES / name).read_bytes()
    assert f"dated {published} (from the page)" in result.output


def test_an_undated_page_is_refused_by_default_and_kept_undated_on_request(site, seeds_copy, kg_cli):
    url = f"{site}/{UNDATED_PAGE}"
    before = snapshot(seeds_copy)
    refused = kg_cli("ingest", url, "--seeds", seeds_copy, "--no-extract")
    assert refused.exit_code == 2
    assert refused.output.splitlines()[0].startswith(f"error: {url}: no publication date")
    assert snapshot(seeds_copy) == before
    kept = kg_cli("ingest", url, "--seeds", seeds_copy, "--no-extract", "--undated", "keep")
    assert kept.exit_code == 0, kept.output
    article = _article(seeds_copy, url)
    assert article.date is None and article.title == "What's on the cards for von der Leyen?"


def test_a_manifest_row_with_a_url_and_no_file_fetches_the_page(site, seeds_copy, tmp_path, kg_cli):
    folder = tmp_path / "incoming"
    folder.mkdir()
    url = f"{site}/{UNDATED_PAGE}"
    (folder / "manifest.jsonl").write_text(
        f'{{"url": "{url}", "date": "2019-12-02", "title": "Von der Leyen\'s Commission"}}\n',
        encoding="utf-8",
    )
    result = kg_cli("ingest", folder, "--seeds", seeds_copy, "--no-extract")
    assert result.exit_code == 0, result.output
    article = _article(seeds_copy, url)
    assert (article.title, article.date) == ("Von der Leyen's Commission", date(2019, 12, 2))


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_missing_page_is_an_input_error_and_an_unreachable_server_an_environment_error(
    site, seeds_copy, kg_cli
):
    before = snapshot(seeds_copy)
    missing = kg_cli("ingest", f"{site}/no-such-page.html", "--seeds", seeds_copy, "--no-extract")
    assert missing.exit_code == 2 and "HTTP 404" in missing.output
    unreachable = f"http://127.0.0.1:{_closed_port()}/page.html"
    failed = kg_cli("ingest", unreachable, "--seeds", seeds_copy, "--no-extract")
    assert failed.exit_code == 3 and f"error: {unreachable}: cannot fetch" in failed.output
    assert snapshot(seeds_copy) == before


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kerry rebuffs Russia\n\nWASHINGTON, Sept. 14, 2013 (Reuters) - Kerry said...", date(2013, 9, 14)),
        ("Talks resume\n\nGENEVA — 14 September 2013 — Envoys met on Monday.", date(2013, 9, 14)),
        ("Russia, US agree\nPublished 24-04-2013, 07:30\n\nThe two sides met.", date(2013, 4, 24)),
        ("Talks resume\n\nMOSCOW, Sept 16 (Reuters) - Lavrov said on Monday...", None),  # no year
        ("Talks resume\n\nThe pact signed on May 3, 2012, expired last year, officials said.", None),
        ("Talks resume\n\nTalks resumed after a pause of 12 days, the envoy said on Monday.", None),
    ],
)
def test_a_plain_dateline_gives_a_date_and_other_dates_in_the_text_do_not(text, expected):
    assert dateline_date(text) == expected
