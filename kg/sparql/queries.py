"""Named SPARQL queries: the one loader for ``.rq`` files, and parameters bound as RDF terms.

A query file holds one query; its first comment line says what it answers and each
``# param NAME: description`` (``# param NAME (iri): ...`` for an IRI) declares a parameter.
Parameters become RDF terms (``bindings``) and are bound by the engine: rdflib takes them as
``initBindings``; for Oxigraph and remote endpoints they are written into the query text as
escaped terms (``bind_parameters``), never as raw strings, so a value cannot change the query.

>>> load_query("q", "# Everything.\\nSELECT * WHERE { ?s ?p ?o }").description
'Everything.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError
from kg.namespace import DATA_PREFIXES, POSITION
from kg.resources import package_file, query_files

__all__ = [
    "NamedQuery",
    "bind_parameters",
    "bindings",
    "inline_values",
    "load_query",
    "named_queries",
    "package_query",
    "query_file",
    "resolve_query",
    "sparql_term",
]

_PARAM = re.compile(r"^#\s*param\s+(\w+)(?:\s+\((iri)\))?:\s*(.*)$")

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
_BAD_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')


@dataclass(frozen=True)
class NamedQuery:
    """A query stored in ontology/queries: its name, one-line description and parameters."""

    name: str
    description: str
    text: str
    params: dict[str, str] = field(default_factory=dict)  # name -> description
    iri_params: frozenset[str] = frozenset()


def load_query(name: str, text: str) -> NamedQuery:
    """A query from its text: the description and parameters come from its comment lines."""
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


def query_file(file: Traversable) -> NamedQuery:
    """The query in a ``.rq`` file (or package resource), named after the file."""
    name = file.name.removesuffix(".rq")
    return load_query(name, file.read_text(encoding="utf-8"))


def package_query(*parts: str) -> NamedQuery:
    """A query the library runs itself: ``package_query("render", "queries", "nodes.rq")``."""
    return query_file(package_file(*parts))


def named_queries() -> dict[str, NamedQuery]:
    """The named queries of ``ontology/queries`` by name (file stem)."""
    return {query.name: query for query in map(query_file, query_files())}


def resolve_query(spec: str) -> NamedQuery:
    """A named query, a ``.rq`` file, or query text given on the command line."""
    queries = named_queries()
    if spec in queries:
        return queries[spec]
    path = Path(spec)
    if spec.endswith(".rq") or (len(spec) < 256 and "\n" not in spec and path.is_file()):
        if not path.is_file():
            raise QueryError("query file not found", path)
        return query_file(path)
    if not re.search(r"\b(select|construct|ask|describe)\b", spec, re.IGNORECASE):
        known = ", ".join(sorted(queries))
        raise QueryError(f"unknown query {spec!r}: not a named query ({known}), file or SPARQL text")
    return load_query("query", spec)


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
