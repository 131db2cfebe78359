"""Extract candidate positions from article text with spaCy: entity linking, attribution, stance, targets.

One module per job: ``gazetteer`` (who), ``attribution`` (who said what), ``stance`` (which
stance, negation, condition, modality), ``targets`` (on what), ``pipeline`` (spaCy loading,
batching, processes), ``rdf`` (the ``extracted`` named graph).
"""

from kg.extract.candidate import Candidate
from kg.extract.pipeline import EXTRACTOR_VERSION, Extractor, load_nlp, model_info

__all__ = ["Candidate", "EXTRACTOR_VERSION", "Extractor", "load_nlp", "model_info"]
