"""SPARQL 1.1 TSV query results: read them (as Oxigraph writes them) into rdflib terms, and write them.

rdflib has no TSV results writer, and its TSV reader is far slower than this one.

Oxigraph serialises a result in Rust far faster than Python can take it apart term by term
(``positions`` at 1M triples: 20,833 rows of 14 terms), so ``OxigraphEngine`` asks for TSV and turns
each distinct cell into an rdflib term once. Cells are Turtle terms: ``<iri>``, ``_:b``,
``"text"`` with ``@lang`` or ``^^<datatype>``, or a bare number or boolean; an empty cell is
unbound.

>>> rows(b'?a\\t?b\\n<http://x/y>\\t"say \\\\"no\\\\"\\\\n"@en\\n\\t4.50\\n')
(['a', 'b'], [(rdflib.term.URIRef('http://x/y'), rdflib.term.Literal('say "no"\\n', lang='en')), \
(None, rdflib.term.Literal('4.50', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal')))])
"""

from __future__ import annotations

import gc

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import QueryError

__all__ = ["rows", "term", "write"]

_STRING = str(XSD.string)


def _unescape(text: str) -> str:
    """A literal's text without its Turtle escapes (``\\t``, ``\\"``, ``\\u00e9``...).

    Python's ``unicode_escape`` codec reads exactly these (the writer escapes every backslash,
    so no other escape can appear); characters outside Latin-1 are first written as ``\\u``
    escapes themselves, as the codec reads bytes as Latin-1.
    """
    if "\\" not in text:
        return text
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape")


def term(cell: str) -> Node | None:
    """One TSV cell as an rdflib term (``None`` for an empty cell: unbound).

    >>> term('"2013-09-14"^^<http://www.w3.org/2001/XMLSchema#date>').toPython()
    datetime.date(2013, 9, 14)
    >>> [(t.toPython(), t.datatype.split("#")[1]) for t in (term("-5"), term("1.0E3"), term("true"))]
    [(-5, 'integer'), (1000.0, 'double'), (True, 'boolean')]
    """
    if not cell:
        return None
    if cell.startswith("<<"):
        raise QueryError(f"cannot convert {cell[:80]} (RDF-star triple terms are not supported)")
    if cell[0] == "<":
        return URIRef(cell[1:-1])
    if cell[0] == '"':
        end = cell.rindex('"')
        value, tail = _unescape(cell[1:end]), cell[end + 1 :]
        if tail.startswith("@"):
            return Literal(value, lang=tail[1:])
        datatype = tail[3:-1]  # ^^<...>
        return Literal(value, datatype=datatype) if datatype and datatype != _STRING else Literal(value)
    if cell.startswith("_:"):
        return BNode(cell[2:])
    if cell in ("true", "false"):
        return Literal(cell, datatype=XSD.boolean)
    if "e" in cell or "E" in cell:
        return Literal(cell, datatype=XSD.double)
    return Literal(cell, datatype=XSD.decimal if "." in cell else XSD.integer)


class _Terms(dict):
    """Cell text -> term, each distinct cell parsed once (labels and concepts repeat on every row)."""

    def __missing__(self, cell: str) -> Node | None:
        converted = self[cell] = term(cell)
        return converted


def rows(data: bytes) -> tuple[list[str], list[tuple]]:
    """The variable names and the rows of a TSV result."""
    header, *lines = data.decode("utf-8").split("\n")
    if lines and lines[-1] == "":  # every row ends with a newline
        lines.pop()
    if not header:  # no variables: each (empty) line is an empty row
        return [], [() for _ in lines]
    get = _Terms().__getitem__
    enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of new tuples and terms, no cycles: collecting finds nothing
    try:
        table = [tuple(map(get, line.split("\t"))) for line in lines]
    finally:
        if enabled:
            gc.enable()
    return [name[1:] for name in header.split("\t")], table


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


def write(names: list[str], rows) -> str:
    """SPARQL 1.1 TSV results: a ``?name`` header line, then one line of terms per row."""
    lines = ["\t".join(f"?{v}" for v in names)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"
