"""Many generated positions on the seeds' actors, proposals and articles, for the page at corpus size.

``add_generated_positions`` writes extracted positions into a built dataset with
``kg.graph.add_positions``, without running the extractor: holders drawn from the graph's actors,
proposals with a long tail (the first few far more discussed than the rest, as in a real corpus,
so the same claim comes back from several articles), each quoting a span of a seed article.
Seeded: the same arguments give the same positions.
"""

from __future__ import annotations

import random
from datetime import date

from rdflib import Dataset
from rdflib.namespace import RDF

from kg.graph import add_positions, graph_iri, load_ontology
from kg.model import Article, Evidence, Position
from kg.namespace import NEG, POSITION
from kg.vocabulary import vocabulary

__all__ = ["GENERATED", "add_generated_positions", "generated_positions"]

GENERATED = 2000  # positions that take the seeds' graph past the page's limit (page-limits.json)
_ACTORS = (NEG.Person, NEG.Country, NEG.Institution, NEG.Group)


def _evidence(rng: random.Random, article: Article) -> Evidence:
    start = rng.randrange(0, len(article.text) - 100)
    end = start + rng.randint(30, 90)
    text = article.text
    return Evidence(
        article.iri, text[start:end], text[max(0, start - 20) : start], text[end : end + 20], start, end
    )


def generated_positions(
    dataset: Dataset, articles: list[Article], count: int, seed: int = 0
) -> list[Position]:
    """``count`` extracted positions on the actors and proposals of ``dataset``, quoting ``articles``."""
    rng = random.Random(seed)
    actors = sorted({str(a) for kind in _ACTORS for a in dataset.subjects(RDF.type, kind)})
    proposals = sorted(str(p) for p in set(dataset.subjects(RDF.type, NEG.Proposal)))
    weights = [1 / (rank + 1) for rank in range(len(proposals))]
    stances = [s.iri for s in vocabulary().stances]
    return [
        Position(
            iri=str(POSITION[f"x-generated-{i:05d}"]),
            holder=rng.choice(actors),
            stance=str(rng.choice(stances)),
            target=rng.choices(proposals, weights)[0],
            method="extracted",
            evidence=(_evidence(rng, rng.choice(articles)),),
            stated_on=date(2013, rng.randint(1, 12), rng.randint(1, 28)),
            confidence=round(rng.uniform(0.3, 0.9), 2),
        )
        for i in range(count)
    ]


def add_generated_positions(
    dataset: Dataset, articles: list[Article], count: int, seed: int = 0, reverse: bool = False
) -> Dataset:
    """Add ``generated_positions`` to the extracted graph of ``dataset`` (last first with
    ``reverse``); returns the dataset."""
    positions = generated_positions(dataset, articles, count, seed)
    if reverse:
        positions.reverse()
    add_positions(dataset.graph(graph_iri("extracted")), positions, load_ontology())
    return dataset
