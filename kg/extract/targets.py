"""Target linking: the proposal a stance is about.

The object phrase of a stance cue is linked to a curated proposal by its labels and
aliases first (the longest alias found in the object phrase, then in the evidence), then by
key terms (the content words the proposal's labels share with the phrase). Failing both,
the phrase becomes a new candidate proposal, marked ``neg:unlinked``, with a stable IRI
from its words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SKOS

from kg.namespace import NEG, PROPOSAL, slug

__all__ = ["Target", "TargetIndex"]

_STOP = frozenset(
    "a an the of to for on in and or with by from that this these those its his her their our your "
    "any all some such what which who it be is are was were would could should will may might "
    "not no more most very new first one two us we i they he she them him".split()
)
_DEMONSTRATIVES = frozenset({"this", "that", "these", "those", "such"})
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def terms(text: str) -> frozenset[str]:
    """Content words of a phrase, lower case, crude plural folding ("weapons" -> "weapon")."""
    words = (w.removesuffix("'s") for w in _WORD.findall(text.lower()))
    return frozenset(
        w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w
        for w in words
        if w not in _STOP
    )


@dataclass(frozen=True)
class Target:
    """The proposal a position is about; ``linked`` is False for a new candidate."""

    iri: str
    label: str
    linked: bool
    how: str  # alias, terms, new


class TargetIndex:
    """The curated proposals with their aliases and key terms."""

    def __init__(self, curated: Graph):
        self.labels: dict[str, str] = {}
        self.aliases: list[tuple[str, str]] = []  # (lower-case alias, proposal IRI), longest first
        self.terms: dict[str, frozenset[str]] = {}
        for node in sorted(curated.subjects(RDF.type, NEG.Proposal)):
            iri = str(node)
            label = str(curated.value(node, RDFS.label) or iri.rsplit("/", 1)[-1])
            self.labels[iri] = label
            forms = {
                label,
                *(str(o) for p in (SKOS.altLabel, SKOS.prefLabel) for o in curated.objects(node, p)),
            }
            vocabulary: set[str] = set()
            for form in forms:
                if len(form) > 3:
                    self.aliases.append((form.lower(), iri))
                vocabulary |= terms(form)
            self.terms[iri] = frozenset(vocabulary)
        self.aliases.sort(key=lambda pair: (-len(pair[0]), pair))

    def _by_alias(self, text: str) -> str | None:
        padded = f" {text.lower()} "
        for alias, iri in self.aliases:
            if f" {alias} " in padded or (len(alias) > 12 and alias in padded):
                return iri
        return None

    def _by_terms(self, phrase: str) -> str | None:
        wanted = terms(phrase)
        if not wanted:
            return None
        best, score = None, 0.0
        for iri, vocabulary in sorted(self.terms.items()):
            overlap = len(wanted & vocabulary)
            value = overlap / len(wanted)
            if overlap >= 2 and value > score:
                best, score = iri, value
        return best if score >= 0.5 else None

    def _nearest_alias(self, text: str) -> str | None:
        """The proposal whose alias ends last in ``text`` (the latest mention), longer alias first."""
        lowered, best, end = text.lower(), None, -1
        for alias, iri in self.aliases:
            found = lowered.rfind(alias)
            if found >= 0 and found + len(alias) > end:
                best, end = iri, found + len(alias)
        return best

    def link(self, phrase: str, context: str, before: str = "") -> Target | None:
        """The target for an object ``phrase`` found in ``context`` (the evidence text).

        A phrase with no content words ("that", "it", none at all) or a demonstrative one ("this
        path") points back: it takes the proposal mentioned last in ``before`` (the text of the
        paragraph up to the evidence), and with none there the stance has no target (``None``).
        """
        for text, how in ((phrase, "alias"), (context, "alias-in-sentence")):
            iri = self._by_alias(text) if text else None
            if iri:
                return Target(iri, self.labels[iri], True, how)
        iri = self._by_terms(phrase)
        if iri:
            return Target(iri, self.labels[iri], True, "terms")
        words = phrase.lower().split()
        if not terms(phrase) or (words[0] in _DEMONSTRATIVES and len(words) <= 2):
            iri = self._nearest_alias(before)
            return Target(iri, self.labels[iri], True, "antecedent") if iri else None
        label = re.sub(r"\s+", " ", phrase).strip(" ,.;:\"“”'")
        return Target(str(PROPOSAL[f"x-{slug(label)}"]), label, False, "new")
