"""Where the quotes, paragraphs, photo captions and bullet summaries of an article text are.

>>> [(q.start, q.end, q.open_end) for q in quote_spans('"Yes," she said.')]
[(0, 6, False)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["QuoteSpan", "captions", "is_summary", "paragraphs", "quote_spans"]

_OPENERS = {"“": "”", "«": "»", '"': '"', "„": "“"}
_PARAGRAPH = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class QuoteSpan:
    """A stretch of quoted text in one paragraph (characters, end exclusive)."""

    start: int
    end: int
    paragraph: int
    open_end: bool  # the paragraph ends inside the quote: it continues in the next one


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs (blank-line separated)."""
    spans, start = [], 0
    for match in _PARAGRAPH.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def quote_spans(text: str) -> list[QuoteSpan]:
    """The quotes of each paragraph; a quote left open at a paragraph's end runs to its end."""
    found = []
    for number, (start, end) in enumerate(paragraphs(text)):
        opened, closer = None, ""
        for i in range(start, end):
            char = text[i]
            if opened is None and char in _OPENERS:
                opened, closer = i, _OPENERS[char]
            elif opened is not None and char == closer:
                found.append(QuoteSpan(opened, i + 1, number, False))
                opened = None
        if opened is not None:
            found.append(QuoteSpan(opened, end, number, True))
    return found


_CAPTION = re.compile(r"\((?:[^()]*\bPhoto\b[^()]*|[A-Z][A-Za-z. ]+/[^()]*)\)\s*$")
_SUMMARY = re.compile(r"^\s*[*•▪‣-]\s+")


def captions(text: str) -> list[tuple[int, int]]:
    """Paragraphs that are photo captions, "(AP Photo/...)", "(REUTERS/...)": not the article's claims."""
    return [(s, e) for s, e in paragraphs(text) if _CAPTION.search(text[s:e])]


def is_summary(text: str, start: int) -> bool:
    """Whether the paragraph holding ``start`` is a bullet-point summary line ("* Russia wants ...")."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_SUMMARY.match(text[line_start : start + 1]))
