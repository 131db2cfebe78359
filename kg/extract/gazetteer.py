"""Entity linking: find the curated actors in a parsed article, and the actors it does not know.

The gazetteer is built from whatever the curated graph holds: every label and alias of each
actor, the surname of each person, and titles derived from W3C ORG memberships ("the Russian
foreign minister", "the secretary-general"). General world knowledge from
``lexicon/world.toml`` adds what newswriting does to country names: capitals for governments
("Moscow says") and nationality adjectives ("a French plan"). Named entities that match no
curated actor become unlinked actors (``neg:unlinked``) with a stable IRI from their name.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import ORG, RDF, RDFS, SDO, SKOS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.graph import speaks_for
from kg.namespace import ACTOR, NEG, slug
from kg.resources import package_file
from kg.vocabulary import vocabulary

__all__ = ["ActorEntry", "Gazetteer", "Mention"]

_LABELS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SDO.name, SDO.alternateName)
# spaCy's entity labels of names that may be actors, and the kind of actor each one names
_NER_KINDS = {"PERSON": NEG.Person, "GPE": NEG.Country, "ORG": NEG.Institution, "NORP": NEG.Group}
_FIRST_PERSON = {"i", "we", "us", "me", "our", "my"}


@dataclass(frozen=True)
class ActorEntry:
    """One actor the extractor can name as a holder."""

    iri: str
    label: str
    kind: URIRef  # the actor's class: NEG.Person, NEG.Country, NEG.Institution or NEG.Group
    linked: bool
    speaks_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A stretch of tokens that names an actor (token indices, end exclusive)."""

    start: int
    end: int
    actor: str
    how: str  # alias, role, capital, demonym, surname, ner


def _labels(graph: Graph, node: URIRef) -> set[str]:
    return {str(o).strip() for p in _LABELS for o in graph.objects(node, p) if str(o).strip()}


def _world() -> dict:
    return tomllib.loads(package_file("extract", "lexicon", "world.toml").read_text(encoding="utf-8"))


class Gazetteer:
    """Curated actors and their surface forms, matched with spaCy PhraseMatchers."""

    def __init__(self, nlp: Language, curated: Graph):
        self.actors: dict[str, ActorEntry] = {}
        self.forms: dict[str, set[str]] = defaultdict(set)  # surface form -> actor IRIs
        self.name_words: set[str] = set()  # capitalised words of curated actor names
        self._collect(curated)
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        exact, lower = [], []
        self._form_of: list[str] = []
        for index, form in enumerate(sorted(self.forms)):
            self._form_of.append(form)
            doc = nlp.make_doc(form)
            (exact if form.isupper() or len(form) <= 3 else lower).append((str(index), doc))
        for key, doc in exact:
            self._exact.add(key, [doc])
        for key, doc in lower:
            self._lower.add(key, [doc])

    # -- building ---------------------------------------------------------------------------
    def _add(self, form: str, iri: str) -> None:
        form = form.strip()
        if ", " in form:
            return  # a list of names ("A, B and C") is several actors, not one
        if form and form.lower() not in _FIRST_PERSON:
            self.forms[form].add(iri)
            if form.lower().startswith("the "):
                self.forms[form[4:]].add(iri)

    def _collect(self, graph: Graph) -> None:
        world = _world()
        demonyms, capitals = world["demonyms"], world["capitals"]
        memberships = speaks_for(graph)
        for kind in (k.iri for k in vocabulary().actor_kinds):
            for node in sorted(graph.subjects(RDF.type, kind)):
                labels = _labels(graph, node)
                label = str(graph.value(node, RDFS.label) or min(labels, default=str(node)))
                iri = str(node)
                self.actors[iri] = ActorEntry(iri, label, kind, True, tuple(sorted(memberships[iri])))
                self.name_words |= {w for form in labels for w in form.split() if w[:1].isupper()}
                for form in labels:
                    self._add(form, iri)
                    if kind == NEG.Country:
                        for word in demonyms.get(form, ()):
                            self._add(word, iri)
                        if form in capitals:
                            self._add(capitals[form], iri)
                if kind == NEG.Person and " " in label:
                    self._add(label.split()[-1], iri)
        self._add_roles(graph, demonyms)
        # A form claimed by several actors is ambiguous: keep it only for the most specific.
        for form, iris in list(self.forms.items()):
            if len(iris) > 1:
                people = {i for i in iris if self.actors[i].kind == NEG.Person}
                self.forms[form] = people if len(people) == 1 else set()
                if not self.forms[form]:
                    del self.forms[form]

    def _add_roles(self, graph: Graph, demonyms: dict) -> None:
        """Titles from memberships: "<adjective|body> <role>", and "<role>" alone when unique."""
        by_role = defaultdict(set)
        for membership in sorted(graph.subjects(RDF.type, ORG.Membership)):
            member, body, role = (
                graph.value(membership, p) for p in (ORG.member, ORG.organization, ORG.role)
            )
            if member is None or role is None or str(member) not in self.actors:
                continue
            for role_label in _labels(graph, role):
                variants = {role_label, role_label.replace(" ", "-"), role_label.replace("-", " ")}
                for variant in variants:
                    by_role[variant.lower()].add(str(member))
                    for body_label in _labels(graph, body) if body is not None else ():
                        for qualifier in (body_label, *demonyms.get(body_label, ())):
                            self._add(f"{qualifier} {variant}", str(member))
                            self._add(f"{qualifier}'s {variant}", str(member))
        for role_label, members in by_role.items():
            if len(members) == 1:
                self._add(f"the {role_label}", next(iter(members)))

    # -- matching ---------------------------------------------------------------------------
    def unlinked(self, text: str, ner_label: str) -> ActorEntry:
        """The actor an unknown name stands for (stable IRI from the name, kind from its entity label)."""
        iri = str(ACTOR[f"x-{slug(text)}"])
        return self.actors.get(iri) or ActorEntry(iri, text, _NER_KINDS.get(ner_label, NEG.Group), False)

    def actor(self, iri: str, doc: Doc) -> ActorEntry:
        """A curated actor, or an unlinked one named in ``doc`` (kept with the document, not shared)."""
        return self.actors.get(iri) or doc.user_data["unlinked_actors"][iri]

    def mentions(self, doc: Doc) -> list[Mention]:
        """Every actor named in ``doc``, longest match first, non-overlapping, in text order."""
        spans = []
        for matcher in (self._exact, self._lower):
            for match_id, start, end in matcher(doc):
                form = self._form_of[int(doc.vocab.strings[match_id])]
                for iri in sorted(self.forms.get(form, ())):
                    spans.append(Span(doc, start, end, label=iri))
        found = [Mention(s.start, s.end, s.label_, "alias") for s in filter_spans(spans)]
        taken = {i for m in found for i in range(m.start, m.end)}
        surnames: dict[str, str] = {}
        unlinked: dict[str, ActorEntry] = {}
        doc.user_data["unlinked_actors"] = unlinked
        for ent in doc.ents:
            if ent.label_ not in _NER_KINDS or any(i in taken for i in range(ent.start, ent.end)):
                continue
            text = re.sub(r"^(the|The) ", "", ent.text).strip()
            if ent.label_ == "PERSON" and " " not in text and text in surnames:
                iri = surnames[text]
            else:
                entry = unlinked.setdefault(
                    self.unlinked(text, ent.label_).iri, self.unlinked(text, ent.label_)
                )
                iri = entry.iri
                if ent.label_ == "PERSON":
                    surnames[text.split()[-1]] = iri
            found.append(Mention(ent.start, ent.end, iri, "ner"))
        return sorted(found, key=lambda m: (m.start, m.end))
