"""Starting coordinates for the drawn graph, computed in Python so the page settles fast.

Small graphs (up to ``SPRING_NODE_LIMIT`` nodes) get a networkx spring layout, which the page's
physics then polishes for a bounded number of iterations before it switches physics off. Past
that size networkx's spring layout is too slow (about 8 s at 2,000 nodes, 50 s at 5,000 on
this machine class), so proposals go on a sunflower spiral (most-discussed in the middle) and
each actor next to the centroid of the proposals it takes stances on; past
``PHYSICS_NODE_LIMIT`` nodes the page draws these coordinates as they are, physics off. The
limits and step counts are data, in ``kg/render/templates/page-limits.json``.

>>> from kg.render.records import GraphView, NodeRecord
>>> view = GraphView((NodeRecord("a", "person", "A"), NodeRecord("p", "proposal", "P")), (), (), ())
>>> sorted(layout_positions(view))
['a', 'p']
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

import networkx as nx

from kg.render.style import page_limits

if TYPE_CHECKING:
    from kg.render.records import GraphView

__all__ = ["PHYSICS_NODE_LIMIT", "SPRING_NODE_LIMIT", "layout_positions", "physics_iterations"]

SPRING_NODE_LIMIT: int = page_limits()["springLayoutNodes"]
PHYSICS_NODE_LIMIT: int = page_limits()["physicsNodes"]
_SPACING = 120  # pixels per node, roughly the width of a label
_GOLDEN = math.pi * (3 - math.sqrt(5))


def physics_iterations(node_count: int) -> int:
    """How many stabilisation steps the page runs before it turns physics off (0: physics off)."""
    if node_count > PHYSICS_NODE_LIMIT:
        return 0
    steps = page_limits()["physicsSteps"]
    return steps["spring"] if node_count <= SPRING_NODE_LIMIT else steps["hub"]


def _spring(view: GraphView) -> dict[str, tuple[float, float]]:
    graph = nx.Graph()
    graph.add_nodes_from(n.id for n in view.nodes)
    for position in view.positions:
        graph.add_edge(position.holder, position.target)
    graph.add_edges_from(view.speaks_for)
    scale = _SPACING * math.sqrt(max(len(view.nodes), 1))
    k = 1.6 / math.sqrt(max(len(view.nodes), 1))
    coords = nx.spring_layout(graph, k=k, seed=7, iterations=100, scale=scale)
    return {node: (float(x), float(y)) for node, (x, y) in coords.items()}


def _spiral(index: int, spacing: float) -> tuple[float, float]:
    radius = spacing * math.sqrt(index + 0.5)
    angle = index * _GOLDEN
    return radius * math.cos(angle), radius * math.sin(angle)


def _hubs(view: GraphView) -> dict[str, tuple[float, float]]:
    targets: dict[str, list[str]] = defaultdict(list)
    for position in view.positions:
        targets[position.holder].append(position.target)
    for member, body in view.speaks_for:
        targets[member].append(body)
    degree: dict[str, int] = defaultdict(int)
    for position in view.positions:
        degree[position.target] += 1
    proposals = sorted((n.id for n in view.nodes if n.kind == "proposal"), key=lambda i: (-degree[i], i))
    spread = _SPACING * 2.5
    coords = {node: _spiral(i, spread) for i, node in enumerate(proposals)}
    others = [n.id for n in view.nodes if n.kind != "proposal"]
    outer = len(proposals)
    for i, node in enumerate(others):
        placed = [coords[t] for t in targets.get(node, ()) if t in coords]
        if placed:
            cx = sum(x for x, _ in placed) / len(placed)
            cy = sum(y for _, y in placed) / len(placed)
            dx, dy = _spiral(i % 24 + 1, _SPACING * 0.5)
            coords[node] = (cx + dx, cy + dy)
        else:
            coords[node] = _spiral(outer, spread)
            outer += 1
    return coords


def layout_positions(view: GraphView) -> dict[str, tuple[int, int]]:
    """Deterministic x, y (pixels) for every node of ``view``."""
    coords = _spring(view) if len(view.nodes) <= SPRING_NODE_LIMIT else _hubs(view)
    return {node: (round(x), round(y)) for node, (x, y) in coords.items()}
