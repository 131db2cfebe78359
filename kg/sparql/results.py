"""Format query results: an aligned table for people; CSV, TSV and JSON per SPARQL 1.1."""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.namespace import bind_prefixes
from kg.sparql.query import QueryResult

__all__ = ["FORMATS", "format_result"]

FORMATS = ("table", "csv", "tsv", "json")
TABLE_CELL = 60


def _plain(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _short(graph: Graph, term: Node | None) -> str:
    if isinstance(term, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:  # an IRI that cannot be a prefixed name
            return f"<{term}>"
    return _plain(term)


def _table(result: QueryResult) -> str:
    names = Graph()
    bind_prefixes(names.namespace_manager)

    def cell(term):
        text = " ".join(_short(names, term).split())
        return text if len(text) <= TABLE_CELL else text[: TABLE_CELL - 1] + "…"

    rows = [[cell(t) for t in row] for row in result.rows]
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(result.vars)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.vars, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _csv(result: QueryResult, delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(result.vars)
    writer.writerows([_plain(t) for t in row] for row in result.rows)
    return buffer.getvalue()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(term: Node | None) -> str:
    """A term in the N-Triples-like form SPARQL TSV uses; literals escaped onto one line."""
    if term is None:
        return ""
    if not isinstance(term, Literal):
        return term.n3()
    text = '"' + str(term).translate(_TSV_ESCAPES) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype:
        return f"{text}^^<{term.datatype}>"
    return text


def _tsv(result: QueryResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    value: dict = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal) and term.language:
        value["xml:lang"] = term.language
    elif isinstance(term, Literal) and term.datatype:
        value["datatype"] = str(term.datatype)
    return value


def _json(result: QueryResult) -> str:
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=2) + "\n"
    bindings = [
        {var: _json_term(term) for var, term in zip(result.vars, row) if term is not None}
        for row in result.rows
    ]
    document = {"head": {"vars": result.vars}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result; CONSTRUCT/DESCRIBE results are Turtle whatever ``fmt`` says."""
    if result.kind == "graph":
        return result.graph.serialize(format="turtle")
    if fmt == "json":
        return _json(result)
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    if fmt == "csv":
        return _csv(result, ",")
    if fmt == "tsv":
        return _tsv(result)
    return _table(result)
