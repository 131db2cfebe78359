"""The vocabulary is read from the ontology: a stance added there reaches every module."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

import kg.resources
from kg.errors import KgError
from kg.extract import Extractor
from kg.extract import pipeline as extraction
from kg.extract.lexicon import LEXICON, lexicon_from
from kg.extract.rdf import to_position
from kg.graph import add_positions, load_ontology
from kg.namespace import NEG
from kg.resources import ontology_file, package_file
from kg.vocabulary import load_vocabulary, vocabulary

WORLD = Path(__file__).parent / "data" / "extract_world.ttl"
WELCOME = """
neg:Welcome a neg:Stance ;
    skos:inScheme neg:StanceScheme ; skos:topConceptOf neg:StanceScheme ;
    skos:prefLabel "welcomes"@en ; rdfs:label "welcomes"@en ; skos:notation "welcome" ;
    rdfs:comment "Greets the proposal with approval."@en ;
    neg:polarity neg:Supportive ; neg:shortcut neg:welcomes .
neg:welcomes a owl:ObjectProperty ; rdfs:subPropertyOf neg:takesStanceOn ;
    rdfs:label "welcomes"@en ; rdfs:comment "Shortcut: a neg:Welcome position."@en ;
    rdfs:domain neg:Actor ; rdfs:range neg:Proposal .
"""
WELCOME_CUES = '\n[classes.welcome]\nstance = "welcome"\nverbs = ["salute"]\n'


def ontology_with(extra: str) -> Graph:
    return Graph().parse(data=ontology_file("neg.ttl").read_text(encoding="utf-8") + extra, format="turtle")


@pytest.fixture
def welcome_ontology(tmp_path, monkeypatch) -> Path:
    """The shipped ontology folder with one more stance, installed where the package looks."""
    root = tmp_path / "ontology"
    shutil.copytree(kg.resources._ontology_root(), root)
    with (root / "neg.ttl").open("a", encoding="utf-8") as stream:
        stream.write(WELCOME)
    monkeypatch.setattr(kg.resources, "_ontology_root", lambda: root)
    vocabulary.cache_clear()
    yield root
    vocabulary.cache_clear()


def test_terms_are_found_by_notation_local_name_and_iri():
    stances = vocabulary().stances
    assert stances["conditional"] is stances["ConditionalSupport"] is stances[NEG.ConditionalSupport]
    assert stances[str(NEG.Reject)].polarity == "oppose" and stances["reject"].shortcut == NEG.rejects
    assert vocabulary().modalities["Hypothetical"].notation == "hypothetical"
    assert vocabulary().actor_kinds[NEG.Group].name == "Group"
    with pytest.raises(KeyError, match="propose, support, conditional, oppose, reject"):
        stances["abstain"]


def test_terms_come_in_the_order_the_ontology_defines_them():
    assert vocabulary().stances.notations == ("propose", "support", "conditional", "oppose", "reject")
    assert vocabulary().methods.notations == ("curated", "extracted")
    assert [k.name for k in vocabulary().actor_kinds] == ["Person", "Country", "Institution", "Group"]


def test_every_stance_takes_polarity_and_shortcut_from_the_ontology():
    ontology = load_ontology()
    for stance in vocabulary().stances:
        assert ontology.value(stance.iri, NEG.polarity) == vocabulary().polarities[stance.polarity].iri
        assert ontology.value(stance.iri, NEG.shortcut) == stance.shortcut


def test_every_vocabulary_term_is_a_namespace_term():
    terms = vocabulary()
    for kind in (terms.stances, terms.polarities, terms.modalities, terms.methods, terms.change_kinds):
        for term in kind:
            assert NEG[term.name] == term.iri
    for kind in terms.actor_kinds:
        assert NEG[kind.name] == kind.iri


def test_a_stance_without_polarity_is_refused():
    broken = 'neg:Abstain a neg:Stance ; rdfs:label "abstains"@en ; skos:notation "abstain" .\n'
    with pytest.raises(KgError, match="neg:Abstain needs exactly one neg:polarity"):
        load_vocabulary(ontology_with(broken))


def test_a_cue_class_for_a_stance_the_ontology_lacks_is_refused():
    data = tomllib.loads(package_file(*LEXICON).read_text(encoding="utf-8") + WELCOME_CUES)
    with pytest.raises(KgError, match="unknown stance 'welcome'"):
        lexicon_from(data)


def test_a_stance_added_to_the_ontology_needs_only_a_lexicon_entry(welcome_ontology, monkeypatch):
    welcome = vocabulary().stances["welcome"]
    assert (welcome.iri, welcome.polarity, welcome.shortcut) == (
        URIRef(NEG._NS["Welcome"]),
        "support",
        NEG._NS["welcomes"],
    )
    lexicon = lexicon_from(tomllib.loads(package_file(*LEXICON).read_text(encoding="utf-8") + WELCOME_CUES))
    assert lexicon.verb_class("saluted") == "welcome"
    monkeypatch.setattr(extraction, "load_lexicon", lambda: lexicon)
    extractor = Extractor(Graph().parse(WORLD))
    text = "Talks resumed on Monday.\n\nCosta said Brazil salutes the ceasefire.\n"
    (candidate,) = extractor.extract_text(text)
    assert (candidate.stance, candidate.polarity) == ("welcome", "support")

    graph, position = Graph(), to_position(candidate, text, None)
    add_positions(graph, [position], load_ontology())
    assert graph.value(URIRef(position.iri), NEG.stance) == welcome.iri
    assert (URIRef(candidate.holder), NEG._NS["welcomes"], URIRef(candidate.target)) in graph
