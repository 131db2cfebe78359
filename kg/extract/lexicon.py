"""The stance lexicon (``lexicon/stance_cues.toml``), read once and inflected into surface forms.

>>> lex = load_lexicon()
>>> lex.verb_class("rebuffed"), lex.verb_class("backs"), lex.is_speech("told")
('reject', 'support', True)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from kg.errors import KgError
from kg.resources import package_file
from kg.vocabulary import vocabulary

__all__ = ["Cue", "Lexicon", "inflect", "lexicon_from", "load_lexicon"]

LEXICON = ("extract", "lexicon", "stance_cues.toml")


def inflect(verb: str, irregular: dict[str, list[str]]) -> set[str]:
    """Base form plus -s, -ed and -ing forms (regular English spelling rules, irregulars from the file)."""
    if verb in irregular:
        return {verb, *irregular[verb]}
    forms = {verb}
    if verb.endswith("e"):
        forms |= {verb + "s", verb + "d", verb[:-1] + "ing"}
    elif verb.endswith("y") and verb[-2:-1] not in "aeiou":
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    elif verb.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {verb + "es", verb + "ed", verb + "ing"}
    else:
        forms |= {verb + "s", verb + "ed", verb + "ing"}
    return forms


@dataclass(frozen=True)
class Cue:
    """One lexicon entry: its first word's surface forms and the words that must follow it."""

    text: str
    stance: str
    tail: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    """Surface forms by role: stance verbs/adjectives/nouns, speech verbs, negation, conditions, modality."""

    verbs: dict[str, tuple[Cue, ...]]  # inflected first word -> cues starting with it
    adjectives: dict[str, tuple[Cue, ...]]
    nouns: dict[str, str]  # stance-bearing noun -> stance ("proposal" -> propose)
    predicates: dict[str, str]  # predicate noun -> stance ("it is time to")
    harm: dict[str, tuple[Cue, ...]]  # verbs whose subject is the criticised target
    deontic_aux: frozenset[str]
    deontic_verbs: frozenset[str]
    clausal: frozenset[str]  # forms of verbs that take no stance with a bare that-clause
    not_actions: frozenset[str]  # forms of verbs whose "should/must" is no proposal
    blocking_particles: frozenset[str]
    speech: frozenset[str]
    negation: frozenset[str]
    negative_subjects: frozenset[str]
    negating_verbs: frozenset[str]
    conditions: tuple[str, ...]
    modality: dict[str, str]  # cue -> a modality's local name: Hypothetical, Future, Questioned

    def verb_class(self, word: str) -> str | None:
        """The stance of a one-word verb cue, e.g. ``verb_class("backed") == "support"``."""
        for cue in self.verbs.get(word.lower(), ()):
            if not cue.tail:
                return cue.stance
        return None

    def is_speech(self, word: str) -> bool:
        """Whether ``word`` is a form of a speech or report verb."""
        return word.lower() in self.speech


def _index(entries: list[tuple[str, str]], irregular, inflected: bool) -> dict[str, tuple[Cue, ...]]:
    index: dict[str, list[Cue]] = {}
    for text, stance in entries:
        first, *tail = text.split()
        forms = inflect(first, irregular) if inflected else {first}
        for form in forms:
            index.setdefault(form, []).append(Cue(text, stance, tuple(tail)))
    # Longer cues first, so "back away" wins over "back".
    return {k: tuple(sorted(v, key=lambda c: (-len(c.tail), c.text))) for k, v in index.items()}


def _check_terms(data: dict) -> None:
    """Refuse a cue class whose stance, or a modality, the ontology does not define."""
    terms = vocabulary()
    for name, group in data["classes"].items():
        if group["stance"] not in terms.stances:
            raise KgError(
                f"cue class {name!r}: unknown stance {group['stance']!r}; the ontology defines "
                f"{', '.join(terms.stances.notations)}",
                "/".join(LEXICON),
            )
    for notation in data["modality"]:
        if notation not in terms.modalities:
            raise KgError(f"unknown modality {notation!r} in [modality]", "/".join(LEXICON))


@cache
def load_lexicon() -> Lexicon:
    """Read ``kg/extract/lexicon/stance_cues.toml``."""
    return lexicon_from(tomllib.loads(package_file(*LEXICON).read_text(encoding="utf-8")))


def lexicon_from(data: dict) -> Lexicon:
    """The lexicon of a parsed cue file: one cue class per stance of the ontology that has cues."""
    _check_terms(data)
    irregular = data.get("irregular", {})
    verbs, adjectives, nouns, predicates, harm = [], [], {}, {}, []
    for group in data["classes"].values():
        verbs += [(v, group["stance"]) for v in group.get("verbs", [])]
        adjectives += [(a, group["stance"]) for a in group.get("adjectives", [])]
        nouns.update({n: group["stance"] for n in group.get("nouns", [])})
        predicates.update({n: group["stance"] for n in group.get("predicates", [])})
        harm += [(v, group["stance"]) for v in group.get("harm", [])]
    deontic_verbs, clausal, not_actions = set(), set(), set()
    for verb in data["deontic"]["not_actions"]:
        not_actions |= inflect(verb, irregular)
    for verb in data["deontic"]["verbs"]:
        deontic_verbs |= inflect(verb, irregular)
    for verb in data["clausal"]["verbs"]:
        clausal |= inflect(verb, irregular)
    speech = set()
    for verb in data["speech"]["verbs"]:
        speech |= inflect(verb, irregular)
    modality = {}
    for term in vocabulary().modalities:
        modality.update({cue: term.name for cue in data["modality"].get(term.notation, ())})
    negating = set()
    for verb in data["negation"]["verbs"]:
        negating |= inflect(verb, irregular)
    return Lexicon(
        verbs=_index(verbs, irregular, inflected=True),
        adjectives=_index(adjectives, irregular, inflected=False),
        nouns=nouns,
        predicates=predicates,
        harm=_index(harm, irregular, inflected=True),
        deontic_aux=frozenset(data["deontic"]["auxiliaries"]),
        deontic_verbs=frozenset(deontic_verbs),
        clausal=frozenset(clausal),
        not_actions=frozenset(not_actions),
        blocking_particles=frozenset(data["particles"]["blocking"]),
        speech=frozenset(speech),
        negation=frozenset(data["negation"]["tokens"]),
        negative_subjects=frozenset(data["negation"]["subjects"]),
        negating_verbs=frozenset(negating),
        conditions=tuple(sorted(data["condition"]["markers"], key=len, reverse=True)),
        modality=modality,
    )
