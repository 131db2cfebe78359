"""Stance cues, negation, conditions, modality and denials, on short sentences written for the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.extract import Extractor
from kg.extract.lexicon import inflect, load_lexicon
from kg.vocabulary import vocabulary

WORLD = Path(__file__).parent / "data" / "extract_world.ttl"
LEAD = "Talks resumed on Monday.\n\n"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    graph = Graph()
    graph.parse(WORLD)
    return Extractor(graph)


def only(extractor: Extractor, sentence: str):
    candidates = extractor.extract_text(LEAD + sentence)
    assert len(candidates) == 1, candidates
    return candidates[0]


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Costa proposed a joint border commission.", "propose"),
        ("Costa said Brazil backs the ceasefire.", "support"),
        ("Costa said Brazil opposes the peacekeeping mission.", "oppose"),
        ("Costa rejected the peacekeeping mission.", "reject"),
        ("Costa told reporters the border commission was unacceptable.", "reject"),
        ("Costa said Germany should withdraw its troops from the border.", "propose"),
        ("Costa said the peacekeeping mission would only aggravate the conflict.", "oppose"),
    ],
)
def test_stance_class(extractor, sentence, stance):
    assert only(extractor, sentence).stance == stance


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Costa said Brazil did not support the ceasefire.", "oppose"),
        ("Costa said no one in Brazil supports the peacekeeping mission.", "oppose"),
        ("Costa refused to back the ceasefire.", "reject"),
        ("The African Union has no intention of joining the peacekeeping mission, Diallo said.", "reject"),
    ],
)
def test_negation_turns_support_around(extractor, sentence, stance):
    candidate = only(extractor, sentence)
    assert candidate.stance == stance and candidate.polarity == "oppose"


@pytest.mark.parametrize(
    "sentence",
    [
        "Costa said Brazil has never opposed the ceasefire.",
        "Costa said Brazil did not reject the border commission.",
    ],
)
def test_denial_is_not_the_opposite_stance(extractor, sentence):
    assert extractor.extract_text(LEAD + sentence) == []


@pytest.mark.parametrize(
    ("sentence", "marker"),
    [
        ("Costa said Brazil would back the ceasefire only if the troops withdraw.", "only if"),
        ("Costa said Brazil will support the truce provided that the rebels disarm.", "provided that"),
        ("Costa said Brazil would accept the border commission unless Germany objects.", "unless"),
    ],
)
def test_condition_makes_support_conditional(extractor, sentence, marker):
    candidate = only(extractor, sentence)
    assert candidate.stance == "conditional"
    assert candidate.condition.startswith(marker)


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        ("Costa said Brazil would back the ceasefire.", "Hypothetical"),
        ("Costa said Brazil could accept the ceasefire.", "Hypothetical"),
        ("Costa said Brazil will support the ceasefire.", "Future"),
        ("Costa said Brazil is ready to discuss the truce.", "Future"),
        ('"Would Brazil back the ceasefire?" Costa asked.', "Questioned"),
        ("Costa said Brazil backs the ceasefire.", None),
    ],
)
def test_modality_is_kept(extractor, sentence, modality):
    assert only(extractor, sentence).modality == modality


def test_stance_toward_a_person_is_not_a_position(extractor):
    assert extractor.extract_text(LEAD + "Brazil backs Hans Vogel in the dispute.") == []


def test_target_links_to_curated_proposal_or_becomes_candidate(extractor):
    linked = only(extractor, "Costa said Brazil backs the truce.")
    assert linked.target.endswith("/proposal/ceasefire") and linked.target_linked
    new = only(extractor, "Costa said Brazil backs a regional water treaty.")
    assert not new.target_linked and new.target.endswith("/proposal/x-a-regional-water-treaty")
    assert new.target_label == "a regional water treaty"


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("The ceasefire took effect on Monday. Costa said Brazil opposes that.", "ceasefire"),
        ("The ceasefire took effect on Monday. Costa said Brazil opposes this path.", "ceasefire"),
        (
            "The ceasefire held, but the border commission stalled. Costa said Brazil rejects it.",
            "border-commission",
        ),
        ("Costa said Brazil opposes that.", None),  # nothing to point back to: no position
        ("The ceasefire took effect on Monday.\n\nCosta said Brazil opposes that.", None),  # other paragraph
    ],
)
def test_a_pronoun_target_takes_the_proposal_mentioned_last_in_its_paragraph(extractor, text, target):
    candidates = extractor.extract_text(LEAD + text)
    if target is None:
        assert candidates == []
    else:
        assert [c.target.rsplit("/", 1)[-1] for c in candidates] == [target] and candidates[0].target_linked


def test_lexicon_has_cues_for_every_stance_of_the_ontology_and_inflects_them():
    lexicon = load_lexicon()
    assert {cue.stance for cues in lexicon.verbs.values() for cue in cues} == set(
        vocabulary().stances.notations
    )
    assert inflect("back", {}) == {"back", "backs", "backed", "backing"}
    assert inflect("oppose", {}) == {"oppose", "opposes", "opposed", "opposing"}
    assert lexicon.verb_class("rejected") == "reject" and lexicon.verb_class("urges") == "propose"


def test_candidate_confidence_is_a_probability_and_rule_names_the_cue(extractor):
    candidate = only(extractor, "Costa said Brazil would back the ceasefire.")
    assert 0 < candidate.confidence < 1
    assert candidate.rule == "indirect+back" and candidate.cue == "back"
