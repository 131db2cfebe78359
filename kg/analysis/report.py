"""The analysis for people and programs: terminal tables, the stance-matrix CSV, the JSON document.

Proposals are numbered once, in label order (``[1]``...), and every table refers to them by
number, so rows stay short.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from kg.analysis.alignment import alignment_records
from kg.analysis.positions import Analysis
from kg.analysis.timeline import timeline_records
from kg.files import write_atomic

__all__ = ["analysis_document", "analysis_json", "analysis_tables", "matrix_csv", "write_analysis_files"]

_SYMBOL = {"support": "+", "conditional": "~", "oppose": "-", "unknown": "."}


def _table(headers: list[str], rows: list[list[str]], gap: str = "  ") -> str:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = [gap.join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines.append(gap.join("-" * w for w in widths))
    lines += [gap.join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


def _short(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


class _Names:
    def __init__(self, analysis: Analysis):
        self.label = analysis.label
        self.number = {p: i for i, p in enumerate(analysis.matrix.proposals, start=1)}

    def proposals(self, iris) -> str:
        return ", ".join(str(self.number[p]) for p in sorted(iris, key=self.number.get)) or "-"

    def parties(self, iris) -> str:
        return ", ".join(sorted(self.label(p) for p in iris)) or "-"


def _matrix_section(analysis: Analysis, names: _Names) -> str:
    matrix = analysis.matrix
    legend = _table(["#", "proposal"], [[str(names.number[p]), names.label(p)] for p in matrix.proposals])
    headers = ["party"] + [str(names.number[p]) for p in matrix.proposals]
    rows = [
        [names.label(party)] + [_SYMBOL[matrix.cell(party, p)] for p in matrix.proposals]
        for party in matrix.parties
    ]
    key = "+ support   ~ conditional support   - oppose   . unknown (no position)"
    return f"Proposals\n{legend}\n\nStance matrix (current stance; {key})\n{_table(headers, rows, ' ')}"


def _alignment_section(analysis: Analysis, names: _Names) -> str:
    rows = [
        [
            names.label(a.party_a),
            names.label(a.party_b),
            str(a.shared),
            str(len(a.agree_on)),
            str(len(a.disagree_on)),
            f"{a.score:+.2f}",
            names.proposals(a.agree_on),
            names.proposals(a.disagree_on),
        ]
        for a in analysis.alignments
    ]
    headers = ["party", "party", "shared", "agree", "disagree", "score", "agree on", "disagree on"]
    table = _table(headers, rows)
    return (
        "Alignment (score = (agree - disagree) / shared proposals; pairs with nothing shared are "
        f"not listed)\n{table}"
    )


def _coalition_section(analysis: Analysis, names: _Names) -> str:
    rows = [[str(i), names.parties(group)] for i, group in enumerate(analysis.coalitions, start=1)]
    coalitions = _table(["#", "members"], rows)
    bridge_rows = [
        [names.label(b.party), f"{b.betweenness:.3f}", ", ".join(str(i + 1) for i in b.coalitions)]
        for b in analysis.bridges
    ]
    bridges = _table(["party", "betweenness", "agrees with coalitions"], bridge_rows)
    return (
        f"Coalitions (Louvain communities of the pairs that agree more than they disagree)\n"
        f"{coalitions}\n\nBridging parties (betweenness on the graph of net agreement)\n{bridges}"
    )


def _contested_section(analysis: Analysis, names: _Names) -> str:
    rows = [
        [
            f"[{names.number[c.proposal]}] {names.label(c.proposal)}",
            str(c.conflicts),
            f"{c.evenness:.2f}",
            names.parties(c.supporters),
            names.parties(c.conditional),
            names.parties(c.opponents),
        ]
        for c in analysis.contested
    ]
    table = _table(["proposal", "split pairs", "evenness", "support", "conditional", "oppose"], rows)
    return (
        "Contested proposals (split pairs = supporters x opponents, most first; evenness = smaller "
        f"side / larger side)\n{table}"
    )


def _timeline_section(analysis: Analysis, names: _Names) -> str:
    kinds = {(c.party, c.after.position): c.kind for c in analysis.changes}
    rows = []
    order = sorted(analysis.timelines, key=lambda key: (names.label(key[0]), key[0], names.number[key[1]]))
    for party, proposal in order:
        for i, record in enumerate(analysis.timelines[(party, proposal)]):
            change = kinds.get((party, record.position) if i else None)
            rows.append(
                [
                    names.label(party) if i == 0 else "",
                    str(names.number[proposal]) if i == 0 else "",
                    record.date.isoformat() if record.date else "?",
                    names.label(record.holder),
                    record.stance + (f" ({record.modality})" if record.modality else ""),
                    f"! {change}" if change else "",
                    ", ".join(_short(s) for s in record.sources),
                ]
            )
    table = _table(["party", "#", "date", "holder", "stance", "change", "sources"], rows)
    return f"Timelines (each party's positions per proposal, oldest first; ! marks a change)\n{table}"


def _single_source_section(analysis: Analysis, names: _Names) -> str:
    claims = sorted(analysis.single_source, key=lambda c: (names.label(c.party), names.number[c.proposal]))
    rows = [
        [names.label(c.party), str(names.number[c.proposal]), c.polarity, _short(c.article)] for c in claims
    ]
    table = _table(["party", "#", "side", "only source"], rows)
    return f"Claims resting on a single source (party, proposal and side reported by one article)\n{table}"


def analysis_tables(analysis: Analysis) -> str:
    """Every analysis as readable text tables, one section each."""
    positions = analysis.positions
    counted = {r.position for line in analysis.timelines.values() for r in line}
    if not counted:
        when = f" stated on or before {analysis.as_of.isoformat()}" if analysis.as_of else ""
        return f"No {' or '.join(positions.methods)} positions{when} to analyse.\n"
    names = _Names(analysis)
    scope = (
        f"{len(counted)} {'/'.join(positions.methods)} positions, "
        f"{len(analysis.matrix.parties)} {'parties' if positions.level == 'party' else 'holders'}, "
        f"{len(analysis.matrix.proposals)} proposals"
        + (f", as of {analysis.as_of.isoformat()}" if analysis.as_of else "")
    )
    sections = [
        f"Analysis of {scope}",
        _matrix_section(analysis, names),
        _alignment_section(analysis, names),
        _coalition_section(analysis, names),
        _contested_section(analysis, names),
        _timeline_section(analysis, names),
        _single_source_section(analysis, names),
    ]
    return "\n\n".join(sections) + "\n"


def matrix_csv(analysis: Analysis) -> str:
    """The stance matrix as CSV: one row per party, one column per proposal (IRI and label rows)."""
    matrix = analysis.matrix
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["party", "partyLabel"] + list(matrix.proposals))
    writer.writerow(["", ""] + [analysis.label(p) for p in matrix.proposals])
    for party in matrix.parties:
        writer.writerow([party, analysis.label(party)] + [matrix.cell(party, p) for p in matrix.proposals])
    return buffer.getvalue()


def analysis_document(analysis: Analysis) -> dict:
    """Every analysis as one JSON-ready document (IRIs as ids, labels alongside)."""
    label = analysis.label
    positions = analysis.positions
    return {
        "level": positions.level,
        "methods": list(positions.methods),
        "asOf": analysis.as_of.isoformat() if analysis.as_of else None,
        "parties": [{"id": p, "label": label(p)} for p in analysis.matrix.parties],
        "proposals": [{"id": p, "label": label(p)} for p in analysis.matrix.proposals],
        "matrix": [
            {"party": p, "stances": {t: analysis.matrix.cell(p, t) for t in analysis.matrix.proposals}}
            for p in analysis.matrix.parties
        ],
        "alignment": alignment_records(analysis.alignment_graph, analysis.coalitions),
        "coalitions": [sorted(group) for group in analysis.coalitions],
        "bridges": [
            {"party": b.party, "betweenness": b.betweenness, "coalitions": list(b.coalitions)}
            for b in analysis.bridges
        ],
        "contested": [
            {
                "proposal": c.proposal,
                "evenness": round(c.evenness, 6),
                "splitPairs": c.conflicts,
                "support": list(c.supporters),
                "conditional": list(c.conditional),
                "oppose": list(c.opponents),
            }
            for c in analysis.contested
        ],
        "timelines": timeline_records(analysis.timelines, positions.labels),
        "changes": [
            {
                "party": c.party,
                "proposal": c.proposal,
                "kind": c.kind,
                "from": c.before.position,
                "to": c.after.position,
            }
            for c in analysis.changes
        ],
        "singleSource": [
            {
                "party": c.party,
                "proposal": c.proposal,
                "polarity": c.polarity,
                "article": c.article,
                "positions": list(c.positions),
            }
            for c in analysis.single_source
        ],
        "articles": [
            {"id": a, "title": title, "published": published.isoformat() if published else None}
            for a, (title, published) in sorted(positions.articles.items())
        ],
    }


def analysis_json(analysis: Analysis) -> bytes:
    """The JSON document as UTF-8 bytes, keys sorted: the same analysis gives the same bytes."""
    text = json.dumps(analysis_document(analysis), indent=2, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def write_analysis_files(analysis: Analysis, out_dir: Path, with_json: bool = False) -> list[Path]:
    """Write ``matrix.csv`` (and ``analysis.json`` when asked) into ``out_dir`` atomically."""
    files = {out_dir / "matrix.csv": matrix_csv(analysis).encode("utf-8")}
    if with_json:
        files[out_dir / "analysis.json"] = analysis_json(analysis)
    write_atomic(files)
    return sorted(files)
