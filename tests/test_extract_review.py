"""kg review: accept, correct or reject candidates; decisions remembered; failures change nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.cli import main
from kg.corpus import load_articles
from kg.curation import load_curation
from kg.extract import review
from kg.graph import load_ontology


def ids(kg_cli, seeds: Path) -> list[str]:
    result = kg_cli("review", "--list", "--seeds", seeds)
    assert result.exit_code == 0, result.output
    return [line.split()[0] for line in result.output.splitlines()[2:]]  # under the header and its dashes


def curated_positions(seeds: Path):
    articles, _ = load_articles(seeds)
    return load_curation(seeds / "curated", articles, load_ontology()).positions


def files(seeds: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((seeds / "curated").iterdir())}


def test_accept_writes_a_curated_position_that_builds(seeds_copy, kg_cli, tmp_path):
    waiting = ids(kg_cli, seeds_copy)
    assert waiting, "the seeds should leave some candidates for review"
    before = len(curated_positions(seeds_copy))
    result = kg_cli("review", "--seeds", seeds_copy, "--accept", waiting[0])
    assert result.exit_code == 0 and "accepted" in result.output
    positions = curated_positions(seeds_copy)
    assert len(positions) == before + 1
    accepted = next(p for p in positions if p.iri.endswith(f"reviewed-{waiting[0]}"))
    assert accepted.method == "curated" and accepted.evidence
    assert waiting[0] not in ids(kg_cli, seeds_copy)
    build = kg_cli("build", "--seeds", seeds_copy, "--out", tmp_path / "out")
    assert build.exit_code == 0 and "conforms" in build.output


def test_rejected_candidate_is_not_offered_again(seeds_copy, kg_cli):
    waiting = ids(kg_cli, seeds_copy)
    result = kg_cli("review", "--seeds", seeds_copy, "--reject", waiting[-1])
    assert result.exit_code == 0
    decisions = json.loads((seeds_copy / "curated" / "review.json").read_text(encoding="utf-8"))
    assert decisions[waiting[-1]] == {"decision": "rejected"}
    assert ids(kg_cli, seeds_copy) == waiting[:-1]


def test_correct_changes_stance_and_holder(seeds_copy, kg_cli):
    waiting = ids(kg_cli, seeds_copy)
    result = kg_cli(
        "review", "--seeds", seeds_copy, "--correct", waiting[0], "--stance", "oppose", "--holder", "Russia"
    )
    assert result.exit_code == 0, result.output
    corrected = next(p for p in curated_positions(seeds_copy) if p.iri.endswith(f"reviewed-{waiting[0]}"))
    assert corrected.stance.endswith("#Oppose") and corrected.holder.endswith("/actor/russia")


@pytest.mark.parametrize(
    "args",
    [
        ("--accept", "000000000000"),
        ("--reject", "no-such-id"),
    ],
)
def test_failed_review_changes_nothing(seeds_copy, kg_cli, args):
    before = files(seeds_copy)
    result = kg_cli("review", "--seeds", seeds_copy, *args)
    assert result.exit_code == 2 and "no candidate" in result.output
    assert files(seeds_copy) == before


def test_conditional_without_condition_is_refused(seeds_copy):
    items = review.pending(seeds_copy)
    before = files(seeds_copy)
    plain = next(i for i in items if not i.candidate.condition)
    with pytest.raises(review.ReviewError, match="condition"):
        review.correct(seeds_copy, plain.candidate.id, stance="conditional", items=items)
    assert files(seeds_copy) == before


def test_interactive_review_shows_the_sentence_and_asks(seeds_copy):
    items = review.pending(seeds_copy)
    result = CliRunner().invoke(main, ["review", "--seeds", str(seeds_copy)], input="r\ns\nq\n")
    assert result.exit_code == 0, result.output
    assert items[0].sentence[:40] in " ".join(result.output.split())
    assert "[a]ccept, [c]orrect, [r]eject" in result.output
    decisions = json.loads((seeds_copy / "curated" / "review.json").read_text(encoding="utf-8"))
    assert list(decisions) == [items[0].candidate.id]


def test_a_correction_that_adds_a_proposal_renames_no_other_candidate(seeds_copy, kg_cli):
    before = kg_cli("review", "--list", "--seeds", seeds_copy).output
    relinked = next(line for line in before.splitlines() if "additional movemen*" in line).split()[0]
    waiting = ids(kg_cli, seeds_copy)
    first = waiting[0]
    result = kg_cli("review", "--seeds", seeds_copy, "--correct", first, "--target", "additional movements")
    assert result.exit_code == 0, result.output
    after = kg_cli("review", "--list", "--seeds", seeds_copy).output
    assert ids(kg_cli, seeds_copy) == [i for i in waiting if i != first]
    line = next(line for line in after.splitlines() if line.startswith(relinked))
    assert "additional movements " in line  # linked to the new proposal now, under the same id


def test_extract_ids_do_not_depend_on_where_the_file_lies(seeds_copy, kg_cli, tmp_path):
    article = sorted((seeds_copy / "articles").glob("*.txt"))[0]
    elsewhere = tmp_path / "a" / "b" / "copy.txt"
    elsewhere.parent.mkdir(parents=True)
    elsewhere.write_bytes(article.read_bytes())
    here = kg_cli("extract", article, "--seeds", seeds_copy, "--format", "jsonl").output
    there = kg_cli("extract", elsewhere, "--seeds", seeds_copy, "--format", "jsonl").output
    assert here and here == there


def test_a_correction_with_quote_backslash_and_newline_is_read_back_as_written(seeds_copy):
    items = review.pending(seeds_copy)
    ident, condition, holder = (
        items[0].candidate.id,
        'only if "they" sign \\ now\nor later',
        'The "New" \\ Bloc',
    )
    review.correct(seeds_copy, ident, holder=holder, stance="conditional", condition=condition, items=items)
    position = next(p for p in curated_positions(seeds_copy) if p.iri.endswith(f"reviewed-{ident}"))
    assert position.condition == condition
    written = (seeds_copy / "curated" / "reviewed.ttl").read_text(encoding="utf-8")
    assert Graph().parse(data=written, format="turtle").value(URIRef(position.holder), RDFS.label) == Literal(
        holder, lang="en"
    )
