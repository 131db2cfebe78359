"""Which extracted candidates conform to the SHACL shapes: the build's safety net for extraction.

The extractor's output conforms by construction (every actor and proposal it names is typed),
but a candidate that still breaks a shape must never fail a build: it is left out of the graph
with a reason naming its article, id and shape. Candidates are checked once, when they are new
(their article was extracted, or the shapes changed): the extracted triples of those articles
are validated together, with the ontology, the articles and the curated data as context.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.extract.candidate import Candidate
from kg.namespace import NEG, bind_prefixes
from kg.resources import ontology_file
from kg.validate import Violation, validate_graph

__all__ = ["left_out_by_shapes", "shapes_fingerprint"]


def shapes_fingerprint() -> str:
    """A hash of the shapes and the ontology they check against: a change means checking again."""
    texts = [ontology_file(name).read_text(encoding="utf-8") for name in ("shapes.ttl", "neg.ttl")]
    return hashlib.sha256("\x1f".join(texts).encode("utf-8")).hexdigest()


def _owners(extracted: Graph, positions: set[URIRef], node: URIRef) -> set[URIRef]:
    """The extracted positions a violation's focus node belongs to (itself, its evidence, or an
    actor or proposal the extractor minted for them)."""
    if node in positions:
        return {node}
    owner = next((p for p in positions if str(node).startswith(f"{p}/")), None)
    if owner is not None:
        return {owner}
    if (node, NEG.unlinked, None) not in extracted:
        return set()
    return {p for p in positions if any(o == node for _, o in extracted.predicate_objects(p))}


def left_out_by_shapes(
    extracted: Graph, context: Iterable[Graph], candidates: Iterable[Candidate]
) -> dict[str, str]:
    """Candidate id -> why the shapes leave it out, for the candidates written in ``extracted``.

    ``context`` (ontology, articles, curated data) is validated with them but never blamed: a
    violation of the curated data fails the build elsewhere, with its file and line.
    """
    union = Graph()
    bind_prefixes(union.namespace_manager)
    for graph in (*context, extracted):
        union += graph
    violations = validate_graph(union)
    if not violations:
        return {}
    positions = set(extracted.subjects(RDF.type, NEG.Position))
    ids = {c.id for c in candidates}
    left_out: dict[str, str] = {}
    for violation in violations:
        for owner in sorted(_owners(extracted, positions, _node(union, violation))):
            ident = str(owner).rsplit("/x-", 1)[-1]
            if ident in ids:
                left_out.setdefault(ident, str(violation))
    return left_out


def _node(graph: Graph, violation: Violation) -> URIRef:
    try:
        return graph.namespace_manager.expand_curie(violation.focus)
    except ValueError:
        return URIRef(violation.focus)
