"""Attribution patterns and entity linking, each on short sentences written for the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.extract import Extractor
from kg.extract.attribution import paragraphs, quote_spans

WORLD = Path(__file__).parent / "data" / "extract_world.ttl"
LEAD = "Talks resumed on Monday.\n\n"
COSTA, VOGEL = "maria-costa", "hans-vogel"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    graph = Graph()
    graph.parse(WORLD)
    return Extractor(graph)


def found(extractor: Extractor, text: str) -> list[tuple[str, str, str]]:
    """(holder local name, stance, attribution rule) of each candidate."""
    return [
        (c.holder.rsplit("/", 1)[-1], c.stance, c.rule.split("+")[0]) for c in extractor.extract_text(text)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            '"We support the ceasefire," Costa said.', (COSTA, "support", "direct-quote"), id="trailing-said"
        ),
        pytest.param(
            '"The talks were long. We back the ceasefire fully," Hans Vogel said.',
            (VOGEL, "support", "direct-quote"),
            id="multi-sentence-quote",
        ),
        pytest.param(
            "Maria Costa said that she backed the ceasefire.", (COSTA, "support", "indirect"), id="said-that"
        ),
        pytest.param(
            "The border commission is unacceptable, according to Hans Vogel.",
            (VOGEL, "reject", "according-to"),
            id="according-to",
        ),
        pytest.param(
            "Costa told reporters the border commission was unacceptable.",
            (COSTA, "reject", "told"),
            id="told",
        ),
        pytest.param(
            "Germany had rejected the peacekeeping mission.",
            ("germany", "reject", "reported"),
            id="second-hand",
        ),
        pytest.param(
            'Maria Costa spoke first. "We back the ceasefire," she said.',
            (COSTA, "support", "direct-quote"),
            id="she-is-last-person",
        ),
        pytest.param(
            "Maria Costa arrived late. Costa later said she backs the ceasefire.",
            (COSTA, "support", "indirect"),
            id="surname-alone",
        ),
        pytest.param(
            "The Brazilian foreign minister said she supports the ceasefire.",
            (COSTA, "support", "indirect"),
            id="title-from-role",
        ),
        pytest.param(
            "Berlin rejected the border commission on Tuesday.",
            ("germany", "reject", "reported"),
            id="capital-for-government",
        ),
        pytest.param(
            "Officials in Brussels discussed a German plan for the border.",
            ("germany", "propose", "reported"),
            id="nationality-adjective",
        ),
        pytest.param(
            "The African Union has no intention of joining the peacekeeping mission, Diallo said.",
            ("amina-diallo", "reject", "indirect"),
            id="trailing-said-indirect",
        ),
    ],
)
def test_attribution_pattern(extractor, text, expected):
    assert expected in found(extractor, LEAD + text)


def test_quote_running_over_paragraphs_takes_the_speaker_named_at_its_end(extractor):
    text = (
        LEAD + '"We oppose the border commission.\n\n"It cannot work, and the region knows it," Vogel said.'
    )
    candidates = extractor.extract_text(text)
    assert [(c.holder.rsplit("/", 1)[-1], c.stance, c.rule) for c in candidates] == [
        (VOGEL, "oppose", "quote-continued+oppose")
    ]
    assert candidates[0].quote == "We oppose the border commission."


def test_headline_form(extractor):
    candidates = extractor.extract_text(
        "Vogel Rejects Border Commission\n\nTalks resumed on Monday in a tense mood."
    )
    assert [(c.holder.rsplit("/", 1)[-1], c.stance, c.rule, c.start) for c in candidates] == [
        (VOGEL, "reject", "headline+reject", 0)
    ]
    assert candidates[0].quote == "Vogel Rejects Border Commission"


def test_headline_restating_the_body_adds_nothing(extractor):
    text = "Vogel Rejects Border Commission\n\nHans Vogel said that Germany rejects the border commission."
    assert [c.rule.split("+")[0] for c in extractor.extract_text(text)] == ["indirect"]


def test_unknown_speaker_becomes_unlinked_actor(extractor):
    (candidate,) = extractor.extract_text(LEAD + "Peter Lindqvist said he opposed the ceasefire.")
    assert candidate.holder.endswith("/x-peter-lindqvist")
    assert not candidate.holder_linked and candidate.holder_kind == "Person"


def test_reported_position_names_the_reporter(extractor):
    (candidate,) = extractor.extract_text(LEAD + "Costa said Brazil opposes the peacekeeping mission.")
    assert candidate.holder.endswith("/brazil") and candidate.reported_by.endswith("/maria-costa")


def test_photo_caption_is_not_a_claim(extractor):
    text = LEAD + "Hans Vogel rejects the border commission in Berlin. (AP Photo/Some Photographer)"
    assert extractor.extract_text(text) == []


def test_quote_spans_handle_curly_straight_and_open_quotes():
    text = '“One,” he said.\n\n"Two and\n\n“three.”'
    spans = [(text[q.start : q.end], q.open_end) for q in quote_spans(text)]
    assert spans == [("“One,”", False), ('"Two and', True), ("“three.”", False)]
    assert len(paragraphs(text)) == 3
