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

from kg.namespace import NEG
from kg.vocabulary import vocabulary

__all__ = ["CATEGORIES", "CONDITIONAL", "CURATED", "OPPOSE", "PositionSet", "SUPPORT", "StanceRecord"]

CURATED = vocabulary().methods[NEG.Curated].notation  # what the analysis reads unless told otherwise

# The stance matrix's cell values, in display order: a stance's polarity, except that the
# conditional stance has a cell of its own ("unknown": no position at all).
SUPPORT = vocabulary().polarities[NEG.Supportive].notation
CONDITIONAL = vocabulary().stances[NEG.ConditionalSupport].notation
OPPOSE = vocabulary().polarities[NEG.Opposing].notation
CATEGORIES = (SUPPORT, CONDITIONAL, OPPOSE, "unknown")
# How each matrix category leans: the sign is the polarity, the size how firm it is. Reject and
# oppose (or propose and support) are one category: two reports wording one stance differently
# are not a change.
_STRENGTH = {SUPPORT: 2, CONDITIONAL: 1, OPPOSE: -2}


class StanceRecord(NamedTuple):
    """One position as counted for one party (IRIs are plain strings, stances SKOS notations).

    A named tuple rather than a dataclass: the analysis makes one per position and party, and
    100,000 of them build several times faster this way.
    """

    position: str
    holder: str
    party: str
    stance: str  # a stance's notation: propose, support, conditional, oppose, reject
    polarity: str  # its polarity's notation: support or oppose
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
        return CONDITIONAL if self.stance == CONDITIONAL else self.polarity

    @property
    def strength(self) -> int:
        """Signed firmness of the category: +2 support, +1 conditional, -2 oppose."""
        return _STRENGTH[self.category]

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
    methods: tuple[str, ...] = (CURATED,)

    def label(self, iri: str) -> str:
        """The label of an actor, proposal or article; the IRI's last segment when it has none."""
        return self.labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
