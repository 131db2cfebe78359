"""Run the named queries on either engine: rdflib (the default) or pyoxigraph (the fast one).

Both engines read the same ``out/graph.trig`` and answer with the same ``QueryResult`` holding
rdflib terms, so ``kg.sparql.results`` prints their answers identically. Parameters are bound by
rdflib itself (``initBindings``); for Oxigraph and remote endpoints they become escaped RDF terms
in the query text (``bind_parameters``), never raw strings.

>>> from kg.sparql.query import NamedQuery
>>> store = pyoxigraph.Store()
>>> run_oxigraph(store, NamedQuery("q", "", "ASK { ?s ?p ?o }")).boolean
False
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from kg.errors import GraphNotBuiltError, QueryError
from kg.namespace import bind_prefixes
from kg.sparql import tsv as sparql_tsv
from kg.sparql.query import NamedQuery, QueryResult, bindings, load_built_graph, run_query

__all__ = [
    "ENGINES",
    "bind_parameters",
    "canonical_term",
    "comparable_rows",
    "from_oxigraph",
    "inline_values",
    "load_oxigraph",
    "query_built",
    "run_oxigraph",
    "to_oxigraph",
]

ENGINES = ("rdflib", "oxigraph")
_SYNTAX = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
# Just enough of the SPARQL grammar to find the WHERE clause's opening brace: comments, strings
# and IRIs are skipped whole, so a brace or keyword inside them is never taken for syntax.
_TOKENS = re.compile(
    r"(?P<skip>#[^\n]*"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|[?$]\w+)"
    r"|(?P<word>[A-Za-z_][\w.-]*(?::[\w.-]*)?|:[\w.-]*)"
    r"|(?P<brace>\{)"
    r"|.",
    re.DOTALL,
)
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
_BAD_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')


def load_oxigraph(out_dir: Path, location: Path | None = None) -> pyoxigraph.Store:
    """The graph ``kg build`` wrote (``out/graph.trig``) bulk-loaded into a pyoxigraph store.

    In memory unless ``location`` names a directory for an on-disk (RocksDB) store.
    """
    path = out_dir / "graph.trig"
    if not path.is_file():
        raise GraphNotBuiltError("no built graph here: run `kg build` first", path)
    store = pyoxigraph.Store(str(location)) if location is not None else pyoxigraph.Store()
    store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TRIG)
    return store


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


def to_oxigraph(term: Node):
    """The pyoxigraph term equal to an rdflib term."""
    if isinstance(term, URIRef):
        try:
            return pyoxigraph.NamedNode(str(term))
        except ValueError as exc:
            raise QueryError(f"not a valid IRI: {str(term)!r} ({exc})") from exc
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        datatype = term.datatype or (RDF.langString if term.language else XSD.string)
        return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(datatype)))
    raise QueryError(f"cannot bind {term!r} as an RDF term")


def sparql_term(term: Node) -> str:
    """``term`` written as SPARQL text; an IRI that could break out of ``<...>`` is refused."""
    if isinstance(term, URIRef) and _BAD_IRI.search(str(term)):
        raise QueryError(f"not a valid IRI: {str(term)!r}")
    if not isinstance(term, (URIRef, Literal)):
        raise QueryError(f"cannot bind {term!r} in query text (only IRIs and literals)")
    return term.n3()


def _where_brace(text: str) -> re.Match:
    """The token match of the brace that opens the query's WHERE clause."""
    form = None
    seen_where = False
    for match in _TOKENS.finditer(text):
        word = (match.group("word") or "").upper()
        if form is None and word in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
            form = word
        elif word == "WHERE":
            seen_where = True
        elif match.group("brace") and (seen_where or form not in (None, "CONSTRUCT")):
            return match
    raise QueryError("cannot bind parameters: the query has no WHERE clause")


def inline_values(text: str, bound: dict[str, Node]) -> str:
    r"""``text`` with a ``VALUES`` block binding ``bound`` as the first thing in its WHERE clause.

    Every value is an escaped term, so it cannot change the query.

    >>> print(inline_values('SELECT ?x WHERE { ?x ?p ?o }', {"o": Literal('a" } ?')}))
    SELECT ?x WHERE { VALUES ?o { "a\" } ?" } ?x ?p ?o }
    """
    if not bound:
        return text
    block = " ".join(f"VALUES ?{name} {{ {sparql_term(term)} }}" for name, term in sorted(bound.items()))
    brace = _where_brace(text)
    return f"{text[: brace.end()]} {block}{text[brace.end() :]}"


def bind_parameters(text: str, bound: dict[str, Node]) -> str:
    r"""``text`` with each parameter variable in its WHERE clause replaced by the escaped term.

    For engines that cannot bind parameters themselves (a remote endpoint) and for Oxigraph, whose
    planner cannot push a FILTER on a variable bound from outside (``VALUES`` or ``substitutions``)
    down to the pattern it filters: ``positions-of`` took 0.4 s at 1M triples bound that way and
    12 ms with the constant in place. A parameter that the query projects (or ``SELECT *``) is
    bound by ``VALUES`` (``inline_values``) instead, as a constant cannot stand in a projection.
    Named queries do not reuse a parameter's name inside a subquery, which ``VALUES`` would not
    reach.

    >>> print(bind_parameters('SELECT ?x WHERE { ?x ?p ?o FILTER(?o != "?o") }', {"o": Literal('a" } ?')}))
    SELECT ?x WHERE { ?x ?p "a\" } ?" FILTER("a\" } ?" != "?o") }
    >>> print(bind_parameters('SELECT * WHERE { ?x ?p ?o }', {"o": Literal("a")}))
    SELECT * WHERE { VALUES ?o { "a" } ?x ?p ?o }
    """
    if not bound:
        return text
    brace = _where_brace(text)
    head = {m.group() for m in _TOKENS.finditer(text[: brace.start()])}
    if "*" in head or {f"{sign}{name}" for name in bound for sign in "?$"} & head:
        return inline_values(text, bound)  # projected (or SELECT *): the variable must stay
    constants = {name: sparql_term(term) for name, term in bound.items()}
    parts, last = [], brace.end()
    for match in _TOKENS.finditer(text, brace.end()):
        token = match.group()
        if token[:1] in "?$" and token[1:] in constants:
            parts += [text[last : match.start()], constants[token[1:]]]
            last = match.end()
    return text[: brace.end()] + "".join(parts) + text[last:]


def syntax_message(message: str) -> str:
    """Oxigraph's ``error at L:C: ...`` in the wording rdflib errors get (line, column)."""
    match = _SYNTAX.match(message.strip())
    if not match:
        return f"malformed SPARQL: {message.strip()}"
    line, column, detail = match.groups()
    return f"malformed SPARQL at line {line}, column {column}: {' '.join(detail.split())}"


def run_oxigraph(
    store: pyoxigraph.Store, query: NamedQuery, params: dict[str, str] | None = None
) -> QueryResult:
    """Run ``query`` on a pyoxigraph store (default graph = union of the named graphs)."""
    text = bind_parameters(query.text, bindings(query, params or {}))
    try:
        result = store.query(text, use_default_graph_as_union=True)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, pyoxigraph.QueryTriples):
            graph = Graph()
            bind_prefixes(graph.namespace_manager)
            for triple in result:
                graph.add(
                    (
                        from_oxigraph(triple.subject),
                        from_oxigraph(triple.predicate),
                        from_oxigraph(triple.object),
                    )
                )
            return QueryResult("graph", graph=graph)
        # Oxigraph writes TSV in Rust faster than Python takes solutions apart term by term
        names, rows = sparql_tsv.rows(result.serialize(format=pyoxigraph.QueryResultsFormat.TSV))
    except SyntaxError as exc:
        raise QueryError(syntax_message(str(exc))) from exc
    except OSError as exc:  # evaluation errors surface as OSError from the Rust side
        raise QueryError(f"query failed: {exc}") from exc
    return QueryResult("select", vars=names, rows=rows)


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


def query_built(
    out_dir: Path, query: NamedQuery, params: dict[str, str] | None = None, engine: str = "rdflib"
) -> QueryResult:
    """Run ``query`` on the built graph in ``out_dir`` with the chosen engine."""
    if engine == "rdflib":
        return run_query(load_built_graph(out_dir), query, params)
    if engine == "oxigraph":
        return run_oxigraph(load_oxigraph(out_dir), query, params)
    raise QueryError(f"unknown store {engine!r}; choose from {', '.join(ENGINES)}")
