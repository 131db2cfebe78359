"""Finding a curator's quote in article text."""

import pytest

from kg.quotes import CONTEXT, QuoteNotFound, resolve_quote

TEXT = "Kerry said no. Lavrov said no. Lavrov said yes."


def test_selectors_hold_exact_prefix_suffix_and_offsets():
    evidence = resolve_quote(TEXT, "said yes", article="a")
    assert TEXT[evidence.start : evidence.end] == "said yes"
    assert evidence.prefix == TEXT[: evidence.start][-CONTEXT:]
    assert evidence.suffix == "."


def test_ambiguous_quote_is_refused_without_prefix():
    with pytest.raises(QuoteNotFound, match="2 times"):
        resolve_quote(TEXT, "said no")


def test_prefix_picks_one_occurrence():
    evidence = resolve_quote(TEXT, "said no", prefix="Lavrov ")
    assert evidence.start == TEXT.index("Lavrov said no") + len("Lavrov ")


def test_missing_quote_is_refused():
    with pytest.raises(QuoteNotFound, match="not found"):
        resolve_quote(TEXT, "Putin")


def test_offsets_are_str_indices_not_bytes():
    text = "“Quoted” — then Kerry said it."
    evidence = resolve_quote(text, "Kerry")
    assert text[evidence.start : evidence.end] == "Kerry"
