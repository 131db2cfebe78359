"""Every command documents itself; the package works when installed outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import venv

import click
import pytest

from kg.cli import main

from .conftest import ROOT, SEEDS

COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(kg_cli, command):
    result = kg_cli(command, "--help")
    assert result.exit_code == 0
    assert main.commands[command].help, f"kg {command} has no help text"
    assert "Usage: main " + command in result.output or f"Usage: kg {command}" in result.output


def test_top_level_help_lists_every_command(kg_cli):
    output = kg_cli("--help").output
    for command in COMMANDS:
        assert command in output


def test_every_option_has_its_own_help_text():
    undocumented = [
        f"kg {command.name} --{param.name}"
        for command in main.commands.values()
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden and not (param.help or "").strip()
    ]
    assert not undocumented, undocumented


def test_help_documents_the_exit_codes(kg_cli):
    output = kg_cli("--help").output
    for code, meaning in (
        ("0", "success"),
        ("1", "does not conform"),
        ("2", "usage or input"),
        ("3", "environment"),
    ):
        assert f"{code} " in output and meaning in output


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["query", "no-such-query"], 2),  # an input error
        (["query", "positions", "--out", "{empty}"], 2),  # no build: run kg build first
        (["pull", "contested", "--endpoint", "http://127.0.0.1:9/query"], 3),  # nothing listens there
        (["query", "--format", "nope", "positions"], 2),  # click's own usage error
    ],
)
def test_exit_codes_say_what_kind_of_failure(kg_cli, tmp_path, args, code):
    result = kg_cli(*[a.replace("{empty}", str(tmp_path)) for a in args])
    assert result.exit_code == code, result.output


def test_non_editable_install_finds_its_data_files(tmp_path):
    """`pip install .` into a fresh venv, then run `kg build` from another directory."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)  # pip, setuptools: outer
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", str(ROOT)],
        capture_output=True,
        text=True,
        env={**os.environ, "PIP_NO_INDEX": "1"},
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    kg = env_dir / "bin" / "kg"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    build = subprocess.run(
        [kg, "build", "--seeds", SEEDS, "--out", workdir / "out"],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    listing = subprocess.run(
        [kg, "query", "--list", "--out", workdir / "out"],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert "positions" in listing.stdout
    where = subprocess.run(
        [python, "-c", "import kg.resources as r; print(r.ontology_file('neg.ttl'))"],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=env,
    )
    assert str(ROOT) not in where.stdout and "site-packages" in where.stdout, where.stdout + sys.version
