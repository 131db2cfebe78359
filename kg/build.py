"""The main job: seeds in, validated RDF files out (``kg build``)."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import RDF, SKOS

from kg.analysis.rdf import add_analysis
from kg.corpus import load_articles
from kg.curation import Curation, load_curation
from kg.errors import ValidationFailed
from kg.export import serialize
from kg.extract.rdf import extract_into
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
from kg.validate import Violation, validate_graph
from kg.vocabulary import vocabulary

__all__ = ["BuildReport", "OUTPUT_FILES", "build", "build_dataset"]

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


def build_dataset(seeds_dir: Path) -> tuple[Dataset, list[Article], Curation]:
    """Load articles, ontology and curated data into one dataset of named graphs."""
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
    extract_into(dataset.graph(graph_iri("extracted")), articles, curated, ontology)
    add_analysis(dataset)  # derived facts (graph:analysis) for SPARQL users; see kg.analysis.rdf
    return dataset, articles, curation


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


def build(seeds_dir: Path, out_dir: Path) -> BuildReport:
    """Build, validate and write ``out/graph.{ttl,trig,jsonld}``; on any error write nothing."""
    started = time.perf_counter()
    dataset, articles, curation = build_dataset(seeds_dir)
    union = union_graph(dataset)
    violations = validate_graph(union)
    if violations:
        where = _locate(violations, curation, union)
        summary = f"{len(violations)} SHACL violation(s); first: {violations[0]}"
        raise ValidationFailed(where + summary, report=violations)
    report = _report(articles, union)
    files = {out_dir / name: serialize(dataset, fmt) for name, fmt in OUTPUT_FILES.items()}
    files[out_dir / "graph.html"] = graph_page(union, {a.iri: a.text for a in articles})
    write_atomic(files)
    report.files = sorted(files)
    report.seconds = time.perf_counter() - started
    return report
