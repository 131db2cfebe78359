"""The package's rooms follow the data flow: no import runs back up it, and no module imports itself
round a cycle. The order below is the architecture the README draws; a new module must take a
place in it."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

from .conftest import ROOT

# Rooms from the bottom up: a room may import its own modules and any room below it, never above.
LAYERS = [
    {"errors", "model", "resources", "tables"},
    {"namespace", "files"},
    {"vocabulary", "quotes"},
    {"corpus", "graph", "validate", "export"},
    {"curation", "ingest", "manifest", "pages"},
    {"sparql"},
    {"analysis"},
    {"extract"},
    {"render"},
    {"build"},
    {"serve"},
    {"cli", "__init__"},
]
LAYER = {room: depth for depth, rooms in enumerate(LAYERS) for room in rooms}


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def import_graph() -> nx.DiGraph:
    """Module -> the kg modules it imports, at any depth (function-level imports included)."""
    graph = nx.DiGraph()
    modules = {_module(p): p for p in (ROOT / "kg").rglob("*.py")}
    for name, path in modules.items():
        graph.add_node(name)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base])
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for target in targets:
                if target in modules and target != name:
                    graph.add_edge(name, target)
    return graph


def test_every_room_has_a_place_in_the_layers():
    rooms = {_room(m) for m in import_graph()}
    assert rooms <= set(LAYER), f"rooms without a layer: {sorted(rooms - set(LAYER))}"


def test_no_import_runs_up_the_data_flow():
    upward = [
        f"{a} -> {b}"
        for a, b in import_graph().edges
        if _room(a) in LAYER and _room(b) in LAYER and LAYER[_room(b)] > LAYER[_room(a)]
    ]
    assert not upward, upward


def test_no_import_cycle():
    cycles = list(nx.simple_cycles(import_graph()))
    assert not cycles, cycles


def test_the_import_graph_is_read():
    graph = import_graph()  # a parser that saw no imports would pass the tests above vacuously
    assert graph.number_of_nodes() > 40 and graph.number_of_edges() > 100
    assert ("kg.build", "kg.validate") in graph.edges and ("kg.cli", "kg.build") in graph.edges
