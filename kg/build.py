"""The main job: seeds in, validated RDF files out (``kg build``)."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from kg.analysis.rdf import add_analysis
from kg.corpus import load_articles
from kg.curation import Curation, load_curation
from kg.errors import ValidationFailed
from kg.export import serialize
from kg.extract.rdf import ExtractionReport, extract_into
from kg.files import line_of, write_atomic
from kg.graph import (
    add_curation_activity,
    add_positions,
    graph_iri,
    load_ontology,
    materialise_speaks_for,
    new_dataset,
    union_graph,
)
from kg.model import Article
from kg.namespace import NEG
from kg.render.page import graph_page
from kg.sparql.engines import oxigraph_of_trig
from kg.validate import Violation, validate_graph
from kg.vocabulary import vocabulary

__all__ = ["BuildReport", "Built", "OUTPUT_FILES", "build", "build_dataset", "check_dataset"]

OUTPUT_FILES = {"graph.ttl": "turtle", "graph.trig": "trig", "graph.jsonld": "jsonld"}


@dataclass
class BuildReport:
    """What a build produced, for the summary the CLI prints."""

    articles: int = 0
    actors: Counter = field(default_factory=Counter)
    proposals: int = 0
    positions: Counter = field(default_factory=Counter)  # (method, stance label) -> count
    triples: int = 0
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # extracted candidates left out, and why
    extracted: int = 0  # articles extracted in this build (the others came from the cache)


@dataclass(frozen=True)
class Built:
    """One build's dataset of named graphs and what went into it."""

    dataset: Dataset
    articles: list[Article]
    curation: Curation
    extraction: ExtractionReport


def build_dataset(
    seeds_dir: Path, out_dir: Path | None = None, jobs: int = 1, progress: bool = False
) -> Built:
    """Load articles, ontology and curated data into one dataset of named graphs.

    With ``out_dir``, extraction results are cached there per article (see ``kg.extract.cache``);
    ``jobs`` processes extract the articles that are not.
    """
    articles, article_meta = load_articles(seeds_dir)
    ontology = load_ontology()
    curation = load_curation(seeds_dir / "curated", articles, ontology)
    dataset = new_dataset()
    for name, source in (("ontology", ontology), ("articles", article_meta)):
        target = dataset.graph(graph_iri(name))
        target += source
    curated = dataset.graph(graph_iri("curated"))
    curated += curation.graph
    materialise_speaks_for(curated)
    add_curation_activity(curated)
    add_positions(curated, curation.positions, ontology)
    extracted = dataset.graph(graph_iri("extracted"))
    extraction = extract_into(extracted, articles, curated, ontology, out_dir, jobs=jobs, progress=progress)
    add_analysis(dataset)  # derived facts (graph:analysis) for SPARQL users; see kg.analysis.rdf
    return Built(dataset, articles, curation, extraction)


def _locate(violations: list[Violation], curation: Curation, graph: Graph) -> str:
    """Name the curated file and line of the first violation's focus node, when it has one."""
    focus = violations[0].focus
    try:
        node = graph.namespace_manager.expand_curie(focus)
    except ValueError:
        return ""
    for path in curation.paths:
        line = line_of(path, node, graph)
        if line:
            return f"{path}:{line}: "
    return ""


def _report(articles: list[Article], union: Graph) -> BuildReport:
    report = BuildReport(articles=len(articles), triples=len(union))
    for kind in vocabulary().actor_kinds:
        report.actors[kind.label] = len(set(union.subjects(RDF.type, kind.iri)))
    report.proposals = len(set(union.subjects(RDF.type, NEG.Proposal)))
    for position in union.subjects(RDF.type, NEG.Position):
        stance = union.value(union.value(position, NEG.stance), SKOS.notation)
        method = union.value(union.value(position, NEG.method), SKOS.notation)
        report.positions[(str(method), str(stance))] += 1
    return report


def _extracted_positions(extracted: Graph, node: URIRef) -> set[URIRef]:
    """The extracted positions a violation's focus node belongs to (itself, its evidence, or an
    actor or proposal the extractor minted for them); empty when the node is not extraction's."""
    positions = set(extracted.subjects(RDF.type, NEG.Position))
    if node in positions:
        return {node}
    owner = next((p for p in positions if str(node).startswith(f"{p}/")), None)
    if owner is not None:
        return {owner}
    if (node, NEG.unlinked, None) not in extracted:
        return set()
    return {p for p in positions if any(o == node for _, o in extracted.predicate_objects(p))}


def _leave_out(extracted: Graph, position: URIRef, shortcuts: set[URIRef]) -> None:
    """Remove one extracted position: its node, evidence, provenance, and its shortcut triple."""
    holder, stance, target = (extracted.value(position, p) for p in (NEG.holder, NEG.stance, NEG.target))
    for subject in {s for s in extracted.subjects() if s == position or str(s).startswith(f"{position}/")}:
        extracted.remove((subject, None, None))
    still_held = any(
        extracted.value(other, NEG.stance) == stance and extracted.value(other, NEG.target) == target
        for other in extracted.subjects(NEG.holder, holder)
    )
    if not still_held:
        for shortcut in shortcuts:
            extracted.remove((holder, shortcut, target))


def _set_aside_extracted(dataset: Dataset, union: Graph, violations: list[Violation]) -> list[str] | None:
    """Leave out the extracted positions that violate the shapes, with one warning each.

    Returns the warnings, or None when a violation is not the extractor's (curated data must fail
    the build).
    """
    extracted = dataset.graph(graph_iri("extracted"))
    bad: dict[URIRef, Violation] = {}
    for violation in violations:
        try:
            node = union.namespace_manager.expand_curie(violation.focus)
        except ValueError:
            node = URIRef(violation.focus)
        owners = _extracted_positions(extracted, node)
        if not owners:
            return None
        for owner in owners:
            bad.setdefault(owner, violation)
    shortcuts = set(dataset.graph(graph_iri("ontology")).objects(None, NEG.shortcut))
    warnings = []
    for position, violation in sorted(bad.items()):
        article = extracted.value(position, PROV.wasDerivedFrom)
        _leave_out(extracted, position, shortcuts)
        warnings.append(
            f"{article}: left out extracted candidate {str(position).rsplit('/x-', 1)[-1]}: {violation}"
        )
    return warnings


def check_dataset(dataset: Dataset, curation: Curation) -> tuple[Graph, list[str]]:
    """Validate the built dataset; the union graph that conforms, and warnings for what was left out.

    Only curated data can fail a build (``ValidationFailed`` naming its file and line): an
    extracted position that violates the shapes is left out of the graph, with a warning naming
    its article, candidate and shape.
    """
    union = union_graph(dataset)
    violations = validate_graph(union)
    warnings = _set_aside_extracted(dataset, union, violations) if violations else []
    if warnings:
        union = union_graph(dataset)
        violations = validate_graph(union)
    if violations:
        where = _locate(violations, curation, union)
        summary = f"{len(violations)} SHACL violation(s); first: {violations[0]}"
        raise ValidationFailed(where + summary, report=violations)
    return union, warnings or []


def build(seeds_dir: Path, out_dir: Path, jobs: int = 1, progress: bool = False) -> BuildReport:
    """Build, validate and write ``out/graph.{ttl,trig,jsonld,html}``; on any error write nothing.

    Extraction results are cached per article in ``out_dir/cache/extract``, so a rebuild
    extracts only the articles that are new or whose inputs changed.
    """
    started = time.perf_counter()
    built = build_dataset(seeds_dir, out_dir, jobs=jobs, progress=progress)
    dataset, articles = built.dataset, built.articles
    union, warnings = check_dataset(dataset, built.curation)
    report = _report(articles, union)
    report.warnings = warnings
    report.extracted = built.extraction.extracted
    files = {out_dir / name: serialize(dataset, fmt) for name, fmt in OUTPUT_FILES.items()}
    # the page reads the graph with Oxigraph: 5-10x faster than rdflib's SPARQL, same page
    store = oxigraph_of_trig(files[out_dir / "graph.trig"])
    files[out_dir / "graph.html"] = graph_page(store, {a.iri: a.text for a in articles})
    write_atomic(files)
    report.files = sorted(files)
    report.seconds = time.perf_counter() - started
    return report
