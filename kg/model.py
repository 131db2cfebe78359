"""Plain data passed between the steps: articles, evidence spans, positions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

__all__ = ["Article", "Evidence", "Position"]


@dataclass(frozen=True)
class Article:
    """A source article: its IRI, metadata and decoded text."""

    iri: str
    path: Path
    source_file: str
    title: str
    date: date | None
    text: str
    publisher: str | None = None


@dataclass(frozen=True)
class Evidence:
    """A quote in an article, as Web Annotation selectors (offsets are str indices, end exclusive)."""

    article: str
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Position:
    """An actor's stance toward a proposal, with its evidence; IRIs are plain strings."""

    iri: str
    holder: str
    stance: str
    target: str
    method: str  # "curated" or "extracted"
    evidence: tuple[Evidence, ...]
    stated_on: date | None = None
    on_behalf_of: str | None = None
    condition: str | None = None
    reported_by: str | None = None
    modality: str | None = None
    confidence: float | None = None
    rule: str | None = None
    comment: str | None = None
