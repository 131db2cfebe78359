"""Extraction results cached per article, so a rebuild extracts only what changed.

Extraction is a pure function of one article's text and IRI, the extractor (its version and its
source code), the spaCy model, the lexicons, and the curated actors and proposals it links
against. An entry's key
hashes all of these; a change to any of them gives new keys, so exactly the articles it affects
are extracted again, and nothing stale is ever read. Each entry is one JSON file named by its
key, holding its key again and a checksum of its candidates: a file that does not parse, or
whose key or checksum is wrong, is a miss (and is rewritten), never trusted. An entry also
records the build's verdict on its candidates (which ones the SHACL shapes left out, and the
hash of the shapes that said so), so a rebuild validates only what it has not validated. After a build the
entries no article used are removed, so the cache holds one corpus's results.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import ORG, RDF

from kg.extract.candidate import Candidate
from kg.files import write_atomic
from kg.namespace import NEG
from kg.resources import package_file

__all__ = ["CACHE_FOLDER", "ExtractionCache", "linking_fingerprint"]

CACHE_FOLDER = Path("cache") / "extract"  # under the build's output folder
_LEXICONS = ("stance_cues.toml", "world.toml")
_LINKED_TYPES = (NEG.Person, NEG.Country, NEG.Institution, NEG.Group, NEG.Proposal, ORG.Membership, ORG.Role)


def linking_fingerprint(curated: Graph) -> str:
    """A hash of what the extractor links against: every triple about a curated actor, proposal,
    membership or role (curated positions and their quotes are left out: adding one changes no
    extraction)."""
    subjects = {s for t in _LINKED_TYPES for s in curated.subjects(RDF.type, t) if isinstance(s, URIRef)}
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s in subjects for p, o in curated.predicate_objects(s))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _source_digest() -> str:
    """A hash of the extractor's own code: a change to it without a version bump still misses."""
    folder = package_file("extract")
    sources = sorted((f for f in folder.iterdir() if f.name.endswith(".py")), key=lambda f: f.name)
    return _digest(*(f"{f.name}\n{f.read_text(encoding='utf-8')}" for f in sources))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass
class ExtractionCache:
    """The cache folder and the fingerprint shared by every entry of one build."""

    folder: Path
    fingerprint: str
    _read: dict[str, dict | None] = field(default_factory=dict, repr=False)  # key -> parsed entry

    @classmethod
    def for_build(
        cls, out_dir: Path, curated: Graph, version: str, model: tuple[str, str]
    ) -> ExtractionCache:
        lexicons = [
            package_file("extract", "lexicon", name).read_text(encoding="utf-8") for name in _LEXICONS
        ]
        fingerprint = _digest(version, *model, _source_digest(), *lexicons, linking_fingerprint(curated))
        return cls(out_dir / CACHE_FOLDER, fingerprint)

    def key(self, article: str, text: str) -> str:
        """The key of one article's extraction in this build."""
        return _digest(self.fingerprint, article, text)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def _entry(self, key: str) -> dict | None:
        """The entry file of ``key``, parsed once per build; None when missing or unreadable."""
        if key not in self._read:
            try:
                self._read[key] = json.loads(self._path(key).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._read[key] = None
        return self._read[key]

    def _write(self, entries: dict[str, dict]) -> None:
        files = {
            self._path(key): (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode()
            for key, entry in entries.items()
        }
        write_atomic(files)
        self._read.update(entries)

    def get(self, key: str) -> list[Candidate] | None:
        """The cached candidates, or None when missing, unreadable, corrupt or for another key."""
        entry = self._entry(key)
        try:
            rows = entry["candidates"]
            if entry["key"] != key or entry["checksum"] != _checksum(rows):
                return None
            return [_candidate(row) for row in rows]
        except (KeyError, TypeError, ValueError):
            return None

    def put_many(self, entries: dict[str, list[Candidate]]) -> None:
        """Store several articles' candidates (each entry file written atomically)."""
        written = {}
        for key, candidates in entries.items():
            rows = [asdict(c) for c in candidates]
            written[key] = {"key": key, "checksum": _checksum(rows), "candidates": rows}
        self._write(written)

    def verdict(self, key: str, shapes: str) -> dict[str, str] | None:
        """The candidates of an entry that the shapes (hash ``shapes``) left out, by id with the
        reason; None when the entry was not checked against these shapes (or is corrupt)."""
        entry = self._entry(key)
        try:
            verdict = entry["verdict"]
            if (
                entry["key"] != key
                or verdict["shapes"] != shapes
                or verdict["checksum"] != _checksum(verdict["left_out"])
            ):
                return None
            return dict(verdict["left_out"])
        except (KeyError, TypeError):
            return None

    def set_verdicts(self, verdicts: dict[str, dict[str, str]], shapes: str) -> None:
        """Record which candidates of each entry the shapes left out (entries written atomically)."""
        written = {}
        for key, left_out in verdicts.items():
            entry = self._entry(key)
            if entry is None:
                continue  # no entry to vouch for: it is checked again next time
            verdict = {"shapes": shapes, "left_out": left_out, "checksum": _checksum(left_out)}
            written[key] = {**entry, "verdict": verdict}
        self._write(written)

    def keep_only(self, keys: set[str]) -> int:
        """Remove every entry not in ``keys``; the number removed."""
        removed = 0
        for path in self.folder.glob("*.json") if self.folder.is_dir() else ():
            if path.stem not in keys:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def _checksum(rows: list[dict] | dict) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _candidate(row: dict) -> Candidate:
    row = dict(row)
    row["new_actors"] = tuple(tuple(actor) for actor in row.get("new_actors", ()))
    return Candidate(**row)
