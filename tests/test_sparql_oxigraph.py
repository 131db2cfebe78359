"""Oxigraph and rdflib engines: every named query gives the same rows on both; safe binding."""

from __future__ import annotations

import re

import pyoxigraph
import pytest
from rdflib import Literal, URIRef

from kg.errors import QueryError
from kg.sparql import tsv as sparql_tsv
from kg.sparql.engines import from_oxigraph, load_built_graph, load_oxigraph, run_query
from kg.sparql.queries import NamedQuery, bind_parameters, inline_values, named_queries

from .conftest import comparable_rows, sample_params

_ORDER_BY = re.compile(r"\bORDER\s+BY\s+(.*?)\s*(?:LIMIT|OFFSET|$)", re.IGNORECASE | re.DOTALL)
_KEY = re.compile(r"^(?:(?:ASC|DESC)\(\s*\?(\w+)\s*\)|\?(\w+))$", re.IGNORECASE)


@pytest.fixture(scope="module")
def engines(built):
    """The seeds build loaded into both engines."""
    return load_built_graph(built), load_oxigraph(built)


def order_keys(query: NamedQuery) -> list[str] | None:
    """The ORDER BY variables when every key is a plain variable, else None (an expression)."""
    match = _ORDER_BY.search(query.text.split("}")[-1])
    if not match:
        return None
    keys = [_KEY.match(part) for part in re.findall(r"\w+\([^)]*\)|\?\w+", match.group(1))]
    return None if not keys or not all(keys) else [k.group(1) or k.group(2) for k in keys]


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_gives_the_same_rows_on_both_engines(engines, name):
    graph, store = engines
    query = named_queries()[name]
    params = sample_params(query)
    on_rdflib, on_oxigraph = run_query(graph, query, params), run_query(store, query, params)
    assert on_rdflib.vars == on_oxigraph.vars
    rows_rdflib, rows_oxigraph = comparable_rows(on_rdflib, query), comparable_rows(on_oxigraph, query)
    assert rows_rdflib, f"{name} has no rows on the seeds: the comparison would prove nothing"
    assert sorted(rows_rdflib, key=repr) == sorted(rows_oxigraph, key=repr)
    keys = order_keys(query)
    if keys:  # rows may differ in order only where ORDER BY ties them
        index = [on_rdflib.vars.index(k) for k in keys if k in on_rdflib.vars]
        assert [[r[i] for i in index] for r in rows_rdflib] == [[r[i] for i in index] for r in rows_oxigraph]


def test_kg_query_store_oxigraph_prints_the_same_table(built, kg_cli):
    args = ("query", "positions-of", "--param", "actor=Lavrov", "--out", built)
    on_rdflib = kg_cli(*args)
    on_oxigraph = kg_cli(*args, "--store", "oxigraph")
    assert on_oxigraph.exit_code == 0, on_oxigraph.output
    assert on_oxigraph.output == on_rdflib.output
    assert "Lavrov" in on_oxigraph.output


def test_malformed_query_on_oxigraph_names_line_and_column(built, kg_cli):
    result = kg_cli("query", "SELECT ?s WHERE {\n  ?s ?p \n}", "--store", "oxigraph", "--out", built)
    assert result.exit_code == 2
    assert "malformed SPARQL at line 3, column " in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_unknown_store_is_refused(built, kg_cli):
    result = kg_cli("query", "positions", "--store", "sqlite", "--out", built)
    assert result.exit_code == 2
    assert "rdflib" in result.output and "oxigraph" in result.output


@pytest.mark.parametrize(
    "value",
    [
        'Lavrov" } ?holder ?p ?o . { "',
        "x' } UNION { ?s ?p ?o } #",
        'a """ b \n } \\ {',
        "# comment } WHERE {",
    ],
)
def test_a_bound_value_stays_one_value(value):
    for bind in (inline_values, bind_parameters):  # BIND: ?v is not projected, so it is replaced
        text = bind('SELECT ?got WHERE { BIND ("{" AS ?brace) BIND (?v AS ?got) }', {"v": Literal(value)})
        rows = list(pyoxigraph.Store().query(text))
        assert [str(row["got"].value) for row in rows] == [value], bind.__name__


def test_a_hostile_parameter_finds_nothing_on_oxigraph(engines):
    graph, store = engines
    query = named_queries()["positions-of"]
    result = run_query(store, query, {"actor": 'Lavrov") || true || STR("'})
    assert result.rows == []
    assert run_query(store, query, {"actor": "Lavrov"}).rows


def test_an_iri_that_would_break_out_is_refused():
    with pytest.raises(QueryError, match="not a valid IRI"):
        inline_values("SELECT * WHERE { ?s ?p ?o }", {"s": URIRef("http://x/a> } ?s ?p ?o . { <http://y")})


def test_values_go_into_the_where_clause_not_a_construct_template():
    text = (
        "PREFIX ex: <http://ex/WHERE>\n# WHERE { in a comment\n"
        'CONSTRUCT { ?s <http://ex/p> "WHERE {" } WHERE { ?s ?p ?o }'
    )
    bound = inline_values(text, {"o": Literal(1)})
    assert bound.endswith('WHERE { VALUES ?o { "1"^^<http://www.w3.org/2001/XMLSchema#integer> } ?s ?p ?o }')
    store = pyoxigraph.Store()
    store.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("http://ex/s"), pyoxigraph.NamedNode("http://ex/q"), pyoxigraph.Literal(1)
        )
    )
    assert len(list(store.query(bound))) == 1


def test_a_projected_parameter_is_bound_by_values(engines):
    _, store = engines
    query = NamedQuery("q", "", "SELECT ?x WHERE { }", {"x": "a value"})
    assert "VALUES ?x" in bind_parameters(query.text, {"x": Literal("v")})
    assert run_query(store, query, {"x": "a } value"}).rows == [(Literal("a } value"),)]


def test_a_parameter_becomes_a_constant_only_where_it_is_a_variable():
    text = 'SELECT ?n WHERE { ?s <http://x/?actor> ?n FILTER (?n = ?actor || ?n = "?actor") } # ?actor'
    bound = bind_parameters(text, {"actor": Literal("Lavrov")})
    assert (
        bound
        == 'SELECT ?n WHERE { ?s <http://x/?actor> ?n FILTER (?n = "Lavrov" || ?n = "?actor") } # ?actor'
    )


TRICKY = [
    '"tab\\there, new\\nline, \\"quoted\\", back\\\\slash"',
    '"" ',
    '"not escapes once unescaped: \\\\x41 \\\\N{DASH} \\\\101 \\\\a"',
    '"control \\u0001 and del \\u007F, astral \\U0001F600, é"@en-GB',
    '"2013-09-14"^^<http://www.w3.org/2001/XMLSchema#date>',
    '"2013-09-14T10:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>',
    '"0.800"^^<http://www.w3.org/2001/XMLSchema#decimal>',
    '"-12"^^<http://www.w3.org/2001/XMLSchema#integer>',
    '"643"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>',
    '"1.5e3"^^<http://www.w3.org/2001/XMLSchema#double>',
    '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>',
    '"x"^^<http://example.org/my-type>',
    "<http://example.org/ünïcode/path?q=1#frag>",
]


def test_rows_read_from_tsv_equal_the_terms_oxigraph_gives():
    store = pyoxigraph.Store()
    values = " ".join(f"({value} {n})" for n, value in enumerate(TRICKY))
    text = f"SELECT ?v ?n ?none ?b WHERE {{ VALUES (?v ?n) {{ {values} (UNDEF 99) }} BIND (BNODE() AS ?b) }}"
    expected = [tuple(from_oxigraph(term) for term in solution) for solution in store.query(text)]
    names, rows = sparql_tsv.rows(store.query(text).serialize(format=pyoxigraph.QueryResultsFormat.TSV))
    assert names == ["v", "n", "none", "b"]
    assert [row[:3] for row in rows] == [row[:3] for row in expected]
    assert all(type(row[3]) is type(e[3]) for row, e in zip(rows, expected, strict=True))
    triple_term = "SELECT ?t WHERE { BIND (<<( <http://a> <http://b> <http://c> )>> AS ?t) }"
    with pytest.raises(QueryError, match="triple terms are not supported"):
        run_query(store, NamedQuery("t", "", triple_term))
    one = "SELECT ?x WHERE { OPTIONAL { ?s ?p ?x } }"  # one row whose only value is unbound
    assert sparql_tsv.rows(store.query(one).serialize(format=pyoxigraph.QueryResultsFormat.TSV)) == (
        ["x"],
        [(None,)],
    )
