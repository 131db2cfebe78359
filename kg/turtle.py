"""Read Turtle files with errors that name the file and line, and find where a node is written."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.errors import KgError

__all__ = ["parse_turtle", "line_of"]


def parse_turtle(path: Path, error: type[KgError], graph: Graph | None = None) -> Graph:
    """Parse a Turtle file into ``graph`` (a new one by default); raise ``error`` with its line."""
    graph = Graph() if graph is None else graph
    try:
        data = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte {exc.start})", path) from exc
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", path) from exc
    try:
        graph.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        raise error(f"malformed Turtle: {exc._why}", path, exc.lines + 1) from exc
    except Exception as exc:  # rdflib raises assorted types for bad literals and IRIs
        raise error(f"malformed Turtle: {exc}", path) from exc
    return graph


def line_of(path: Path, node: URIRef, graph: Graph) -> int | None:
    """The first line of ``path`` where ``node`` is written, as a prefixed name or full IRI."""
    forms = [f"<{node}>"]
    for prefix, namespace in graph.namespaces():
        if str(node).startswith(str(namespace)) and prefix:
            forms.append(f"{prefix}:{str(node)[len(str(namespace)) :]}")
    pattern = re.compile("|".join(re.escape(f) + r"(?![\w.-]*\w)" for f in forms))
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if pattern.search(line):
            return number
    return None
