"""One way to run SPARQL: an engine interface over rdflib, Oxigraph and a remote endpoint.

Every engine takes a ``NamedQuery`` and its parameters and answers with the same
``QueryResult`` holding rdflib terms, so results print identically whichever engine ran them.
rdflib binds parameters itself (``initBindings``); Oxigraph and remote endpoints get them as
escaped terms in the query text (``kg.sparql.queries.bind_parameters``). The default graph is
the union of the named graphs on every engine.

>>> from kg.sparql.queries import load_query
>>> run_query(pyoxigraph.Store(), load_query("q", "ASK { ?s ?p ?o }")).boolean
False
>>> run_query(Graph(), load_query("q", "ASK { ?s ?p ?o }")).boolean
False
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyoxigraph
from pyparsing import ParseException
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import QueryError
from kg.files import built_graph
from kg.namespace import bind_prefixes
from kg.sparql import tsv
from kg.sparql.queries import NamedQuery, bind_parameters, bindings

__all__ = [
    "ENGINES",
    "Engine",
    "OxigraphEngine",
    "QueryResult",
    "RdflibEngine",
    "engine_for",
    "from_oxigraph",
    "load_built_graph",
    "load_oxigraph",
    "open_built",
    "oxigraph_of_trig",
    "run_query",
    "syntax_message",
]

ENGINES = ("rdflib", "oxigraph")
_SYNTAX = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


@dataclass(frozen=True)
class QueryResult:
    """A SELECT result (vars and rows), an ASK answer, or a CONSTRUCT/DESCRIBE graph."""

    kind: str  # "select", "ask" or "graph"
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def records(self) -> list[dict[str, str]]:
        """The rows as plain strings, one dict per row, unbound values left out."""
        return [{n: str(t) for n, t in zip(self.vars, row) if t is not None} for row in self.rows]


def _graph_result(triples) -> QueryResult:
    graph = Graph()
    bind_prefixes(graph.namespace_manager)
    for triple in triples:
        graph.add(triple)
    return QueryResult("graph", graph=graph)


@runtime_checkable
class Engine(Protocol):
    """Anything that runs a named query with parameters: rdflib, Oxigraph, a remote endpoint."""

    def query(self, query: NamedQuery, params: Mapping[str, str] | None = None) -> QueryResult: ...


class RdflibEngine:
    """An rdflib graph or union-default dataset."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def query(self, query: NamedQuery, params: Mapping[str, str] | None = None) -> QueryResult:
        bound = bindings(query, dict(params or {}))
        try:
            result = self.graph.query(query.text, initBindings={Variable(k): v for k, v in bound.items()})
        except ParseException as exc:
            raise QueryError(f"malformed SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg}") from exc
        except Exception as exc:  # rdflib reports evaluation errors with assorted exception types
            raise QueryError(f"query failed: {exc}") from exc
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return _graph_result(result.graph)
        return QueryResult("select", vars=[str(v) for v in result.vars], rows=[tuple(row) for row in result])


def from_oxigraph(term) -> Node | None:
    """The rdflib term equal to a pyoxigraph term (``None`` stays ``None``: unbound)."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == str(XSD.string) else Literal(term.value, datatype=datatype)
    raise QueryError(f"cannot convert {term!r} (RDF-star terms are not supported)")


def syntax_message(message: str) -> str:
    """Oxigraph's ``error at L:C: ...`` in the wording rdflib errors get (line, column)."""
    match = _SYNTAX.match(message.strip())
    if not match:
        return f"malformed SPARQL: {message.strip()}"
    line, column, detail = match.groups()
    return f"malformed SPARQL at line {line}, column {column}: {' '.join(detail.split())}"


class OxigraphEngine:
    """A pyoxigraph store, queried with its default graph as the union of the named graphs."""

    def __init__(self, store: pyoxigraph.Store):
        self.store = store

    def query(self, query: NamedQuery, params: Mapping[str, str] | None = None) -> QueryResult:
        text = bind_parameters(query.text, bindings(query, dict(params or {})))
        try:
            result = self.store.query(text, use_default_graph_as_union=True)
            if isinstance(result, pyoxigraph.QueryBoolean):
                return QueryResult("ask", boolean=bool(result))
            if isinstance(result, pyoxigraph.QueryTriples):
                return _graph_result(
                    (from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
                    for t in result
                )
            # Oxigraph writes TSV in Rust far faster than Python takes solutions apart term by
            # term (tests/benchmarks/bench_results.py): read it back, each distinct cell once
            names, rows = tsv.rows(result.serialize(format=pyoxigraph.QueryResultsFormat.TSV))
        except SyntaxError as exc:
            raise QueryError(syntax_message(str(exc))) from exc
        except OSError as exc:  # evaluation errors surface as OSError from the Rust side
            raise QueryError(f"query failed: {exc}") from exc
        return QueryResult("select", vars=names, rows=rows)


def engine_for(source: Engine | Graph | pyoxigraph.Store) -> Engine:
    """The engine for an rdflib graph or dataset, a pyoxigraph store, or an engine as it is."""
    if isinstance(source, Graph):
        return RdflibEngine(source)
    if isinstance(source, pyoxigraph.Store):
        return OxigraphEngine(source)
    if isinstance(source, Engine):
        return source
    raise TypeError(f"cannot run SPARQL on {type(source).__name__}")


def run_query(
    source: Engine | Graph | pyoxigraph.Store, query: NamedQuery, params: Mapping[str, str] | None = None
) -> QueryResult:
    """Run ``query`` with bound parameters on a graph, a store or any engine."""
    return engine_for(source).query(query, params)


def load_built_graph(out_dir: Path) -> Dataset:
    """The graph ``kg build`` wrote (``out/graph.trig``), as a union-default rdflib dataset."""
    dataset = Dataset(default_union=True)
    dataset.parse(built_graph(out_dir), format="trig")
    bind_prefixes(dataset.namespace_manager)
    return dataset


def load_oxigraph(out_dir: Path, location: Path | None = None) -> pyoxigraph.Store:
    """The graph ``kg build`` wrote (``out/graph.trig``) bulk-loaded into a pyoxigraph store.

    In memory unless ``location`` names a directory for an on-disk (RocksDB) store.
    """
    path = built_graph(out_dir)
    store = pyoxigraph.Store(str(location)) if location is not None else pyoxigraph.Store()
    store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TRIG)
    return store


def oxigraph_of_trig(data: bytes) -> pyoxigraph.Store:
    """An in-memory pyoxigraph store of TriG ``data``: a build queries what it is about to write."""
    store = pyoxigraph.Store()
    store.bulk_load(input=data, format=pyoxigraph.RdfFormat.TRIG)
    return store


def open_built(out_dir: Path, engine: str = "oxigraph") -> Engine:
    """The built graph in ``out_dir`` loaded into the chosen engine (``ENGINES``)."""
    if engine == "rdflib":
        return RdflibEngine(load_built_graph(out_dir))
    if engine == "oxigraph":
        return OxigraphEngine(load_oxigraph(out_dir))
    raise QueryError(f"unknown store {engine!r}; choose from {', '.join(ENGINES)}")
