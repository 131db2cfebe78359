"""The ontology and the code agree: every term the code uses is defined, and documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.graph import load_ontology
from kg.namespace import NEG

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def test_every_namespace_term_is_defined_in_the_ontology(ontology):
    for name in NEG.__annotations__:
        assert (NEG[name], None, None) in ontology, name


def test_every_ontology_term_is_in_the_namespace_class(ontology):
    base = str(NEG._NS)
    defined = {str(s)[len(base) :] for s in ontology.subjects() if str(s).startswith(base)}
    assert defined <= set(NEG.__annotations__), sorted(defined - set(NEG.__annotations__))


def test_every_term_used_in_code_queries_and_shapes_exists(ontology):
    sources = list((ROOT / "kg").rglob("*.py")) + list((ROOT / "ontology").rglob("*.rq"))
    sources += [ROOT / "ontology" / "shapes.ttl"] + list((ROOT / "seeds").rglob("*.ttl"))
    used = set()
    for path in sources:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bNEG\.([A-Za-z]\w*)", text)) | set(
            re.findall(r"(?<![\w/#])neg:(\w+)", text)
        )
    unknown = {term for term in used if (NEG._NS[term], None, None) not in ontology}
    assert not unknown, sorted(unknown)


def test_unknown_terms_raise(ontology):
    with pytest.raises(AttributeError):
        NEG.stnace  # noqa: B018


def test_classes_and_properties_have_label_comment_and_typing(ontology):
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, kind):
            assert ontology.value(term, RDFS.label), term
            assert ontology.value(term, RDFS.comment), term


def test_every_stance_declares_its_polarity(ontology):
    stances = set(ontology.subjects(RDF.type, NEG.Stance))
    assert len(stances) == 5
    for stance in stances:
        assert ontology.value(stance, NEG.polarity) in (NEG.Supportive, NEG.Opposing)
        assert isinstance(ontology.value(stance, NEG.shortcut), URIRef)
