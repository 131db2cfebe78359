"""kg push / kg pull against a real OpenLink Virtuoso (Debian's virtuoso-opensource), started here."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path
from string import Template

import httpx
import pytest

from kg.serve.process import free_port
from kg.sparql.engines import load_oxigraph, run_query
from kg.sparql.queries import NamedQuery, named_queries
from kg.sparql.remote import DATA_GRAPHS, push, remote_for

from .conftest import comparable_rows, local_counts, sample_params, stored_counts

INI = Path(__file__).parent / "data" / "virtuoso.ini"
USER, PASSWORD = "dba", "dba"  # a fresh database's administrator


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> str:
    """The base URL of a fresh `virtuoso-t` on loopback ports, its database in a tmp directory."""
    binary = shutil.which("virtuoso-t")
    assert binary, "virtuoso-t not found: apt-get install virtuoso-opensource-7-bin (tests/run.sh does)"
    directory = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    while sql_port == http_port:
        sql_port = free_port()
    ini = directory / "virtuoso.ini"
    settings = Template(INI.read_text()).substitute(dir=directory, http_port=http_port, sql_port=sql_port)
    ini.write_text(settings)
    url = f"http://127.0.0.1:{http_port}"
    with open(directory / "console.log", "wb") as console:
        command = [binary, "-f", "-c", str(ini)]  # -f: in the foreground, so terminate() stops it
        server = subprocess.Popen(command, cwd=directory, stdout=console, stderr=console)
        try:
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, (directory / "console.log").read_text()[-2000:]
                assert time.monotonic() < deadline, "Virtuoso did not answer in 60 s"
                try:
                    if httpx.get(f"{url}/sparql", params={"query": "ASK {}"}).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _remote(url: str):
    return remote_for(f"{url}/sparql", f"{url}/sparql-graph-crud-auth", USER, PASSWORD)


@pytest.fixture(scope="module")
def pushed(built, virtuoso) -> str:
    """Virtuoso holding the built graph."""
    push(built, _remote(virtuoso))
    return virtuoso


def test_kg_push_replaces_every_graph_and_reports_matching_counts(built, virtuoso, kg_cli):
    expected = local_counts(built)
    login = ["--user", USER, "--password", PASSWORD, "--out", built]
    store = ["--graph-store", f"{virtuoso}/sparql-graph-crud-auth"]
    first = kg_cli("push", "--endpoint", f"{virtuoso}/sparql", *store, *login)
    second = kg_cli("push", "--endpoint", f"{virtuoso}/sparql-auth", *login)  # derives the same store
    for result in (first, second):
        assert result.exit_code == 0, result.output
        assert f"replaced {len(expected)} graphs at {store[1]};" in result.output
        for iri, count in expected.items():
            assert re.search(rf"{re.escape(iri)}\s+{count}\s+{count}\s+ok\n", result.output)
    assert stored_counts(f"{virtuoso}/sparql") == expected  # pushing twice leaves one copy


def test_wrong_password_is_one_clear_line_and_nothing_is_replaced(built, pushed, kg_cli):
    graph = DATA_GRAPHS[0]
    marker = b"<urn:x:s> <urn:x:p> <urn:x:o> .\n"
    store = f"{pushed}/sparql-graph-crud-auth"
    auth = httpx.DigestAuth(USER, PASSWORD)
    assert httpx.put(store, params={"graph": graph}, content=marker, auth=auth).status_code in (200, 201, 204)
    try:
        args = ["--endpoint", f"{pushed}/sparql", "--graph-store", store, "--user", USER, "--password", "x"]
        result = kg_cli("push", *args, "--out", built)
        assert result.exit_code == 3
        assert result.output == (
            f"error: {store} refused the credentials (HTTP 401): check --user and --password\n"
        )
        assert stored_counts(f"{pushed}/sparql")[graph] == 1
    finally:
        push(built, _remote(pushed))


def test_authenticated_query_endpoint_takes_digest_and_refuses_a_wrong_password(pushed, kg_cli):
    auth = ["--endpoint", f"{pushed}/sparql-auth", "--user", USER]
    ok = kg_cli("pull", "contested", *auth, "--password", PASSWORD)
    assert ok.exit_code == 0, ok.output
    assert ok.output == kg_cli("pull", "contested", "--endpoint", f"{pushed}/sparql").output
    wrong = kg_cli("pull", "contested", *auth, "--password", "x")
    assert wrong.exit_code == 3
    assert "refused the credentials (HTTP 401)" in wrong.output and len(wrong.output.splitlines()) == 1


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_pull_answers_every_named_query_like_kg_query(built, pushed, name):
    query = named_queries()[name]
    params = sample_params(query)
    rows = comparable_rows(remote_for(f"{pushed}/sparql").query(query, params), query)
    local = comparable_rows(run_query(load_oxigraph(built), query, params), query)
    assert sorted(rows, key=repr) == sorted(local, key=repr)


def test_kg_pull_prints_the_same_table_as_kg_query(built, pushed, kg_cli):
    pulled = kg_cli("pull", "contested", "--endpoint", f"{pushed}/sparql")
    assert pulled.exit_code == 0, pulled.output
    assert pulled.output == kg_cli("query", "contested", "--store", "oxigraph", "--out", built).output


def test_pull_sees_the_pushed_graphs_not_virtuosos_own(built, pushed):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    count = NamedQuery("count", "", text)
    remote = remote_for(f"{pushed}/sparql").query(count).rows
    assert remote == run_query(load_oxigraph(built), count).rows
    # without default-graph-uri, Virtuoso's default graph also holds its system graphs
    plain = httpx.post(f"{pushed}/sparql", data={"query": text}, headers={"Accept": "application/json"})
    assert int(plain.json()["results"]["bindings"][0]["n"]["value"]) > int(remote[0][0])
