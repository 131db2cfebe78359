"""Small dependency-parse helpers shared by attribution and stance reading."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.lexicon import Lexicon

__all__ = [
    "CONDITION_MARKS",
    "clause_chain",
    "grammatical_subject",
    "in_conditional",
    "in_background",
    "is_deontic",
    "is_imperative",
    "is_noun_modifier",
    "negation_chain",
    "object_head",
]

CONDITION_MARKS = frozenset({"if", "unless", "provided", "providing", "once", "when", "whether"})
_WH = frozenset({"why", "how", "whether", "what"})
_OBJECT_PREPS = frozenset({"for", "to", "with", "on", "against", "about", "of", "in", "toward", "towards"})


def clause_chain(token: Token, through_conj: bool = True) -> list[Token]:
    """The token and the words it hangs from inside its clause (xcomp, acomp, conj... heads)."""
    deps = ("xcomp", "acomp", "pcomp", "prep", "auxpass", "dobj") + (("conj",) if through_conj else ())
    chain = [token]
    while chain[-1].dep_ in deps and chain[-1].head.i != chain[-1].i and len(chain) < 5:
        if chain[-1].dep_ in ("prep", "dobj", "pcomp") and chain[-1].head.pos_ not in ("VERB", "AUX", "ADJ"):
            break
        chain.append(chain[-1].head)
    return chain


def negation_chain(token: Token) -> list[Token]:
    """Like clause_chain, but a conjunct does not inherit its head's negation."""
    return clause_chain(token, through_conj=False)


def grammatical_subject(chain: list[Token]) -> Token | None:
    """The first subject found along a clause chain."""
    for token in chain:
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return child
    return None


def is_noun_modifier(token: Token) -> bool:
    """A verb or participle that only describes a noun ("a resolution backing the deal").

    An adjective after its noun with a complement is predicative ("plans ready to ensure ...").
    """
    if token.pos_ == "ADJ" and token.i > token.head.i and any(c.dep_ == "xcomp" for c in token.children):
        return False
    return token.dep_ in ("acl", "relcl", "amod") and token.pos_ in ("VERB", "AUX", "ADJ")


def in_conditional(token: Token, stop: Token | None = None) -> bool:
    """Whether the token sits inside an "if/unless/when" clause (a condition, not a stance)."""
    current = token
    for _ in range(8):
        if (stop is not None and current.i == stop.i) or current.head.i == current.i:
            return False
        if current.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in CONDITION_MARKS for c in current.children
        ):
            return True
        current = current.head
    return False


def is_deontic(token: Token, lex: Lexicon) -> bool:
    """ "should/must V", "need to V", "have to V": the speaker says what ought to happen."""
    if token.lower_ in lex.not_actions or token.pos_ not in ("VERB", "AUX"):
        return False
    for current in (token, token.head) if token.dep_ == "conj" else (token,):
        if any(c.dep_ == "aux" and c.lower_ in lex.deontic_aux for c in current.children):
            return True
        if (
            current.dep_ == "xcomp"
            and current.head.lower_ in lex.deontic_verbs
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children)
        ):
            return True
    return False


def in_background(token: Token, narration: bool = False) -> bool:
    """Inside a subject clause or an embedded wh-question ("why Georgia needs this"); in narration
    also inside a clause that describes a noun ("comments suggesting he was calling for ...")."""
    current = token
    for _ in range(8):
        if current.dep_ in ("csubj", "csubjpass"):
            return True
        if narration and current.i != token.i and current.dep_ in ("acl", "relcl"):
            return True
        wh = current.left_edge.lower_ in _WH and current.left_edge.i < current.i
        if wh and current.dep_ in ("ccomp", "pcomp", "dobj", "xcomp", "pobj"):
            return True
        if current.head.i == current.i:
            return False
        current = current.head
    return False


def is_imperative(token: Token) -> bool:
    """A bare verb giving an order in quoted speech ("turn it over, all of it")."""
    bare = (
        token.tag_ == "VB"
        and token.dep_ in ("ROOT", "dep", "conj", "parataxis")
        and not any(c.dep_ in ("nsubj", "aux", "nsubjpass", "mark") for c in token.children)
    )
    return bare and (token.dep_ != "conj" or is_imperative(token.head))


def object_head(token: Token) -> Token | None:
    """The direct or prepositional object (or complement clause) of a cue."""
    for child in token.children:
        if child.dep_ in ("dobj", "attr", "oprd"):
            return child
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in _OBJECT_PREPS:
            found = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if found is not None:
                return found
    for child in token.children:
        if child.dep_ in ("xcomp", "ccomp", "acl"):
            return child
    return None
