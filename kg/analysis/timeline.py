"""How positions move over time: per-party timelines, the changes in them, single-source claims.

>>> from datetime import date
>>> from kg.analysis.records import StanceRecord
>>> said = StanceRecord("p1", "kerry", "us", "propose", "support", "handover", date(2013, 9, 9),
...                     "curated", ("a0",), offset=10)
>>> unsaid = StanceRecord("p2", "harf", "us", "oppose", "oppose", "handover", date(2013, 9, 9),
...                       "curated", ("a0",), offset=900)
>>> [change.kind for change in position_changes([unsaid, said])]
['reversal']
>>> single_source_claims([said])[0].article
'a0'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

from kg.analysis.records import StanceRecord
from kg.namespace import NEG
from kg.vocabulary import vocabulary

__all__ = [
    "CHANGE_KINDS",
    "PositionChange",
    "SingleSourceClaim",
    "position_changes",
    "single_source_claims",
    "timeline_records",
    "timelines",
]

# reversal: support turned to opposition or back; walk-back: same side, weaker (support to
# conditional, reject to oppose, asserted to hypothetical); hardening: same side, firmer.
CHANGE_KINDS = vocabulary().change_kinds.notations
_REVERSAL, _WALK_BACK, _HARDENING = (
    vocabulary().change_kinds[t].notation for t in (NEG.Reversal, NEG.WalkBack, NEG.Hardening)
)


def timelines(records: Iterable[StanceRecord]) -> dict[tuple[str, str], tuple[StanceRecord, ...]]:
    """Every (party, proposal) with its records in chronological order, keys sorted."""
    records = list(records)
    if any(r.date is None for r in records):
        order = lambda r: (r.party, r.target, *r.order)  # noqa: E731 - None dates sort first
    else:
        order = attrgetter("party", "target", "date", "first_source", "offset", "position")  # = r.order
    ordered = sorted(records, key=order)
    return {key: tuple(line) for key, line in groupby(ordered, key=attrgetter("party", "target"))}


@dataclass(frozen=True)
class PositionChange:
    """Two consecutive positions of one party on one proposal whose stance differs."""

    party: str
    proposal: str
    before: StanceRecord
    after: StanceRecord

    @property
    def kind(self) -> str:
        """reversal, walk-back or hardening (see CHANGE_KINDS)."""
        old, new = self.before.strength, self.after.strength
        if (old > 0) != (new > 0):
            return _REVERSAL
        return _WALK_BACK if abs(new) < abs(old) else _HARDENING


def position_changes(
    records: Iterable[StanceRecord] | Mapping[tuple[str, str], tuple[StanceRecord, ...]],
) -> tuple[PositionChange, ...]:
    """The changes in every timeline (records, or timelines already made), by party, proposal, date."""
    lines = records if isinstance(records, Mapping) else timelines(records)
    changes = []
    for (party, proposal), line in lines.items():
        for before, after in zip(line, line[1:]):
            if before.strength != after.strength:
                changes.append(PositionChange(party, proposal, before, after))
    return tuple(changes)


@dataclass(frozen=True)
class SingleSourceClaim:
    """A party's stance on a proposal (for or against) that only one article reports."""

    party: str
    proposal: str
    polarity: str
    article: str
    positions: tuple[str, ...]


def single_source_claims(records: Iterable[StanceRecord]) -> tuple[SingleSourceClaim, ...]:
    """Claims (party, proposal, polarity) whose positions all come from one article."""
    several = ""  # marks a claim with more than one source
    source: dict[tuple[str, str, str], str] = {}
    positions: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    claim = attrgetter("party", "target", "polarity")
    for record in records:
        key = claim(record)
        positions[key].append(record.position)
        only = record.sources[0] if len(record.sources) == 1 else several
        source[key] = only if source.get(key, only) == only else several
    return tuple(
        SingleSourceClaim(*key, source[key], tuple(sorted(set(positions[key]))))
        for key in sorted(source)
        if source[key] != several
    )


def _entry(record: StanceRecord, labels: Mapping[str, str]) -> dict:
    return {
        "position": record.position,
        "date": record.date.isoformat() if record.date else None,
        "holder": record.holder,
        "holderLabel": labels.get(record.holder, record.holder),
        "onBehalfOf": record.on_behalf_of,
        "stance": record.stance,
        "category": record.category,
        "modality": record.modality,
        "method": record.method,
        "sources": list(record.sources),
    }


def timeline_records(
    lines: Mapping[tuple[str, str], tuple[StanceRecord, ...]], labels: Mapping[str, str] | None = None
) -> list[dict]:
    """Timelines as JSON-ready records, one per party and proposal, each entry flagged with the
    change (``change``: reversal, walk-back, hardening or None) from the entry before it."""
    labels = labels or {}
    out = []
    for (party, proposal), line in lines.items():
        entries = []
        for i, record in enumerate(line):
            entry = _entry(record, labels)
            previous = line[i - 1] if i else None
            change = None
            if previous is not None and previous.strength != record.strength:
                change = PositionChange(party, proposal, previous, record).kind
            entry["change"] = change
            entries.append(entry)
        out.append(
            {
                "party": party,
                "partyLabel": labels.get(party, party),
                "proposal": proposal,
                "proposalLabel": labels.get(proposal, proposal),
                "entries": entries,
            }
        )
    return out
