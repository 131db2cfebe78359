"""Check a graph against ``ontology/shapes.ttl`` with pySHACL and report violations readably."""

from __future__ import annotations

from dataclasses import dataclass

import pyshacl
from rdflib import Graph
from rdflib.namespace import RDF, SH

from kg.namespace import bind_prefixes
from kg.resources import ontology_file

__all__ = ["Violation", "load_shapes", "validate_graph"]


@dataclass(frozen=True)
class Violation:
    """One SHACL result, as prefixed names and the shape's message."""

    focus: str
    path: str
    message: str
    severity: str

    def __str__(self) -> str:
        path = f" {self.path}:" if self.path else ""
        return f"{self.severity}: {self.focus}{path} {self.message}"


def load_shapes() -> Graph:
    """The project's SHACL shapes."""
    shapes = Graph()
    shapes.parse(data=ontology_file("shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    return shapes


def _short(graph: Graph, term) -> str:
    if term is None:
        return ""
    try:
        return graph.namespace_manager.normalizeUri(term)
    except Exception:  # a path expression or literal has no prefixed form
        return str(term)


def validate_graph(graph: Graph, shapes: Graph | None = None) -> list[Violation]:
    """Validate ``graph`` (inference off); return the violations sorted by focus node."""
    conforms, report, _ = pyshacl.validate(
        graph, shacl_graph=shapes if shapes is not None else load_shapes(), inference="none"
    )
    if conforms:
        return []
    bind_prefixes(report.namespace_manager)
    names = Graph()
    bind_prefixes(names.namespace_manager)
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        violations.append(
            Violation(
                focus=_short(names, report.value(result, SH.focusNode)),
                path=_short(names, report.value(result, SH.resultPath)),
                message="; ".join(messages) or "does not conform",
                severity=str(report.value(result, SH.resultSeverity)).split("#")[-1],
            )
        )
    return sorted(set(violations), key=lambda v: (v.focus, v.path, v.message))
