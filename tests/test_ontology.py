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


# Every way a file can name an ontology term: NEG.<name>, NEG["<name>"], neg:<name>, or the full IRI.
TERM_USES = re.compile(
    r"\bNEG\.([A-Za-z]\w*)|\bNEG\[\s*[\"']([A-Za-z]\w*)[\"']\s*\]"
    r"|(?<![\w/#])neg:([A-Za-z]\w*)|neg-kg/ontology#([A-Za-z]\w*)"
)
TEXT_FILES = {".py", ".rq", ".ttl", ".toml", ".j2", ".js", ".json", ".html", ".md"}
# Tests that check an unknown term is refused, or that a term added to the ontology is picked up.
NOT_DEFINED_ON_PURPOSE = {"stnace", "speaksFro", "Abstain", "Welcome", "welcomes"}


def term_uses(path: Path) -> set[str]:
    return {next(g for g in m.groups() if g) for m in TERM_USES.finditer(path.read_text(encoding="utf-8"))}


def test_term_uses_are_found_in_every_spelling(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        'NEG.holder, NEG["Support"], "neg:target", "<https://w3id.org/neg-kg/ontology#Oppose>"', "utf-8"
    )
    assert term_uses(sample) == {"holder", "Support", "target", "Oppose"}


def test_every_term_used_in_code_queries_templates_data_docs_and_tests_exists(ontology):
    folders = [ROOT / name for name in ("kg", "ontology", "seeds", "tests")]
    sources = [p for folder in folders for p in folder.rglob("*") if p.suffix in TEXT_FILES]
    sources += [ROOT / "README.md", *ROOT.joinpath("out").glob("*.md")]
    assert any(p.suffix == ".rq" and "render" in p.parts for p in sources)  # queries inside kg/ too
    unknown = {
        f"{path.relative_to(ROOT)}: {term}"
        for path in sources
        for term in term_uses(path) - NOT_DEFINED_ON_PURPOSE
        if (NEG._NS[term], None, None) not in ontology
    }
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
