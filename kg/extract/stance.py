"""Stance detection: read the stance cues of one claim, with negation, conditions and modality.

The cue words come from the lexicon file (``lexicon/stance_cues.toml``). For each cue the
parse gives its subject (who holds the stance), its object (the target), and what
surrounds it:

- negation ("did not back", "no one should", "refused to accept") turns a supportive stance
  into opposition (rejection after a refusing verb);
- a denial ("has never opposed", "did not reject") is not read as the opposite stance: it
  yields nothing;
- a condition ("only if", "provided that", "unless") makes support conditional and keeps
  the condition's text;
- modality ("would back", "could consider", "will", "is ready to", a question) is kept as
  ``Hypothetical``, ``Future`` or ``Questioned`` rather than counted as a firm position.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.extract.attribution import FIRST_PERSON, THIRD_PERSON, Claim, Discourse
from kg.extract.lexicon import Cue, Lexicon

__all__ = ["Reading", "read_stances"]

SUPPORTIVE = ("propose", "support", "conditional")
_OBJECT_PREPS = {"for", "to", "with", "on", "against", "about", "of", "in"}
_CONDITION_MARKS = {"if", "unless", "provided", "providing", "once", "when"}


@dataclass(frozen=True)
class Reading:
    """One stance cue read in context."""

    stance: str  # propose, support, conditional, oppose, reject
    cue: str
    cue_token: int
    modality: str | None  # Hypothetical, Future, Questioned or None (asserted)
    condition: str | None
    object: tuple[int, int] | None  # token range of the target phrase
    negated: bool
    subject_known: bool  # the cue's subject is the holder (not left implicit)


def _match(token: Token, lex: Lexicon, claim: Claim) -> Cue | None:
    """The lexicon cue starting at ``token``, if any (multi-word cues need their tail nearby)."""
    lower = token.lower_
    if token.pos_ in ("VERB", "AUX") or (token.tag_ == "VBN" and lower in lex.verbs):
        cues = lex.verbs.get(lower, ())
    elif token.pos_ == "ADJ" or token.tag_ in ("JJ", "VBN"):
        cues = lex.adjectives.get(lower, ())
    else:
        cues = ()
    following = [t.lower_ for t in token.doc[token.i + 1 : min(token.i + 4, claim.end + 1)]]
    for cue in cues:
        if all(word in following for word in cue.tail):
            return cue
    return None


def _chain(token: Token) -> list[Token]:
    """The cue and the verbs it hangs from within its clause (xcomp/acomp/conj heads)."""
    chain = [token]
    while (
        chain[-1].dep_ in ("xcomp", "acomp", "conj", "pcomp", "prep", "auxpass")
        and chain[-1].head is not chain[-1]
    ):
        chain.append(chain[-1].head)
        if len(chain) > 4:
            break
    return chain


def _subject_of(chain: list[Token]) -> Token | None:
    for token in chain:
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass", "csubj", "expl"):
                return child
    return None


def _negation(chain: list[Token], subject: Token | None, lex: Lexicon) -> tuple[bool, bool]:
    """(negated, by a refusing verb): "did not back", "no one should back", "refused to back"."""
    for token in chain:
        if any(
            c.dep_ == "neg" or (c.lower_ in lex.negation and c.dep_ in ("advmod", "det"))
            for c in token.children
        ):
            return True, False
    for token in chain[1:]:
        if token.lower_ in lex.negating_verbs:
            return True, True
    if subject is not None:
        phrase = " ".join(t.lower_ for t in subject.subtree)
        if phrase in lex.negative_subjects or any(
            c.dep_ == "det" and c.lower_ == "no" for c in subject.children
        ):
            return True, False
    return False, False


def _modality(chain: list[Token], lex: Lexicon, claim: Claim, doc: Doc) -> str | None:
    for token in chain:
        for child in token.children:
            if child.dep_ == "aux" and child.lower_ in lex.modality:
                return lex.modality[child.lower_]
            if child.dep_ == "mark" and child.lower_ == "whether":
                return "Questioned"
        if token is not chain[0] and token.lower_ in lex.modality:
            return lex.modality[token.lower_]
    for i in (chain[0].i - 2, chain[0].i - 1):
        if 0 <= i and doc[i].lower_ in ("going", "ready", "prepared") and doc[i + 1].lower_ == "to":
            return "Future"
    sentence = chain[0].sent
    if sentence.text.rstrip().rstrip('"”').endswith("?"):
        return "Questioned"
    return None


def _condition(chain: list[Token], lex: Lexicon) -> str | None:
    """The text of a conditional clause hanging from the cue's clause ("only if ...")."""
    for token in chain:
        for child in token.children:
            if child.dep_ in ("advcl", "prep"):
                marks = [c for c in child.children if c.dep_ == "mark" and c.lower_ in _CONDITION_MARKS]
                only = child.dep_ == "prep" and child.lower_ == "after" and child.nbor(-1).lower_ == "only"
                if marks or only:
                    words = [t for t in child.subtree]
                    return child.doc[words[0].i : words[-1].i + 1].text
    text = chain[-1].sent.text.lower()
    for marker in lex.conditions:
        if f" {marker} " in f" {text} " and " " in marker:
            return chain[-1].sent.text[text.index(marker) :].strip().rstrip('."”')
    return None


def _object(token: Token, cue: Cue, claim: Claim) -> tuple[int, int] | None:
    """The phrase the stance is about: direct object, prepositional object, or complement."""
    candidates = []
    for child in token.children:
        if child.dep_ in ("dobj", "attr", "oprd"):
            candidates.append(child)
        elif child.dep_ == "prep" and child.lower_ in _OBJECT_PREPS:
            candidates += [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
        elif child.dep_ in ("xcomp", "ccomp"):
            candidates.append(child)
    if not candidates and token.dep_ in ("acomp", "amod") or (not candidates and token.pos_ == "ADJ"):
        subject = _subject_of(_chain(token))
        if subject is not None and subject.lower_ not in FIRST_PERSON:
            candidates.append(subject)
    if not candidates:
        return None
    head = candidates[0]
    words = [t.i for t in head.subtree if claim.start <= t.i < claim.end] or [head.i]
    start, end = min(words), max(words) + 1
    return start, min(end, start + 14)


def read_stances(doc: Doc, claim: Claim, lex: Lexicon, state: Discourse) -> list[Reading]:
    """The stances the claim's holder takes in tokens [claim.start, claim.end)."""
    readings = []
    positions = [claim.cue] if claim.cue is not None else range(claim.start, claim.end)
    for i in positions:
        token = doc[i]
        cue = _match(token, lex, claim)
        if cue is None:
            continue
        if (
            claim.cue is None
            and token.lower_ in lex.speech
            and any(c.dep_ == "ccomp" for c in token.children)
        ):
            continue  # a speech verb reporting a clause: attribution, not stance
        chain = _chain(token)
        subject = _subject_of(chain)
        known = False
        if subject is not None and claim.cue is None:
            mention = state.by_token.get(subject.i)
            if mention is not None:
                if mention.actor not in claim.holders:
                    continue  # someone else's stance: the reported rule reads it
                known = True
            elif subject.lower_ in FIRST_PERSON or subject.lower_ in THIRD_PERSON:
                known = True
            elif subject.lower_ in ("it", "this", "that") and cue.stance in ("support", "propose"):
                continue
        negated, refusing = _negation(chain, subject, lex)
        stance = cue.stance
        if negated:
            if stance in ("oppose", "reject"):
                continue  # a denial ("has never opposed") is not the opposite stance
            stance = "reject" if refusing else "oppose"
        modality = _modality(chain, lex, claim, doc)
        condition = _condition(chain, lex)
        if condition and stance in SUPPORTIVE:
            stance = "conditional"
        elif condition and modality is None:
            modality = "Hypothetical"
        if stance == "conditional" and not condition:
            stance = "support"
        readings.append(
            Reading(stance, cue.text, i, modality, condition, _object(token, cue, claim), negated, known)
        )
    return readings
