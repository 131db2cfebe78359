"""Turn a curator's quote into Web Annotation selectors by finding it in the article text.

>>> resolve_quote("Kerry said yes. Lavrov said no.", "said no").start
23
"""

from __future__ import annotations

from kg.model import Evidence

__all__ = ["QuoteNotFound", "resolve_quote", "CONTEXT"]

CONTEXT = 32  # characters of prefix and suffix kept in a TextQuoteSelector


class QuoteNotFound(ValueError):
    """The quote is absent from the text, or ambiguous there."""


def _occurrences(text: str, exact: str) -> list[int]:
    found, start = [], text.find(exact)
    while start != -1:
        found.append(start)
        start = text.find(exact, start + 1)
    return found


def resolve_quote(text: str, exact: str, prefix: str = "", article: str = "") -> Evidence:
    """Find ``exact`` in ``text`` (after ``prefix`` when given) and compute its selectors.

    Raises QuoteNotFound when the quote is missing or occurs more than once with nothing
    to tell the occurrences apart.
    """
    if not exact:
        raise QuoteNotFound("the quote is empty")
    starts = _occurrences(text, exact)
    if prefix:
        starts = [s for s in starts if text[:s].endswith(prefix)]
    if not starts:
        where = " after the given prefix" if prefix else ""
        raise QuoteNotFound(f"quote not found in the article{where}: {exact[:60]!r}")
    if len(starts) > 1:
        raise QuoteNotFound(
            f"quote occurs {len(starts)} times in the article; add an oa:prefix to pick one: {exact[:60]!r}"
        )
    start = starts[0]
    end = start + len(exact)
    return Evidence(
        article=article,
        exact=exact,
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        start=start,
        end=end,
    )
