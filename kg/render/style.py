"""The page's settings files in ``kg/render/templates/``: its looks and its size limits.

``graph-style.json`` says how nodes, stances, methods and the Alignment view look, and which
methods' positions the page shows when it opens; ``page-limits.json`` says how much the page
holds and draws: the most positions it embeds before it becomes an overview
(``kg.render.overview``), and the node counts past which the layout skips networkx's spring
layout and the page skips physics (``kg.render.layout``).
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING

from kg.resources import package_file

if TYPE_CHECKING:
    from kg.render.records import GraphView

__all__ = ["graph_style", "opening_methods", "page_limits"]


def _settings(name: str) -> dict:
    return json.loads(package_file("render", "templates", name).read_text(encoding="utf-8"))


@cache
def graph_style() -> dict:
    """The page's looks (templates/graph-style.json): nodes, stances, methods, the Alignment view options."""
    return _settings("graph-style.json")


@cache
def page_limits() -> dict:
    """How much the page holds and draws (templates/page-limits.json).

    >>> page_limits()["positions"] > page_limits()["springLayoutNodes"]
    True
    """
    return _settings("page-limits.json")


def opening_methods(view: GraphView) -> frozenset[str]:
    """The methods whose positions the page shows when it opens (all of them if that shows none)."""
    shown = frozenset(m for m, spec in graph_style()["methods"].items() if spec.get("shown", True))
    if any(p.method in shown for p in view.positions):
        return shown
    return frozenset(graph_style()["methods"]) | {p.method for p in view.positions}
