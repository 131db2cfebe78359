"""`kg query`: named queries, files, text, parameters, output formats, errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kg.sparql.engines import load_built_graph, run_query
from kg.sparql.queries import named_queries, resolve_query

from .conftest import first_multi_source_position, sample_params

POSITIONS_COLUMNS = [
    "position",
    "holder",
    "holderLabel",
    "stance",
    "polarity",
    "target",
    "targetLabel",
    "article",
    "date",
    "start",
    "end",
    "quote",
    "method",
    "confidence",
]


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_returns_rows_on_the_seeds(built, name):
    result = run_query(load_built_graph(built), named_queries()[name], sample_params(named_queries()[name]))
    assert result.kind == "select"
    assert result.rows, f"{name} returned no rows"


def test_every_named_query_has_a_description(kg_cli):
    result = kg_cli("query", "--list")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == len(named_queries())
    for name, query in named_queries().items():
        assert query.description, name
        assert any(line.startswith(name + " ") for line in lines)


def test_positions_table_has_the_contract_columns_and_one_row_per_position(built):
    graph = load_built_graph(built)
    result = run_query(graph, named_queries()["positions"])
    assert result.vars == POSITIONS_COLUMNS
    positions = [row[0] for row in result.rows]
    assert len(positions) == len(set(positions))
    count = graph.query("SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/neg-kg/ontology#Position> }")
    assert len(positions) == int(next(iter(count))[0])
    for row in result.rows:
        values = dict(zip(result.vars, row))
        assert str(values["polarity"]) in ("support", "oppose")
        assert str(values["method"]) in ("curated", "extracted")
        if str(values["method"]) == "curated":
            assert values["confidence"] is None


def test_enough_curated_positions(built):
    result = run_query(load_built_graph(built), named_queries()["positions"])
    assert len(result.rows) >= 40


def test_evidence_lists_every_source_of_a_repeated_claim(built, kg_cli):
    position = first_multi_source_position()
    result = kg_cli("query", "evidence", "--param", f"position={position}", "--out", built, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len({row["article"] for row in rows}) >= 2


def test_single_source_excludes_claims_with_two_sources(built):
    graph = load_built_graph(built)
    single = {str(r[0]) for r in run_query(graph, named_queries()["single-source"]).rows}
    assert first_multi_source_position() not in single
    assert single


def test_positions_of_finds_an_actor_by_alias(built, kg_cli):
    by_alias = kg_cli("query", "positions-of", "-p", "actor=Sergei Lavrov", "--out", built, "--format", "csv")
    by_label = kg_cli("query", "positions-of", "-p", "actor=Sergey Lavrov", "--out", built, "--format", "csv")
    assert by_alias.exit_code == 0 and by_alias.output == by_label.output
    assert by_alias.output.count("\n") > 3


@pytest.mark.parametrize("value", ['Lavrov" } UNION { ?s ?p ?o', "x') || true || ('", "}} #"])
def test_parameter_values_cannot_change_the_query(built, kg_cli, value):
    result = kg_cli("query", "positions-of", "-p", f"actor={value}", "--out", built, "--format", "csv")
    assert result.exit_code == 0
    assert result.output.strip().splitlines()[1:] == []


def test_missing_parameter_is_a_clear_error(built, kg_cli):
    result = kg_cli("query", "positions-of", "--out", built)
    assert result.exit_code == 2
    assert "needs --param actor=" in result.output


def test_json_output_is_sparql_results_json(built, kg_cli):
    result = kg_cli("query", "positions", "--format", "json", "--out", built)
    document = json.loads(result.output)
    assert document["head"]["vars"] == POSITIONS_COLUMNS
    first = document["results"]["bindings"][0]
    assert first["position"]["type"] == "uri"
    # Oxigraph (the default store) keeps values, not spellings: xsd:nonNegativeInteger comes back as integer
    assert first["start"]["datatype"].rsplit("#", 1)[1] in ("nonNegativeInteger", "integer")


def test_csv_and_tsv_have_one_line_per_row(built, kg_cli):
    csv_out = kg_cli("query", "positions", "--format", "csv", "--out", built).output
    tsv_out = kg_cli("query", "positions", "--format", "tsv", "--out", built).output
    rows = list(csv.reader(io.StringIO(csv_out)))
    assert rows[0] == POSITIONS_COLUMNS
    tsv_lines = tsv_out.strip("\n").split("\n")
    assert tsv_lines[0].split("\t") == [f"?{c}" for c in POSITIONS_COLUMNS]
    assert len(tsv_lines) == len(rows)
    assert all(len(line.split("\t")) == len(POSITIONS_COLUMNS) for line in tsv_lines)


def test_table_is_aligned(built, kg_cli):
    lines = kg_cli("query", "actors", "--out", built).output.splitlines()
    assert lines[1].startswith("-----")
    assert lines[-1].endswith("rows)")


def test_query_from_file_and_from_text(built, kg_cli, tmp_path):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://schema.org/NewsArticle> }"
    path = tmp_path / "count.rq"
    path.write_text("# count articles\n" + text, encoding="utf-8")
    for spec in (str(path), text):
        result = kg_cli("query", spec, "--format", "csv", "--out", built)
        assert result.output.splitlines() == ["n", "5"]


def test_malformed_query_reports_line_and_column(built, kg_cli):
    result = kg_cli("query", "SELECT ?x WHERE {\n  ?x ?y \n}", "--out", built)
    assert result.exit_code == 2
    assert "line" in result.output and "column" in result.output


def test_query_before_build_says_to_build(kg_cli, tmp_path):
    result = kg_cli("query", "positions", "--out", tmp_path)
    assert result.exit_code == 2
    assert "run `kg build` first" in result.output


def test_unknown_query_name_lists_the_named_ones(kg_cli, built):
    result = kg_cli("query", "no-such-query", "--out", built)
    assert result.exit_code == 2 and "positions" in result.output


def test_resolve_query_prefers_named_queries():
    assert resolve_query("positions").name == "positions"


def test_unknown_parameter_of_a_named_query_is_refused(built, kg_cli):
    result = kg_cli("query", "actors", "--param", "actor=Kerry", "--out", built)
    assert result.exit_code == 2
    assert "takes no parameters" in result.output
