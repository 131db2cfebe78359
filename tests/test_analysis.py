"""Negotiation analysis: the seeds' known facts, the analysis graph, `kg analyze`, edge cases, engines."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, URIRef
from rdflib.namespace import PROV, RDF

from kg.analysis.alignment import alignment_records
from kg.analysis.positions import Analysis, analyze, read_positions
from kg.analysis.rdf import add_analysis, alignment_iri, analysis_graph, bridge_iri
from kg.analysis.report import analysis_document, analysis_json, analysis_tables, matrix_csv
from kg.analysis.timeline import timeline_records
from kg.graph import add_position, graph_iri, load_ontology, new_dataset
from kg.model import Evidence, Position
from kg.namespace import ACTOR, ARTICLE, NEG, POSITION, PROPOSAL
from kg.sparql.engines import load_built_graph

US, RUSSIA, FRANCE, UK = ACTOR["united-states"], ACTOR["russia"], ACTOR["france"], ACTOR["united-kingdom"]
KERRY = ACTOR["john-kerry"]
HANDOVER = PROPOSAL["chemical-weapons-handover"]
CHAPTER7 = PROPOSAL["chapter7-force-resolution"]
ASSAD = PROPOSAL["assad-departure"]
IRAN = PROPOSAL["iran-in-geneva-2"]
GENEVA = (PROPOSAL["geneva-communique-transitional-government"], PROPOSAL["geneva-communique-implementation"])


# --- the seeds: what a reader of the five articles knows -------------------------------------


@pytest.fixture(scope="module")
def seeds_analysis(built) -> Analysis:
    return analyze(read_positions(load_built_graph(built)))


def _pair(analysis: Analysis, a: str, b: str):
    return next(x for x in analysis.alignments if {x.party_a, x.party_b} == {str(a), str(b)})


def test_us_and_russia_agree_on_the_handover_and_reviving_the_geneva_plan(seeds_analysis):
    pair = _pair(seeds_analysis, US, RUSSIA)
    assert str(HANDOVER) in pair.agree_on
    assert {str(g) for g in GENEVA} & set(pair.agree_on)
    assert not {str(g) for g in GENEVA} & set(pair.disagree_on)


@pytest.mark.parametrize("proposal", [CHAPTER7, ASSAD, IRAN], ids=lambda p: p.rsplit("/", 1)[-1])
def test_us_and_russia_disagree_on_force_assad_and_iran(seeds_analysis, proposal):
    pair = _pair(seeds_analysis, US, RUSSIA)
    assert str(proposal) in pair.disagree_on
    assert str(proposal) not in pair.agree_on
    assert -1 < pair.score < 1  # they agree on some things and not on others


def test_france_britain_and_the_us_are_on_one_side_of_the_resolution(seeds_analysis):
    matrix = seeds_analysis.matrix
    assert {matrix.cell(str(p), str(CHAPTER7)) for p in (US, FRANCE, UK)} == {"support"}
    assert matrix.cell(str(RUSSIA), str(CHAPTER7)) == "oppose"
    contest = next(c for c in seeds_analysis.contested if c.proposal == str(CHAPTER7))
    assert {str(US), str(FRANCE), str(UK)} <= set(contest.supporters + contest.conditional)
    assert str(RUSSIA) in contest.opponents
    western = next(g for g in seeds_analysis.coalitions if str(US) in g)
    assert {str(FRANCE), str(UK)} <= western and str(RUSSIA) not in western


def test_a_person_counts_for_the_country_it_speaks_for(built, seeds_analysis):
    parties = set(seeds_analysis.matrix.parties)
    assert str(US) in parties and str(KERRY) not in parties
    kerry_said = {r.position for r in seeds_analysis.positions.records if r.holder == str(KERRY)}
    assert kerry_said and all(
        r.party == str(US) for r in seeds_analysis.positions.records if r.position in kerry_said
    )
    holders = analyze(read_positions(load_built_graph(built), level="holder"))
    assert str(KERRY) in holders.matrix.parties


def test_the_us_handover_timeline_flags_the_state_department_walk_back(seeds_analysis):
    line = seeds_analysis.timelines[(str(US), str(HANDOVER))]
    assert [r.date for r in line] == sorted(r.date for r in line)
    changes = [c for c in seeds_analysis.changes if (c.party, c.proposal) == (str(US), str(HANDOVER))]
    assert any(c.before.polarity == "support" and c.after.polarity == "oppose" for c in changes)
    assert all(c.kind == "reversal" for c in changes if c.before.polarity != c.after.polarity)


def test_single_source_claims_rest_on_exactly_one_article(seeds_analysis):
    claims = seeds_analysis.single_source
    assert claims
    records = seeds_analysis.positions.records
    for claim in claims:
        key = (claim.party, claim.proposal, claim.polarity)
        sources = {s for r in records if (r.party, r.target, r.polarity) == key for s in r.sources}
        assert sources == {claim.article}


def test_the_built_graph_carries_the_analysis_linked_to_positions(built, seeds_analysis):
    dataset = load_built_graph(built)
    analysis = dataset.graph(graph_iri("analysis"))
    node = alignment_iri(str(US), str(RUSSIA))
    assert (node, NEG.agreesOn, HANDOVER) in analysis
    assert (node, NEG.disagreesOn, CHAPTER7) in analysis
    for result_class in (NEG.Alignment, NEG.Coalition, NEG.Bridge, NEG.PositionChange):
        results = set(analysis.subjects(RDF.type, result_class))
        assert results, result_class
        for result in results:
            sources = set(analysis.objects(result, PROV.wasDerivedFrom))
            assert sources
            for source in sources:
                kinds = set(dataset.objects(source, RDF.type))
                assert kinds & {NEG.Position, NEG.Alignment}, (result, source)
    for party in (US, RUSSIA):  # the two bridges between the Western and the Russian-led coalition
        assert len(set(analysis.objects(bridge_iri(str(party)), NEG.links))) == 2
    expected = analysis_graph(seeds_analysis)
    assert set(analysis) == set(expected)


# --- kg analyze ----------------------------------------------------------------------------


@pytest.fixture
def out_copy(built, tmp_path) -> Path:
    target = tmp_path / "out"
    shutil.copytree(built, target)
    return target


def test_kg_analyze_prints_every_section_and_writes_the_matrix(kg_cli, out_copy):
    result = kg_cli("analyze", "--out", out_copy)
    assert result.exit_code == 0, result.output
    for heading in (
        "Stance matrix",
        "Alignment",
        "Coalitions",
        "Bridging parties",
        "Contested proposals",
        "Timelines",
        "Claims resting on a single source",
    ):
        assert f"\n{heading}" in result.output
    assert "! reversal" in result.output
    rows = list(csv.reader(io.StringIO((out_copy / "matrix.csv").read_text(encoding="utf-8"))))
    header, labels, body = rows[0], rows[1], rows[2:]
    column = header.index(str(CHAPTER7))
    assert labels[column].startswith("Binding UN Security Council")
    cells = {row[0]: row[column] for row in body}
    assert cells[str(US)] == cells[str(FRANCE)] == "support" and cells[str(RUSSIA)] == "oppose"
    assert {c for row in body for c in row[2:]} <= {"support", "conditional", "oppose", "unknown"}


def test_kg_analyze_json_is_deterministic_and_matches_the_library(kg_cli, out_copy, seeds_analysis):
    assert kg_cli("analyze", "--format", "json", "--out", out_copy).exit_code == 0
    first = (out_copy / "analysis.json").read_bytes()
    assert kg_cli("analyze", "--format", "json", "--out", out_copy).exit_code == 0
    assert (out_copy / "analysis.json").read_bytes() == first
    assert first == analysis_json(seeds_analysis)
    document = json.loads(first)
    edges = document["alignment"]["edges"]
    edge = next(e for e in edges if {e["source"], e["target"]} == {str(US), str(RUSSIA)})
    assert str(HANDOVER) in edge["agreeOn"] and str(ASSAD) in edge["disagreeOn"]


def test_kg_analyze_as_of_shows_the_state_of_play_on_that_day(kg_cli, out_copy):
    assert kg_cli("analyze", "--format", "json", "--as-of", "2013-05-01", "--out", out_copy).exit_code == 0
    document = json.loads((out_copy / "analysis.json").read_text(encoding="utf-8"))
    dates = [e["date"] for t in document["timelines"] for e in t["entries"]]
    assert dates and max(dates) <= "2013-05-01"
    assert str(CHAPTER7) not in {p["id"] for p in document["proposals"]}


def test_kg_analyze_without_a_build_says_so(kg_cli, tmp_path):
    result = kg_cli("analyze", "--out", tmp_path)
    assert result.exit_code == 2
    assert "kg build" in result.output


def test_pyoxigraph_reads_the_same_positions_as_rdflib(built):
    store = pyoxigraph.Store()
    store.load(path=str(built / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG)
    assert read_positions(store) == read_positions(load_built_graph(built))


# --- edge cases on small graphs built with kg.graph.add_position ------------------------------

_ONTOLOGY = load_ontology()
_SHORTCUTS = {str(s): o for s, o in _ONTOLOGY.subject_objects(NEG.shortcut)}
_ENTITIES = """
@prefix neg: <https://w3id.org/neg-kg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org: <http://www.w3.org/ns/org#> . @prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix actor: <https://w3id.org/neg-kg/id/actor/> .
@prefix proposal: <https://w3id.org/neg-kg/id/proposal/> .
@prefix article: <https://w3id.org/neg-kg/id/article/> .
actor:a a neg:Country ; rdfs:label "A" . actor:b a neg:Country ; rdfs:label "B" .
actor:c a neg:Country ; rdfs:label "C" . actor:bloc a neg:Group ; rdfs:label "Bloc" ;
    org:hasMember actor:b , actor:c .
actor:ministry a neg:Institution ; rdfs:label "Ministry" ; org:subOrganizationOf actor:a .
actor:envoy a neg:Person ; rdfs:label "Envoy" ; neg:speaksFor actor:a .
proposal:p1 a neg:Proposal ; rdfs:label "P1" . proposal:p2 a neg:Proposal ; rdfs:label "P2" .
article:one a schema:NewsArticle ; schema:headline "One" ; schema:datePublished "2020-01-01"^^xsd:date .
article:two a schema:NewsArticle ; schema:headline "Two" ; schema:datePublished "2020-01-02"^^xsd:date .
"""
_STANCES = {
    "propose": NEG.Propose,
    "support": NEG.Support,
    "conditional": NEG.ConditionalSupport,
    "oppose": NEG.Oppose,
    "reject": NEG.Reject,
}


def _dataset(*specs: tuple) -> Dataset:
    """specs: (holder, stance, proposal, day, articles[, on_behalf_of[, start]])."""
    dataset = new_dataset()
    dataset.graph(graph_iri("ontology")).__iadd__(_ONTOLOGY)
    curated = dataset.graph(graph_iri("curated"))
    curated.parse(data=_ENTITIES, format="turtle")
    for i, (holder, stance, proposal, day, articles, *rest) in enumerate(specs):
        behalf = rest[0] if rest else holder
        start = rest[1] if len(rest) > 1 else 0
        evidence = tuple(Evidence(str(ARTICLE[a]), "quote", "", "", start, start + 5) for a in articles)
        add_position(
            curated,
            Position(
                iri=str(POSITION[f"p{i}"]),
                holder=str(ACTOR[holder]),
                stance=str(_STANCES[stance]),
                target=str(PROPOSAL[proposal]),
                method="curated",
                evidence=evidence,
                stated_on=date(2020, 1, day),
                on_behalf_of=behalf and str(ACTOR[behalf]),
            ),
            _SHORTCUTS,
        )
    return dataset


def test_an_empty_graph_gives_empty_results_not_errors():
    analysis = analyze(read_positions(_dataset()))
    assert (
        analysis.alignments,
        analysis.coalitions,
        analysis.bridges,
        analysis.contested,
        analysis.changes,
        analysis.single_source,
    ) == ((),) * 6
    assert "No curated positions" in analysis_tables(analysis)
    assert matrix_csv(analysis).splitlines() == ["party,partyLabel", ","]
    assert json.loads(analysis_json(analysis))["timelines"] == []
    assert len(analysis_graph(analysis)) == 2  # the analysis activity only


def test_parties_without_shared_proposals_are_not_aligned_and_stand_alone():
    analysis = analyze(
        read_positions(_dataset(("a", "support", "p1", 1, ["one"]), ("b", "oppose", "p2", 1, ["one"])))
    )
    assert analysis.alignments == () and analysis.bridges == () and analysis.contested == ()
    assert analysis.coalitions == (frozenset({str(ACTOR["a"])}), frozenset({str(ACTOR["b"])}))
    assert analysis.matrix.cell(str(ACTOR["a"]), str(PROPOSAL["p2"])) == "unknown"
    assert "Alignment" in analysis_tables(analysis)
    assert alignment_records(analysis.alignment_graph)["edges"] == []


def test_a_proposal_with_one_position_is_uncontested_and_single_sourced():
    analysis = analyze(read_positions(_dataset(("a", "reject", "p1", 1, ["one"]))))
    assert analysis.contested == () and analysis.changes == ()
    (claim,) = analysis.single_source
    assert (claim.party, claim.polarity, claim.article) == (str(ACTOR["a"]), "oppose", str(ARTICLE["one"]))
    assert analysis.matrix.cell(str(ACTOR["a"]), str(PROPOSAL["p1"])) == "oppose"


def test_a_claim_reported_by_two_articles_is_not_single_sourced():
    analysis = analyze(read_positions(_dataset(("a", "support", "p1", 1, ["one", "two"]))))
    assert analysis.single_source == ()


def test_score_counts_conditional_support_as_agreement_and_a_split_as_disagreement():
    analysis = analyze(
        read_positions(
            _dataset(
                ("a", "support", "p1", 1, ["one"]),
                ("b", "conditional", "p1", 1, ["one"]),
                ("a", "support", "p2", 1, ["one"]),
                ("b", "reject", "p2", 1, ["one"]),
            )
        )
    )
    (pair,) = analysis.alignments
    assert pair.agree_on == (str(PROPOSAL["p1"]),) and pair.disagree_on == (str(PROPOSAL["p2"]),)
    assert pair.score == 0.0
    contest = analysis.contested[0]
    assert contest.evenness == 1.0 and contest.opponents == (str(ACTOR["b"]),)


def test_body_spoken_for_sub_organisation_and_bloc_members_are_the_parties():
    analysis = analyze(
        read_positions(
            _dataset(
                ("envoy", "support", "p1", 1, ["one"], None),  # speaksFor A
                ("ministry", "support", "p2", 1, ["one"]),  # sub-organisation of A
                ("bloc", "oppose", "p1", 1, ["one"]),  # counts for B and C
            )
        )
    )
    assert analysis.matrix.parties == tuple(str(ACTOR[x]) for x in ("a", "b", "c"))
    assert analysis.matrix.cell(str(ACTOR["a"]), str(PROPOSAL["p2"])) == "support"
    assert {(a.party_a, a.party_b) for a in analysis.alignments if a.disagree_on} == {
        (str(ACTOR["a"]), str(ACTOR["b"])),
        (str(ACTOR["a"]), str(ACTOR["c"])),
    }


def test_changes_follow_dates_then_narrative_order_and_the_latest_stance_counts():
    analysis = analyze(
        read_positions(
            _dataset(
                ("a", "support", "p1", 2, ["one"], "a", 50),  # same day, told later in the article
                ("a", "propose", "p1", 2, ["one"], "a", 10),
                ("a", "conditional", "p1", 3, ["two"]),
                ("a", "oppose", "p1", 4, ["two"]),
                ("a", "support", "p1", 1, ["one"]),
            )
        )
    )
    assert [c.kind for c in analysis.changes] == ["walk-back", "reversal"]
    assert analysis.matrix.cell(str(ACTOR["a"]), str(PROPOSAL["p1"])) == "oppose"
    (line,) = timeline_records(analysis.timelines)
    assert [e["change"] for e in line["entries"]] == [None, None, None, "walk-back", "reversal"]
    as_of = analyze(
        read_positions(_dataset(("a", "support", "p1", 1, ["one"]), ("a", "oppose", "p1", 4, ["two"]))),
        as_of=date(2020, 1, 2),
    )
    assert as_of.matrix.cell(str(ACTOR["a"]), str(PROPOSAL["p1"])) == "support"


def test_add_analysis_replaces_the_analysis_graph_and_its_iris_are_stable():
    dataset = _dataset(("a", "support", "p1", 1, ["one"]), ("b", "support", "p1", 1, ["one"]))
    first = set(add_analysis(dataset))
    assert set(add_analysis(dataset)) == first
    assert (alignment_iri(str(ACTOR["b"]), str(ACTOR["a"])), RDF.type, NEG.Alignment) in first
    assert URIRef(str(alignment_iri(str(ACTOR["a"]), str(ACTOR["b"])))).endswith("/alignment/a--b")


def test_extracted_positions_are_left_out_unless_asked_for():
    dataset = _dataset(("a", "support", "p1", 1, ["one"]))
    curated = dataset.graph(graph_iri("curated"))
    for position in list(curated.subjects(NEG.method, NEG.Curated)):
        curated.set((position, NEG.method, NEG.Extracted))
    assert read_positions(dataset).records == ()
    assert len(read_positions(dataset, methods=("curated", "extracted")).records) == 1
    with pytest.raises(ValueError):
        read_positions(dataset, level="nation")


def test_the_json_document_uses_iris_with_labels(seeds_analysis):
    document = analysis_document(seeds_analysis)
    labels = {p["id"]: p["label"] for p in document["parties"]}
    assert labels[str(US)] == "United States"
    assert all(
        set(row["stances"].values()) <= {"support", "conditional", "oppose", "unknown"}
        for row in document["matrix"]
    )


def test_contested_proposals_rank_by_pairs_split_then_evenness():
    analysis = analyze(
        read_positions(
            _dataset(
                ("a", "support", "p1", 1, ["one"]),
                ("b", "support", "p1", 1, ["one"]),
                ("c", "oppose", "p1", 1, ["one"]),
                ("a", "support", "p2", 1, ["one"]),
                ("b", "reject", "p2", 1, ["one"]),
            )
        )
    )
    assert [c.proposal for c in analysis.contested] == [str(PROPOSAL["p1"]), str(PROPOSAL["p2"])]
    assert [(c.conflicts, c.evenness) for c in analysis.contested] == [(2, 0.5), (1, 1.0)]


_COALITION_SCRIPT = """
import hashlib, random, networkx as nx
from kg.analysis.alignment import bridges, coalitions
rng, graph = random.Random(1), nx.Graph()
nodes = [f"https://example.org/actor/{i}" for i in range(60)]
graph.add_nodes_from(nodes)
for i in range(60):
    for j in range(i + 1, 60):
        a, d = rng.randint(0, 5), rng.randint(0, 5)
        if rng.random() < 0.2 and a + d:
            graph.add_edge(nodes[i], nodes[j], agreements=a, disagreements=d, score=(a - d) / (a + d),
                           weight=a - d, agree_on=(), disagree_on=())
groups = coalitions(graph)
found = repr((sorted(sorted(g) for g in groups), bridges(graph, groups)))
print(len(groups), hashlib.sha1(found.encode()).hexdigest())
"""


def test_coalitions_and_bridges_do_not_depend_on_the_hash_seed():
    outputs = {
        subprocess.run(
            [sys.executable, "-c", _COALITION_SCRIPT],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    assert int(outputs.pop().split()[0]) > 1  # a graph that really splits into several coalitions
