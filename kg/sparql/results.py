"""Format query results: an aligned table for people; CSV, JSON and XML by rdflib's own SPARQL
results serialisers; TSV as SPARQL 1.1 defines it (rdflib has no TSV writer)."""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Node

from kg.namespace import bind_prefixes
from kg.sparql import tsv
from kg.sparql.engines import QueryResult
from kg.tables import text_table

__all__ = ["FORMATS", "format_result", "to_rdflib"]

FORMATS = ("table", "csv", "tsv", "json", "xml")
TABLE_CELL = 60


def _short(graph: Graph, term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:  # an IRI that cannot be a prefixed name
            return f"<{term}>"
    return str(term)


def _table(result: QueryResult) -> str:
    names = Graph()
    bind_prefixes(names.namespace_manager)

    def cell(term):
        text = " ".join(_short(names, term).split())
        return text if len(text) <= TABLE_CELL else text[: TABLE_CELL - 1] + "…"

    rows = [[cell(t) for t in row] for row in result.rows]
    count = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return text_table(result.vars, rows) + "\n" + count + "\n"


def to_rdflib(result: QueryResult) -> Result:
    """The result as an rdflib ``Result``, for rdflib's serialisers."""
    if result.kind == "ask":
        converted = Result("ASK")
        converted.askAnswer = bool(result.boolean)
        return converted
    converted = Result("SELECT")
    variables = [Variable(v) for v in result.vars]
    converted.vars = variables
    converted.bindings = [
        {v: term for v, term in zip(variables, row) if term is not None} for row in result.rows
    ]
    return converted


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result; CONSTRUCT/DESCRIBE results are Turtle whatever ``fmt`` says."""
    if result.kind == "graph":
        return result.graph.serialize(format="turtle")
    if fmt in ("json", "xml") or (fmt == "csv" and result.kind == "select"):
        text = to_rdflib(result).serialize(format=fmt).decode("utf-8")
        return text if text.endswith("\n") else text + "\n"
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    if fmt == "tsv":
        return tsv.write(result.vars, result.rows)
    return _table(result)
