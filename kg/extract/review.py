"""Review extracted positions (``kg review``): accept, correct or reject what no curated position confirms.

An accepted candidate is appended to ``curated/reviewed.ttl`` as a curated position with its
quote (``neg:quoted``), so the next build treats it like any hand-written one; a holder or
target the curated data did not know is written there too. Every decision is remembered in
``curated/review.json`` (by candidate id), so a candidate is not offered twice. Files are
checked before they are written and written atomically: a failed review changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.errors import KgError
from kg.extract.candidate import Candidate
from kg.extract.evaluate import load_gold, matches, sentence_around
from kg.extract.pipeline import Extractor
from kg.files import append_turtle, write_atomic
from kg.graph import speaks_for
from kg.model import Article
from kg.namespace import ACTOR, NEG, OA, POSITION, PROPOSAL, slug
from kg.quotes import CONTEXT, QuoteNotFound, resolve_quote
from kg.vocabulary import vocabulary

__all__ = ["ReviewError", "ReviewItem", "accept", "correct", "pending", "reject"]

REVIEWED = "reviewed.ttl"
DECISIONS = "review.json"
_HEADER = "# Positions accepted in `kg review` from extracted candidates (one block per decision).\n"


class ReviewError(KgError):
    """A review decision cannot be carried out (unknown id, bad correction)."""


@dataclass(frozen=True)
class ReviewItem:
    """A candidate waiting for review, with the sentence it came from."""

    candidate: Candidate
    sentence: str
    article: Article


def _decisions(seeds_dir: Path) -> dict[str, dict[str, str]]:
    path = seeds_dir / "curated" / DECISIONS
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReviewError(f"review decisions file is not valid JSON: {exc}", path) from exc


def pending(seeds_dir: Path, extractor: Extractor | None = None) -> list[ReviewItem]:
    """Extracted candidates that no curated position confirms and no earlier decision settled."""
    articles, gold, bodies, curated = load_gold(seeds_dir)
    extractor = extractor or Extractor(curated)
    decided = _decisions(seeds_dir)
    by_iri = {a.iri: a for a in articles}
    items = []
    for candidate in extractor.extract_articles(articles):
        if candidate.id in decided or any(matches(candidate, p, bodies) for p in gold):
            continue
        article = by_iri[candidate.article]
        items.append(
            ReviewItem(candidate, sentence_around(article.text, candidate.start, candidate.end), article)
        )
    return items


def _find(items: list[ReviewItem], ident: str) -> ReviewItem:
    for item in items:
        if item.candidate.id == ident:
            return item
    raise ReviewError(f"no candidate {ident!r} waiting for review (see `kg review --list`)")


def _quote(graph: Graph, item: ReviewItem) -> BNode:
    """The curator's form of the evidence: the article and the exact quote (with a prefix if needed)."""
    text, candidate = item.article.text, item.candidate
    exact = text[candidate.start : candidate.end]
    prefix = ""
    try:
        resolve_quote(text, exact)
    except QuoteNotFound:
        prefix = text[max(0, candidate.start - CONTEXT) : candidate.start]
        resolve_quote(text, exact, prefix)
    quote = BNode()
    graph.add((quote, NEG.article, URIRef(candidate.article)))
    graph.add((quote, OA.exact, Literal(exact)))
    if prefix:
        graph.add((quote, OA.prefix, Literal(prefix)))
    return quote


def _position_graph(item: ReviewItem) -> Graph:
    """The accepted candidate as a curated position, with the holder and target if they are new."""
    c, terms = item.candidate, vocabulary()
    if item.article.date is None:
        raise ReviewError(f"article {c.article} has no date, so the position cannot be dated")
    if c.stance == terms.stances[NEG.ConditionalSupport].notation and not c.condition:
        raise ReviewError("a conditional stance needs its condition (--condition)")
    graph = Graph()
    holder, target = URIRef(c.holder), URIRef(c.target)
    if not c.holder_linked:
        graph.add((holder, RDF.type, terms.actor_kinds[c.holder_kind].iri))
        graph.add((holder, RDFS.label, Literal(c.holder_label, lang="en")))
    if not c.target_linked:
        graph.add((target, RDF.type, NEG.Proposal))
        graph.add((target, RDFS.label, Literal(c.target_label, lang="en")))
    node = POSITION[f"reviewed-{c.id}"]
    values = (
        (RDF.type, NEG.Position),
        (NEG.holder, holder),
        (NEG.onBehalfOf, URIRef(c.on_behalf_of or c.holder)),
        (NEG.stance, terms.stances[c.stance].iri),
        (NEG.target, target),
        (NEG.statedOn, Literal(item.article.date)),
        (NEG.condition, Literal(c.condition, lang="en") if c.condition else None),
        (NEG.modality, terms.modalities[c.modality].iri if c.modality else None),
        (NEG.reportedBy, URIRef(c.reported_by) if c.reported_by else None),
        (RDFS.comment, Literal(f"Accepted in review from extracted candidate {c.id}.", lang="en")),
        (NEG.quoted, _quote(graph, item)),
    )
    for predicate, value in values:
        if value is not None:
            graph.add((node, predicate, value))
    return graph


def _record(seeds_dir: Path, ident: str, decision: str, extra: dict[Path, bytes] | None = None) -> Path:
    path = seeds_dir / "curated" / DECISIONS
    decisions = _decisions(seeds_dir)
    decisions[ident] = {"decision": decision}
    files = dict(extra or {})
    files[path] = (json.dumps(decisions, indent=2, sort_keys=True) + "\n").encode("utf-8")
    write_atomic(files)
    return path


def accept(seeds_dir: Path, ident: str, items: list[ReviewItem] | None = None) -> Path:
    """Write candidate ``ident`` to ``curated/reviewed.ttl`` as a curated position."""
    item = _find(items if items is not None else pending(seeds_dir), ident)
    return _write_accepted(seeds_dir, item, "accepted")


def _write_accepted(seeds_dir: Path, item: ReviewItem, decision: str) -> Path:
    path = seeds_dir / "curated" / REVIEWED
    current = path.read_text(encoding="utf-8") if path.is_file() else _HEADER
    c = item.candidate
    position = _position_graph(item)
    try:
        updated = append_turtle(current, position, f"{c.id}: {c.rule}, confidence {c.confidence}")
        Graph().parse(data=updated, format="turtle")
    except Exception as exc:  # rdflib raises assorted types; refuse to write what does not parse
        raise ReviewError(f"the reviewed position would not be valid Turtle: {exc}", path) from exc
    _record(seeds_dir, item.candidate.id, decision, {path: updated.encode("utf-8")})
    return path


def correct(
    seeds_dir: Path,
    ident: str,
    holder: str | None = None,
    stance: str | None = None,
    target: str | None = None,
    condition: str | None = None,
    items: list[ReviewItem] | None = None,
) -> Path:
    """Accept candidate ``ident`` with its holder, stance, target or condition corrected.

    ``holder`` and ``target`` are IRIs of curated actors/proposals, or labels of new ones.
    """
    item = _find(items if items is not None else pending(seeds_dir), ident)
    _, _, _, curated = load_gold(seeds_dir)
    changes: dict = {}
    if stance is not None:
        stances = vocabulary().stances
        if stance not in stances:
            raise ReviewError(f"unknown stance {stance!r}; choose from {', '.join(stances.notations)}")
        changes["stance"] = stances[stance].notation
    if condition is not None:
        changes["condition"] = condition
    if holder is not None:
        changes.update(_resolve_holder(curated, holder))
    if target is not None:
        changes.update(_resolve_target(curated, target))
    fixed = replace(item.candidate, **changes)
    return _write_accepted(seeds_dir, replace(item, candidate=fixed), "corrected")


def _resolve_holder(curated: Graph, value: str) -> dict:
    kinds = vocabulary().actor_kinds
    for node in curated.subjects(RDFS.label, None):
        if str(node) == value or str(curated.value(node, RDFS.label)) == value:
            kind = next((kinds[t] for t in curated.objects(node, RDF.type) if t in kinds), None)
            if kind:
                bodies = sorted(speaks_for(curated).get(str(node), ()))
                on_behalf = bodies[0] if kind.iri == NEG.Person and bodies else str(node)
                return {
                    "holder": str(node),
                    "holder_label": str(curated.value(node, RDFS.label)),
                    "holder_kind": kind.name,
                    "holder_linked": True,
                    "on_behalf_of": on_behalf,
                }
    iri = str(ACTOR[f"x-{slug(value)}"])
    return {
        "holder": iri,
        "holder_label": value,
        "holder_kind": kinds[NEG.Group].name,
        "holder_linked": False,
        "on_behalf_of": iri,
    }


def _resolve_target(curated: Graph, value: str) -> dict:
    for node in curated.subjects(RDF.type, NEG.Proposal):
        if str(node) == value or str(curated.value(node, RDFS.label)) == value:
            return {
                "target": str(node),
                "target_label": str(curated.value(node, RDFS.label)),
                "target_linked": True,
            }
    return {"target": str(PROPOSAL[f"x-{slug(value)}"]), "target_label": value, "target_linked": False}


def reject(seeds_dir: Path, ident: str, items: list[ReviewItem] | None = None) -> Path:
    """Remember that candidate ``ident`` is wrong, so it is not offered again."""
    _find(items if items is not None else pending(seeds_dir), ident)
    return _record(seeds_dir, ident, "rejected")
