"""Manifests for kg ingest: CSV or JSON Lines, every row checked first, a bad row refuses the whole ingest."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDFS, SDO

from kg.corpus import load_articles

from .generated_corpus import write_corpus
from .test_ingest import snapshot


def rows_of(folder: Path) -> list[dict[str, str]]:
    with (folder / "manifest.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def write_rows(
    folder: Path, rows: list[dict[str, str]], columns=("file", "title", "date", "publisher", "url")
):
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)


def as_json_lines(folder: Path) -> Path:
    rows = rows_of(folder)
    (folder / "manifest.csv").unlink()
    lines = [json.dumps(row) for row in rows]
    (folder / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "manifest.jsonl"


@pytest.fixture
def incoming(tmp_path) -> Path:
    """Three generated articles and their manifest.csv (lines 2-4)."""
    return write_corpus(tmp_path / "incoming", 3, seed=5)


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_a_manifest_gives_each_article_its_title_date_publisher_and_url(seeds_copy, incoming, kg_cli, kind):
    rows = rows_of(incoming)
    if kind == "jsonl":
        as_json_lines(incoming)
    result = kg_cli("ingest", incoming, "--seeds", seeds_copy, "--no-extract")
    assert result.exit_code == 0, result.output
    assert result.output.count("added: ") == 3
    articles, graph = load_articles(seeds_copy)
    by_title = {a.title: a for a in articles}
    for row in rows:
        article = by_title[row["title"]]
        assert article.date == date.fromisoformat(row["date"])
        assert graph.value(URIRef(article.publisher), RDFS.label).toPython() == row["publisher"]
        assert graph.value(URIRef(article.iri), SDO.url) == URIRef(row["url"])
        assert article.text == (incoming / row["file"]).read_text(encoding="utf-8")


def test_a_manifest_named_explicitly_and_a_negotiation_column_are_accepted(seeds_copy, incoming, kg_cli):
    rows = rows_of(incoming)
    for row in rows:
        row["negotiation"] = "fisheries"
    write_rows(incoming, rows, ("file", "title", "date", "publisher", "url", "negotiation"))
    shutil.move(incoming / "manifest.csv", incoming / "list.csv")
    result = kg_cli("ingest", "--manifest", incoming / "list.csv", "--seeds", seeds_copy, "--no-extract")
    assert result.exit_code == 0, result.output
    assert result.output.count("added: ") == 3


def test_rows_without_a_date_take_the_date_option(seeds_copy, incoming, kg_cli):
    rows = rows_of(incoming)
    rows[0]["date"] = ""
    write_rows(incoming, rows)
    result = kg_cli("ingest", incoming, "--seeds", seeds_copy, "--no-extract", "--date", "2020-02-02")
    assert result.exit_code == 0, result.output
    dates = {a.title: a.date for a in load_articles(seeds_copy)[0]}
    assert dates[rows[0]["title"]] == date(2020, 2, 2)
    assert dates[rows[1]["title"]] == date.fromisoformat(rows[1]["date"])


def _extra_row(folder: Path, name: str, data: bytes) -> dict[str, str]:
    (folder / name).write_bytes(data)
    return {"file": name, "title": "Extra", "date": "2023-05-05", "publisher": "", "url": ""}


# damage to the manifest of `incoming` -> (line of the bad row, what its one line says)
BAD_ROWS = {
    "missing file": (lambda f, rows: rows[1].update(file="dispatch-99999.txt"), 3, "no such file"),
    "bad date": (lambda f, rows: rows[0].update(date="2023-02-30"), 2, "'2023-02-30' is not a date"),
    "loose date": (lambda f, rows: rows[0].update(date="5 May 2023"), 2, "is not a date YYYY-MM-DD"),
    "bad url": (lambda f, rows: rows[2].update(url="ftp://news.example/x"), 4, "is not an http(s) URL"),
    "outside the folder": (
        lambda f, rows: rows.append(
            _extra_row(f.parent, "outside.txt", b"Outside\n\nText.\n") | {"file": "../outside.txt"}
        ),
        5,
        "outside the manifest's folder",
    ),
    "file listed twice": (lambda f, rows: rows.append(dict(rows[0])), 5, "listed twice (first on line 2)"),
    "duplicate article": (
        lambda f, rows: rows.append(_extra_row(f, "copy.txt", (f / rows[1]["file"]).read_bytes())),
        5,
        "duplicate article: the same text as line 3",
    ),
    "unreadable encoding": (
        lambda f, rows: rows.append(_extra_row(f, "latin.txt", "Gespräche in Köln\n".encode("latin-1"))),
        5,
        "not UTF-8",
    ),
    "neither file nor url": (lambda f, rows: rows[0].update(file="", url=""), 2, "neither a file nor a url"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_a_bad_row_refuses_the_whole_manifest_with_one_line_naming_its_line(
    case, seeds_copy, incoming, kg_cli
):
    damage, line, message = BAD_ROWS[case]
    rows = rows_of(incoming)
    damage(incoming, rows)
    write_rows(incoming, rows)
    before = snapshot(seeds_copy)
    result = kg_cli("ingest", incoming, "--seeds", seeds_copy, "--no-extract")
    assert result.exit_code == 2, result.output
    problem, summary = result.output.strip().splitlines()
    assert problem.startswith(f"error: {incoming / 'manifest.csv'}:{line}: ") and message in problem, problem
    assert summary == "error: ingest refused: 1 problem(s), nothing written"
    assert snapshot(seeds_copy) == before


def test_every_bad_row_is_listed_in_line_order_and_nothing_is_written(seeds_copy, incoming, kg_cli):
    rows = rows_of(incoming)
    rows[2]["date"] = "yesterday"
    rows[0]["file"] = "gone.txt"
    write_rows(incoming, rows)
    as_json_lines(incoming)
    with (incoming / "manifest.jsonl").open("a", encoding="utf-8") as stream:
        stream.write("\n{not json\n")
    before = snapshot(seeds_copy)
    result = kg_cli("ingest", incoming, "--seeds", seeds_copy, "--no-extract")
    assert result.exit_code == 2
    manifest = incoming / "manifest.jsonl"
    lines = result.output.strip().splitlines()
    assert [line.split(": ", 2)[1] for line in lines[:-1]] == [
        f"{manifest}:1",
        f"{manifest}:3",
        f"{manifest}:5",
    ]
    assert "gone.txt: no such file" in lines[0] and "'yesterday'" in lines[1] and "not JSON" in lines[2]
    assert snapshot(seeds_copy) == before


def test_an_unknown_column_refuses_the_manifest_at_its_header(seeds_copy, incoming, kg_cli):
    text = (incoming / "manifest.csv").read_text(encoding="utf-8")
    (incoming / "manifest.csv").write_text(text.replace("publisher", "source", 1), encoding="utf-8")
    result = kg_cli("ingest", incoming, "--seeds", seeds_copy, "--no-extract")
    assert result.exit_code == 2
    assert f"{incoming / 'manifest.csv'}:1: bad header (unknown column(s) source)" in result.output


def test_files_beside_a_manifest_that_it_does_not_list_are_left_out_with_a_warning(
    seeds_copy, incoming, kg_cli
):
    (incoming / "stray.txt").write_text("Stray\n\nNot in the manifest.\n", encoding="utf-8")
    result = kg_cli("ingest", incoming, "--seeds", seeds_copy, "--no-extract")
    assert result.exit_code == 0, result.output
    assert (
        "warning: 1 file(s) not in the manifest, left out: " in result.output and "stray.txt" in result.output
    )
    assert len(load_articles(seeds_copy)[0]) == 5 + 3
