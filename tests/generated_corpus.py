"""A generated news corpus of any size, for tests and benchmarks at corpus scale.

Articles are assembled (seeded random, so the same arguments give the same files) from many
actors, proposals, negotiations and sentence patterns: reported and direct speech, support,
opposition, conditions, refusals, and background sentences with no position at all, so no two
articles are the same text. Each article has a headline line, a dateline and 5-9 paragraphs
(about 300-500 words). ``write_corpus`` also writes ``manifest.csv`` (file, title, date,
publisher, url) for ``kg ingest``.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

__all__ = ["article_texts", "write_corpus"]

_NEGOTIATIONS = {
    "fisheries": [
        "the fisheries subsidies agreement",
        "a ban on subsidies for illegal fishing",
        "a special fund for small-scale fishers",
        "a two-year transition period for developing countries",
    ],
    "climate": [
        "the carbon border adjustment",
        "a loss and damage fund",
        "a global methane pledge",
        "binding emission targets for 2035",
    ],
    "ceasefire": [
        "a ceasefire along the northern front",
        "a prisoner exchange",
        "a humanitarian corridor to the port",
        "international monitors on the line of contact",
    ],
    "trade": [
        "the free trade agreement",
        "tariff cuts on farm goods",
        "a safeguard clause for beef imports",
        "joint rules on deforestation",
    ],
    "budget": [
        "the stopgap spending bill",
        "funding for the border wall",
        "a one-year freeze on federal pay",
        "the disaster relief package",
    ],
    "strike": [
        "the new residuals formula",
        "limits on the use of artificial intelligence in writing",
        "minimum staffing for writers' rooms",
        "a health plan contribution increase",
    ],
}
_COUNTRIES = [
    ("Norway", "Norwegian", "Oslo"),
    ("Brazil", "Brazilian", "Brasilia"),
    ("India", "Indian", "New Delhi"),
    ("Japan", "Japanese", "Tokyo"),
    ("Kenya", "Kenyan", "Nairobi"),
    ("Mexico", "Mexican", "Mexico City"),
    ("Indonesia", "Indonesian", "Jakarta"),
    ("Canada", "Canadian", "Ottawa"),
    ("Turkey", "Turkish", "Ankara"),
    ("Egypt", "Egyptian", "Cairo"),
    ("Argentina", "Argentine", "Buenos Aires"),
    ("Poland", "Polish", "Warsaw"),
]
_FIRST = ["Anna", "Marco", "Priya", "Kenji", "Amina", "Lucas", "Sofia", "Omar", "Elena", "David", "Ines"]
_LAST = ["Berg", "Silva", "Rao", "Tanaka", "Odhiambo", "Herrera", "Wijaya", "Tremblay", "Demir", "Nasser"]
_TITLES = ["Foreign Minister", "Trade Minister", "chief negotiator", "Prime Minister", "Environment Minister"]
_BODIES = ["the European Commission", "the African Union", "the World Trade Organization", "union leaders"]
_PUBLISHERS = ["Global Wire", "The Daily Ledger", "Harbor Times", "Continental News Service", "Metro Post"]
_SUPPORT = [
    "{speaker} said {country} would support {proposal}.",
    "{speaker} told reporters that {country} backs {proposal}.",
    '"We welcome {proposal} and will sign it," {speaker} said.',
    "{country} endorsed {proposal} on {weekday}, {speaker} said.",
    "{speaker} called for {proposal} to be adopted before the end of the year.",
]
_OPPOSE = [
    "{speaker} said {country} opposes {proposal}.",
    '"{country} cannot accept {proposal}," {speaker} told the conference.',
    "{speaker} rejected {proposal}, saying it would hurt {adjective} workers.",
    "{country} will not agree to {proposal}, {speaker} said on {weekday}.",
    "{speaker} warned against {proposal}, calling it unacceptable.",
]
_CONDITIONAL = [
    "{speaker} said {country} could accept {proposal} only if its farmers were protected.",
    "{country} would back {proposal} provided that the monitors were neutral, {speaker} said.",
]
_REPORTED = [
    "According to {reporter}, {country} has dropped its objections to {proposal}.",
    "{reporter} said {other} had privately rejected {proposal}.",
]
_BACKGROUND = [
    "Talks resumed on {weekday} after a pause of {number} days.",
    "Delegates worked late into the night in {capital}, officials said.",
    "The next round is scheduled for {month}.",
    "Negotiators have met {number} times since the process began.",
    "Markets in {capital} were calm as the meeting opened.",
    "The talks are seen as a test of {adjective} diplomacy.",
    "Several delegations declined to comment on the details.",
    "Observers said progress had been slow but steady.",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
_MONTHS = ["January", "March", "May", "July", "September", "November"]


def _people(rng: random.Random) -> list[tuple[str, tuple[str, str, str]]]:
    people = []
    for country in _COUNTRIES:
        for _ in range(2):
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            people.append((f"{country[1]} {rng.choice(_TITLES)} {name}", country))
    return people


def _sentence(rng: random.Random, people, proposals: list[str]) -> str:
    speaker, country = rng.choice(people)
    other = rng.choice(_COUNTRIES)
    values = {
        "speaker": speaker,
        "country": country[0],
        "adjective": country[1],
        "capital": country[2],
        "other": other[0],
        "proposal": rng.choice(proposals),
        "reporter": rng.choice(_BODIES + [p for p, _ in people]),
        "weekday": rng.choice(_WEEKDAYS),
        "month": rng.choice(_MONTHS),
        "number": str(rng.randint(2, 40)),
    }
    kind = rng.choices([_SUPPORT, _OPPOSE, _CONDITIONAL, _REPORTED, _BACKGROUND], weights=[3, 3, 1, 1, 4])[0]
    text = rng.choice(kind).format(**values)
    return text[0].upper() + text[1:]


def article_texts(count: int, seed: int = 0) -> list[tuple[str, str, date, str]]:
    """``count`` (title, text, date, publisher) tuples; the same arguments give the same articles."""
    rng = random.Random(seed)
    people = _people(rng)
    start = date(2023, 1, 2)
    articles = []
    for number in range(count):
        topic = rng.choice(sorted(_NEGOTIATIONS))
        proposals = _NEGOTIATIONS[topic]
        speaker, country = rng.choice(people)
        title = f"Dispatch {number}: {country[0]} weighs {rng.choice(proposals)}"
        paragraphs = []
        for _ in range(rng.randint(5, 9)):
            paragraphs.append(" ".join(_sentence(rng, people, proposals) for _ in range(rng.randint(2, 4))))
        day = start + timedelta(days=rng.randint(0, 600))
        dateline = f"{country[2].upper()}, {day.strftime('%B')} {day.day} ({rng.choice(_PUBLISHERS)}) -"
        text = f"{title}\n\n{dateline} {paragraphs[0]}\n\n" + "\n\n".join(paragraphs[1:]) + "\n"
        articles.append((title, text, day, rng.choice(_PUBLISHERS)))
    return articles


def write_corpus(folder: Path, count: int, seed: int = 0) -> Path:
    """Write ``count`` articles as ``dispatch-NNNNN.txt`` and their ``manifest.csv``; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["file", "title", "date", "publisher", "url"])
        for number, (title, text, day, publisher) in enumerate(article_texts(count, seed)):
            name = f"dispatch-{number:05d}.txt"
            (folder / name).write_text(text, encoding="utf-8")
            url = f"https://news.example/{day.isoformat()}/dispatch-{number}"
            writer.writerow([name, title, day.isoformat(), publisher, url])
    return folder
