"""Run SPARQL over the built graph: ad-hoc text, ``.rq`` files, or the named queries.

Parameters are bound as RDF terms by the engine (rdflib ``initBindings``), never pasted into
the query text, so a value cannot change the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pyparsing import ParseException
from rdflib import Dataset, Graph, Literal, URIRef, Variable
from rdflib.term import Node

from kg.errors import GraphNotBuiltError, QueryError
from kg.namespace import DATA_PREFIXES, POSITION, bind_prefixes
from kg.resources import query_files

__all__ = [
    "NamedQuery",
    "QueryResult",
    "load_built_graph",
    "named_queries",
    "resolve_query",
    "run_query",
]

_PARAM = re.compile(r"^#\s*param\s+(\w+)(?:\s+\((iri)\))?:\s*(.*)$")


@dataclass(frozen=True)
class NamedQuery:
    """A query stored in ontology/queries: its name, one-line description and parameters."""

    name: str
    description: str
    text: str
    params: dict[str, str] = field(default_factory=dict)  # name -> description
    iri_params: frozenset[str] = frozenset()


@dataclass(frozen=True)
class QueryResult:
    """A SELECT result (vars and rows), an ASK answer, or a CONSTRUCT/DESCRIBE graph."""

    kind: str  # "select", "ask" or "graph"
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


def _parse_named(name: str, text: str) -> NamedQuery:
    comments = [line for line in text.splitlines() if line.startswith("#")]
    description = comments[0].lstrip("# ").strip() if comments else ""
    params, iri_params = {}, set()
    for line in comments:
        match = _PARAM.match(line)
        if match:
            params[match.group(1)] = match.group(3)
            if match.group(2):
                iri_params.add(match.group(1))
    return NamedQuery(name, description, text, params, frozenset(iri_params))


def named_queries() -> dict[str, NamedQuery]:
    """The named queries by name (file stem)."""
    return {f.name[:-3]: _parse_named(f.name[:-3], f.read_text(encoding="utf-8")) for f in query_files()}


def resolve_query(spec: str) -> NamedQuery:
    """A named query, a ``.rq`` file, or query text given on the command line."""
    queries = named_queries()
    if spec in queries:
        return queries[spec]
    path = Path(spec)
    if spec.endswith(".rq") or (len(spec) < 256 and "\n" not in spec and path.is_file()):
        if not path.is_file():
            raise QueryError("query file not found", path)
        return _parse_named(path.stem, path.read_text(encoding="utf-8"))
    if not re.search(r"\b(select|construct|ask|describe)\b", spec, re.IGNORECASE):
        known = ", ".join(sorted(queries))
        raise QueryError(f"unknown query {spec!r}: not a named query ({known}), file or SPARQL text")
    return _parse_named("query", spec)


def _param_term(query: NamedQuery, name: str, value: str) -> Node:
    if name not in query.iri_params:
        return Literal(value)
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    prefix, _, local = value.partition(":")
    if local and prefix in DATA_PREFIXES and not local.startswith("//"):
        return URIRef(DATA_PREFIXES[prefix] + local)
    if re.match(r"^[a-z][a-z0-9+.-]*://", value):
        return URIRef(value)
    return POSITION[value]


def bindings(query: NamedQuery, params: dict[str, str]) -> dict[str, Node]:
    """Check the parameters against the query's declared ones and turn them into RDF terms."""
    unknown = sorted(set(params) - set(query.params))
    if unknown and (query.params or query.name in named_queries()):
        takes = ", ".join(query.params) or "no parameters"
        raise QueryError(f"query {query.name!r} takes {takes}, not {', '.join(unknown)}")
    missing = sorted(set(query.params) - set(params))
    if missing:
        raise QueryError(
            f"query {query.name!r} needs --param "
            + ", ".join(f"{m}=... ({query.params[m]})" for m in missing)
        )
    return {name: _param_term(query, name, value) for name, value in params.items()}


def run_query(graph: Graph, query: NamedQuery, params: dict[str, str] | None = None) -> QueryResult:
    """Run ``query`` on an rdflib graph or dataset with bound parameters."""
    bound = bindings(query, params or {})
    try:
        result = graph.query(query.text, initBindings={Variable(k): v for k, v in bound.items()})
    except ParseException as exc:
        raise QueryError(f"malformed SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg}") from exc
    except Exception as exc:  # rdflib reports evaluation errors with assorted exception types
        raise QueryError(f"query failed: {exc}") from exc
    if result.type == "ASK":
        return QueryResult("ask", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        out = Graph()
        bind_prefixes(out.namespace_manager)
        for triple in result.graph:
            out.add(triple)
        return QueryResult("graph", graph=out)
    names = [str(v) for v in result.vars]
    return QueryResult("select", vars=names, rows=[tuple(row) for row in result])


def load_built_graph(out_dir: Path) -> Dataset:
    """The graph ``kg build`` wrote (``out/graph.trig``), as a union-default dataset."""
    path = out_dir / "graph.trig"
    if not path.is_file():
        raise GraphNotBuiltError("no built graph here: run `kg build` first", path)
    dataset = Dataset(default_union=True)
    dataset.parse(path, format="trig")
    bind_prefixes(dataset.namespace_manager)
    return dataset
