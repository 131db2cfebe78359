"""The main job: seeds in, validated RDF files out (``kg build``)."""

from __future__ import annotations

import os
import resource
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import RDF, SKOS

from kg.analysis.rdf import add_analysis
from kg.corpus import load_articles
from kg.curation import Curation, load_curation
from kg.errors import ValidationFailed
from kg.export import dataset_quads, serialize
from kg.extract.candidate import Candidate
from kg.extract.rdf import ExtractionReport, extract_cached, extract_into
from kg.files import line_of, write_atomic
from kg.graph import (
    add_curation_activity,
    add_positions,
    graph_iri,
    load_ontology,
    materialise_speaks_for,
    new_dataset,
)
from kg.model import Article
from kg.namespace import NEG, bind_prefixes
from kg.render.page import graph_page
from kg.sparql.engines import oxigraph_of_trig
from kg.validate import Violation, validate_graph
from kg.vocabulary import vocabulary

__all__ = [
    "BuildReport",
    "Built",
    "OUTPUT_FILES",
    "StageTime",
    "Stopwatch",
    "build",
    "build_dataset",
    "check_dataset",
    "extract_ahead",
]

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
    stages: list[StageTime] = field(default_factory=list)


@dataclass(frozen=True)
class Built:
    """One build's dataset of named graphs and what went into it."""

    dataset: Dataset
    articles: list[Article]
    curation: Curation
    extraction: ExtractionReport


@dataclass(frozen=True)
class StageTime:
    """One step of a build: wall and CPU seconds (worker processes included), peak memory so far."""

    stage: str
    wall: float
    cpu: float
    peak_mib: float


class Stopwatch:
    """Times the steps of a build (``kg build --timings``)."""

    def __init__(self) -> None:
        self.stages: list[StageTime] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), _cpu_seconds()
        yield
        kib = max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        self.stages.append(StageTime(name, time.perf_counter() - wall, _cpu_seconds() - cpu, kib / 1024))


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _fill_curated(graph: Graph, curation: Curation, ontology: Graph) -> Graph:
    """``graph`` with the curated data as a build has it: who speaks for whom, the curation
    activity and the positions (the graph extraction links against and its cache keys hash)."""
    graph += curation.graph
    materialise_speaks_for(graph)
    add_curation_activity(graph)
    add_positions(graph, curation.positions, ontology)
    return graph


def build_dataset(
    seeds_dir: Path,
    out_dir: Path | None = None,
    jobs: int = 1,
    progress: bool = False,
    clock: Stopwatch | None = None,
) -> Built:
    """Load articles, ontology and curated data into one dataset of named graphs.

    With ``out_dir``, extraction results are cached there per article (see ``kg.extract.cache``);
    ``jobs`` processes extract the articles that are not.
    """
    clock = clock or Stopwatch()
    with clock.stage("load"):
        articles, article_meta = load_articles(seeds_dir)
        ontology = load_ontology()
        curation = load_curation(seeds_dir / "curated", articles, ontology)
    with clock.stage("assemble curated"):
        dataset = new_dataset()
        for name, source in (("ontology", ontology), ("articles", article_meta)):
            target = dataset.graph(graph_iri(name))
            target += source
        curated = _fill_curated(dataset.graph(graph_iri("curated")), curation, ontology)
    with clock.stage("extract"):
        extracted = dataset.graph(graph_iri("extracted"))
        articles_graph = dataset.graph(graph_iri("articles"))
        extraction = extract_into(
            extracted, articles, curated, ontology, out_dir, jobs, progress, context=(articles_graph,)
        )
    with clock.stage("analyse"):
        add_analysis(dataset)  # derived facts (graph:analysis) for SPARQL users; see kg.analysis.rdf
    return Built(dataset, articles, curation, extraction)


def extract_ahead(
    seeds_dir: Path, out_dir: Path, iris: set[str], jobs: int = 1, progress: bool = False
) -> tuple[list[Candidate], int]:
    """Extract the articles ``iris`` of the seeds as the next build will, into its cache in ``out_dir``.

    That build then reads them from the cache. Returns their candidates and how many articles
    were extracted (the others were in the cache already).
    """
    articles, _ = load_articles(seeds_dir)
    ontology = load_ontology()
    curated = _fill_curated(Graph(), load_curation(seeds_dir / "curated", articles, ontology), ontology)
    chosen = [a for a in articles if a.iri in iris]
    found, extracted = extract_cached(chosen, curated, out_dir, jobs=jobs, progress=progress)
    return [c for a in chosen for c in found[a.iri]], extracted


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


def check_dataset(dataset: Dataset, curation: Curation) -> Graph:
    """Validate the built dataset's curated side (ontology, articles, curated data, analysis);
    the dataset, whose default graph is the union of all its graphs.

    Only curated data can fail a build (``ValidationFailed`` naming its file and line): the
    extracted graph was checked candidate by candidate when it was written
    (``kg.extract.conformance``), and what broke a shape was left out with a warning.
    """
    checked = Graph()
    bind_prefixes(checked.namespace_manager)
    for graph in dataset.graphs():
        if graph.identifier != graph_iri("extracted"):
            checked += graph
    violations = validate_graph(checked)
    if violations:
        where = _locate(violations, curation, checked)
        summary = f"{len(violations)} SHACL violation(s); first: {violations[0]}"
        raise ValidationFailed(where + summary, report=violations)
    return dataset  # its default graph is the union of the named graphs: no copy of 600k triples


def build(seeds_dir: Path, out_dir: Path, jobs: int = 1, progress: bool = False) -> BuildReport:
    """Build, validate and write ``out/graph.{ttl,trig,jsonld,html}``; on any error write nothing.

    Extraction results are cached per article in ``out_dir/cache/extract``, so a rebuild
    extracts only the articles that are new or whose inputs changed. ``report.stages`` times
    each step.
    """
    started = time.perf_counter()
    clock = Stopwatch()
    built = build_dataset(seeds_dir, out_dir, jobs=jobs, progress=progress, clock=clock)
    dataset, articles = built.dataset, built.articles
    with clock.stage("validate"):
        union = check_dataset(dataset, built.curation)
        warnings = list(built.extraction.warnings)
        report = _report(articles, union)
    report.warnings = warnings
    report.extracted = built.extraction.extracted
    with clock.stage("serialize"):
        quads = dataset_quads(dataset)
        files = {out_dir / name: serialize(dataset, fmt, quads) for name, fmt in OUTPUT_FILES.items()}
    with clock.stage("page"):
        # the page reads the graph with Oxigraph: 5-10x faster than rdflib's SPARQL, same page
        store = oxigraph_of_trig(files[out_dir / "graph.trig"])
        files[out_dir / "graph.html"] = graph_page(store, {a.iri: a.text for a in articles})
    with clock.stage("write"):
        write_atomic(files)
    report.files = sorted(files)
    report.stages = clock.stages
    report.seconds = time.perf_counter() - started
    return report
