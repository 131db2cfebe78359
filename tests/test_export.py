"""`kg export`: every syntax parses back to the same triples."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.export import EXPORT_FORMATS

RDFLIB_FORMATS = {
    "turtle": "turtle",
    "trig": "trig",
    "nquads": "nquads",
    "ntriples": "nt",
    "jsonld": "json-ld",
    "xml": "xml",
}


@pytest.fixture(scope="module")
def reference(built) -> Graph:
    return Graph().parse(built / "graph.ttl")


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_export_round_trips_to_the_same_graph(built, reference, kg_cli, tmp_path, fmt):
    target = tmp_path / f"graph.{fmt}"
    result = kg_cli("export", "--format", fmt, "-o", target, "--out", built)
    assert result.exit_code == 0, result.output
    if EXPORT_FORMATS[fmt][1]:
        parsed = Dataset().parse(target, format=RDFLIB_FORMATS[fmt])
        graph = Graph()
        for quad_graph in parsed.graphs():
            graph += quad_graph
    else:
        graph = Graph().parse(target, format=RDFLIB_FORMATS[fmt])
    assert isomorphic(graph, reference)


def test_export_to_stdout_is_turtle_by_default(built, kg_cli):
    result = kg_cli("export", "--out", built)
    assert result.exit_code == 0
    assert "@prefix neg:" in result.output


def test_unknown_format_is_refused(built, kg_cli):
    result = kg_cli("export", "--format", "yaml", "--out", built)
    assert result.exit_code == 2
