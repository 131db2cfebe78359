"""Assemble the RDF dataset: one named graph each for ontology, articles, curated and extracted.

Positions become RDF here and only here (``add_position``): the position node, its direct
shortcut triple, its Web Annotation evidence and its PROV provenance.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV, RDF, RDFS, XSD

from kg.model import Evidence, Position
from kg.namespace import ACTIVITY, GRAPH, NEG, OA, bind_prefixes
from kg.resources import ontology_files
from kg.vocabulary import vocabulary

__all__ = [
    "GRAPH_NAMES",
    "add_position",
    "evidence_iri",
    "load_ontology",
    "new_dataset",
    "speaks_for",
    "union_graph",
]

GRAPH_NAMES = ("ontology", "articles", "curated", "extracted", "analysis")
CURATION = ACTIVITY["curation"]


def load_ontology() -> Graph:
    """The schema files of ontology/ as one graph."""
    graph = Graph()
    for file in ontology_files():
        graph.parse(data=file.read_text(encoding="utf-8"), format="turtle")
    return graph


def new_dataset() -> Dataset:
    """An empty dataset with the project's prefixes bound."""
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset.namespace_manager)
    return dataset


def evidence_iri(position: str, evidence: Evidence) -> URIRef:
    """A stable IRI for one quote of a position: a hash of the article and the span."""
    key = f"{evidence.article}#{evidence.start}-{evidence.end}"
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    return URIRef(f"{position}/evidence/{digest}")


def _stance_shortcuts(ontology: Graph) -> dict[str, URIRef]:
    return {str(s): o for s, o in ontology.subject_objects(NEG.shortcut)}


def add_position(graph: Graph, position: Position, shortcuts: dict[str, URIRef]) -> None:
    """Write one position (node, shortcut, evidence, provenance) into ``graph``."""
    node = URIRef(position.iri)
    holder, target, stance = URIRef(position.holder), URIRef(position.target), URIRef(position.stance)
    graph.add((node, RDF.type, NEG.Position))
    graph.add((node, NEG.holder, holder))
    graph.add((node, NEG.stance, stance))
    graph.add((node, NEG.target, target))
    method = vocabulary().methods[position.method].iri
    graph.add((node, NEG.method, method))
    graph.add((holder, shortcuts[position.stance], target))
    optional = (
        (NEG.onBehalfOf, position.on_behalf_of and URIRef(position.on_behalf_of)),
        (NEG.reportedBy, position.reported_by and URIRef(position.reported_by)),
        (NEG.modality, position.modality and URIRef(position.modality)),
        (NEG.condition, position.condition and Literal(position.condition, lang="en")),
        (NEG.rule, position.rule and Literal(position.rule)),
        (RDFS.comment, position.comment and Literal(position.comment, lang="en")),
    )
    for predicate, value in optional:
        if value:
            graph.add((node, predicate, value))
    if position.stated_on is not None:
        graph.add((node, NEG.statedOn, Literal(position.stated_on, datatype=XSD.date)))
    if position.confidence is not None:
        graph.add((node, NEG.confidence, Literal(f"{position.confidence:.3f}", datatype=XSD.decimal)))
    if method == NEG.Curated:
        graph.add((node, PROV.wasGeneratedBy, CURATION))
    first = min(position.evidence, key=lambda e: (e.article, e.start, e.end))
    graph.add((node, NEG.firstEvidence, evidence_iri(position.iri, first)))
    for evidence in position.evidence:
        annotation = evidence_iri(position.iri, evidence)
        target_node = URIRef(f"{annotation}/target")
        quote, span = URIRef(f"{annotation}/quote"), URIRef(f"{annotation}/span")
        article = URIRef(evidence.article)
        graph.add((node, NEG.evidence, annotation))
        graph.add((node, PROV.wasDerivedFrom, article))
        graph.add((annotation, RDF.type, OA.Annotation))
        graph.add((annotation, OA.motivatedBy, OA.describing))
        graph.add((annotation, OA.hasBody, node))
        graph.add((annotation, OA.hasTarget, target_node))
        graph.add((target_node, RDF.type, OA.SpecificResource))
        graph.add((target_node, OA.hasSource, article))
        graph.add((target_node, OA.hasSelector, quote))
        graph.add((target_node, OA.hasSelector, span))
        graph.add((quote, RDF.type, OA.TextQuoteSelector))
        graph.add((quote, OA.exact, Literal(evidence.exact)))
        graph.add((quote, OA.prefix, Literal(evidence.prefix)))
        graph.add((quote, OA.suffix, Literal(evidence.suffix)))
        graph.add((span, RDF.type, OA.TextPositionSelector))
        graph.add((span, OA.start, Literal(evidence.start, datatype=XSD.nonNegativeInteger)))
        graph.add((span, OA.end, Literal(evidence.end, datatype=XSD.nonNegativeInteger)))


def add_positions(graph: Graph, positions: Iterable[Position], ontology: Graph) -> None:
    """Write many positions into ``graph``."""
    shortcuts = _stance_shortcuts(ontology)
    for position in positions:
        add_position(graph, position, shortcuts)


def add_curation_activity(graph: Graph) -> None:
    """The PROV activity that generated every curated position."""
    graph.add((CURATION, RDF.type, PROV.Activity))
    graph.add((CURATION, RDFS.label, Literal("Hand curation of seeds/curated", lang="en")))


def speaks_for(graph: Graph) -> dict[str, set[str]]:
    """Actor IRI -> the bodies it speaks for (its ``org:Membership``s and any ``neg:speaksFor``)."""
    bodies: dict[str, set[str]] = defaultdict(set)
    for membership in graph.subjects(RDF.type, ORG.Membership):
        for member in graph.objects(membership, ORG.member):
            for body in graph.objects(membership, ORG.organization):
                bodies[str(member)].add(str(body))
    for member, body in graph.subject_objects(NEG.speaksFor):
        bodies[str(member)].add(str(body))
    return bodies


def materialise_speaks_for(graph: Graph) -> None:
    """Add ``neg:speaksFor`` from every ``org:Membership`` (member speaks for organization)."""
    for member, bodies in sorted(speaks_for(graph).items()):
        for body in sorted(bodies):
            graph.add((URIRef(member), NEG.speaksFor, URIRef(body)))


def union_graph(dataset: Dataset) -> Graph:
    """All triples of every named graph in one plain Graph, with the project's prefixes."""
    union = Graph()
    bind_prefixes(union.namespace_manager)
    for graph in dataset.graphs():
        for triple in graph:
            union.add(triple)
    return union


def graph_iri(name: str) -> URIRef:
    """The IRI of one of the named graphs in GRAPH_NAMES."""
    return GRAPH[name]
