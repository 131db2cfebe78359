"""Serialise the dataset in the standard RDF syntaxes, deterministically, and write files atomically."""

from __future__ import annotations

import json

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.graph import union_graph
from kg.namespace import bind_prefixes

__all__ = ["EXPORT_FORMATS", "serialize"]

# format name -> (rdflib plugin, keeps named graphs)
EXPORT_FORMATS: dict[str, tuple[str, bool]] = {
    "turtle": ("turtle", False),
    "trig": ("trig", True),
    "nquads": ("nquads", True),
    "ntriples": ("nt", False),
    "jsonld": ("json-ld", True),
    "xml": ("xml", False),
}


def serialize(dataset: Dataset, fmt: str) -> bytes:
    """The dataset in ``fmt`` (see EXPORT_FORMATS); formats without named graphs get the union."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")
    plugin, quads = EXPORT_FORMATS[fmt]
    if plugin == "trig":
        return _trig(dataset).encode("utf-8")
    source = dataset if quads else union_graph(dataset)
    if plugin == "json-ld":
        document = json.loads(source.serialize(format=plugin, auto_compact=True))
        return (
            json.dumps(_sorted_json(document), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        ).encode()
    data = source.serialize(format=plugin)
    if plugin in ("nt", "nquads"):  # line-based: sort so the output does not follow store order
        lines = sorted(line for line in data.split("\n") if line.strip())
        data = "\n".join(lines) + "\n"
    return data.encode("utf-8")


def _named_graphs(dataset: Dataset) -> list[Graph]:
    graphs = [g for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)]
    return sorted(graphs, key=lambda g: str(g.identifier))


def _trig(dataset: Dataset) -> str:
    """TriG with graphs in IRI order, each body written by the (deterministic) Turtle serialiser."""
    prefixes: set[str] = set()
    blocks = []
    for graph in _named_graphs(dataset):
        bind_prefixes(graph.namespace_manager)
        lines = graph.serialize(format="turtle").split("\n")
        # rdflib writes all @prefix lines first; everything after them is kept verbatim, since
        # long string literals may span lines (and may contain anything, "@prefix" included)
        header = 0
        while header < len(lines) and (lines[header].startswith("@prefix") or not lines[header].strip()):
            header += 1
        prefixes.update(line for line in lines[:header] if line.strip())
        body = "\n".join(lines[header:]).strip("\n")
        blocks.append(f"<{graph.identifier}> {{\n{body}\n}}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


def _sorted_json(value):
    """JSON-LD with every unordered array sorted, so that store order does not leak into output."""
    if isinstance(value, dict):
        return {k: (v if k == "@list" else _sorted_json(v)) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value
