"""`kg validate`: SHACL over the built graph or a given file."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.namespace import NEG


def test_built_graph_conforms(built, kg_cli):
    result = kg_cli("validate", "--out", built)
    assert result.exit_code == 0
    assert result.output.startswith("conforms")


def test_violations_are_listed_with_focus_path_and_message(built, kg_cli, tmp_path):
    graph = Graph().parse(built / "graph.ttl")
    position = sorted(graph.subjects(RDF.type, NEG.Position))[0]
    graph.remove((position, NEG.holder, None))
    graph.add((URIRef("https://w3id.org/neg-kg/id/actor/nameless"), RDF.type, NEG.Person))
    broken = tmp_path / "broken.ttl"
    graph.serialize(broken, format="turtle")
    result = kg_cli("validate", "--data", broken)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any("actor:nameless rdfs:label" in line and "exactly one rdfs:label" in line for line in lines)
    slug = str(position).rsplit("/", 1)[-1]
    assert any(f"position:{slug} neg:holder" in line and "exactly one holder" in line for line in lines)


def test_shapes_cover_every_node_type_the_build_writes(built):
    from kg.validate import load_shapes

    graph = Graph().parse(built / "graph.ttl")
    shapes = load_shapes()
    targeted = set(shapes.objects(None, URIRef("http://www.w3.org/ns/shacl#targetClass")))
    written = set(graph.objects(None, RDF.type))
    subclass_of = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    covered = {c for c in written if set(graph.transitive_objects(c, subclass_of)) & targeted}
    assert written - covered == set(), sorted(written - covered)


def test_unreadable_data_file_is_one_line_with_its_line_number(kg_cli, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b {\n", encoding="utf-8")
    result = kg_cli("validate", "--data", bad)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert f"{bad}:2: malformed RDF" in result.output
