"""Score the extractor against the curated positions (``kg eval``).

Matching rule: an extracted position matches a curated one when they are in the same article,
their evidence spans overlap, their stances have the same polarity (support or oppose), and
the holder is the same actor or the body one of them speaks for (``neg:speaksFor`` from the
curated W3C ORG memberships, or the curated position's ``neg:onBehalfOf``). The target is not
part of the rule: it is reported, not scored.

Precision is the share of extracted positions that match some curated position; recall the
share of curated positions that some extracted position matches; both over the articles that
have curated positions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.corpus import load_articles
from kg.curation import load_curation
from kg.extract.candidate import Candidate
from kg.graph import load_ontology, speaks_for
from kg.model import Article, Position
from kg.vocabulary import vocabulary

__all__ = [
    "EvalReport",
    "Score",
    "evaluate",
    "format_report",
    "load_gold",
    "matches",
    "sentence_around",
]


@dataclass(frozen=True)
class Score:
    """Counts and ratios for one article or the whole corpus."""

    extracted: int
    correct: int  # extracted positions that match a curated one
    curated: int
    found: int  # curated positions matched by an extracted one

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.curated if self.curated else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvalReport:
    """Overall and per-article scores, then every miss and false alarm with its sentence."""

    overall: Score
    articles: dict[str, Score]
    misses: list[tuple[Position, str]] = field(default_factory=list)
    false_alarms: list[tuple[Candidate, str]] = field(default_factory=list)
    matched: dict[str, list[str]] = field(default_factory=dict)  # candidate id -> curated IRIs
    same_target: int = 0  # matched extracted positions whose target is a matched curated one's


def matches(candidate: Candidate, position: Position, bodies: dict[str, set[str]]) -> bool:
    """The matching rule (see the module docstring)."""
    if candidate.polarity != vocabulary().stances[position.stance].polarity:
        return False
    gold = {position.holder, *bodies.get(position.holder, ())}
    if position.on_behalf_of:
        gold.add(position.on_behalf_of)
    if not ({candidate.holder, *bodies.get(candidate.holder, ())} & gold):
        return False
    return any(
        e.article == candidate.article and e.start < candidate.end and candidate.start < e.end
        for e in position.evidence
    )


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence(s) holding text[start:end], on one line, for showing a miss."""
    left = max(text.rfind("\n", 0, start), *(text.rfind(p, 0, start) + 1 for p in (". ", "? ", "! ")))
    stops = [i for i in (text.find("\n", end), *(text.find(p, end) for p in (". ", "? ", "! "))) if i != -1]
    right = min(stops) + 1 if stops else len(text)
    return re.sub(r"\s+", " ", text[max(left, 0) : right]).strip()


def load_gold(seeds_dir: Path) -> tuple[list[Article], list[Position], dict[str, set[str]], Graph]:
    """The articles, curated positions, speaks-for map and curated graph of a seeds directory."""
    articles, _ = load_articles(seeds_dir)
    curation = load_curation(seeds_dir / "curated", articles, load_ontology())
    return articles, curation.positions, speaks_for(curation.graph), curation.graph


def evaluate(
    articles: list[Article], gold: list[Position], candidates: list[Candidate], bodies: dict[str, set[str]]
) -> EvalReport:
    """Compare extracted candidates with curated positions over the articles that have curated ones."""
    by_article_gold: dict[str, list[Position]] = defaultdict(list)
    for position in gold:
        for article in sorted({e.article for e in position.evidence}):
            by_article_gold[article].append(position)
    texts = {a.iri: a.text for a in articles}
    scored = [c for c in candidates if c.article in by_article_gold]
    found: set[str] = set()
    report = EvalReport(Score(0, 0, 0, 0), {})
    for candidate in scored:
        hits = [p for p in by_article_gold[candidate.article] if matches(candidate, p, bodies)]
        report.matched[candidate.id] = [p.iri for p in hits]
        found.update(p.iri for p in hits)
        report.same_target += any(p.target == candidate.target for p in hits)
        if not hits:
            sentence = sentence_around(texts[candidate.article], candidate.start, candidate.end)
            report.false_alarms.append((candidate, sentence))
    for article in sorted(by_article_gold):
        positions = by_article_gold[article]
        mine = [c for c in scored if c.article == article]
        report.articles[article] = Score(
            extracted=len(mine),
            correct=sum(1 for c in mine if report.matched[c.id]),
            curated=len(positions),
            found=sum(1 for p in positions if p.iri in found),
        )
    for position in gold:
        if position.iri not in found:
            evidence = position.evidence[0]
            text = texts.get(evidence.article, "")
            report.misses.append((position, sentence_around(text, evidence.start, evidence.end)))
    report.overall = Score(
        extracted=len(scored),
        correct=sum(1 for c in scored if report.matched[c.id]),
        curated=len(gold),
        found=len(found),
    )
    return report


def _short(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def format_report(report: EvalReport, details: bool = True) -> str:
    """The text ``kg eval`` prints: figures overall and per article, then misses and false alarms."""

    def line(name: str, s: Score) -> str:
        return (
            f"{name:<58} {s.precision:>9.3f} {s.recall:>6.3f} {s.f1:>6.3f}   "
            f"{s.correct}/{s.extracted} extracted correct, {s.found}/{s.curated} curated found"
        )

    out = [f"{'':<58} {'precision':>9} {'recall':>6} {'F1':>6}", line("overall", report.overall)]
    out += [line(_short(article), score) for article, score in report.articles.items()]
    out.append(
        f"\ntargets (not scored above): {report.same_target}/{report.overall.correct} correct extracted"
        " positions name the proposal of the curated position they match"
    )
    if details:
        out.append(f"\nmisses ({len(report.misses)}): curated positions no extracted one matches")
        for position, sentence in report.misses:
            out.append(
                f"- {_short(position.holder)} {vocabulary().stances[position.stance].notation}"
                f" {_short(position.target)}"
                f" [{_short(position.evidence[0].article)}]\n    {sentence}"
            )
        out.append(f"\nfalse alarms ({len(report.false_alarms)}): extracted positions no curated one matches")
        for candidate, sentence in report.false_alarms:
            out.append(
                f"- {candidate.id} {candidate.holder_label} {candidate.stance} {candidate.target_label}"
                f" ({candidate.rule}) [{_short(candidate.article)}]\n    {sentence}"
            )
    return "\n".join(out) + "\n"
