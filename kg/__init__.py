"""Negotiation position knowledge graph: actors' stances toward proposals, each tied to its quote.

Everything the ``kg`` command does is a function here::

    from pathlib import Path
    import kg
    report = kg.build(Path("seeds"), Path("out"))
    rows = kg.run_query(kg.load_built_graph(Path("out")), kg.named_queries()["positions"])
"""

from kg.analysis.positions import Analysis, analyze, read_positions
from kg.build import BuildReport, build, build_dataset
from kg.corpus import load_articles
from kg.curation import load_curation
from kg.errors import ArticleError, CurationError, KgError, QueryError, ValidationFailed
from kg.export import serialize
from kg.model import Article, Evidence, Position
from kg.quotes import resolve_quote
from kg.sparql.query import load_built_graph, named_queries, resolve_query, run_query
from kg.sparql.results import format_result
from kg.validate import validate_graph

__all__ = [
    "Analysis",
    "Article",
    "ArticleError",
    "BuildReport",
    "CurationError",
    "Evidence",
    "KgError",
    "Position",
    "QueryError",
    "ValidationFailed",
    "analyze",
    "build",
    "build_dataset",
    "format_result",
    "load_articles",
    "load_built_graph",
    "load_curation",
    "named_queries",
    "read_positions",
    "resolve_query",
    "resolve_quote",
    "run_query",
    "serialize",
    "validate_graph",
]

__version__ = "0.1.0"
