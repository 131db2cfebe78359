"""The one table printer for the terminal: left-aligned columns under a dashed header line.

>>> print(text_table(["party", "stance"], [["Russia", "oppose"], ["France", "support"]]))
party   stance
------  -------
Russia  oppose
France  support
>>> print(text_table(None, [["actors", "Every actor."], ["bridges", "Bridging parties."]]))
actors   Every actor.
bridges  Bridging parties.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["text_table"]


def text_table(headers: Sequence[str] | None, rows: Sequence[Sequence[str]], gap: int = 2) -> str:
    """``rows`` of strings in left-aligned columns ``gap`` spaces apart, under ``headers`` if given.

    Columns are as wide as their widest cell or header; no line ends in spaces. (tabulate's
    "simple" format is the same table but pads every header by two more spaces.)
    """
    lines = [list(headers)] if headers else []
    lines += [list(row) for row in rows]
    if not lines:
        return ""
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    space = " " * gap
    text = [space.join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines]
    if headers:
        text.insert(1, space.join("-" * w for w in widths))
    return "\n".join(text)
