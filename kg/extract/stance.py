"""Stance detection: read the stance cues of one claim, with negation, conditions and modality.

The cue words come from the lexicon file (``lexicon/stance_cues.toml``). For each cue the
parse gives its subject (who holds the stance), its object (the target), and what
surrounds it:

- negation ("did not back", "no one should", "refused to accept") turns a supportive stance
  into opposition (rejection after a refusing verb, or "no intention of");
- a denial ("has never opposed", "did not reject") is not read as the opposite stance: it
  yields nothing;
- a condition ("only if", "provided that", "unless") makes support conditional and keeps
  the condition's text;
- modality ("would back", "could consider", "will", "is ready to", a question) is kept as
  ``Hypothetical``, ``Future`` or ``Questioned`` rather than counted as a firm position;
- in what a speaker says, "X should/must/needs to do Y" is the speaker's proposal (deontic),
  and "Y would aggravate the risks" the speaker's opposition to Y (harm cues);
- a cue whose subject is another actor is that actor's stance, reported by the speaker.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.extract.attribution import FIRST_PERSON, THIRD_PERSON, Claim, Discourse, subject_actors
from kg.extract.lexicon import Cue, Lexicon
from kg.extract.syntax import (
    clause_chain,
    grammatical_subject,
    in_background,
    in_conditional,
    is_deontic,
    is_imperative,
    is_noun_modifier,
    negation_chain,
    object_head,
)
from kg.namespace import NEG
from kg.vocabulary import vocabulary

__all__ = ["Reading", "read_stances"]

# The stances and modalities the rules below turn a cue into (notations and local names).
_TERMS = vocabulary()
_PROPOSE, _SUPPORT, _CONDITIONAL, _OPPOSE, _REJECT = (
    _TERMS.stances[t].notation
    for t in (NEG.Propose, NEG.Support, NEG.ConditionalSupport, NEG.Oppose, NEG.Reject)
)
_SUPPORTIVE = _TERMS.polarities[NEG.Supportive].notation
_HYPOTHETICAL, _FUTURE, _QUESTIONED = (
    _TERMS.modalities[t].name for t in (NEG.Hypothetical, NEG.Future, NEG.Questioned)
)
_POSSESSIVE = frozenset({"his", "her", "their", "its", "our", "my"})
_PRONOUNS = frozenset({"it", "they", "this", "that", "these", "those", "who", "which", "what"})


@dataclass(frozen=True)
class Reading:
    """One stance cue read in context; ``holders`` set when the cue's subject is another actor."""

    stance: str  # a stance's notation: propose, support, conditional, oppose, reject
    cue: str
    modality: str | None  # a modality's local name: Hypothetical, Future, Questioned; None (asserted)
    condition: str | None
    object: tuple[int, int] | None  # token range of the target phrase
    negated: bool
    holders: tuple[str, ...] | None = None


def _supportive(stance: str) -> bool:
    return _TERMS.stances[stance].polarity == _SUPPORTIVE


def _match(token: Token, lex: Lexicon, end: int) -> tuple[str, Cue] | None:
    """(kind, cue) for a cue starting at ``token``: verb, adjective, harm, noun or predicate."""
    lower = token.lower_
    following = [t.lower_ for t in token.doc[token.i + 1 : min(token.i + 4, end + 1)]]

    def first(cues):
        return next((c for c in cues if all(w in following for w in c.tail)), None)

    if token.dep_ in ("aux", "auxpass"):
        return None  # a verb mis-parsed as an auxiliary is no reliable cue
    particle = next((c for c in token.children if c.dep_ in ("prt", "advmod") and c.i == token.i + 1), None)
    if particle is not None and particle.lower_ in lex.blocking_particles:
        return None

    if token.pos_ in ("VERB", "AUX") or token.tag_ == "VBN":
        for kind, table in (("harm", lex.harm), ("verb", lex.verbs)):
            cue = first(table.get(lower, ()))
            if cue:
                return kind, cue
    if token.pos_ == "ADJ" or token.tag_ in ("JJ", "VBN"):
        cue = first(lex.adjectives.get(lower, ()))
        if cue:
            return "adjective", cue
    if token.pos_ in ("NOUN", "PROPN"):
        if lower in lex.nouns:
            return "noun", Cue(lower, lex.nouns[lower], ())
        if lower in lex.predicates and token.dep_ == "attr":
            return "predicate", Cue(lower, lex.predicates[lower], ())
    return None


def _negation(chain: list[Token], subject: Token | None, lex: Lexicon) -> tuple[bool, bool]:
    """(negated, by refusal): "did not back", "no one should back", "refused to back", "no intention"."""
    for token in chain:
        for child in token.children:
            if child.dep_ == "neg" or (child.lower_ in lex.negation and child.dep_ in ("advmod", "det")):
                return True, child.lower_ == "no" and token.pos_ == "NOUN"
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


def _modality(chain: list[Token], lex: Lexicon) -> str | None:
    doc = chain[0].doc
    for token in chain:
        for child in token.children:
            if child.dep_ == "aux" and child.lower_ in lex.modality:
                return lex.modality[child.lower_]
            if child.dep_ == "mark" and child.lower_ == "whether":
                return _QUESTIONED
        if token.i != chain[0].i and token.lower_ in lex.modality:
            return lex.modality[token.lower_]
    first = chain[0].i
    if chain[0].lower_ in ("ready", "prepared") and any(c.dep_ == "xcomp" for c in chain[0].children):
        return _FUTURE  # "is ready to discuss"
    for i in (first - 3, first - 2, first - 1):
        if (
            0 <= i < len(doc) - 1
            and doc[i].lower_ in ("going", "ready", "prepared")
            and doc[i + 1].lower_ == "to"
        ):
            return _FUTURE
    if any(t.lower_ in ("maybe", "perhaps") for t in chain[0].sent):
        return _HYPOTHETICAL
    if chain[0].sent.text.rstrip().rstrip('"”').endswith("?"):
        return _QUESTIONED
    return None


def _condition(chain: list[Token], lex: Lexicon) -> str | None:
    """The text of a conditional clause hanging from the cue's clause ("only if ...")."""
    for token in chain:
        for child in token.children:
            marks = [
                c for c in child.children if c.dep_ == "mark" and c.lower_ in ("if", "unless", "provided")
            ]
            only_after = (
                child.dep_ == "prep"
                and child.lower_ == "after"
                and child.i > 0
                and child.nbor(-1).lower_ == "only"
            )
            if (child.dep_ == "advcl" and marks) or only_after:
                words = list(child.subtree)
                return child.doc[words[0].i : words[-1].i + 1].text
    text = chain[-1].sent.text.lower()
    for marker in lex.conditions:
        if " " in marker and f" {marker} " in f" {text} ":
            return chain[-1].sent.text[text.index(marker) :].strip().rstrip('."”')
    return None


def _span(head: Token | None, claim: Claim) -> tuple[int, int] | None:
    if head is None:
        return None
    words = [t.i for t in head.subtree if claim.start <= t.i < claim.end] or [head.i]
    start = min(words)
    return start, min(max(words) + 1, start + 14)


def _nested_speaker(token: Token, claim: Claim, lex: Lexicon, state: Discourse) -> bool:
    """Whether the cue sits in what someone other than the holder is said to have said."""
    current = token.head
    while current.i != current.head.i and claim.start <= current.i < claim.end:
        if current.lower_ in lex.speech and current.pos_ == "VERB":
            subject = next((c for c in current.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.lower_ not in FIRST_PERSON:
                mention = state.by_token.get(subject.i)
                if mention is None or mention.actor not in claim.holders:
                    return True
        current = current.head
    return False


def _noun_owner(token: Token, state: Discourse, claim: Claim) -> list[str] | None:
    """Who owns a stance noun: "Moscow's proposal", "a French plan", "calls from Europe", "our offer"."""
    compound = any(c.dep_ == "compound" for c in token.children)
    for child in token.children:
        owner = state.by_token.get(child.i)
        if owner is not None and owner.how == "ner":
            owner = None  # an unknown name as owner is too weak a cue
        if child.dep_ == "poss" and owner is not None:
            return [owner.actor]
        if child.dep_ == "amod" and owner is not None and child.i == token.i - 1 and not compound:
            return [owner.actor]  # "a French plan", but not "a Syrian peace plan"
        if child.dep_ == "prep" and child.lower_ in ("from", "by"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.i in state.by_token:
                return [state.by_token[pobj.i].actor]
    if token.dep_ == "dobj" and token.head.lower_ in ("has", "have", "had") and claim.cue is None:
        return list(claim.holders)  # "it has no intention of ..."
    return None


def _allowed(token: Token, kind: str, cue: Cue, lex: Lexicon, claim: Claim, state: Discourse) -> bool:
    if token.i in state.by_token:
        return False
    if kind in ("verb", "adjective") and is_noun_modifier(token):
        return False
    if in_conditional(token) or (kind != "noun" and in_background(token, narration=claim.cue is not None)):
        return False
    if token.lower_ in lex.speech and any(c.dep_ == "ccomp" for c in token.children):
        return False  # a speech verb reporting a clause: attribution, not stance
    if token.lower_ in lex.clausal and any(c.dep_ == "ccomp" for c in token.children):
        if not any(c.dep_ in ("dobj", "xcomp") for c in token.children):
            return False
    target = object_head(token)
    addressee = any(c.dep_ in ("xcomp", "ccomp") for c in token.children)  # "urged X to ..."
    linked = target is not None and target.i in state.by_token and state.by_token[target.i].how != "ner"
    if kind in ("verb", "adjective") and linked and not addressee:
        return False  # a stance toward an actor, not a proposal
    return claim.cue is not None or not _nested_speaker(token, claim, lex, state)


def _holders(token, kind, subject, claim, state) -> tuple[bool, tuple[str, ...] | None]:
    """(keep, holders override) for a cue given its subject."""
    if claim.cue is not None or subject is None:
        return True, None
    lower = subject.lower_
    if lower in FIRST_PERSON or lower in THIRD_PERSON:
        return True, None
    if any(c.dep_ == "det" and c.lower_ == "no" for c in subject.children) or lower in ("nobody", "none"):
        inner = [state.by_token[t.i].actor for t in subject.subtree if t.i in state.by_token]
        return True, (tuple(dict.fromkeys(inner)) or None)  # "no one in Brazil supports ..."
    actors = subject_actors(subject, state, claim.holders[0])
    if not actors and any(c.dep_ == "poss" and c.lower_ in _POSSESSIVE for c in subject.children):
        return True, None  # "their nations would seek ...": the speakers' own side
    if actors:
        others = tuple(a for a in actors if a not in claim.holders)
        return True, (others or None) if set(actors) - set(claim.holders) else None
    if (
        kind == "adjective"
        and lower == "it"
        and any(c.dep_ == "xcomp" for c in (*token.children, *token.head.children))
    ):
        return False, None  # "it is necessary to ...": advice, not a position on a proposal
    if kind in ("adjective", "harm", "predicate"):
        return True, None  # "this is unacceptable": the subject is the target
    if lower in ("it", "they") and not state.is_person(claim.holders[0]):
        return True, None
    return False, None


def _deontic_narration(token: Token, lex: Lexicon) -> bool:
    """ "the alliance needed to ...", "who should take part": what ought to happen, told by no speaker."""
    if is_deontic(token, lex):
        return True
    return token.lower_ in lex.deontic_verbs and any(c.dep_ in ("xcomp", "ccomp") for c in token.children)


def _impersonal(subject: Token | None, state: Discourse) -> bool:
    """A subject that is no actor ("the plan would need ..."), or another actor ("the alliance needed to")."""
    return subject is None or subject.lower_ not in FIRST_PERSON | THIRD_PERSON


def read_stances(doc: Doc, claim: Claim, lex: Lexicon, state: Discourse) -> list[Reading]:
    """The stances the claim's holder (or an actor it reports on) takes in [claim.start, claim.end)."""
    readings = []
    positions = [claim.cue] if claim.cue is not None else range(claim.start, claim.end)
    for i in positions:
        token = doc[i]
        found = _cue_at(token, claim, lex, state)
        if found is None:
            continue
        chain = clause_chain(token)
        subject = grammatical_subject(chain)
        attributed = _attribute(token, found[0], subject, claim, lex, state)
        if attributed is None:
            continue
        (kind, holders), cue = attributed, found[1]
        read = _in_context(token, kind, cue.stance, chain, subject, lex)
        if read is None:
            continue
        stance, modality, condition, negated = read
        target = _span(_target(token, kind, subject), claim)
        readings.append(Reading(stance, cue.text, modality, condition, target, negated, holders))
    return readings


def _cue_at(token: Token, claim: Claim, lex: Lexicon, state: Discourse) -> tuple[str, Cue] | None:
    """(kind, cue) of the stance cue that starts at ``token`` and counts in this claim, if any.

    In what a speaker says, "X should ..." and a quoted imperative are the speaker's proposal
    (kind ``deontic``); in narration, harm and predicate cues and what ought to happen do not count.
    """
    speech = claim.cue is None
    found = _match(token, lex, claim.end)
    if found is None and speech and _calls_for_action(token, claim, lex):
        found = ("deontic", Cue(token.lower_, _PROPOSE, ()))
    if found is None:
        return None
    kind, cue = found
    if kind in ("harm", "predicate") and not speech:
        return None
    if not _allowed(token, kind, cue, lex, claim, state) or (not speech and _deontic_narration(token, lex)):
        return None
    return found


def _calls_for_action(token: Token, claim: Claim, lex: Lexicon) -> bool:
    """ "X should/must ...", or a quoted imperative that is an action ("Withdraw the troops")."""
    if token.pos_ in ("VERB", "AUX") and is_deontic(token, lex):
        return True
    return claim.quoted and is_imperative(token) and token.lower_ not in lex.not_actions


def _attribute(
    token: Token, kind: str, subject: Token | None, claim: Claim, lex: Lexicon, state: Discourse
) -> tuple[str, tuple[str, ...] | None] | None:
    """(kind, holders) of a cue: whose stance it is (None: the claim's holders), or None to drop it.

    A noun cue belongs to its owner ("Moscow's proposal"); a verb a speaker uses for what ought
    to happen ("the plan would need ...") becomes the speaker's proposal (kind ``deontic``).
    """
    if kind == "noun":
        owner = _noun_owner(token, state, claim)
        if not owner:
            return None
        return kind, (tuple(owner) if set(owner) - set(claim.holders) else None)
    if kind in ("deontic", "harm", "predicate"):
        return kind, None
    needs = token.lower_ in lex.deontic_verbs and any(
        c.dep_ in ("xcomp", "ccomp", "dobj") for c in token.children
    )
    if claim.cue is None and (is_deontic(token, lex) or (needs and _impersonal(subject, state))):
        return "deontic", None
    keep, holders = _holders(token, kind, subject, claim, state)
    return (kind, holders) if keep else None


def _in_context(
    token: Token, kind: str, stance: str, chain: list[Token], subject: Token | None, lex: Lexicon
) -> tuple[str, str | None, str | None, bool] | None:
    """(stance, modality, condition, negated) of a cue's stance once negation, condition and
    modality are read; None for a denial ("has never opposed" is not the opposite stance)."""
    scope = [token] if kind == "noun" else negation_chain(token)  # "no intention" vs "did not back"
    # "no one backs" negates, but a harm cue's subject is its target and a noun cue stands alone
    negated, refusing = _negation(scope, subject if kind not in ("harm", "noun") else None, lex)
    if negated:
        if not _supportive(stance):
            return None
        stance = _REJECT if refusing else _OPPOSE
    modality = None if kind == "deontic" else _modality(chain, lex)
    condition = _condition(chain, lex)
    if condition and _supportive(stance):
        stance = _CONDITIONAL
    elif condition and modality is None:
        modality = _HYPOTHETICAL
    if stance == _CONDITIONAL and not condition:
        stance = _SUPPORT
    return stance, modality, condition, negated


def _target(token: Token, kind: str, subject: Token | None) -> Token | None:
    """The head of the target phrase: a harm cue's subject ("the plan would aggravate ..."), a
    deontic verb itself ("withdraw its troops"), else the cue's object."""
    if kind == "harm":
        return subject
    return token if kind == "deontic" else object_head(token)
