"""Quote attribution: who said (or did) what, where in the text.

Each ``Claim`` names its holders and the token range in which stance cues are sought. The
newswriting patterns read here:

- direct quotes, including a quote that runs over several sentences or paragraphs and the
  "X said" that follows or precedes it (``direct-quote``, ``quote-continued``, ``quote-lead``);
- indirect speech, "X said (that) ..." and "X told Y (that) ..." (``indirect``, ``told``);
- "according to X" (``according-to``);
- positions reported second-hand, where an actor is the subject of a stance verb:
  "Russia had rejected a French plan" (``reported``), or its agent: "... pushed by X";
- headlines, parsed separately in sentence case (``headline``; see ``headline_claims``).

"he"/"she" resolve to the last person named as speaker (or, failing that, named at all);
"I"/"we" inside a quote resolve to the quote's speaker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.gazetteer import ActorEntry, Mention
from kg.extract.lexicon import Lexicon
from kg.extract.quoting import QuoteSpan, captions, is_summary, paragraphs, quote_spans
from kg.namespace import NEG

__all__ = [
    "Claim",
    "Discourse",
    "QuoteSpan",
    "find_claims",
    "headline_claims",
    "is_summary",
    "quote_spans",
    "subject_actors",
]

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
FIRST_PERSON = frozenset({"i", "we", "us", "me", "our", "my", "ourselves"})
THIRD_PERSON = frozenset({"he", "she"})


@dataclass(frozen=True)
class Claim:
    """What a holder said or did: stance cues are sought in tokens [start, end)."""

    holders: tuple[str, ...]
    start: int
    end: int
    evidence: tuple[int, int]  # character span of the evidence
    rule: str
    reported_by: str | None = None
    cue: int | None = None  # for reported actions: the stance verb's token index
    quoted: bool = False


@dataclass
class Discourse:
    """Reading state across an article: the last person who spoke, and the mention index."""

    actors: dict[str, ActorEntry]
    by_token: dict[int, Mention] = field(default_factory=dict)
    last_speaker: str | None = None
    last_person: str | None = None
    inside: list[bool] = field(default_factory=list)  # token index -> inside a quote

    unlinked: dict[str, ActorEntry] = field(default_factory=dict)

    def entry(self, iri: str) -> ActorEntry | None:
        """The curated or unlinked actor with this IRI."""
        return self.actors.get(iri) or self.unlinked.get(iri)

    def is_person(self, iri: str) -> bool:
        entry = self.entry(iri)
        return entry is not None and entry.kind == NEG.Person


def _nearest_person(token: Token, state: Discourse) -> str | None:
    """The last person named before ``token`` in its own sentence, outside quotes."""
    for i in range(token.i - 1, token.sent.start - 1, -1):
        if state.inside and state.inside[i]:
            continue
        mention = state.by_token.get(i)
        if mention is not None and state.is_person(mention.actor):
            return mention.actor
    return None


def subject_actors(token: Token, state: Discourse, speaker: str | None, speech: bool = False) -> list[str]:
    """The actors a subject token stands for (coordinated or appositive subjects give several).

    "he"/"she" as the subject of a speech verb is the last speaker; elsewhere the last person
    named earlier in the sentence (outside quotes), then the last speaker.
    """
    if token.lower_ in ("who", "that") and token.head.dep_ == "relcl":
        token = token.head.head  # "the secretary-general or somebody who commented" -> its noun
    appositive = _appositive_actors(token, state, speaker)
    if appositive:
        return appositive
    named = [a for item in (token, *token.conjuncts) for a in _named_by(item, state, speaker, speech)]
    return _members_rather_than_group(list(dict.fromkeys(named)), state)


def _appositive_actors(token: Token, state: Discourse, speaker: str | None) -> list[str]:
    """The actors an apposition names ("his spokesman, John Smith,"), people first; not "(UN)"."""
    appositive = [c for c in token.children if c.dep_ == "appos" and c.nbor(-1).text != "("]
    found = [a for c in appositive for a in subject_actors(c, state, speaker)]
    people = [a for a in found if state.is_person(a)]
    return list(dict.fromkeys(people or found))


def _named_by(item: Token, state: Discourse, speaker: str | None, speech: bool) -> list[str]:
    """The actors one (coordinated) subject word names: a mention, a pronoun, or a word it governs."""
    mention = state.by_token.get(item.i)
    if mention is not None:
        return [mention.actor]
    if item.lower_ in FIRST_PERSON and speaker:
        return [speaker]
    if item.lower_ in THIRD_PERSON:
        person = _person_meant(item, state, speech)
        return [person] if person else []
    return _modifier_actors(item, state, speaker)


def _person_meant(pronoun: Token, state: Discourse, speech: bool) -> str | None:
    """Who "he"/"she" is: see ``subject_actors``; failing all else, the last person named."""
    if speech:
        return state.last_speaker or _nearest_person(pronoun, state) or state.last_person
    return _nearest_person(pronoun, state) or state.last_speaker or state.last_person


def _modifier_actors(item: Token, state: Discourse, speaker: str | None) -> list[str]:
    """Actors named inside a subject phrase: "the Russian side", "Moscow's envoy", "both of them"."""
    actors = []
    for child in item.children:
        if child.dep_ in ("compound", "amod", "poss", "nmod") and child.i in state.by_token:
            actors.append(state.by_token[child.i].actor)
            break
        if child.dep_ == "prep" and child.lower_ == "of" and item.lower_ in ("both", "all"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                actors += subject_actors(pobj, state, speaker)
    return actors


def _members_rather_than_group(actors: list[str], state: Discourse) -> list[str]:
    """ "the three members - A, B and C -": the members, not also the group they are named with."""
    groups = [a for a in actors if state.entry(a) and state.entry(a).kind == NEG.Group]
    if groups and len(actors) - len(groups) >= 2:
        return [a for a in actors if a not in groups]
    return actors


def _subject(token: Token) -> Token | None:
    """The grammatical subject of a verb, looking up through xcomp/conj chains."""
    for _ in range(4):
        for child in token.children:
            if child.dep_ in ("nsubj", "csubj"):
                return child
        if token.dep_ in ("xcomp", "conj", "acomp", "advcl") and token.head.i != token.i:
            token = token.head
        else:
            return None
    return None


def _agent(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _remember(actors: list[str], state: Discourse) -> None:
    for actor in actors:
        if state.is_person(actor):
            state.last_speaker = actor


def _speech_events(sent: Span, lex: Lexicon, state: Discourse, inside: list[bool]):
    """(verb token, speaker actors) for each speech verb in the sentence outside quotes."""
    events = []
    for token in sent:
        if inside[token.i] or token.pos_ not in ("VERB", "AUX"):
            continue
        if token.lower_ in lex.speech:
            subjects = [c for c in token.children if c.dep_ == "nsubj"]
            subject = max(subjects, key=lambda c: c.i) if subjects else None  # not a dateline's city
            if subject is None and token.dep_ in ("conj", "advcl"):
                subject = _subject(token.head)
            actors = subject_actors(subject, state, None, speech=True) if subject is not None else []
            if actors:
                events.append((token, actors))
    return events


def _according_to(sent: Span, state: Discourse) -> list[tuple[Token, list[str]]]:
    found = []
    for token in sent:
        if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor(1).lower_ == "to":
            pobj = next((c for c in token.nbor(1).children if c.dep_ == "pobj"), None)
            if pobj is not None:
                actors = subject_actors(pobj, state, None)
                if actors:
                    found.append((token, actors))
    return found


def _owner(token: Token, state: Discourse) -> list[str]:
    for child in token.children:
        if child.dep_ in ("poss", "amod", "compound", "nmod") and child.i in state.by_token:
            return [state.by_token[child.i].actor]
        if child.dep_ == "prep" and child.lower_ in ("from", "by"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.i in state.by_token:
                return [state.by_token[pobj.i].actor]
    return []


def _reported(sent: Span, lex: Lexicon, state: Discourse, inside: list[bool], speaker: str | None):
    """Stance words whose subject, passive agent or owner is an actor: second-hand positions."""
    found = []
    for token in sent:
        if inside[token.i] or token.i in state.by_token:
            continue
        lower = token.lower_
        if token.pos_ == "NOUN" and lower in lex.nouns:
            owner = _owner(token, state)
            if owner:
                found.append((token, owner))
            continue
        if token.pos_ not in ("VERB", "AUX", "ADJ") or (
            lower not in lex.verbs and lower not in lex.adjectives
        ):
            continue
        subject = _agent(token) if token.tag_ == "VBN" else None
        subject = subject or _subject(token)
        if subject is None or subject.lower_ in FIRST_PERSON:
            continue
        actors = subject_actors(subject, state, speaker)
        if actors:
            found.append((token, actors))
    return found


def _sentence_evidence(sent: Span) -> tuple[int, int]:
    text = sent.text
    stripped = text.strip().strip('"“”').strip()
    offset = text.find(stripped) if stripped else 0
    start = sent.start_char + max(offset, 0)
    return start, start + len(stripped or text)


def find_claims(doc: Doc, mentions: list[Mention], lex: Lexicon, state: Discourse) -> list[Claim]:
    """Every claim in the article body, in text order.

    Sentence by sentence (captions skipped): indirect speech, "according to" and second-hand
    positions; then each quote is given the speaker of its paragraph (``_quote_claims``).
    """
    _index_mentions(doc, mentions, state)
    quotes = quote_spans(doc.text)
    inside = state.inside = _inside_quotes(doc, quotes)
    skipped, para_spans = captions(doc.text), paragraphs(doc.text)
    claims: list[Claim] = []
    para_speakers: dict[int, list[tuple[int, list[str]]]] = {}  # paragraph -> (char, speakers)
    for sent in doc.sents:
        if _within(sent.start_char, skipped):
            continue
        _note_last_person(sent, state)
        events = _speech_events(sent, lex, state, inside)
        paragraph = _paragraph_of(sent.start_char, para_spans)
        for verb, actors in events:
            para_speakers.setdefault(paragraph, []).append((verb.idx, actors))
            claims += _indirect_claims(sent, verb, actors, inside)
            _remember(actors, state)
        claims += _according_to_claims(sent, state)
        claims += _reported_claims(sent, lex, state, inside, speaker=events[0][1][0] if events else None)
    claims += [c for c in _quote_claims(doc, quotes, para_speakers) if not _within(c.evidence[0], skipped)]
    return sorted(claims, key=lambda c: (c.evidence, c.rule, c.holders))


def _index_mentions(doc: Doc, mentions: list[Mention], state: Discourse) -> None:
    """Make every token of a mention point to it, and take the document's unlinked actors."""
    state.unlinked = doc.user_data.get("unlinked_actors", {})
    for mention in mentions:
        for i in range(mention.start, mention.end):
            state.by_token[i] = mention


def _inside_quotes(doc: Doc, quotes: list[QuoteSpan]) -> list[bool]:
    """For each token, whether it lies inside a quote."""
    inside = [False] * len(doc)
    for quote in quotes:
        span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                inside[i] = True
    return inside


def _within(char: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= char < end for start, end in spans)


def _paragraph_of(char: int, spans: list[tuple[int, int]]) -> int:
    return next((number for number, (start, end) in enumerate(spans) if start <= char < end), -1)


def _note_last_person(sent: Span, state: Discourse) -> None:
    for mention in (state.by_token.get(t.i) for t in sent):
        if mention and state.is_person(mention.actor):
            state.last_person = mention.actor


def _indirect_claims(sent: Span, verb: Token, actors: list[str], inside: list[bool]) -> list[Claim]:
    """ "X said (that) ..." and "X told Y (that) ...": the verb's complement, unless all of it is quoted."""
    complement = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp")), None)
    if complement is None or all(inside[t.i] for t in complement.subtree):
        return []
    tokens = [t.i for t in complement.subtree]
    rule = "told" if verb.lower_.startswith(("tell", "told")) else "indirect"
    return [Claim((actor,), min(tokens), max(tokens) + 1, _sentence_evidence(sent), rule) for actor in actors]


def _according_to_claims(sent: Span, state: Discourse) -> list[Claim]:
    """ "according to X": the rest of the sentence is X's."""
    claims = []
    for word, actors in _according_to(sent, state):
        excluded = {t.i for t in word.subtree}
        tokens = [t.i for t in sent if t.i not in excluded]
        evidence = _sentence_evidence(sent)
        claims.append(Claim(tuple(actors), min(tokens), max(tokens) + 1, evidence, "according-to"))
    return claims


def _reported_claims(
    sent: Span, lex: Lexicon, state: Discourse, inside: list[bool], speaker: str | None
) -> list[Claim]:
    """Second-hand positions: an actor as subject, agent or owner of a stance word, as the
    sentence's speaker (if any, and not the actor) reports it."""
    claims = []
    for verb, actors in _reported(sent, lex, state, inside, speaker):
        reporter = speaker if speaker and speaker not in actors else None
        evidence = _sentence_evidence(sent)
        claims += [
            Claim((a,), sent.start, sent.end, evidence, "reported", reported_by=reporter, cue=verb.i)
            for a in actors
        ]
    return claims


def _quote_claims(doc: Doc, quotes: list[QuoteSpan], para_speakers) -> list[Claim]:
    """Give every quote its speaker: same paragraph, a continued quote, or a lead quote."""
    speakers: dict[int, tuple[list[str], str]] = {}
    for number, events in sorted(para_speakers.items()):
        speakers[number] = (events[0][1], "direct-quote")
    by_paragraph: dict[int, list[QuoteSpan]] = {}
    for quote in quotes:
        by_paragraph.setdefault(quote.paragraph, []).append(quote)
    resolved: dict[int, tuple[list[str], str]] = {}
    for number in sorted(by_paragraph):
        if number in speakers:
            resolved[number] = speakers[number]
            continue
        previous = by_paragraph.get(number - 1, [])
        if previous and previous[-1].open_end and number - 1 in resolved:
            resolved[number] = (resolved[number - 1][0], "quote-continued")
        text = doc.text[by_paragraph[number][0].start - 2 : by_paragraph[number][0].start]
        starts_paragraph = "\n" in text or by_paragraph[number][0].start < 2
        if number not in resolved and starts_paragraph and number - 1 in resolved:
            resolved[number] = (resolved[number - 1][0], "quote-continued")
    # A run of open-ended paragraphs takes the speaker named where it ends ("...," X said).
    for number in sorted(by_paragraph, reverse=True):
        if number not in resolved and by_paragraph[number][-1].open_end and number + 1 in resolved:
            resolved[number] = (resolved[number + 1][0], "quote-continued")
    # A quote standing alone before the paragraph that names its speaker (a lead quote).
    for number in sorted(by_paragraph):
        if number not in resolved and number + 1 in speakers and number + 1 not in by_paragraph:
            lead = doc.text[by_paragraph[number][0].start : by_paragraph[number][-1].end].strip('"“”.… ')
            if doc.text.count(lead) == 1:  # a pull quote repeated in the body is read there
                resolved[number] = (speakers[number + 1][0], "quote-lead")
    claims = []
    for quote in quotes:
        if quote.paragraph not in resolved:
            continue
        actors, rule = resolved[quote.paragraph]
        span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
        if span is None or quote.end - quote.start < 12:
            continue
        for sent in span.sents:
            start, end = max(sent.start, span.start), min(sent.end, span.end)
            piece = doc[start:end]
            text = piece.text.strip().strip('"“”«»').strip()
            if len(text) < 8:
                continue
            offset = piece.start_char + piece.text.find(text)
            for actor in actors:
                claims.append(Claim((actor,), start, end, (offset, offset + len(text)), rule, quoted=True))
    return claims


def headline_claims(doc: Doc, mentions: list[Mention], lex: Lexicon, state: Discourse) -> list[Claim]:
    """Claims in a headline parsed on its own: "Kerry Rebuffs Russia: We Need A Resolution".

    The actor who is subject (or passive agent) of a stance verb holds that stance; text after
    a colon that speaks in the first person is read as that actor's words.
    """
    _index_mentions(doc, mentions, state)
    inside = [False] * len(doc)
    claims, evidence = [], (0, len(doc.text.rstrip()))
    colon = next((t.i for t in doc if t.text == ":"), None)
    head_actors: list[str] = []
    for sent in doc.sents:
        for verb, actors in _reported(sent, lex, state, inside, None):
            head_actors = head_actors or actors
            for actor in actors:
                claims.append(Claim((actor,), sent.start, sent.end, evidence, "headline", cue=verb.i))
    if colon is not None:
        first = next((m.actor for m in mentions if m.start < colon), None)
        speaker = head_actors[0] if head_actors else first
        after = doc[colon + 1 :]
        if speaker and any(t.lower_ in FIRST_PERSON for t in after):
            claims.append(Claim((speaker,), colon + 1, len(doc), evidence, "headline", quoted=True))
    return claims
