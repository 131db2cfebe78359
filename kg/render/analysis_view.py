"""The page data of the graph's alignment and timeline views, from ``kg.analysis.positions``.

Both views show what ``kg analyze`` computes (curated positions, each counted for the party it
speaks for; with the page's Source choice, extracted positions too or alone): the alignment
graph with coalitions and bridges (``kg.analysis.alignment``), and each party's positions in date order
with the changes ``kg.analysis.timeline`` flags. Everything returned is JSON-ready and sorted, so the
page stays byte-identical for the same graph.
"""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph
from rdflib import Graph

from kg.analysis.alignment import alignment_records
from kg.analysis.positions import Analysis, analyze, read_positions
from kg.analysis.timeline import timeline_records

__all__ = ["VARIANTS", "analysis_page_data", "analysis_view_data"]


def _alignment(analysis: Analysis) -> dict:
    """Nodes and edges of the alignment graph, and under ``current`` the position behind each
    party's latest stance on each proposal (party -> proposal -> position): an edge's positions
    are those of its two parties on each proposal it lists (stored once per party, not per edge:
    the pairs grow with the square of the parties)."""
    records = alignment_records(analysis.alignment_graph, analysis.coalitions)
    paired = {party for edge in records["edges"] for party in (edge["source"], edge["target"])}
    current: dict[str, dict[str, str]] = {}
    for (party, proposal), record in sorted(analysis.current.items()):
        if party in paired:
            current.setdefault(party, {})[proposal] = record.position
    records["current"] = current
    bridges = {b.party: b for b in analysis.bridges}
    for node in records["nodes"]:
        bridge = bridges.get(node["id"])
        node["bridge"] = (
            None
            if bridge is None
            else {"betweenness": bridge.betweenness, "coalitions": list(bridge.coalitions)}
        )
    records["coalitions"] = [sorted(group) for group in analysis.coalitions]
    return records


def _timelines(analysis: Analysis) -> dict[str, list[dict]]:
    """Per party, all its positions in date order (then as the first source tells them), each
    entry with its proposal and the change from the party's previous stance on that proposal."""
    lines = analysis.timelines
    per_party: dict[str, list[tuple[tuple, dict]]] = {}
    for (key, line), record in zip(
        lines.items(), timeline_records(lines, analysis.positions.labels), strict=True
    ):
        for stance, entry in zip(line, record["entries"], strict=True):
            entry = dict(entry, proposal=record["proposal"], proposalLabel=record["proposalLabel"])
            per_party.setdefault(key[0], []).append((stance.order, entry))
    return {
        party: [entry for _, entry in sorted(entries, key=lambda e: (e[0], e[1]["proposal"]))]
        for party, entries in sorted(per_party.items())
    }


def analysis_view_data(analysis: Analysis) -> dict:
    """The ``analysis`` part of the page data: ``alignment`` (nodes, edges, coalitions, current),
    ``timelines`` (party -> entries) and ``labels`` of parties and proposals."""
    labels = {
        iri: analysis.label(iri)
        for iri in sorted({p for p, _ in analysis.current} | {t for _, t in analysis.current})
    }
    return {"alignment": _alignment(analysis), "timelines": _timelines(analysis), "labels": labels}


# The page's Source checkboxes pick one of these (their values, sorted, joined by a space).
VARIANTS = {"curated extracted": ("curated", "extracted"), "extracted": ("extracted",)}


def analysis_page_data(graph: Graph | pyoxigraph.Store, positions: frozenset[str] | None = None) -> dict:
    """Analyse the built graph by party for the page's views: curated positions (as ``kg analyze``),
    and under ``variants`` the same with extracted positions and with extracted ones only.

    ``positions`` (IRIs), when given, are the only ones counted: those of the page's overview.
    """
    every = read_positions(graph, methods=("curated", "extracted"))  # read once, then split by method
    if positions is not None:
        every = replace(every, records=tuple(r for r in every.records if r.position in positions))

    def view(methods: tuple[str, ...]) -> dict:
        records = tuple(r for r in every.records if r.method in methods)
        return analysis_view_data(analyze(replace(every, records=records, methods=methods)))

    data = view(("curated",))
    data["variants"] = {key: view(methods) for key, methods in VARIANTS.items()}
    return data
