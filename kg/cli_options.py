"""Click options shared by every command module (kg/cli.py and kg/extract/commands.py)."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["OUT", "SEEDS"]

SEEDS = click.option(
    "--seeds",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("seeds"),
    show_default=True,
    help="Directory with articles.ttl, articles/ and curated/.",
)
OUT = click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Directory the build writes into and queries read from.",
)
