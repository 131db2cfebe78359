"""Shared fixtures: a copy of the seeds to break, and one real build of the seeds per session."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.cli import main
from kg.sparql.engines import QueryResult, load_oxigraph
from kg.sparql.queries import NamedQuery
from kg.sparql.remote import remote_for

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The out/ directory of one `kg build` of the real seeds (do not modify it)."""
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["build", "--seeds", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A private copy of seeds/ that a test may change."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def kg_cli():
    """Run the kg CLI in-process: kg_cli("query", "positions") -> click Result."""
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


_EXAMPLE = re.compile(r'e\.g\.\s*"([^"]+)"')


@cache
def first_multi_source_position() -> str:
    """The first curated position quoted from more than one article."""
    graph = Graph().parse(SEEDS / "curated" / "positions.ttl")
    rows = graph.query(
        "PREFIX neg: <https://w3id.org/neg-kg/ontology#> SELECT ?p WHERE { ?p neg:quoted ?q } "
        "GROUP BY ?p HAVING (COUNT(?q) > 1) ORDER BY ?p LIMIT 1"
    )
    return str(next(iter(rows))[0])


def sample_params(query: NamedQuery) -> dict[str, str]:
    """A value for each parameter: the example in its .rq comment, or a position with two sources."""
    params = {}
    for name, description in query.params.items():
        example = _EXAMPLE.search(description)
        if example:
            params[name] = example.group(1)
        elif name == "position":
            params[name] = first_multi_source_position()
        else:
            pytest.fail(f"no sample value for parameter {name!r} of {query.name}: add an e.g. to its comment")
    return params


def local_counts(out_dir: Path) -> dict[str, int]:
    """Triples per named graph of a build, as pyoxigraph reads ``graph.trig``."""
    store = load_oxigraph(out_dir)
    return {g.value: len(list(store.quads_for_pattern(None, None, None, g))) for g in store.named_graphs()}


def stored_counts(endpoint: str) -> dict[str, int]:
    """Triples per named graph in a remote store, counted through its SPARQL endpoint."""
    query = NamedQuery("count", "", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {str(g): int(n) for g, n in remote_for(endpoint).query(query).rows}


_CONCAT = re.compile(
    r'GROUP_CONCAT\(.*?separator\s*=\s*"([^"]*)".*?\bAS\s+\?(\w+)', re.DOTALL | re.IGNORECASE
)
# (COALESCE(?list, "") AS ?name): ?name is the GROUP_CONCAT ?list under another name
_RENAMED = re.compile(r"COALESCE\(\s*\?(\w+)\s*,[^()]*\)\s*AS\s+\?(\w+)", re.IGNORECASE)
_INTEGERS = {
    XSD[name]
    for name in (
        "integer",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}


def canonical_term(term: Node | None) -> Node | None:
    """A literal in the canonical form Oxigraph stores it in (other terms unchanged).

    Oxigraph keeps values, not spellings: ``"643"^^xsd:nonNegativeInteger`` comes back as
    ``xsd:integer`` and ``"0.800"^^xsd:decimal`` as ``"0.8"``. Canonicalise both engines'
    answers to compare them.

    >>> canonical_term(Literal("0.800", datatype=XSD.decimal))
    rdflib.term.Literal('0.8', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    if not isinstance(term, Literal) or term.datatype is None:
        return term
    if term.datatype in _INTEGERS:
        return Literal(str(int(str(term))), datatype=XSD.integer)
    if term.datatype == XSD.decimal:
        return Literal(format(Decimal(str(term)).normalize(), "f"), datatype=XSD.decimal)
    return term


def comparable_rows(result: QueryResult, query: NamedQuery) -> list[tuple]:
    """``result``'s rows in a form to compare across engines and stores.

    Literals are canonical (``canonical_term``) and every ``GROUP_CONCAT`` cell (also one passed
    on as ``COALESCE(?list, "") AS ?name``) has its items sorted: SPARQL leaves their order to
    the engine, and Oxigraph and rdflib do differ.
    """
    separators = {m.group(2): m.group(1) for m in _CONCAT.finditer(query.text)}
    for match in _RENAMED.finditer(query.text):
        if match.group(1) in separators:
            separators[match.group(2)] = separators[match.group(1)]
    rows = []
    for row in result.rows:
        cells = []
        for name, term in zip(result.vars, row):
            term = canonical_term(term)
            if name in separators and isinstance(term, Literal):
                term = Literal(separators[name].join(sorted(str(term).split(separators[name]))))
            cells.append(term)
        rows.append(tuple(cells))
    return rows
