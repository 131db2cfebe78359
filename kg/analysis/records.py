"""The plain records the analysis works on: one party's stance from one position, and a set of them.

>>> r = StanceRecord(position="p1", holder="a", party="a", stance="conditional", polarity="support",
...                  target="t", date=None, method="curated", sources=("s",))
>>> r.category, r.strength
('conditional', 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

__all__ = ["CATEGORIES", "PositionSet", "StanceRecord"]

# The stance matrix's cell values, in display order ("unknown": no position at all).
CATEGORIES = ("support", "conditional", "oppose", "unknown")
# How each matrix category leans: the sign is the polarity, the size how firm it is. Reject and
# oppose (or propose and support) are one category: two reports wording one stance differently
# are not a change.
_STRENGTH = {"support": 2, "conditional": 1, "oppose": -2}
_STANCE_STRENGTH = {"propose": 2, "support": 2, "conditional": 1, "oppose": -2, "reject": -2}


class StanceRecord(NamedTuple):
    """One position as counted for one party (IRIs are plain strings, stances SKOS notations).

    A named tuple rather than a dataclass: the analysis makes one per position and party, and
    100,000 of them build several times faster this way.
    """

    position: str
    holder: str
    party: str
    stance: str  # propose, support, conditional, oppose, reject
    polarity: str  # support or oppose
    target: str
    date: date | None
    method: str
    sources: tuple[str, ...]  # article IRIs
    modality: str | None = None
    on_behalf_of: str | None = None
    first_source: str = ""
    offset: int = 0  # the quote's start in first_source: orders same-day positions as narrated

    @property
    def category(self) -> str:
        """The stance matrix cell: support, conditional or oppose."""
        return "conditional" if self.stance == "conditional" else self.polarity

    @property
    def strength(self) -> int:
        """Signed firmness of the category: +2 support, +1 conditional, -2 oppose."""
        return _STANCE_STRENGTH.get(self.stance) or _STRENGTH[self.category]

    @property
    def order(self) -> tuple:
        """Chronological order: date, then the order in which the first source narrates them."""
        return (self.date or date.min, self.first_source, self.offset, self.position)


@dataclass(frozen=True)
class PositionSet:
    """The records of one graph, with the labels of actors, proposals and articles."""

    records: tuple[StanceRecord, ...]
    labels: dict[str, str] = field(default_factory=dict, compare=False)
    articles: dict[str, tuple[str, date | None]] = field(default_factory=dict, compare=False)
    level: str = "party"
    methods: tuple[str, ...] = ("curated",)

    def label(self, iri: str) -> str:
        """The label of an actor, proposal or article; the IRI's last segment when it has none."""
        return self.labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
