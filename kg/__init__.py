"""Negotiation position knowledge graph: actors' stances toward proposals, each tied to its quote.

Everything the ``kg`` command does is a function here::

    from pathlib import Path
    import kg
    report = kg.build(Path("seeds"), Path("out"))
    rows = kg.run_query(kg.load_built_graph(Path("out")), kg.named_queries()["positions"])
"""

from importlib import import_module

from kg.analysis.positions import Analysis, analyze, read_positions
from kg.build import BuildReport, build, build_dataset
from kg.corpus import load_articles
from kg.curation import curated_graph, load_curation
from kg.errors import ArticleError, CurationError, EnvironmentFailure, KgError, QueryError, ValidationFailed
from kg.export import serialize
from kg.model import Article, Evidence, Position
from kg.quotes import resolve_quote
from kg.sparql.engines import Engine, load_built_graph, load_oxigraph, open_built, run_query
from kg.sparql.queries import named_queries, resolve_query
from kg.sparql.results import format_result
from kg.validate import validate_graph

# Imported on first use: spaCy, the HTTP server and the page renderer are slow to load, and most
# commands need none of them.
_LAZY = {
    "Endpoint": "kg.serve.endpoint",
    "Extractor": "kg.extract.pipeline",
    "evaluate": "kg.extract.evaluate",
    "ingest": "kg.ingest",
    "push": "kg.sparql.remote",
    "remote_for": "kg.sparql.remote",
    "render_built": "kg.render.page",
    "review": "kg.extract.review",
}


_MODULES = {"ingest", "review"}  # kg.ingest.ingest(...), kg.review.pending(...)


def __getattr__(name: str):
    if name in _MODULES:
        return import_module(_LAZY[name])
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


__all__ = [
    "Analysis",
    "Article",
    "ArticleError",
    "BuildReport",
    "CurationError",
    "Endpoint",
    "Engine",
    "EnvironmentFailure",
    "Evidence",
    "Extractor",
    "KgError",
    "Position",
    "QueryError",
    "ValidationFailed",
    "analyze",
    "build",
    "build_dataset",
    "curated_graph",
    "evaluate",
    "format_result",
    "ingest",
    "load_articles",
    "load_built_graph",
    "load_curation",
    "load_oxigraph",
    "named_queries",
    "open_built",
    "push",
    "read_positions",
    "remote_for",
    "render_built",
    "resolve_query",
    "resolve_quote",
    "review",
    "run_query",
    "serialize",
    "validate_graph",
]

__version__ = "0.1.0"
