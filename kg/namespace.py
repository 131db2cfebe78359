"""RDF namespaces: the project ontology (checked against ontology/neg.ttl) and the data IRIs.

>>> str(NEG.Position)
'https://w3id.org/neg-kg/ontology#Position'
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    XSD,
    DefinedNamespace,
    NamespaceManager,
)

__all__ = [
    "ACTIVITY",
    "ACTOR",
    "ALIGNMENT",
    "ARTICLE",
    "BASE",
    "BRIDGE",
    "CHANGE",
    "COALITION",
    "DATA_PREFIXES",
    "GRAPH",
    "NEG",
    "OA",
    "POSITION",
    "PROPOSAL",
    "PUBLISHER",
    "WD",
    "bind_prefixes",
    "slug",
]

BASE = "https://w3id.org/neg-kg/"


class NEG(DefinedNamespace):
    """The negotiation-position ontology; an unknown term raises AttributeError."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Actor: URIRef
    Person: URIRef
    Country: URIRef
    Institution: URIRef
    Group: URIRef
    Proposal: URIRef
    Position: URIRef
    Stance: URIRef
    Polarity: URIRef
    Modality: URIRef
    Method: URIRef
    # properties
    speaksFor: URIRef
    unlinked: URIRef
    proposedBy: URIRef
    relatedProposal: URIRef
    amends: URIRef
    replaces: URIRef
    partOf: URIRef
    implements: URIRef
    holder: URIRef
    stance: URIRef
    target: URIRef
    onBehalfOf: URIRef
    reportedBy: URIRef
    statedOn: URIRef
    condition: URIRef
    modality: URIRef
    method: URIRef
    confidence: URIRef
    evidence: URIRef
    firstEvidence: URIRef
    quoted: URIRef
    article: URIRef
    rule: URIRef
    sourceFile: URIRef
    takesStanceOn: URIRef
    proposes: URIRef
    supports: URIRef
    conditionallySupports: URIRef
    opposes: URIRef
    rejects: URIRef
    polarity: URIRef
    shortcut: URIRef
    # concepts
    StanceScheme: URIRef
    Propose: URIRef
    Support: URIRef
    ConditionalSupport: URIRef
    Oppose: URIRef
    Reject: URIRef
    PolarityScheme: URIRef
    Supportive: URIRef
    Opposing: URIRef
    ModalityScheme: URIRef
    Asserted: URIRef
    Hypothetical: URIRef
    Future: URIRef
    Questioned: URIRef
    MethodScheme: URIRef
    Curated: URIRef
    Extracted: URIRef
    # analysis (derived facts in the graph:analysis named graph)
    AnalysisResult: URIRef
    Alignment: URIRef
    Coalition: URIRef
    Bridge: URIRef
    PositionChange: URIRef
    ChangeKind: URIRef
    party: URIRef
    agreesOn: URIRef
    disagreesOn: URIRef
    agreements: URIRef
    disagreements: URIRef
    score: URIRef
    member: URIRef
    betweenness: URIRef
    links: URIRef
    proposal: URIRef
    fromPosition: URIRef
    toPosition: URIRef
    changeKind: URIRef
    ChangeKindScheme: URIRef
    Reversal: URIRef
    WalkBack: URIRef
    Hardening: URIRef


OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")
ACTOR = Namespace(BASE + "id/actor/")
PROPOSAL = Namespace(BASE + "id/proposal/")
POSITION = Namespace(BASE + "id/position/")
ARTICLE = Namespace(BASE + "id/article/")
ACTIVITY = Namespace(BASE + "id/activity/")
PUBLISHER = Namespace(BASE + "id/publisher/")
ALIGNMENT = Namespace(BASE + "id/alignment/")
COALITION = Namespace(BASE + "id/coalition/")
BRIDGE = Namespace(BASE + "id/bridge/")
CHANGE = Namespace(BASE + "id/change/")
GRAPH = Namespace(BASE + "graph/")

DATA_PREFIXES: dict[str, str] = {
    "neg": str(NEG._NS),
    "actor": str(ACTOR),
    "proposal": str(PROPOSAL),
    "position": str(POSITION),
    "article": str(ARTICLE),
    "activity": str(ACTIVITY),
    "role": BASE + "id/role/",
    "membership": BASE + "id/membership/",
    "place": BASE + "id/place/",
    "publisher": str(PUBLISHER),
    "graph": str(GRAPH),
    "alignment": str(ALIGNMENT),
    "coalition": str(COALITION),
    "bridge": str(BRIDGE),
    "change": str(CHANGE),
    "oa": str(OA),
    "prov": str(PROV),
    "org": str(ORG),
    "schema": str(SDO),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "wd": str(WD),
}


def bind_prefixes(manager: NamespaceManager) -> None:
    """Bind the project's prefixes (and only those) on a graph's namespace manager."""
    for prefix, iri in DATA_PREFIXES.items():
        manager.bind(prefix, iri, override=True, replace=True)


def slug(text: str) -> str:
    """A lowercase IRI-safe local name: ``slug("Walid al-Muallem") == "walid-al-muallem"``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "unnamed"
