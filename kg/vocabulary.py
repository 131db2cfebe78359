"""The ontology's controlled terms as plain records, read once from ``ontology/neg.ttl``.

Stances, polarities, modalities, methods and change kinds (SKOS concepts with a
``skos:notation``) and actor kinds (the subclasses of ``neg:Actor``) are not typed by hand
anywhere in the code: every module finds them here, by notation, local name or IRI. Adding a
stance to the ontology (a ``neg:Stance`` with its notation, ``neg:polarity`` and
``neg:shortcut``) therefore needs no Python change; the extractor only needs lexicon cues for it.

Code that means one particular term names it as a ``NEG`` term (checked against the ontology)
and asks here for its notation: ``vocabulary().stances[NEG.ConditionalSupport].notation``.

>>> stance = vocabulary().stances["conditional"]
>>> stance.name, stance.polarity, vocabulary().stances[stance.iri] is stance
('ConditionalSupport', 'support', True)
>>> vocabulary().stances.notations
('propose', 'support', 'conditional', 'oppose', 'reject')
>>> [kind.name for kind in vocabulary().actor_kinds]
['Person', 'Country', 'Institution', 'Group']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Generic, TypeVar

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.errors import KgError
from kg.namespace import NEG
from kg.resources import ontology_file

__all__ = ["Stance", "Term", "Terms", "Vocabulary", "load_vocabulary", "vocabulary"]

ONTOLOGY = "neg.ttl"


@dataclass(frozen=True)
class Term:
    """One term of the ontology as the code refers to it."""

    iri: URIRef
    name: str  # local name: "ConditionalSupport", "Hypothetical", "Person"
    notation: str  # skos:notation ("conditional"); a class has none, so its local name ("Person")
    label: str  # rdfs:label: "conditionally supports"


@dataclass(frozen=True)
class Stance(Term):
    """A stance, with the notation of its polarity and its shortcut property."""

    polarity: str  # "support" or "oppose": the skos:notation of its neg:polarity
    shortcut: URIRef  # the direct actor-to-proposal property, e.g. neg:conditionallySupports


T = TypeVar("T", bound=Term)


class Terms(Generic[T]):
    """The terms of one kind, in the order the ontology file defines them.

    ``terms[key]`` finds a term by its notation, its local name or its IRI (a string or URIRef).
    """

    def __init__(self, terms: Iterable[T]):
        self._terms = tuple(terms)
        self._index: dict[str, T] = {}
        for term in self._terms:
            for key in (str(term.iri), term.name, term.notation):
                if self._index.setdefault(key, term) is not term:
                    raise KgError(f"{key!r} names two terms: {term.iri} and {self._index[key].iri}", ONTOLOGY)

    def __getitem__(self, key: str) -> T:
        try:
            return self._index[str(key)]
        except KeyError:
            raise KeyError(f"{key!r} is none of {', '.join(self.notations)}") from None

    def __contains__(self, key: object) -> bool:
        return str(key) in self._index

    def __iter__(self) -> Iterator[T]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    def __repr__(self) -> str:
        return f"Terms({', '.join(self.notations)})"

    @property
    def notations(self) -> tuple[str, ...]:
        """Every term's notation, in ontology order."""
        return tuple(term.notation for term in self._terms)


@dataclass(frozen=True)
class Vocabulary:
    """Every controlled term of the ontology, by kind."""

    stances: Terms[Stance]
    polarities: Terms[Term]
    modalities: Terms[Term]
    methods: Terms[Term]
    change_kinds: Terms[Term]
    actor_kinds: Terms[Term]


def _one(graph: Graph, node: URIRef, predicate: URIRef):
    values = list(graph.objects(node, predicate))
    if len(values) != 1:
        raise KgError(f"{graph.qname(node)} needs exactly one {graph.qname(predicate)}", ONTOLOGY)
    return values[0]


def _term(graph: Graph, node: URIRef, notation: bool = True) -> Term:
    name = str(node)[len(str(NEG._NS)) :]
    return Term(
        iri=node,
        name=name,
        notation=str(_one(graph, node, SKOS.notation)) if notation else name,
        label=str(_one(graph, node, RDFS.label)),
    )


def _concepts(graph: Graph, kind: URIRef) -> Terms[Term]:
    # rdflib keeps the file's order of the triples, so the terms come in the order they are defined.
    return Terms(_term(graph, node) for node in graph.subjects(RDF.type, kind))


def _stance(graph: Graph, node: URIRef, polarities: Terms[Term]) -> Stance:
    term = _term(graph, node)
    return Stance(
        **vars(term),
        polarity=polarities[_one(graph, node, NEG.polarity)].notation,
        shortcut=_one(graph, node, NEG.shortcut),
    )


def load_vocabulary(graph: Graph) -> Vocabulary:
    """The vocabulary an ontology graph defines."""
    polarities = _concepts(graph, NEG.Polarity)
    return Vocabulary(
        stances=Terms(_stance(graph, node, polarities) for node in graph.subjects(RDF.type, NEG.Stance)),
        polarities=polarities,
        modalities=_concepts(graph, NEG.Modality),
        methods=_concepts(graph, NEG.Method),
        change_kinds=_concepts(graph, NEG.ChangeKind),
        actor_kinds=Terms(
            _term(graph, node, notation=False) for node in graph.subjects(RDFS.subClassOf, NEG.Actor)
        ),
    )


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary of the shipped ontology, read once."""
    text = ontology_file(ONTOLOGY).read_text(encoding="utf-8")
    return load_vocabulary(Graph().parse(data=text, format="turtle"))
