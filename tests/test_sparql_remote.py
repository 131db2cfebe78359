"""kg push / kg pull against a real, writable Oxigraph server on a loopback port."""

from __future__ import annotations

import base64
import http.client
import re
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kg.serve.process import OxigraphServer, free_port
from kg.sparql.engines import load_oxigraph, run_query
from kg.sparql.queries import named_queries
from kg.sparql.remote import push, remote_for

from .conftest import comparable_rows, local_counts, sample_params, stored_counts

USER, PASSWORD = "analyst", "s3cret"


@pytest.fixture
def store(tmp_path):
    """A writable `oxigraph serve` (plain default graph, as a shared store would have)."""
    server = OxigraphServer(tmp_path / "db", read_only=False, union_default_graph=False).start()
    try:
        yield server
    finally:
        server.stop()


class _Gateway(BaseHTTPRequestHandler):
    """A reverse proxy in front of the store, as deployments have: optional Basic auth, a body size
    cap, and the store's paths under another product's layout (``paths``: prefix -> store path)."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if self.server.auth and self.headers.get("Authorization") != expected:
            return self._answer(401, b"unauthorized", {"WWW-Authenticate": 'Basic realm="store"'})
        if len(body) > self.server.max_body:
            return self._answer(413, b"request entity too large")
        path, _, query = self.path.partition("?")
        if path not in self.server.paths:
            return self._answer(404, b"not found")
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.store_port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("accept", "content-type")}
        target = self.server.paths[path] + (f"?{query}" if query else "")
        upstream.request(self.command, target, body, headers)
        response = upstream.getresponse()
        kind = {"Content-Type": response.getheader("Content-Type", "")}
        self._answer(response.status, response.read(), kind)
        upstream.close()

    def _answer(self, status: int, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _forward


@contextmanager
def _gateway(store, auth: bool, max_body: int, paths: dict[str, str]):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
    server.store_port, server.auth, server.max_body, server.paths = store.port, auth, max_body, paths
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture
def gateway(store):
    """The store behind an authenticating proxy that refuses bodies over 100 kB."""
    with _gateway(store, True, 100_000, {"/query": "/query", "/store": "/store"}) as url:
        yield url


# How Apache Jena Fuseki and GraphDB lay out a dataset's endpoints (their documentation)
LAYOUTS = {
    "fuseki": ("/ds", {"/ds/sparql": "/query", "/ds/query": "/query", "/ds/data": "/store"}),
    "graphdb": (
        "/repositories/neg",
        {"/repositories/neg": "/query", "/repositories/neg/rdf-graphs/service": "/store"},
    ),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_push_and_pull_work_with_fuseki_and_graphdb_url_layouts(built, store, kg_cli, layout):
    dataset, paths = LAYOUTS[layout]
    with _gateway(store, False, 10**9, paths) as url:
        pushed = kg_cli("push", "--endpoint", url + dataset, "--out", built)
        assert pushed.exit_code == 0, pushed.output
        assert pushed.output.startswith(f"replaced 5 graphs at {url}{dataset}/")
        pulled = kg_cli("pull", "contested", "--endpoint", url + dataset)
    assert pulled.exit_code == 0, pulled.output
    assert pulled.output == kg_cli("query", "contested", "--store", "oxigraph", "--out", built).output


def test_push_replaces_every_graph_and_reports_matching_counts(built, store, kg_cli):
    expected = local_counts(built)
    first = kg_cli("push", "--endpoint", store.url, "--out", built)
    assert first.exit_code == 0, first.output
    for iri, count in expected.items():
        assert re.search(rf"{re.escape(iri)}\s+{count}\s+{count}\s+ok\n", first.output)
    second = kg_cli("push", "--endpoint", store.url, "--out", built)
    assert second.exit_code == 0
    assert stored_counts(store.url) == expected  # pushing twice leaves one copy


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_pull_answers_every_named_query_like_kg_query(built, store, name):
    push(built, remote_for(store.url))
    query = named_queries()[name]
    params = sample_params(query)
    remote = remote_for(f"{store.url}/query").query(query, params)
    local = run_query(load_oxigraph(built), query, params)
    assert sorted(comparable_rows(remote, query), key=repr) == sorted(comparable_rows(local, query), key=repr)


def test_kg_pull_prints_the_same_table_as_kg_query(built, store, kg_cli):
    push(built, remote_for(store.url))
    pulled = kg_cli("pull", "contested", "--endpoint", store.url)
    local = kg_cli("query", "contested", "--store", "oxigraph", "--out", built)
    assert pulled.exit_code == 0, pulled.output
    assert pulled.output == local.output
    via_query = kg_cli("query", "contested", "--endpoint", f"{store.url}/query")
    assert via_query.output == local.output


def test_a_hostile_parameter_cannot_change_a_remote_query(built, store):
    push(built, remote_for(store.url))
    query = named_queries()["positions-of"]
    hostile = 'x")) } UNION { ?position ?p ?holder . BIND(("'
    assert remote_for(store.url).query(query, {"actor": hostile}).rows == []
    assert remote_for(store.url).query(query, {"actor": "Lavrov"}).rows


def test_malformed_remote_query_names_line_and_column(store, kg_cli):
    result = kg_cli("pull", "SELECT * WHERE {\n ?s ?p \n}", "--endpoint", store.url)
    assert result.exit_code == 2
    assert "malformed SPARQL at line 3, column" in result.output


def test_unreachable_endpoint_is_one_clear_line(built, kg_cli):
    result = kg_cli("push", "--endpoint", f"http://127.0.0.1:{free_port()}", "--out", built)
    assert result.exit_code == 3
    assert result.output.startswith("error: cannot reach http://127.0.0.1:")
    assert len(result.output.strip().splitlines()) == 1


def test_wrong_password_is_one_clear_line_and_nothing_is_replaced(built, gateway, store, kg_cli):
    result = kg_cli("push", "--endpoint", gateway, "--user", USER, "--password", "wrong", "--out", built)
    assert result.exit_code == 3
    assert "refused the credentials (HTTP 401)" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert stored_counts(store.url) == {}


def test_a_store_that_rejects_a_graph_says_which_were_replaced(built, gateway, store, kg_cli):
    result = kg_cli("push", "--endpoint", gateway, "--user", USER, "--password", PASSWORD, "--out", built)
    assert result.exit_code == 3
    assert "HTTP 413" in result.output and len(result.output.strip().splitlines()) == 1
    replaced = result.output.split("replaced: ")[1].split(";")[0].split(", ")
    left = result.output.split("left as they were: ")[1].strip().split(", ")
    stored = stored_counts(store.url)
    assert sorted(stored) == sorted(replaced)  # exactly the graphs it names, and no others
    assert not set(left) & set(stored)


def test_read_only_store_rejects_the_data_with_nothing_replaced(built, tmp_path, kg_cli):
    location = tmp_path / "ro"
    with OxigraphServer(location, read_only=False):
        pass  # create an empty store
    with OxigraphServer(location, read_only=True) as server:
        result = kg_cli("push", "--endpoint", server.url, "--out", built)
    assert result.exit_code == 3
    assert "HTTP 403" in result.output and "replaced: none" in result.output


def test_urls_follow_oxigraph_fuseki_and_graphdb_conventions():
    assert remote_for("http://h:7878/query").store_url == "http://h:7878/store"
    assert remote_for("http://h:3030/ds").query_url == "http://h:3030/ds/sparql"
    assert remote_for("http://h:3030/ds/query").store_url == "http://h:3030/ds/data"
    assert (
        remote_for("http://h:7200/repositories/neg").store_url
        == "http://h:7200/repositories/neg/rdf-graphs/service"
    )
    assert remote_for("http://h:8890/sparql", "http://h:8890/sparql-graph-crud-auth").store_url.endswith(
        "-auth"
    )
