"""Shared fixtures: a copy of the seeds to break, and one real build of the seeds per session."""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import main
from kg.sparql.oxigraph import load_oxigraph
from kg.sparql.query import NamedQuery
from kg.sparql.remote import remote_for, remote_query

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The out/ directory of one `kg build` of the real seeds (do not modify it)."""
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["build", "--seeds", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A private copy of seeds/ that a test may change."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def kg_cli():
    """Run the kg CLI in-process: kg_cli("query", "positions") -> click Result."""
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


_EXAMPLE = re.compile(r'e\.g\.\s*"([^"]+)"')


@cache
def first_multi_source_position() -> str:
    """The first curated position quoted from more than one article."""
    graph = Graph().parse(SEEDS / "curated" / "positions.ttl")
    rows = graph.query(
        "PREFIX neg: <https://w3id.org/neg-kg/ontology#> SELECT ?p WHERE { ?p neg:quoted ?q } "
        "GROUP BY ?p HAVING (COUNT(?q) > 1) ORDER BY ?p LIMIT 1"
    )
    return str(next(iter(rows))[0])


def sample_params(query: NamedQuery) -> dict[str, str]:
    """A value for each parameter: the example in its .rq comment, or a position with two sources."""
    params = {}
    for name, description in query.params.items():
        example = _EXAMPLE.search(description)
        if example:
            params[name] = example.group(1)
        elif name == "position":
            params[name] = first_multi_source_position()
        else:
            pytest.fail(f"no sample value for parameter {name!r} of {query.name}: add an e.g. to its comment")
    return params


def local_counts(out_dir: Path) -> dict[str, int]:
    """Triples per named graph of a build, as pyoxigraph reads ``graph.trig``."""
    store = load_oxigraph(out_dir)
    return {g.value: len(list(store.quads_for_pattern(None, None, None, g))) for g in store.named_graphs()}


def stored_counts(endpoint: str) -> dict[str, int]:
    """Triples per named graph in a remote store, counted through its SPARQL endpoint."""
    query = NamedQuery("count", "", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {str(g): int(n) for g, n in remote_query(remote_for(endpoint), query).rows}
