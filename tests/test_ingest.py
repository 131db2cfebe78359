"""kg ingest: new articles into the corpus, bad input refused or skipped with a clear message."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDFS, SDO

from kg.build import build
from kg.corpus import MAX_ARTICLE_BYTES, load_articles
from kg.errors import IngestRefused
from kg.ingest import ingest, text_id
from kg.namespace import ARTICLE, NEG

from .conftest import SEEDS
from .generated_corpus import write_corpus

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
    (result,) = ingest(source, seeds_copy, published=date(2021, 3, 5), publisher="Test Wire").results
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
    (result,) = ingest(copy, seeds_copy, published=date(2022, 1, 1)).results
    assert result.status == "exists"
    assert snapshot(seeds_copy) == before


def test_html_is_reduced_to_article_text_and_the_page_kept(seeds_copy, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    (result,) = ingest(page, seeds_copy).results
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
    results = {Path(r.source).name: r for r in ingest(folder, seeds_copy, published=date(2021, 3, 5)).results}
    assert results[name].status == "skipped" and message in results[name].message
    assert results["zz-good.txt"].status == "added"


def test_an_undated_file_refuses_the_folder_and_the_report_lists_every_problem(seeds_copy, tmp_path):
    before = snapshot(seeds_copy)
    folder = tmp_path / "incoming"
    folder.mkdir()
    for name, (data, _) in BAD.items():
        (folder / name).write_bytes(data)
    (folder / "nodate.txt").write_text(TEXT, encoding="utf-8")  # no --date, no page metadata, no dateline
    (folder / "zz-dated.txt").write_text("Dated\n\nGENEVA, Sept. 14, 2013 - " + TEXT, encoding="utf-8")
    with pytest.raises(IngestRefused) as refused:
        ingest(folder, seeds_copy)
    problems = {Path(str(p.path)).name: p.message for p in refused.value.problems}
    assert sorted(problems) == sorted([*BAD, "nodate.txt"])
    assert "no publication date" in problems["nodate.txt"] and "--undated keep" in problems["nodate.txt"]
    assert snapshot(seeds_copy) == before


def test_cli_ingest_reports_each_file_and_extracts_the_new_ones(seeds_copy, tmp_path, kg_cli):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b.txt").write_bytes(b"")
    result = kg_cli(
        "ingest", folder, "--seeds", seeds_copy, "--date", "2021-03-05", "--out", tmp_path / "out"
    )
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
    args = ("ingest", folder, "--seeds", seeds_copy, "--out", tmp_path / "out", "--date", "2021-03-05")
    args += ("--title", "One title")
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
    report = ingest(source, seeds_copy, title=title, published=date(2021, 3, 5), publisher=publisher)
    (result,) = report.results
    after = (seeds_copy / "articles.ttl").read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n")), "what was in the file, comments too, stays as written"
    build(seeds_copy, tmp_path / "out")
    graph = Dataset(default_union=True).parse(tmp_path / "out" / "graph.trig")
    article = URIRef(result.article)
    assert graph.value(article, SDO.headline) == Literal(title)
    assert graph.value(graph.value(article, SDO.publisher), RDFS.label) == Literal(publisher)


def test_an_undated_article_kept_builds_and_ingest_extraction_fills_the_build_cache(
    seeds_copy, tmp_path, kg_cli
):
    source = tmp_path / "undated.txt"
    source.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    ingested = kg_cli("ingest", source, "--seeds", seeds_copy, "--undated", "keep", "--out", out)
    assert ingested.exit_code == 0, ingested.output
    assert f"added: {source}: added as articles/{text_id(TEXT)}.txt, undated" in ingested.output
    assert "Germany" in ingested.output and "(1 extracted, the rest from the cache" in ingested.output
    built = kg_cli("build", "--seeds", seeds_copy, "--out", out)
    assert built.exit_code == 0, built.output
    assert built.output.startswith("articles:  6 (5 extracted, 1 from the cache)")
    assert "SHACL:     conforms\n" in built.output
    graph = Dataset(default_union=True).parse(out / "graph.trig")
    article = ARTICLE[text_id(TEXT)]
    assert graph.value(article, SDO.datePublished) is None
    positions = set(graph.subjects(PROV.wasDerivedFrom, article))
    assert positions and all(graph.value(p, NEG.statedOn) is None for p in positions)


def test_a_dateline_with_a_year_dates_an_article_that_has_no_other_date(seeds_copy, tmp_path):
    source = tmp_path / "dateline.txt"
    source.write_text("Talks resume\n\nGENEVA, Sept. 14, 2013 (Reuters) - " + TEXT, encoding="utf-8")
    (result,) = ingest(source, seeds_copy).results
    assert result.date == date(2013, 9, 14) and "dated 2013-09-14 (from its dateline)" in result.message


def test_many_articles_print_counts_and_a_rerun_adds_nothing(seeds_copy, tmp_path, kg_cli):
    folder = write_corpus(tmp_path / "incoming", 25, seed=3)
    args = ("ingest", folder, "--seeds", seeds_copy, "--no-extract")
    first = kg_cli(*args)
    assert first.exit_code == 0 and first.output == "25 added, 0 already in the corpus, 0 skipped\n"
    again = kg_cli(*args)
    assert again.exit_code == 0 and again.output == "0 added, 25 already in the corpus, 0 skipped\n"


def test_a_text_no_metadata_lists_is_reported_in_one_line(seeds_copy, tmp_path, kg_cli):
    (seeds_copy / "articles" / "0123456789abcdef.txt").write_text(TEXT, encoding="utf-8")
    (seeds_copy / "articles" / ".articles.ttl.1a2b3c4d.tmp").write_text("", encoding="utf-8")
    source = tmp_path / "other.txt"
    source.write_text(TEXT.replace("Friday", "Sunday"), encoding="utf-8")
    result = kg_cli("ingest", source, "--seeds", seeds_copy, "--date", "2021-03-05", "--no-extract")
    assert result.exit_code == 0, result.output
    (warning,) = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert "2 file(s)" in warning and "articles/0123456789abcdef.txt" in warning and ".tmp" in warning


def _wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the ingest never reached the pause"
        time.sleep(0.05)


def test_a_killed_ingest_leaves_the_corpus_as_it_was_and_a_rerun_completes_it(seeds_copy, tmp_path):
    folder = write_corpus(tmp_path / "incoming", 30, seed=4)
    listed = (seeds_copy / "articles.ttl").read_bytes()
    command = [
        sys.executable,
        "-m",
        "kg.cli",
        "ingest",
        str(folder),
        "--seeds",
        str(seeds_copy),
        "--no-extract",
    ]
    env = {**os.environ, "KG_TEST_PAUSE_BEFORE_METADATA": "120"}  # sleep between the texts and articles.ttl
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    articles = seeds_copy / "articles"
    try:
        _wait_for(lambda: len(list(articles.glob("*.txt"))) == 35 and not list(articles.glob(".*.tmp")))
    finally:
        process.kill()
        process.wait()
    assert (seeds_copy / "articles.ttl").read_bytes() == listed  # the corpus as it was: 5 articles
    assert len(load_articles(seeds_copy)[0]) == 5
    report = ingest(folder, seeds_copy)  # the same folder again completes the 30 orphaned texts
    assert [r.status for r in report.results] == ["added"] * 30 and not report.orphans
    assert all(r.message.endswith("(completes an interrupted ingest)") for r in report.results)
    clean = tmp_path / "clean"
    shutil.copytree(SEEDS, clean)
    ingest(folder, clean)
    assert snapshot(seeds_copy) == snapshot(clean)  # complete: as an ingest that was never stopped
