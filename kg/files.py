"""The project's files: read RDF with file:line errors, append to Turtle, write atomically, find builds.

Every reader here turns a parse failure into the caller's ``KgError`` kind with the file and,
where the parser knows it, the line; every writer stages to a temporary sibling and renames.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.errors import DataFileError, GraphNotBuiltError, KgError
from kg.namespace import DATA_PREFIXES

__all__ = [
    "BUILT_GRAPH",
    "append_turtle",
    "built_graph",
    "line_of",
    "parse_rdf",
    "parse_turtle",
    "write_atomic",
]

BUILT_GRAPH = "graph.trig"  # the build's complete dataset; every reader of a built graph starts here

_WHY = re.compile(r"Bad syntax \((.*?)\) at \^", re.S)


def built_graph(out_dir: Path) -> Path:
    """The built dataset ``out_dir/graph.trig``; a clear error when ``kg build`` has not run."""
    path = out_dir / BUILT_GRAPH
    if not path.is_file():
        raise GraphNotBuiltError("no built graph here: run `kg build` first", path)
    return path


def _syntax_error(exc: BadSyntax, kind: str, error: type[KgError], path: Path) -> KgError:
    why = _WHY.search(str(exc))
    reason = why.group(1) if why else str(exc).splitlines()[0]
    return error(f"malformed {kind}: {reason}", path, exc.lines + 1)


def parse_turtle(path: Path, error: type[KgError], graph: Graph | None = None) -> Graph:
    """Parse a Turtle file into ``graph`` (a new one by default); raise ``error`` with its line."""
    graph = Graph() if graph is None else graph
    try:
        data = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte {exc.start})", path) from exc
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", path) from exc
    try:
        graph.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        raise _syntax_error(exc, "Turtle", error, path) from exc
    except Exception as exc:  # rdflib raises assorted types for bad literals and IRIs
        raise error(f"malformed Turtle: {exc}", path) from exc
    return graph


def parse_rdf(path: Path) -> Dataset:
    """Any RDF file (syntax guessed from its extension) as a union-default dataset."""
    dataset = Dataset(default_union=True)
    try:
        dataset.parse(path)
    except BadSyntax as exc:
        raise _syntax_error(exc, "RDF", DataFileError, path) from exc
    except Exception as exc:  # rdflib's other parsers raise many types for bad input
        first_line = str(exc).strip().split("\n")[0]
        raise DataFileError(f"cannot read as RDF: {first_line}", path) from exc
    return dataset


def line_of(path: Path, node: URIRef, graph: Graph) -> int | None:
    """The first line of ``path`` where ``node`` is written, as a prefixed name or full IRI."""
    forms = [f"<{node}>"]
    for prefix, namespace in graph.namespaces():
        if str(node).startswith(str(namespace)) and prefix:
            forms.append(f"{prefix}:{str(node)[len(str(namespace)) :]}")
    pattern = re.compile("|".join(re.escape(f) + r"(?![\w.-]*\w)" for f in forms))
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if pattern.search(line):
            return number
    return None


def append_turtle(document: str, graph: Graph, comment: str) -> str:
    """``document`` (Turtle text) with ``graph`` serialised by rdflib after it, under ``# comment``.

    The block writes names with the document's prefixes (the project's where the document has
    none) and declares only the prefixes the document lacks, so what is above it, curators'
    comments included, stays as it was written. The same graph always gives the same block.
    """
    declared = Graph(bind_namespaces="none").parse(data=document, format="turtle")
    known = {(prefix, str(namespace)) for prefix, namespace in declared.namespaces()}
    block = Graph(bind_namespaces="none")
    for prefix, namespace in sorted(known):
        block.bind(prefix, namespace)
    for prefix, namespace in DATA_PREFIXES.items():
        if all(prefix != p and namespace != n for p, n in known):
            block.bind(prefix, namespace)
    block += graph
    lines = block.serialize(format="turtle").strip("\n").splitlines()
    prefixes = [line for line in lines if line.startswith("@prefix")]
    new = [line for line in prefixes if _prefix_of(line) not in known]
    body = lines[len(prefixes) :]
    while body and not body[0]:
        body.pop(0)
    return "\n".join([document.rstrip("\n"), "", f"# {comment}", *new, *([""] if new else []), *body]) + "\n"


def _prefix_of(declaration: str) -> tuple[str, str]:
    """("neg", "https://...#") of a line ``@prefix neg: <https://...#> .``."""
    match = re.match(r"@prefix (\S*): <([^>]*)> \.$", declaration)
    if match is None:
        raise ValueError(f"not a prefix declaration: {declaration!r}")
    return match.group(1), match.group(2)


def _staged(target: Path) -> tuple[int, Path]:
    """A new temporary sibling of ``target``, created with the process umask applied by the OS."""
    while True:
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temp
        except FileExistsError:
            continue


def write_atomic(files: dict[Path, bytes]) -> None:
    """Write every file to a temporary sibling first, then rename them all into place.

    If anything fails before the renames, no target file has changed.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = _staged(target)
            staged.append((target, temp))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        for target, temp in staged:
            os.replace(temp, target)
    finally:
        for _, temp in staged:
            temp.unlink(missing_ok=True)
