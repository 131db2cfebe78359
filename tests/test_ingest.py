"""kg ingest: new articles into the corpus, bad files skipped with a clear message, nothing lost."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDFS, SDO

from kg.build import build
from kg.corpus import MAX_ARTICLE_BYTES, load_articles
from kg.ingest import ingest, text_id

TEXT = "Ministers Meet Again\n\nHans Vogel said on Friday that Germany rejects the new border plan.\n"
PAGE = """<!DOCTYPE html><html><head><title>Vogel backs talks</title>
<meta name="date" content="2021-03-04"></head><body><nav><a href="/">Home</a> | <a href="/w">World</a></nav>
<article><h1>Vogel backs a new round of talks</h1>
<p>German Chancellor Hans Vogel said on Thursday that Germany supports a new round of border talks and
urged every side to attend them without preconditions of any kind.</p>
<p>"We are ready to work with everybody who wants a settlement," Vogel told reporters in Berlin.</p>
</article><footer>Copyright</footer></body></html>"""

BAD = {
    "empty.txt": (b"", "article is empty"),
    "binary.txt": (b"abc\x00def", "binary file"),
    "latin1.txt": ("Gespräche in Köln".encode("latin-1"), "not UTF-8"),
    "menu.html": (
        b"<html><head><title>x</title></head><body><nav>Menu</nav></body></html>",
        "no article text",
    ),
    "huge.txt": (b"word " * (MAX_ARTICLE_BYTES // 5 + 1), f"{MAX_ARTICLE_BYTES:,}-byte limit"),
}


def snapshot(seeds: Path) -> dict[str, bytes]:
    return {str(p.relative_to(seeds)): p.read_bytes() for p in sorted(seeds.rglob("*")) if p.is_file()}


def test_text_article_is_added_with_stable_id_and_original_bytes(seeds_copy, tmp_path):
    source = tmp_path / "new.txt"
    source.write_text(TEXT, encoding="utf-8")
    (result,) = ingest(source, seeds_copy, published=date(2021, 3, 5), publisher="Test Wire")
    assert result.status == "added"
    stored = seeds_copy / "articles" / f"{text_id(TEXT)}.txt"
    assert stored.read_bytes() == source.read_bytes()
    articles, _ = load_articles(seeds_copy)
    added = next(a for a in articles if a.iri == result.article)
    assert (added.title, added.date, added.text) == ("Ministers Meet Again", date(2021, 3, 5), TEXT)


def test_reingesting_the_same_text_does_nothing(seeds_copy, tmp_path):
    source = tmp_path / "new.txt"
    source.write_text(TEXT, encoding="utf-8")
    ingest(source, seeds_copy, published=date(2021, 3, 5))
    before = snapshot(seeds_copy)
    copy = tmp_path / "again.txt"
    copy.write_text(TEXT, encoding="utf-8")
    (result,) = ingest(copy, seeds_copy, published=date(2022, 1, 1))
    assert result.status == "exists"
    assert snapshot(seeds_copy) == before


def test_html_is_reduced_to_article_text_and_the_page_kept(seeds_copy, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    (result,) = ingest(page, seeds_copy)
    assert result.status == "added" and result.date == date(2021, 3, 4)
    ident = result.article.rsplit("/", 1)[-1]
    text = (seeds_copy / "articles" / f"{ident}.txt").read_text(encoding="utf-8")
    assert "Germany supports a new round" in text and "Home" not in text and "Copyright" not in text
    assert (seeds_copy / "articles" / "raw" / f"{ident}.html").read_bytes() == page.read_bytes()


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_is_skipped_with_a_clear_message_and_others_go_on(seeds_copy, tmp_path, name):
    folder = tmp_path / "incoming"
    folder.mkdir()
    data, message = BAD[name]
    (folder / name).write_bytes(data)
    (folder / "zz-good.txt").write_text(TEXT, encoding="utf-8")
    results = {r.path.name: r for r in ingest(folder, seeds_copy, published=date(2021, 3, 5))}
    assert results[name].status == "skipped" and message in results[name].message
    assert results["zz-good.txt"].status == "added"


def test_failed_ingest_changes_nothing(seeds_copy, tmp_path):
    before = snapshot(seeds_copy)
    folder = tmp_path / "incoming"
    folder.mkdir()
    for name, (data, _) in BAD.items():
        (folder / name).write_bytes(data)
    (folder / "nodate.txt").write_text(TEXT, encoding="utf-8")  # no --date and no page metadata
    results = ingest(folder, seeds_copy)
    assert {r.status for r in results} == {"skipped"}
    assert "no publication date" in next(r.message for r in results if r.path.name == "nodate.txt")
    assert snapshot(seeds_copy) == before


def test_cli_ingest_reports_each_file_and_extracts_the_new_ones(seeds_copy, tmp_path, kg_cli):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b.txt").write_bytes(b"")
    result = kg_cli("ingest", folder, "--seeds", seeds_copy, "--date", "2021-03-05")
    assert result.exit_code == 0
    assert "added: " in result.output and "skipped: " in result.output and "article is empty" in result.output
    assert "Germany" in result.output and "reject" in result.output
    again = kg_cli("ingest", folder / "b.txt", "--seeds", seeds_copy)
    assert again.exit_code == 2


def test_a_title_for_a_whole_directory_is_refused_and_nothing_changes(seeds_copy, tmp_path, kg_cli):
    before = snapshot(seeds_copy)
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b.txt").write_text(TEXT.replace("Friday", "Monday"), encoding="utf-8")
    args = ("ingest", folder, "--seeds", seeds_copy, "--date", "2021-03-05", "--title", "One title")
    result = kg_cli(*args)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: {folder}: --title and --url describe one article: give a file, not a directory"
    ]
    assert snapshot(seeds_copy) == before
    assert kg_cli(*args[:-2]).exit_code == 0  # the same directory without --title goes in


def test_title_and_publisher_with_quote_backslash_and_newline_survive_ingest_and_build(seeds_copy, tmp_path):
    title, publisher = 'Talks "resume" \\ in Geneva\nfor now', 'The "Daily" \\ Wire\nGroup'
    source = tmp_path / "new.txt"
    source.write_text(TEXT, encoding="utf-8")
    before = (seeds_copy / "articles.ttl").read_text(encoding="utf-8")
    (result,) = ingest(source, seeds_copy, title=title, published=date(2021, 3, 5), publisher=publisher)
    after = (seeds_copy / "articles.ttl").read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n")), "what was in the file, comments too, stays as written"
    build(seeds_copy, tmp_path / "out")
    graph = Dataset(default_union=True).parse(tmp_path / "out" / "graph.trig")
    article = URIRef(result.article)
    assert graph.value(article, SDO.headline) == Literal(title)
    assert graph.value(graph.value(article, SDO.publisher), RDFS.label) == Literal(publisher)
