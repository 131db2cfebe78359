"""Corpora beyond the seeds: a hundred generated articles build, and no extracted candidate can
fail a build (only curated data can)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from kg.build import build_dataset, check_dataset
from kg.errors import ValidationFailed
from kg.extract.cache import CACHE_FOLDER, ExtractionCache
from kg.graph import graph_iri
from kg.namespace import ACTOR, NEG, POSITION
from kg.sparql.engines import load_built_graph

from .generated_corpus import write_corpus

CORPUS_SIZE = 100


@pytest.fixture(scope="module")
def corpus_seeds(tmp_path_factory):
    """The seeds plus CORPUS_SIZE generated articles, ingested with one date for all."""
    import shutil

    from click.testing import CliRunner

    from kg.cli import main

    from .conftest import SEEDS

    root = tmp_path_factory.mktemp("corpus")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    folder = write_corpus(root / "incoming", CORPUS_SIZE, seed=11)
    (folder / "manifest.csv").unlink()
    args = ["ingest", str(folder), "--seeds", str(seeds), "--date", "2023-06-01", "--no-extract"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return seeds


def test_a_hundred_generated_articles_ingest_and_build(corpus_seeds, kg_cli, tmp_path):
    result = kg_cli("build", "--seeds", corpus_seeds, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert f"articles:  {CORPUS_SIZE + 5}" in result.output
    assert "SHACL:     conforms\n" in result.output  # nothing had to be left out
    assert "warning:" not in result.output


def test_a_reported_stance_by_an_official_new_to_the_graph_builds(seeds_copy, kg_cli, tmp_path):
    article = tmp_path / "trade.txt"
    article.write_text(
        "EU trade talks stall\n\n"
        "Commissioner Maros Sefcovic said the Commission rejected the proposal to reopen the text.\n\n"
        "Maros Sefcovic said Turkey had privately rejected the new tariff plan.\n",
        encoding="utf-8",
    )
    ingested = kg_cli(
        "ingest", article, "--seeds", seeds_copy, "--date", "2024-03-01", "--out", tmp_path / "out"
    )
    assert ingested.exit_code == 0
    result = kg_cli("build", "--seeds", seeds_copy, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.output
    graph = load_built_graph(tmp_path / "out")
    reporter = ACTOR["x-maros-sefcovic"]
    assert len(set(graph.subjects(NEG.reportedBy, reporter))) == 2  # both reported stances kept
    assert (reporter, RDF.type, NEG.Person) in graph


def test_an_extracted_candidate_that_breaks_a_shape_is_left_out_with_a_warning(seeds_copy, kg_cli, tmp_path):
    out = tmp_path / "out"
    assert kg_cli("build", "--seeds", seeds_copy, "--out", out).exit_code == 0
    cache = ExtractionCache(out / CACHE_FOLDER, fingerprint="")  # reading and writing entries by key
    key = max((out / CACHE_FOLDER).glob("*.json"), key=lambda p: p.stat().st_size).stem
    candidates = cache.get(key)
    broken = replace(candidates[0], reported_by=str(ACTOR["nobody-typed-this"]))  # an untyped reporter
    cache.put_many({key: [broken, *candidates[1:]]})  # a well-formed entry, not yet checked
    result = kg_cli("build", "--seeds", seeds_copy, "--out", out)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, result.output
    assert f"left out extracted candidate {broken.id}" in warnings[0] and "reportedBy" in warnings[0]
    assert "(1 extracted candidate(s) left out)" in result.output
    graph = load_built_graph(out)
    assert (POSITION[f"x-{broken.id}"], None, None) not in graph
    again = kg_cli("build", "--seeds", seeds_copy, "--out", out)  # the verdict is cached with the entry
    assert again.output.count("left out extracted candidate") == 1 and "(0 extracted" in again.output


def test_a_curated_position_that_breaks_a_shape_still_fails_the_build(seeds_copy):
    built = build_dataset(seeds_copy)
    dataset, curation = built.dataset, built.curation
    curated = dataset.graph(graph_iri("curated"))
    position = sorted(curated.subjects(RDF.type, NEG.Position))[0]
    curated.add((position, NEG.reportedBy, URIRef("https://w3id.org/neg-kg/id/actor/nobody-typed-this")))
    with pytest.raises(ValidationFailed, match="reportedBy"):
        check_dataset(dataset, curation)


OUTPUTS = ("graph.ttl", "graph.trig", "graph.jsonld", "graph.html")


def _build(kg_cli, seeds, out) -> str:
    result = kg_cli("build", "--seeds", seeds, "--out", out)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()[0]


def _same_outputs(one, other) -> bool:
    return all((one / name).read_bytes() == (other / name).read_bytes() for name in OUTPUTS)


@pytest.fixture
def cached_build(seeds_copy, kg_cli, tmp_path):
    """The seeds copy built once into tmp_path/out, its extraction cache filled."""
    out = tmp_path / "out"
    assert _build(kg_cli, seeds_copy, out) == "articles:  5 (5 extracted, 0 from the cache)"
    return seeds_copy, out


def test_a_rebuild_after_adding_one_article_extracts_exactly_that_one(cached_build, kg_cli, tmp_path):
    seeds, out = cached_build
    article = tmp_path / "new.txt"
    article.write_text(
        "Talks resume\n\nRussia rejected the new ceasefire plan on Monday.\n", encoding="utf-8"
    )
    assert kg_cli("ingest", article, "--seeds", seeds, "--date", "2013-10-01", "--no-extract").exit_code == 0
    assert _build(kg_cli, seeds, out) == "articles:  6 (1 extracted, 5 from the cache)"
    cold = tmp_path / "cold"
    assert _build(kg_cli, seeds, cold) == "articles:  6 (6 extracted, 0 from the cache)"
    assert _same_outputs(out, cold)  # the cache changes nothing in the output


def test_a_changed_curated_alias_extracts_again_but_a_new_curated_position_does_not(cached_build, kg_cli):
    seeds, out = cached_build
    actors = seeds / "curated" / "actors.ttl"
    text = actors.read_text(encoding="utf-8")
    assert '"Sergei Lavrov"@en' in text
    actors.write_text(text.replace('"Sergei Lavrov"@en', '"Sergei Lavrov"@en , "Lavrov the elder"@en', 1))
    assert _build(kg_cli, seeds, out) == "articles:  5 (5 extracted, 0 from the cache)"
    positions = seeds / "curated" / "positions.ttl"
    positions.write_text(positions.read_text(encoding="utf-8") + "\n# a curator's note\n", encoding="utf-8")
    assert _build(kg_cli, seeds, out) == "articles:  5 (0 extracted, 5 from the cache)"


def test_a_changed_lexicon_extracts_again(cached_build, kg_cli):
    from kg.resources import package_file

    seeds, out = cached_build
    lexicon = package_file("extract", "lexicon", "stance_cues.toml")
    original = lexicon.read_bytes()
    try:
        lexicon.write_bytes(original + b"\n# a cue list edited by its maintainer\n")
        assert _build(kg_cli, seeds, out) == "articles:  5 (5 extracted, 0 from the cache)"
    finally:
        lexicon.write_bytes(original)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other candidates"])
def test_a_corrupt_cache_entry_is_extracted_again_never_trusted(cached_build, kg_cli, tmp_path, damage):
    import json

    seeds, out = cached_build
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    entry = max((out / "cache" / "extract").glob("*.json"), key=lambda p: p.stat().st_size)
    data = entry.read_text(encoding="utf-8")
    if damage == "garbage":
        entry.write_bytes(b"\x00\xff not json")
    elif damage == "truncated":
        entry.write_text(data[: len(data) // 2], encoding="utf-8")
    else:  # well-formed, but its candidates are not the ones its checksum vouches for
        document = json.loads(data)
        document["candidates"] = document["candidates"][1:]
        entry.write_text(json.dumps(document), encoding="utf-8")
    assert _build(kg_cli, seeds, out) == "articles:  5 (1 extracted, 4 from the cache)"
    assert all((out / name).read_bytes() == data for name, data in before.items())
