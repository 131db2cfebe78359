"""Manifests for ``kg ingest``: one row per article, every row checked before anything is read.

A manifest is CSV (a header row naming its columns) or JSON Lines (one object per line), with
the columns ``file``, ``title``, ``date``, ``publisher`` and ``url``. Each row names a ``file``
(relative to the manifest's folder, and inside it) or, without one, a ``url`` to fetch; every
other column may be empty. ``date`` is YYYY-MM-DD; ``url`` is an absolute http(s) URL. A
``negotiation`` column is accepted and ignored for now. Every problem is reported with the
manifest's path and the row's line, as a ``ManifestError``.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg.errors import ArticleError, KgError, ManifestError
from kg.pages import is_url

__all__ = ["COLUMNS", "MANIFEST_NAMES", "Source", "find_manifest", "read_manifest"]

COLUMNS = ("file", "title", "date", "publisher", "url")
_IGNORED = ("negotiation",)  # read and ignored: articles are not yet grouped by negotiation
MANIFEST_NAMES = ("manifest.csv", "manifest.jsonl")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Source:
    """One article to ingest: a file or a URL, and what the user said about it."""

    name: str  # as the user wrote it (a manifest cell, a path, a URL), for messages
    file: Path | None = None
    url: str | None = None  # fetched when there is no file; otherwise where the article was published
    title: str | None = None
    published: date | None = None
    publisher: str | None = None
    manifest: Path | None = None
    line: int | None = None

    def error(self, message: str, kind: type[KgError] | None = None) -> KgError:
        """A problem with this source, naming its manifest row when it has one."""
        if self.manifest is not None:
            return (kind or ManifestError)(f"{self.name}: {message}", self.manifest, self.line)
        return (kind or ArticleError)(message, self.name)


def find_manifest(folder: Path) -> Path | None:
    """``folder/manifest.csv`` or ``folder/manifest.jsonl``; ManifestError when both are there."""
    found = [folder / name for name in MANIFEST_NAMES if (folder / name).is_file()]
    if len(found) > 1:
        raise ManifestError("two manifests here (manifest.csv and manifest.jsonl): keep one", folder)
    return found[0] if found else None


def read_manifest(path: Path) -> tuple[list[Source], list[KgError]]:
    """The rows of a manifest as sources, and every problem found in them (line by line)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [ManifestError(f"not UTF-8 text (byte {exc.start})", path)]
    except OSError as exc:
        return [], [ManifestError(f"cannot read: {exc.strerror}", path)]
    rows, problems = _json_rows(path, text) if path.suffix.lower() == ".jsonl" else _csv_rows(path, text)
    sources: list[Source] = []
    seen: dict[Path, int] = {}
    for line, row in rows:
        try:
            source = _source(path, line, row)
        except ManifestError as exc:
            problems.append(exc)
            continue
        if source.file is not None:
            first = seen.setdefault(source.file, line)
            if first != line:
                problems.append(source.error(f"listed twice (first on line {first})"))
                continue
        sources.append(source)
    if not rows and not problems:
        problems.append(ManifestError("no rows: list one article per row", path))
    return sources, sorted(problems, key=lambda p: p.line or 0)


def _csv_rows(path: Path, text: str) -> tuple[list[tuple[int, dict]], list[KgError]]:
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        return [], [
            ManifestError("empty manifest: it needs a header row (file,title,date,publisher,url)", path)
        ]
    except csv.Error as exc:
        return [], [ManifestError(f"malformed CSV: {exc}", path, 1)]
    unknown = [name for name in header if name not in COLUMNS + _IGNORED]
    if unknown or not {"file", "url"} & set(header) or len(set(header)) < len(header):
        why = (
            f"unknown column(s) {', '.join(unknown)}"
            if unknown
            else "a column twice, or neither file nor url"
        )
        return [], [ManifestError(f"bad header ({why}): the columns are {', '.join(COLUMNS)}", path, 1)]
    rows, problems = [], []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return rows, problems
        except csv.Error as exc:
            problems.append(ManifestError(f"malformed CSV: {exc}", path, line))
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(ManifestError(f"{len(cells)} cells, the header has {len(header)}", path, line))
            continue
        rows.append((line, dict(zip(header, cells))))


def _json_rows(path: Path, text: str) -> tuple[list[tuple[int, dict]], list[KgError]]:
    rows, problems = [], []
    for line, content in enumerate(text.splitlines(), start=1):
        if not content.strip():
            continue
        try:
            row = json.loads(content)
        except ValueError as exc:
            problems.append(ManifestError(f"not JSON: {exc}", path, line))
            continue
        if not isinstance(row, dict):
            problems.append(ManifestError("not a JSON object", path, line))
            continue
        unknown = sorted(set(row) - set(COLUMNS + _IGNORED))
        if unknown:
            problems.append(
                ManifestError(
                    f"unknown key(s) {', '.join(unknown)}: the keys are {', '.join(COLUMNS)}", path, line
                )
            )
            continue
        if any(not isinstance(row[key], str | None) for key in COLUMNS if key in row):
            problems.append(ManifestError("every value is a string (or null)", path, line))
            continue
        rows.append((line, row))
    return rows, problems


def _source(manifest: Path, line: int, row: dict) -> Source:
    """One row as a Source; ManifestError (one line naming the row) for the first problem in it."""
    values = {key: (row.get(key) or "").strip() for key in COLUMNS}
    name = values["file"] or values["url"]

    def fail(message: str) -> ManifestError:
        return ManifestError(f"{name}: {message}" if name else message, manifest, line)

    if not name:
        raise fail("neither a file nor a url")
    if values["url"] and not is_url(values["url"]):
        raise fail(f"url {values['url']!r} is not an http(s) URL")
    published = None
    if values["date"]:
        try:
            if not _ISO_DATE.fullmatch(values["date"]):
                raise ValueError
            published = date.fromisoformat(values["date"])
        except ValueError:
            raise fail(f"date {values['date']!r} is not a date YYYY-MM-DD") from None
    file = None
    if values["file"]:
        folder = manifest.parent.resolve()
        file = (folder / values["file"]).resolve()
        if Path(values["file"]).is_absolute() or not file.is_relative_to(folder):
            raise fail("the file is outside the manifest's folder (give a path relative to it)")
        if not file.is_file():
            raise fail("no such file")
    return Source(
        name=name,
        file=file,
        url=values["url"] or None,
        title=values["title"] or None,
        published=published,
        publisher=values["publisher"] or None,
        manifest=manifest,
        line=line,
    )
