"""The extractor as a whole: spaCy loading, batching and processes, `kg extract`, and the extracted graph."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import PROV, RDF, RDFS, SDO

from kg.corpus import load_articles
from kg.extract import EXTRACTOR_VERSION, Extractor, load_nlp, model_info
from kg.extract.identity import MODEL_NAMES
from kg.extract.pipeline import DISABLED
from kg.namespace import GRAPH, NEG

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ARTICLES = sorted((SEEDS / "articles").glob("*.txt"))


def test_model_loads_once_with_unneeded_components_off():
    nlp = load_nlp()
    assert load_nlp() is nlp
    assert nlp.meta["name"].startswith("core_web_sm") and set(DISABLED).isdisjoint(nlp.pipe_names)
    assert model_info(nlp)[0] in {"en_core_web_sm", *MODEL_NAMES}
    assert "paragraph_breaks" in nlp.pipe_names


def test_processes_give_the_same_candidates_in_the_same_order():
    articles, _ = load_articles(SEEDS)
    extractor = Extractor(Dataset(), reuse_parses=False)
    items = [(a.iri, a.text) for a in articles]
    assert extractor.extract_many(items, jobs=2, batch_size=2) == extractor.extract_many(items, jobs=1)


def test_cli_extract_table(kg_cli):
    result = kg_cli("extract", ARTICLES[0])
    assert result.exit_code == 0
    header = result.output.splitlines()[0].split()
    assert header == ["id", "holder", "stance", "modality", "target", "conf", "rule", "start", "end", "quote"]
    assert "Sergey Lavrov" in result.output or "Russia" in result.output


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_cli_extract_jsonl_points_at_the_exact_text(kg_cli, path):
    result = kg_cli("extract", path, "--format", "jsonl", "--jobs", "1")
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert rows
    text = path.read_text(encoding="utf-8")
    for row in rows:
        assert text[row["start"] : row["end"]] == row["quote"]
        assert row["stance"] in {"propose", "support", "conditional", "oppose", "reject"}
        assert 0 <= row["confidence"] <= 1 and "+" in row["rule"]


def test_cli_extract_skips_bad_files_and_goes_on(kg_cli, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = kg_cli("extract", empty, ARTICLES[1], "--format", "jsonl")
    assert result.exit_code == 0
    assert "skipped:" in result.output and "article is empty" in result.output
    assert '"stance"' in result.output


def test_build_writes_extracted_named_graph_with_provenance(built):
    dataset = Dataset()
    dataset.parse(built / "graph.trig", format="trig")
    extracted = dataset.graph(GRAPH["extracted"])
    positions = set(extracted.subjects(RDF.type, NEG.Position))
    assert positions
    for position in positions:
        assert extracted.value(position, NEG.method) == NEG.Extracted
        assert 0 <= float(extracted.value(position, NEG.confidence)) <= 1
        assert extracted.value(position, NEG.rule) is not None
        assert extracted.value(position, NEG.evidence) is not None
    (activity,) = set(extracted.subjects(RDF.type, PROV.Activity))
    assert set(extracted.subjects(PROV.wasGeneratedBy, activity)) == positions
    model = extracted.value(activity, PROV.used)
    assert str(extracted.value(model, RDFS.label)) in {"en_core_web_sm", *MODEL_NAMES}
    assert extracted.value(model, SDO.version) == Literal(load_nlp().meta["version"])
    software = extracted.value(activity, PROV.wasAssociatedWith)
    assert extracted.value(software, SDO.softwareVersion) == Literal(EXTRACTOR_VERSION)
    curated = dataset.graph(GRAPH["curated"])
    assert not set(curated.subjects(NEG.method, NEG.Extracted))


def test_build_output_is_deterministic(built, kg_cli, tmp_path):
    result = kg_cli("build", "--out", tmp_path)
    assert result.exit_code == 0
    for name in ("graph.ttl", "graph.trig", "graph.jsonld"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


def test_positions_query_shows_both_methods(built, kg_cli):
    result = kg_cli("query", "positions", "--out", built, "--format", "csv", "--store", "oxigraph")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {row["method"] for row in rows} == {"curated", "extracted"}
    extracted = [row for row in rows if row["method"] == "extracted"]
    assert all(0 <= float(row["confidence"]) <= 1 for row in extracted)


@pytest.mark.parametrize("command", ["extract", "ingest", "review", "eval"])
def test_commands_have_help(kg_cli, command):
    result = kg_cli(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output
