"""`kg build` end to end: outputs, determinism, quote offsets, a second parser, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from kg.namespace import NEG, OA
from kg.sparql.engines import load_built_graph

from .conftest import SEEDS

OUTPUTS = ("graph.ttl", "graph.trig", "graph.jsonld", "graph.html")


def test_build_prints_summary_and_writes_the_three_files(kg_cli, tmp_path):
    result = kg_cli("build", "--seeds", SEEDS, "--out", tmp_path)
    assert result.exit_code == 0
    for label in ("articles:  5", "actors:", "proposals:", "positions:", "SHACL:     conforms"):
        assert label in result.output
    for name in OUTPUTS:
        assert (tmp_path / name).stat().st_size > 1000


def test_two_builds_are_byte_identical(built, kg_cli, tmp_path):
    assert kg_cli("build", "--seeds", SEEDS, "--out", tmp_path).exit_code == 0
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


def test_named_graphs_are_ontology_articles_curated(built):
    dataset = load_built_graph(built)
    names = {str(g.identifier).rsplit("/", 1)[-1] for g in dataset.graphs() if len(g)}
    assert {"ontology", "articles", "curated"} <= names


def test_every_quote_equals_the_article_text_between_its_offsets(built):
    graph = Graph().parse(built / "graph.ttl")
    checked = 0
    for target in graph.subjects(RDF.type, OA.SpecificResource):
        article = graph.value(target, OA.hasSource)
        text = (SEEDS / str(graph.value(article, NEG.sourceFile))).read_text(encoding="utf-8")
        selectors = {graph.value(s, RDF.type): s for s in graph.objects(target, OA.hasSelector)}
        quote, span = selectors[OA.TextQuoteSelector], selectors[OA.TextPositionSelector]
        start, end = int(graph.value(span, OA.start)), int(graph.value(span, OA.end))
        assert text[start:end] == str(graph.value(quote, OA.exact))
        assert text[:start].endswith(str(graph.value(quote, OA.prefix)))
        assert text[end:].startswith(str(graph.value(quote, OA.suffix)))
        checked += 1
    positions = len(set(graph.subjects(RDF.type, NEG.Position)))
    assert checked >= positions > 0


@pytest.mark.parametrize(
    ("name", "fmt"), [("graph.ttl", pyoxigraph.RdfFormat.TURTLE), ("graph.trig", pyoxigraph.RdfFormat.TRIG)]
)
def test_a_second_parser_reads_the_same_number_of_triples(built, name, fmt):
    oxigraph_count = len(list(pyoxigraph.parse(path=str(built / name), format=fmt)))
    if name.endswith(".ttl"):
        rdflib_count = len(Graph().parse(built / name))
    else:
        rdflib_count = sum(len(g) for g in Dataset().parse(built / name, format="trig").graphs())
    assert oxigraph_count == rdflib_count > 1000


def test_jsonld_holds_the_same_quads_as_trig(built):
    trig = Dataset().parse(built / "graph.trig", format="trig")
    jsonld = Dataset().parse(built / "graph.jsonld", format="json-ld")
    assert len(trig) == len(jsonld)


def test_shortcut_triple_is_materialised_for_every_position(built):
    graph = Graph().parse(built / "graph.ttl")
    for position in graph.subjects(RDF.type, NEG.Position):
        shortcut = graph.value(graph.value(position, NEG.stance), NEG.shortcut)
        holder, target = graph.value(position, NEG.holder), graph.value(position, NEG.target)
        assert (holder, shortcut, target) in graph


def test_first_evidence_is_the_quote_in_the_earliest_article(built):
    graph = Graph().parse(built / "graph.ttl")
    multi = 0
    for position in graph.subjects(RDF.type, NEG.Position):
        spans = {}
        for annotation in graph.objects(position, NEG.evidence):
            resource = graph.value(annotation, OA.hasTarget)
            start = next(
                int(graph.value(s, OA.start))
                for s in graph.objects(resource, OA.hasSelector)
                if graph.value(s, OA.start) is not None
            )
            spans[annotation] = (str(graph.value(resource, OA.hasSource)), start)
        multi += len({article for article, _ in spans.values()}) > 1
        assert list(graph.objects(position, NEG.firstEvidence)) == [min(spans, key=spans.get)]
    assert multi >= 10  # the rule is exercised: these positions have quotes from several articles


# --- bad input: one clear line naming file and line, non-zero exit, out/ untouched ---------


def _first_position_file(seeds: Path) -> Path:
    return seeds / "curated" / "positions.ttl"


def _break_first_quote(seeds: Path, replacement: str) -> None:
    path = _first_position_file(seeds)
    text = path.read_text(encoding="utf-8")
    start = text.index("oa:exact")
    quote_open = text.index('"', start)
    quote_close = text.index('"', quote_open + 1)
    path.write_text(text[: quote_open + 1] + replacement + text[quote_close:], encoding="utf-8")


def _append(path: Path, turtle: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + turtle, encoding="utf-8")


BAD_INPUTS = {
    "malformed-turtle": (
        lambda s: _append(s / "curated" / "actors.ttl", 'actor:broken a neg:Person rdfs:label "x" .'),
        "actors.ttl:",
        "malformed Turtle",
    ),
    "quote-not-found": (
        lambda s: _break_first_quote(s, "words the article never says"),
        "positions.ttl:",
        "quote not found",
    ),
    "quote-ambiguous": (
        lambda s: _break_first_quote(s, "Kerry"),
        "positions.ttl:",
        "add an oa:prefix",
    ),
    "unknown-entity": (
        lambda s: _append(
            s / "curated" / "positions.ttl",
            "position:ghost a neg:Position ; neg:holder actor:nobody ; neg:stance neg:Support ;\n"
            "  neg:target proposal:chapter7-force-resolution ; neg:onBehalfOf actor:russia ;\n"
            '  neg:statedOn "2013-09-10"^^xsd:date ;\n'
            "  neg:quoted [ neg:article article:2013-09-10-kerry-rebuffs-russia ;\n"
            '               oa:exact "Kerry Rebuffs" ] .',
        ),
        "positions.ttl:",
        "actor:nobody is not a known actor",
    ),
    "unknown-article": (
        lambda s: _append(
            s / "curated" / "positions.ttl",
            "position:ghost a neg:Position ; neg:holder actor:russia ; neg:stance neg:Support ;\n"
            "  neg:target proposal:chapter7-force-resolution ; neg:onBehalfOf actor:russia ;\n"
            '  neg:statedOn "2013-09-10"^^xsd:date ;\n'
            '  neg:quoted [ neg:article article:no-such-article ; oa:exact "Kerry Rebuffs" ] .',
        ),
        "positions.ttl:",
        "unknown article",
    ),
    "unknown-ontology-term": (
        lambda s: _append(s / "curated" / "actors.ttl", "actor:russia neg:speaksFro actor:russia ."),
        "actors.ttl:",
        "unknown ontology term neg:speaksFro",
    ),
    "article-not-utf8": (
        lambda s: (s / "articles" / "004_e1a44158004bb748.txt").write_bytes(b"Kerry \xff\xfe said\n"),
        "004_e1a44158004bb748.txt",
        "not UTF-8",
    ),
    "article-empty": (
        lambda s: (s / "articles" / "004_e1a44158004bb748.txt").write_text("  \n", encoding="utf-8"),
        "004_e1a44158004bb748.txt",
        "article is empty",
    ),
    "shacl-violation": (
        lambda s: _append(
            s / "curated" / "positions.ttl",
            "position:undated a neg:Position ; neg:holder actor:russia ; neg:stance neg:Support ;\n"
            "  neg:target proposal:chapter7-force-resolution ; neg:onBehalfOf actor:russia ;\n"
            "  neg:quoted [ neg:article article:2013-09-10-kerry-rebuffs-russia ;\n"
            '               oa:exact "Kerry Rebuffs" ] .',
        ),
        "positions.ttl:",
        "neg:statedOn",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_fails_with_one_line_and_leaves_out_untouched(case, seeds_copy, built, tmp_path, kg_cli):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    damage, where, message = BAD_INPUTS[case]
    damage(seeds_copy)
    result = kg_cli("build", "--seeds", seeds_copy, "--out", out)
    assert result.exit_code == (1 if case == "shacl-violation" else 2)  # 1: does not conform; 2: bad input
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ") and where in lines[0] and message in lines[0], lines[0]
    if where.endswith(".ttl:"):  # names the line, not only the file
        assert lines[0].split(where, 1)[1].split(":", 1)[0].isdigit(), lines[0]
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    assert sorted(p.name for p in out.iterdir() if p.name != "cache") == sorted(before)


def test_error_names_the_position(seeds_copy, kg_cli, tmp_path):
    _break_first_quote(seeds_copy, "words the article never says")
    result = kg_cli("build", "--seeds", seeds_copy, "--out", tmp_path)
    assert "position:" in result.output


def test_position_iris_are_readable_slugs(built):
    graph = Graph().parse(built / "graph.ttl")
    for position in graph.subjects(RDF.type, NEG.Position):
        assert isinstance(position, URIRef)
        slug = str(position).rsplit("/", 1)[-1]
        assert slug and not slug.isdigit()


def test_condition_without_language_tag_is_not_doubled(seeds_copy, kg_cli, tmp_path):
    path = seeds_copy / "curated" / "positions.ttl"
    text = path.read_text(encoding="utf-8")
    assert '"@en' in text
    path.write_text(text.replace('"@en ;\n', '" ;\n'), encoding="utf-8")
    result = kg_cli("build", "--seeds", seeds_copy, "--out", tmp_path)
    assert result.exit_code == 0, result.output


def test_timings_name_every_stage_of_the_build(kg_cli, tmp_path):
    result = kg_cli("build", "--seeds", SEEDS, "--out", tmp_path, "--timings")
    assert result.exit_code == 0, result.output
    table = result.output.split("stage ", 1)[1].splitlines()
    stages = [line.split("  ")[0] for line in table[2:]]
    assert stages == [
        "load",
        "assemble curated",
        "extract",
        "analyse",
        "validate",
        "serialize",
        "page",
        "write",
    ]
    for line in table[2:]:
        wall, cpu, peak = (float(v) for v in line.split()[-3:])
        assert wall >= 0 and cpu >= 0 and peak > 50  # MiB: a Python process with rdflib loaded
