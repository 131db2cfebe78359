"""The analysis as RDF: the ``analysis`` named graph of alignments, coalitions, bridges, changes.

Every derived fact is a ``neg:AnalysisResult`` that ``prov:wasDerivedFrom`` what it rests on (an
alignment and a change: positions; a coalition: the alignments between its members; a bridge:
its party's alignments) and
``prov:wasGeneratedBy`` ``activity:analysis``. IRIs are built from slugs and content hashes, so
the same positions always give the same IRIs.

>>> from kg.graph import new_dataset
>>> len(add_analysis(new_dataset()))  # no positions: only the analysis activity itself
2
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg.analysis.alignment import alignment_positions
from kg.analysis.positions import Analysis, analyze, read_positions
from kg.graph import graph_iri
from kg.namespace import ACTIVITY, ACTOR, ALIGNMENT, BRIDGE, CHANGE, COALITION, NEG, PROPOSAL, bind_prefixes
from kg.vocabulary import vocabulary

__all__ = [
    "ANALYSIS",
    "add_analysis",
    "alignment_iri",
    "analysis_graph",
    "bridge_iri",
    "change_iri",
    "coalition_iri",
]

ANALYSIS = ACTIVITY["analysis"]


def _digest(*parts: str) -> str:
    return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()[:10]


def _slug(iri: str) -> str:
    """The local name of a curated actor or proposal IRI, else a hash of the IRI."""
    for namespace in (str(ACTOR), str(PROPOSAL)):
        if iri.startswith(namespace) and "/" not in iri[len(namespace) :]:
            return iri[len(namespace) :]
    return _digest(iri)


def alignment_iri(party_a: str, party_b: str) -> URIRef:
    """The alignment of two parties (order does not matter): ``alignment:russia--united-states``."""
    a, b = sorted((party_a, party_b))
    return ALIGNMENT[f"{_slug(a)}--{_slug(b)}"]


def coalition_iri(members: Iterable[str]) -> URIRef:
    """A coalition, named by a hash of its sorted members."""
    return COALITION[_digest(*sorted(members))]


def bridge_iri(party: str) -> URIRef:
    """A party's bridging role: ``bridge:russia``."""
    return BRIDGE[_slug(party)]


def change_iri(party: str, proposal: str, before: str, after: str) -> URIRef:
    """A change between two positions: ``change:united-states--assad-departure--<hash>``."""
    return CHANGE[f"{_slug(party)}--{_slug(proposal)}--{_digest(before, after)}"]


def _result(graph: Graph, node: URIRef, kind: URIRef) -> None:
    graph.add((node, RDF.type, kind))
    graph.add((node, PROV.wasGeneratedBy, ANALYSIS))


def analysis_graph(analysis: Analysis) -> Graph:
    """The derived facts of ``analysis`` as a graph (coalitions of one party are left out)."""
    graph = Graph()
    bind_prefixes(graph.namespace_manager)
    graph.add((ANALYSIS, RDF.type, PROV.Activity))
    graph.add((ANALYSIS, RDFS.label, Literal("Negotiation analysis (kg.analysis)", lang="en")))
    for alignment in analysis.alignments:
        node = alignment_iri(alignment.party_a, alignment.party_b)
        _result(graph, node, NEG.Alignment)
        graph.add((node, NEG.party, URIRef(alignment.party_a)))
        graph.add((node, NEG.party, URIRef(alignment.party_b)))
        counts = ((NEG.agreements, alignment.agree_on), (NEG.disagreements, alignment.disagree_on))
        for predicate, proposals in counts:
            graph.add((node, predicate, Literal(len(proposals), datatype=XSD.nonNegativeInteger)))
        graph.add((node, NEG.score, Literal(f"{alignment.score:.3f}", datatype=XSD.decimal)))
        for proposal in alignment.agree_on:
            graph.add((node, NEG.agreesOn, URIRef(proposal)))
        for proposal in alignment.disagree_on:
            graph.add((node, NEG.disagreesOn, URIRef(proposal)))
        for position in alignment_positions(analysis.current, alignment):
            graph.add((node, PROV.wasDerivedFrom, URIRef(position)))
    for members in analysis.coalitions:
        if len(members) < 2:
            continue
        node = coalition_iri(members)
        _result(graph, node, NEG.Coalition)
        names = ", ".join(sorted(analysis.label(m) for m in members))
        graph.add((node, RDFS.label, Literal(f"Coalition of {names}", lang="en")))
        for member in sorted(members):
            graph.add((node, NEG.member, URIRef(member)))
        for alignment in analysis.alignments:
            if alignment.party_a in members and alignment.party_b in members:
                graph.add((node, PROV.wasDerivedFrom, alignment_iri(alignment.party_a, alignment.party_b)))
    for bridge in analysis.bridges:
        node = bridge_iri(bridge.party)
        _result(graph, node, NEG.Bridge)
        graph.add((node, NEG.party, URIRef(bridge.party)))
        graph.add((node, NEG.betweenness, Literal(f"{bridge.betweenness:.3f}", datatype=XSD.decimal)))
        for index in bridge.coalitions:
            if len(analysis.coalitions[index]) > 1:
                graph.add((node, NEG.links, coalition_iri(analysis.coalitions[index])))
        for alignment in analysis.alignments:
            if bridge.party in (alignment.party_a, alignment.party_b):
                graph.add((node, PROV.wasDerivedFrom, alignment_iri(alignment.party_a, alignment.party_b)))
    for change in analysis.changes:
        before, after = change.before.position, change.after.position
        node = change_iri(change.party, change.proposal, before, after)
        _result(graph, node, NEG.PositionChange)
        graph.add((node, NEG.party, URIRef(change.party)))
        graph.add((node, NEG.proposal, URIRef(change.proposal)))
        graph.add((node, NEG.fromPosition, URIRef(before)))
        graph.add((node, NEG.toPosition, URIRef(after)))
        graph.add((node, NEG.changeKind, vocabulary().change_kinds[change.kind].iri))
        graph.add((node, PROV.wasDerivedFrom, URIRef(before)))
        graph.add((node, PROV.wasDerivedFrom, URIRef(after)))
    return graph


def add_analysis(dataset: Dataset) -> Graph:
    """Analyse the dataset's curated positions (party level) and put the result in its
    ``analysis`` named graph, replacing what was there; returns that graph."""
    target = dataset.graph(graph_iri("analysis"))
    target.remove((None, None, None))
    curated_side = Graph()  # curated positions and what they name: not the (large) extracted graph
    for name in ("ontology", "articles", "curated"):
        curated_side += dataset.graph(graph_iri(name))
    target += analysis_graph(analyze(read_positions(curated_side)))
    return target
