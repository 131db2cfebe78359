"""A candidate position found by the extractor, as plain data (what ``kg extract`` prints)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from kg.vocabulary import vocabulary

__all__ = ["Candidate"]


@dataclass(frozen=True)
class Candidate:
    """One extracted position: who, which stance, on what, where in which article, and why."""

    id: str
    article: str
    holder: str
    holder_label: str
    holder_kind: str  # an actor kind's local name: Person, Country, Institution, Group
    holder_linked: bool
    stance: str  # a stance's notation: propose, support, conditional, oppose, reject
    target: str
    target_label: str
    target_linked: bool
    start: int
    end: int
    quote: str
    confidence: float
    rule: str  # attribution rule + stance cue, e.g. "direct-quote+reject"
    cue: str
    modality: str | None = None  # local name of a modality (Hypothetical, Future, Questioned); None: asserted
    condition: str | None = None
    reported_by: str | None = None
    on_behalf_of: str | None = None
    # (IRI, label, kind) of every actor the candidate names (holder, reporter, body spoken for)
    # that the curated data does not know: the extracted graph types each of them
    new_actors: tuple[tuple[str, str, str], ...] = ()

    @property
    def polarity(self) -> str:
        """The notation of the stance's polarity: ``support`` or ``oppose``."""
        return vocabulary().stances[self.stance].polarity

    def as_dict(self) -> dict:
        """A JSON-ready dict (for ``--format jsonl``)."""
        return {**asdict(self), "polarity": self.polarity}
