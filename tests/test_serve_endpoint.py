"""kg serve: a real Oxigraph server behind the proxy, queried over HTTP with httpx."""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import logging
import math
import os
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from rdflib import Graph

from kg.render.screenshot import CHROMIUM, CHROMIUM_FLAGS
from kg.serve.app import GRACE, Limits, query_page
from kg.serve.endpoint import Endpoint, trusted_hosts
from kg.sparql.engines import load_oxigraph, run_query
from kg.sparql.queries import named_queries
from kg.sparql.remote import remote_for

from .conftest import comparable_rows, sample_params

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PERSONS = "CONSTRUCT WHERE { ?s a <https://w3id.org/neg-kg/ontology#Person> ; ?p ?o }"
TIMEOUT = 2


@contextlib.contextmanager
def _serving(out_dir, **options):
    """An Endpoint on a free port, answering from a thread until the block ends."""
    with Endpoint(out_dir, port=0, **options) as endpoint:
        thread = threading.Thread(target=endpoint.serve_forever, daemon=True)
        thread.start()
        try:
            yield endpoint
        finally:
            endpoint.shutdown()
            thread.join(10)


@pytest.fixture(scope="module")
def endpoint(built):
    """kg serve on the seeds build: 2 s time limit, 64 KiB held back before streaming."""
    with _serving(built, timeout=TIMEOUT, limits=Limits(hold_back=64 * 1024)) as endpoint:
        yield endpoint


TIGHT = Limits(connections=4, idle=1, body=1024)


@pytest.fixture(scope="module")
def tight(built):
    """kg serve with small limits, to reach them (4 connections, 1 s idle, 1 KiB bodies); kg.example."""
    with _serving(built, timeout=TIMEOUT, limits=TIGHT, allowed_hosts=["kg.example"]) as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def triples(built) -> int:
    return len(load_oxigraph(built))


def _count(url: str) -> int:
    accept = {"Accept": "application/sparql-results+json"}
    response = httpx.post(f"{url}/query", data={"query": COUNT}, headers=accept)
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize(
    "accept, read",
    [
        ("application/sparql-results+json", lambda t: json.loads(t)["results"]["bindings"][0]["n"]["value"]),
        (
            "application/sparql-results+xml",
            lambda t: ET.fromstring(t).find(".//{http://www.w3.org/2005/sparql-results#}literal").text,
        ),
        ("text/csv", lambda t: list(csv.reader(io.StringIO(t)))[1][0]),
        ("text/tab-separated-values", lambda t: t.splitlines()[1].split("^^")[0].strip('"')),
    ],
)
def test_select_results_in_each_format_by_accept(endpoint, triples, accept, read):
    response = httpx.post(f"{endpoint.url}/query", data={"query": COUNT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    assert int(read(response.text)) == triples


@pytest.mark.parametrize("accept, syntax", [("text/turtle", "turtle"), ("application/ld+json", "json-ld")])
def test_construct_results_as_turtle_and_json_ld(endpoint, built, accept, syntax):
    response = httpx.get(f"{endpoint.url}/sparql", params={"query": PERSONS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    expected = len(list(load_oxigraph(built).query(PERSONS, use_default_graph_as_union=True)))
    assert expected > 0
    assert len(Graph().parse(data=response.text, format=syntax)) == expected


def test_get_post_form_and_post_query_body_give_one_answer(endpoint):
    accept = {"Accept": "application/sparql-results+json"}
    by_get = httpx.get(f"{endpoint.url}/query", params={"query": COUNT}, headers=accept).json()
    by_form = httpx.post(f"{endpoint.url}/sparql", data={"query": COUNT}, headers=accept).json()
    by_body = httpx.post(
        f"{endpoint.url}/query", content=COUNT, headers={**accept, "Content-Type": "application/sparql-query"}
    ).json()
    assert by_get == by_form == by_body


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_over_http_matches_kg_query_store_oxigraph(endpoint, built, name):
    query = named_queries()[name]
    params = sample_params(query)
    remote = remote_for(f"{endpoint.url}/query").query(query, params)
    local = run_query(load_oxigraph(built), query, params)
    assert remote.vars == local.vars
    assert sorted(comparable_rows(remote, query), key=repr) == sorted(comparable_rows(local, query), key=repr)


@pytest.mark.parametrize(
    "method, path, kwargs",
    [
        ("POST", "/update", {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}),
        (
            "POST",
            "/query",
            {
                "content": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                "headers": {"Content-Type": "application/sparql-update"},
            },
        ),
        ("POST", "/sparql", {"data": {"update": "DROP ALL"}}),
        (
            "PUT",
            "/store?graph=urn:g",
            {"content": "<urn:a> <urn:b> <urn:c> .", "headers": {"Content-Type": "application/n-triples"}},
        ),
        (
            "POST",
            "/store?graph=urn:g",
            {"content": "<urn:a> <urn:b> <urn:c> .", "headers": {"Content-Type": "application/n-triples"}},
        ),
        ("DELETE", "/store?graph=https://w3id.org/neg-kg/graph/curated", {}),
    ],
)
def test_updates_and_graph_store_writes_are_refused(endpoint, triples, method, path, kwargs):
    response = httpx.request(method, f"{endpoint.url}{path}", **kwargs)
    assert response.status_code == 403
    assert "read-only" in response.text
    assert _count(endpoint.url) == triples


def test_malformed_query_is_a_400_with_line_and_column(endpoint):
    response = httpx.post(f"{endpoint.url}/query", data={"query": "SELECT * WHERE {\n ?s ?p \n}"})
    assert response.status_code == 400
    assert response.text.startswith("malformed SPARQL at line 3, column ")


def test_a_query_past_the_time_limit_is_stopped_with_a_503(endpoint, triples):
    started = time.monotonic()
    response = httpx.post(
        f"{endpoint.url}/query",
        timeout=60,
        data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"},
    )
    assert response.status_code == 503
    assert "time limit" in response.text
    assert time.monotonic() - started < TIMEOUT + GRACE + 3
    assert _count(endpoint.url) == triples  # and the server still answers


def test_a_large_result_is_streamed_whole(endpoint, triples):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    with httpx.stream(
        "POST", f"{endpoint.url}/query", data={"query": query}, headers={"Accept": "text/csv"}, timeout=60
    ) as response:
        assert response.headers.get("transfer-encoding") == "chunked"  # bigger than the 64 KiB held back
        body = response.read().decode("utf-8")
    assert len(list(csv.reader(io.StringIO(body)))) == triples + 1


def test_a_huge_result_and_a_client_that_leaves_do_not_take_the_server_down(endpoint, triples):
    huge = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # tens of millions of rows
    with httpx.stream(
        "POST", f"{endpoint.url}/query", data={"query": huge}, headers={"Accept": "text/csv"}, timeout=60
    ) as response:
        assert response.status_code in (200, 503)
        next(response.iter_bytes())  # read a little, then hang up
    with pytest.raises(httpx.HTTPError):  # read to the end: cut off at the time limit, never "complete"
        with httpx.stream(
            "POST", f"{endpoint.url}/query", data={"query": huge}, headers={"Accept": "text/csv"}, timeout=60
        ) as response:
            response.raise_for_status()
            for _ in response.iter_bytes():
                pass
    assert _count(endpoint.url) == triples


def test_query_page_lists_the_named_queries(endpoint):
    page = httpx.get(f"{endpoint.url}/").text
    assert '<script src="yasgui.min.js">' in page  # served here, from the oxigraph package
    for name in named_queries():
        assert f'"name": "{name}"' in page
    assert httpx.get(f"{endpoint.url}/yasgui.min.js").status_code == 200


def test_every_example_on_the_page_answers_like_kg_query(built, endpoint):
    page = httpx.get(f"{endpoint.url}/").text
    data = page.split('<script type="application/json" id="queries">')[1].split("</script>")[0]
    examples = {e["name"]: e["text"] for e in json.loads(data)}
    store = load_oxigraph(built)
    for name, query in named_queries().items():
        if query.params and "# Bind ?" in examples[name]:
            continue  # no example value in its description: the page asks the user to bind it
        params = sample_params(query)
        page_query = replace(query, text=examples[name], params={})
        served = remote_for(f"{endpoint.url}/query").query(page_query)
        expected = comparable_rows(run_query(store, query, params), query)
        assert sorted(comparable_rows(served, query), key=repr) == sorted(expected, key=repr), name
        assert served.rows or not query.params, name  # the example value finds something


def test_graph_page_is_served_and_linked_when_built(built, tmp_path):
    out = shutil.copytree(built, tmp_path / "out")
    (out / "graph.html").write_text("<!DOCTYPE html><title>graph</title>", encoding="utf-8")
    with _serving(out, timeout=TIMEOUT) as endpoint:
        assert 'href="graph.html"' in httpx.get(f"{endpoint.url}/").text
        assert httpx.get(f"{endpoint.url}/graph.html").text.startswith("<!DOCTYPE html>")
        assert httpx.get(f"{endpoint.url}/%2e%2e/%2e%2e/etc/passwd").status_code == 404


def test_without_a_graph_page_the_page_says_so(tmp_path):
    page = query_page(tmp_path, 30)
    assert 'href="graph.html"' not in page and "No interactive graph page yet" in page


def _process(stat: Path) -> tuple[str, str, int] | None:
    """Name, state and parent id from a /proc/PID/stat file (Linux); None once it has ended."""
    try:
        text = stat.read_text()
    except OSError:
        return None
    name, rest = text.split("(", 1)[1].rsplit(")", 1)
    state, ppid = rest.split()[:2]
    return name, state, int(ppid)


def _oxigraph_children(parent: int) -> set[int]:
    """The running oxigraph processes started by ``parent`` (others' servers are not counted)."""
    return {
        int(stat.parent.name)
        for stat in Path("/proc").glob("[0-9]*/stat")
        if (found := _process(stat)) and found[0] == "oxigraph" and found[1] != "Z" and found[2] == parent
    }


def _alive(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running as oxigraph, whoever their parent is now."""
    return {
        pid
        for pid in pids
        if (found := _process(Path(f"/proc/{pid}/stat"))) and found[0] == "oxigraph" and found[1] != "Z"
    }


@pytest.mark.parametrize(
    "trig, message",
    [
        (None, "no built graph here: run `kg build` first"),
        ("<urn:a> <urn:b> .\n", "oxigraph could not load the graph: "),
    ],
)
def test_kg_serve_without_a_readable_graph_is_one_line_and_stops_its_server(tmp_path, kg_cli, trig, message):
    if trig is not None:
        (tmp_path / "graph.trig").write_text(trig, encoding="utf-8")
    before = _oxigraph_children(os.getpid())  # the module's endpoint has one
    result = kg_cli("serve", "--port", "0", "--out", tmp_path)
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and message in result.output
    assert str(tmp_path / "graph.trig") in result.output
    assert _oxigraph_children(os.getpid()) <= before  # the Oxigraph it started is gone


@contextlib.contextmanager
def _kg_serve(built):
    """`kg serve` in its own process on a free port: the process and its base URL."""
    command = [sys.executable, "-m", "kg.cli", "serve", "--port", "0", "--out", str(built)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        first = process.stdout.readline()
        assert first.startswith("query page:      http://127.0.0.1:"), first
        yield process, first.split()[-1].rstrip("/")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_kg_serve_binds_loopback_and_stops_with_its_oxigraph(built, stop):
    with _kg_serve(built) as (process, url):
        assert httpx.get(f"{url}/query", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
        started = _oxigraph_children(process.pid)
        assert started  # its own Oxigraph server runs
        process.send_signal(stop)
        assert process.wait(timeout=20) == 0
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/")
        assert not _alive(started)  # and is gone with it


def test_oxigraph_does_not_outlive_a_killed_kg_serve(built):
    with _kg_serve(built) as (process, _url):
        started = _oxigraph_children(process.pid)
        assert started
        process.kill()  # no chance to clean up: the kernel tells its Oxigraph server
        process.wait()
        deadline = time.monotonic() + 10
        while _alive(started) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(started)


def _connect(endpoint) -> socket.socket:
    host, port = endpoint.socket.getsockname()[:2]
    return socket.create_connection((host, port), timeout=10)


def _exchange(endpoint, request: bytes) -> bytes:
    """Send raw bytes on a new connection; all that comes back until the server closes it."""
    with _connect(endpoint) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.fixture
def server_log():
    """The log records of the server (uvicorn's loggers) during one test."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger("uvicorn").addHandler(handler)
    try:
        yield records
    finally:
        logging.getLogger("uvicorn").removeHandler(handler)


@pytest.mark.parametrize("length", ["abc", "-1", "1, 2"])
def test_an_invalid_content_length_is_a_400_without_a_traceback(endpoint, server_log, length):
    head = f"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n\r\n"
    assert _exchange(endpoint, head.encode() + b"SELECT").startswith(b"HTTP/1.1 400 ")
    assert server_log and not [record for record in server_log if record.exc_info]


POST_HEAD = b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"


def test_a_body_past_the_limit_is_a_413_and_is_not_read_on(tight):
    declared = _exchange(tight, POST_HEAD + b"Content-Length: 10000000000\r\n\r\n")  # and never sent
    assert declared.startswith(b"HTTP/1.1 413 ")
    chunk = b"#" * 600  # chunked, no length said: refused once past 1 KiB, before any final chunk
    chunks = b"258\r\n%s\r\n" % chunk * 2
    chunked = _exchange(tight, POST_HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + chunks)
    assert chunked.startswith(b"HTTP/1.1 413 ")
    assert b"request body over 1024 bytes" in chunked
    accept = {"Accept": "application/sparql-results+json", "Content-Type": "application/sparql-query"}
    assert httpx.post(f"{tight.url}/query", content=COUNT, headers=accept).status_code == 200


def test_a_body_that_stalls_is_a_408_after_the_idle_time(tight):
    started = time.monotonic()
    answer = _exchange(tight, POST_HEAD + b"Content-Length: 100\r\n\r\nSELECT")
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert TIGHT.idle <= time.monotonic() - started < TIGHT.idle + 3


def _seconds_until_closed(sock: socket.socket, dribble: bytes) -> float:
    """Seconds until the server closes ``sock``, while a byte of ``dribble`` goes every 0.2 s."""
    started = time.monotonic()
    sock.settimeout(0.2)
    for byte in itertools.chain(dribble, itertools.repeat(None)):
        if time.monotonic() - started > 20:
            return math.inf
        try:
            if byte is not None:
                sock.send(bytes([byte]))
            if sock.recv(65536) == b"":
                break
        except TimeoutError:
            continue
        except (ConnectionResetError, BrokenPipeError):
            break
    return time.monotonic() - started


@pytest.mark.parametrize(
    "request_first, dribble",
    [
        (b"", b""),
        (b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b""),
        (b"", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"x" * 200),
    ],
    ids=["silent", "kept-alive-after-a-response", "head-byte-by-byte"],
)
def test_idle_connections_are_closed_after_the_idle_time(tight, request_first, dribble):
    with _connect(tight) as sock:
        sock.sendall(request_first)
        assert TIGHT.idle * 0.8 < _seconds_until_closed(sock, dribble) < TIGHT.idle + 2


def test_connections_past_the_limit_get_a_503(tight):
    with contextlib.ExitStack() as stack:
        for _ in range(TIGHT.connections):
            stack.enter_context(_connect(tight))
        time.sleep(0.2)  # accepted by the server
        assert httpx.get(f"{tight.url}/").status_code == 503
    time.sleep(0.2)  # and closed again
    assert httpx.get(f"{tight.url}/").status_code == 200


def test_the_listening_socket_queues_at_most_the_backlog(endpoint):
    # Linux's tcp_info of a listening socket: tcpi_sacked (offset 28) is its backlog
    info = endpoint.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    assert struct.unpack_from("I", info, 28)[0] == Limits().backlog


def test_kept_alive_requests_are_answered_without_delay(endpoint):
    seconds, connections = [], set()
    with httpx.Client() as client:
        for _ in range(30):
            started = time.perf_counter()
            response = client.get(f"{endpoint.url}/query", params={"query": "ASK { ?s ?p ?o }"})
            seconds.append(time.perf_counter() - started)
            connections.add(response.extensions["network_stream"].get_extra_info("client_addr"))
    assert len(connections) == 1  # one connection, kept alive
    assert statistics.median(seconds) < 0.02  # no 40 ms wait for a delayed ACK per answer (TCP_NODELAY)


@pytest.mark.parametrize(
    "host, status",
    [("127.0.0.1:{port}", 200), ("localhost:{port}", 200), ("[::1]:{port}", 200), ("rebound.example", 400)],
)
def test_the_host_header_must_name_the_endpoint(endpoint, host, status):
    port = endpoint.socket.getsockname()[1]
    assert httpx.get(f"{endpoint.url}/", headers={"Host": host.format(port=port)}).status_code == status


def test_allowed_hosts_widen_the_host_check(endpoint, tight):
    assert httpx.get(f"{tight.url}/", headers={"Host": "kg.example"}).status_code == 200
    assert httpx.get(f"{endpoint.url}/", headers={"Host": "kg.example"}).status_code == 400
    assert trusted_hosts("127.0.0.1", ["*"])[0] == "*"  # `kg serve --allow-host '*'`: any name


@pytest.mark.browser
def test_query_page_works_offline_in_chromium(endpoint):
    from playwright.sync_api import sync_playwright  # a test dependency: missing is a failure

    outside, errors = [], []
    with sync_playwright() as driver:
        # a missing browser fails here: tests/run.sh installs Debian's Chromium
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_FLAGS))
        try:
            page = browser.new_page()
            page.on("request", lambda r: None if r.url.startswith(endpoint.url) else outside.append(r.url))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{endpoint.url}/", wait_until="networkidle")
            buttons = page.locator("nav button[data-query]")
            assert buttons.count() == len(named_queries())
            page.locator("nav button[data-query='contested']").click()
            page.wait_for_selector(".yasr table tbody tr", timeout=15000)
            assert "supporters" in page.locator(".yasr").inner_text()
        finally:
            browser.close()
    assert outside == []
    assert errors == []
