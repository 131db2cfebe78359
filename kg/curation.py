"""Load the hand-curated Turtle (actors, proposals, positions) and resolve every quote.

Curators write each quote once (``neg:quoted [ neg:article ...; oa:exact "..." ]``); this
module finds it in the article and returns plain ``Position`` records whose evidence carries
the computed selectors. Every problem is a ``CurationError`` naming the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.errors import CurationError
from kg.files import line_of, parse_turtle
from kg.model import Article, Evidence, Position
from kg.namespace import NEG, OA
from kg.quotes import QuoteNotFound, resolve_quote
from kg.vocabulary import vocabulary

__all__ = ["Curation", "curated_graph", "load_curation"]

# position properties carried by the Position record; other properties pass through as written
REWRITTEN = frozenset(
    {
        NEG.holder,
        NEG.stance,
        NEG.target,
        NEG.onBehalfOf,
        NEG.reportedBy,
        NEG.modality,
        NEG.condition,
        NEG.statedOn,
        RDFS.comment,
    }
)


@dataclass(frozen=True)
class Curation:
    """The curated entities as RDF (positions' quote blocks removed) and the positions."""

    graph: Graph
    positions: list[Position]
    files: dict[str, Path]  # position IRI -> file it was written in
    paths: list[Path]  # every curated file, for locating errors


class _Source:
    """One curated file: its parsed graph, for error locations."""

    def __init__(self, path: Path):
        self.path = path
        self.graph = parse_turtle(path, CurationError)

    def fail(self, node: URIRef, message: str, hint: str | None = None) -> CurationError:
        line = None
        if hint:
            for number, text in enumerate(self.path.read_text("utf-8").splitlines(), start=1):
                if hint in text:
                    line = number
                    break
        line = line or line_of(self.path, node, self.graph)
        return CurationError(f"{self.graph.qname(node)}: {message}", self.path, line)


def _single(source: _Source, node: URIRef, predicate: URIRef, required: bool = True):
    values = sorted(source.graph.objects(node, predicate))
    if len(values) > 1 or (required and not values):
        have = "none" if not values else str(len(values))
        raise source.fail(node, f"needs exactly one {source.graph.qname(predicate)}, has {have}")
    return values[0] if values else None


def _check_terms(source: _Source, ontology: Graph) -> None:
    """Refuse ontology terms the ontology does not define (a typo would be a silent new IRI)."""
    namespace = str(NEG._NS)
    for triple in source.graph:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(namespace):
                if (term, None, None) not in ontology:
                    raise source.fail(triple[0], f"unknown ontology term {source.graph.qname(term)}")


def _evidence(source, position, block, articles) -> Evidence:
    graph = source.graph
    article = _single(source, block, NEG.article)
    exact = _single(source, block, OA.exact)
    prefix = _single(source, block, OA.prefix, required=False)
    hint = str(exact)[:40]
    if str(article) not in articles:
        raise source.fail(position, f"quote names unknown article {graph.qname(article)}", hint)
    try:
        evidence = resolve_quote(
            articles[str(article)].text, str(exact), str(prefix or ""), article=str(article)
        )
    except QuoteNotFound as exc:
        name = articles[str(article)].source_file
        raise source.fail(position, f"{exc} (in {name})", hint) from exc
    return evidence


def _position(source, node, articles, actors, proposals, stances) -> Position:
    graph = source.graph
    for predicate, allowed, kind in (
        (NEG.holder, actors, "actor"),
        (NEG.onBehalfOf, actors, "actor"),
        (NEG.reportedBy, actors, "actor"),
        (NEG.target, proposals, "proposal"),
        (NEG.stance, stances, "stance"),
    ):
        for value in graph.objects(node, predicate):
            if value not in allowed:
                raise source.fail(
                    node, f"{graph.qname(predicate)} {graph.qname(value)} is not a known {kind}"
                )
    blocks = sorted(graph.objects(node, NEG.quoted))
    if not blocks:
        raise source.fail(node, "has no quote (neg:quoted)")
    evidence = tuple(
        sorted((_evidence(source, node, b, articles) for b in blocks), key=lambda e: (e.article, e.start))
    )
    stated = _single(source, node, NEG.statedOn, required=False)
    if stated is not None and stated.datatype != XSD.date:
        raise source.fail(node, "neg:statedOn must be an xsd:date")

    def optional(predicate):
        value = _single(source, node, predicate, required=False)
        return None if value is None else str(value)

    return Position(
        iri=str(node),
        holder=str(_single(source, node, NEG.holder)),
        stance=str(_single(source, node, NEG.stance)),
        target=str(_single(source, node, NEG.target)),
        method=vocabulary().methods[NEG.Curated].notation,
        evidence=evidence,
        stated_on=stated.toPython() if stated is not None else None,
        on_behalf_of=optional(NEG.onBehalfOf),
        condition=optional(NEG.condition),
        reported_by=optional(NEG.reportedBy),
        modality=optional(NEG.modality),
        comment=optional(RDFS.comment),
    )


def load_curation(curated_dir: Path, articles: list[Article], ontology: Graph) -> Curation:
    """Parse every ``*.ttl`` under ``curated_dir`` and resolve the positions' quotes."""
    paths = sorted(curated_dir.glob("*.ttl"))
    if not paths:
        raise CurationError("no curated Turtle files (*.ttl) found", curated_dir)
    sources = [_Source(path) for path in paths]
    merged = Graph()
    for source in sources:
        _check_terms(source, ontology)
        merged += source.graph
    actors = {s for kind in vocabulary().actor_kinds for s in merged.subjects(RDF.type, kind.iri)}
    proposals = set(merged.subjects(RDF.type, NEG.Proposal))
    stances = set(ontology.subjects(RDF.type, NEG.Stance))
    by_iri = {str(a.iri): a for a in articles}

    positions, files = [], {}
    for source in sources:
        for node in sorted(source.graph.subjects(RDF.type, NEG.Position)):
            if str(node) in files:
                raise source.fail(node, f"position is also defined in {files[str(node)]}")
            positions.append(_position(source, node, by_iri, actors, proposals, stances))
            files[str(node)] = source.path

    graph = Graph()
    position_nodes = {URIRef(p.iri) for p in positions}
    for s, p, o in merged:
        if p == NEG.quoted or isinstance(s, BNode):
            continue
        if s in position_nodes and p in REWRITTEN:  # kg.graph.add_position writes these from the record
            continue
        if isinstance(o, BNode):
            source = next(src for src in sources if (s, p, o) in src.graph)
            raise source.fail(s, f"blank node as value of {merged.qname(p)}: give it an IRI")
        graph.add((s, p, o))
    for s, p, o in merged.triples((None, None, None)):
        if isinstance(o, Literal) and o.ill_typed:
            source = next(src for src in sources if (s, p, o) in src.graph)
            raise source.fail(s, f"{merged.qname(p)} is not a valid {merged.qname(o.datatype)}: {o}")
    return Curation(graph=graph, positions=sorted(positions, key=lambda p: p.iri), files=files, paths=paths)


def curated_graph(seeds_dir: Path) -> Graph:
    """Every curated Turtle file of ``seeds_dir/curated`` as one graph, to link extractions against.

    Empty when there are none (``kg extract`` on a folder without curated data links nothing).
    """
    graph = Graph()
    for path in sorted((seeds_dir / "curated").glob("*.ttl")):
        parse_turtle(path, CurationError, graph)
    return graph
