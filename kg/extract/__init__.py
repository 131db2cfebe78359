"""Extract candidate positions from article text with spaCy: entity linking, attribution, stance, targets.

One module per job: ``gazetteer`` (who), ``attribution`` (who said what), ``stance`` (which
stance, negation, condition, modality), ``targets`` (on what), ``pipeline`` (spaCy loading,
batching, processes), ``rdf`` (the ``extracted`` named graph).
"""

from kg.extract.candidate import Candidate
from kg.extract.identity import EXTRACTOR_VERSION, MODEL_NAMES

_PIPELINE = ("Extractor", "load_nlp", "model_info")


def __getattr__(name: str):
    """Import spaCy only when the extractor is used: every other command starts fast."""
    if name in _PIPELINE:
        from kg.extract import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'kg.extract' has no attribute {name!r}")


__all__ = ["Candidate", "EXTRACTOR_VERSION", "Extractor", "MODEL_NAMES", "load_nlp", "model_info"]
