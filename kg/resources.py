"""Where the data files that ship with the package live (ontology, shapes, queries, templates).

The top-level ``ontology/`` directory is installed as the ``kg.ontology`` package data, so a
non-editable install run from any directory finds the same files as a source checkout.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["ontology_file", "ontology_files", "query_files", "package_file"]


@cache
def _ontology_root() -> Traversable:
    try:
        root = resources.files("kg.ontology")
    except ModuleNotFoundError:
        root = None
    if root is None or not root.joinpath("neg.ttl").is_file():
        root = Path(__file__).resolve().parent.parent / "ontology"
    return root


def ontology_file(name: str) -> Traversable:
    """A file under ontology/, e.g. ``ontology_file("shapes.ttl")``."""
    return _ontology_root().joinpath(name)


def ontology_files() -> list[Traversable]:
    """The schema files that make up the ``ontology`` named graph (not the shapes)."""
    files = [f for f in _ontology_root().iterdir() if f.name.endswith(".ttl")]
    return sorted((f for f in files if f.name != "shapes.ttl"), key=lambda f: f.name)


def query_files() -> list[Traversable]:
    """The named SPARQL queries, one ``.rq`` file each, sorted by name."""
    folder = _ontology_root().joinpath("queries")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)


def package_file(*parts: str) -> Traversable:
    """A data file shipped inside the kg package itself (templates, lexicons)."""
    return resources.files("kg").joinpath(*parts)
