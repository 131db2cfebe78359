"""``kg serve``: the built graph as a read-only SPARQL 1.1 endpoint with a query page.

The SPARQL is answered by Oxigraph server (the ``oxigraph`` PyPI package), not by code of ours:
``oxigraph serve`` with its store in memory, loaded from ``out/graph.trig``, on a private
loopback port, with the union of the named graphs as default graph and ``--timeout-s``. In front
of it a thin proxy (this module) adds only what Oxigraph lacks:

- a query page listing the named queries as examples and linking ``out/graph.html``, with
  YASGUI's network autocompleters (prefix.cc, LOV) off so the page works offline;
- a clear ``503`` when a query passes the time limit: Oxigraph streams its answer, so on a
  timeout it ends a ``200`` body with an error sentence. The proxy holds the first few MiB back,
  and a result that times out within them becomes a ``503``; a larger streamed result that
  times out is cut off without the final chunk, so clients see a broken transfer, not bad data;
- explicit ``403`` refusals of SPARQL Update and Graph Store writes, with a message (Oxigraph
  itself takes writes, but listens on a random loopback port that it does not advertise).

Results are streamed, so one huge result does not take the server's memory.
"""

from __future__ import annotations

import http.client
import re
import sys
import time
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import jinja2

from kg.resources import package_file
from kg.serve.process import OxigraphServer, ServeError, load_graph
from kg.sparql.oxigraph import bind_parameters, syntax_message
from kg.sparql.query import bindings, named_queries

__all__ = ["Endpoint", "query_page"]

CANCELLED = b"The SPARQL operation has been cancelled"
HOLD_BACK = 4 * 1024 * 1024  # bytes of a result held back before streaming starts
GRACE = 3  # seconds the proxy waits past the time limit before it gives up on Oxigraph
ASSETS = ("/yasgui.min.js", "/yasgui.min.css", "/logo.svg")
READ_ONLY = (
    "this endpoint is read-only: SPARQL Update and Graph Store writes are refused "
    "(publish to a writable store with `kg push`)\n"
)
_EXAMPLE = re.compile(r'e\.g\.\s*"([^"]+)"')


def _example(name: str) -> dict[str, str]:
    query = named_queries()[name]
    text = query.text
    examples = {p: m.group(1) for p, d in query.params.items() if (m := _EXAMPLE.search(d))}
    if query.params and len(examples) == len(query.params):
        text = bind_parameters(text, bindings(query, examples))
    elif query.params:
        needed = ", ".join(f"?{p} ({d})" for p, d in query.params.items())
        text = f"# Bind {needed} first, e.g. with VALUES inside WHERE.\n{text}"
    return {"name": name, "description": query.description, "text": text}


@cache
def _page_template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(package_file("serve", "templates", "query.html.j2").read_text(encoding="utf-8"))


def query_page(out_dir: Path, timeout: int) -> bytes:
    """The HTML query page: YASGUI, the named queries as examples, a link to the graph page."""
    page = _page_template().render(
        queries=[_example(name) for name in named_queries()],
        graph_page=(out_dir / "graph.html").is_file(),
        timeout=timeout,
    )
    return page.encode("utf-8")


class _Proxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, upstream: OxigraphServer, out_dir: Path, timeout: int, hold_back: int):
        super().__init__(address, _Handler)
        self.upstream, self.out_dir, self.timeout, self.hold_back = upstream, out_dir, timeout, hold_back


class _Handler(BaseHTTPRequestHandler):
    """Routes: the page, YASGUI assets, /query and /sparql (relayed), files of out/; writes refused."""

    protocol_version = "HTTP/1.1"
    server: _Proxy

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _text(self, status: int, message: str, extra: dict[str, str] | None = None) -> None:
        body = message.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if path in ("/", "/index.html"):
            page = query_page(self.server.out_dir, self.server.timeout)
            return self._send(200, "text/html; charset=utf-8", page)
        if path in ("/query", "/sparql"):
            if "query" not in parse_qs(parts.query):
                if "text/html" in self.headers.get("Accept", ""):
                    return self._text(303, "see the query page at /\n", {"Location": "/"})
                return self._text(400, "give the query in a `query` parameter (SPARQL 1.1 Protocol)\n")
            return self._relay("GET", f"/query?{parts.query}", b"")
        if path in ASSETS or path == "/store":
            return self._relay("GET", self.path, b"")
        if path == "/favicon.ico":
            return self._relay("GET", "/logo.svg", b"")
        return self._file(path)

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        body = self._body()
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        form = parse_qs(body.decode("utf-8", "replace")) if kind.endswith("x-www-form-urlencoded") else {}
        is_update = kind == "application/sparql-update" or "update" in form
        if path in ("/query", "/sparql") and not is_update:
            return self._relay("POST", self.path.replace(path, "/query", 1), body)
        if path in ("/query", "/sparql", "/update", "/store") or path.startswith("/store"):
            return self._text(403, READ_ONLY)
        return self._text(404, f"nothing to POST to at {path}; SPARQL queries go to /query\n")

    def _refuse(self) -> None:
        self._body()
        self._text(403, READ_ONLY)

    do_PUT = do_DELETE = do_PATCH = _refuse

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _file(self, path: str) -> None:
        """A file of out/ (graph.html and what it loads); nothing outside out/."""
        root = self.server.out_dir.resolve()
        target = (root / path.lstrip("/")).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            hint = " (build the interactive graph page first)" if path == "/graph.html" else ""
            return self._text(404, f"not found: {path}{hint}\n")
        kinds = {
            ".html": "text/html; charset=utf-8",
            ".js": "text/javascript",
            ".css": "text/css",
            ".json": "application/json",
            ".ttl": "text/turtle",
            ".trig": "application/trig",
            ".jsonld": "application/ld+json",
            ".svg": "image/svg+xml",
            ".png": "image/png",
        }
        self._send(200, kinds.get(target.suffix, "application/octet-stream"), target.read_bytes())

    def _relay(self, method: str, target: str, body: bytes) -> None:
        """Forward to Oxigraph; hold back the start of the answer to catch a timeout cleanly.

        Oxigraph checks its time limit only now and then (a big join can run on for many
        seconds), so the proxy keeps its own deadline as well and gives up on the query there.
        """
        deadline = time.monotonic() + self.server.timeout + GRACE
        self._streaming = False
        upstream = http.client.HTTPConnection(
            "127.0.0.1", self.server.upstream.port, timeout=self.server.timeout + GRACE
        )
        headers = {k: self.headers[k] for k in ("Accept", "Content-Type") if self.headers.get(k)}
        try:
            upstream.request(method, target, body=body or None, headers=headers)
            response = upstream.getresponse()
            if response.status != 200:
                return self._upstream_error(response)
            kind = response.getheader("Content-Type", "application/octet-stream")
            held = b""
            while len(held) < self.server.hold_back:
                chunk = _read(upstream, response, deadline)
                if not chunk:
                    if held.endswith(CANCELLED):
                        return self._text(503, self._timeout_message())
                    return self._send(200, kind, held)
                held += chunk
            self._stream(upstream, response, kind, held, deadline)
        except TimeoutError:
            if not self._streaming:
                self._text(503, self._timeout_message())
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client left; closing upstream stops the query
        except (OSError, http.client.HTTPException) as exc:
            self._text(502, f"the SPARQL server failed: {exc}\n")
        finally:
            upstream.close()

    def _timeout_message(self) -> str:
        return (
            f"query stopped: it ran past the {self.server.timeout} s time limit "
            "(`kg serve --timeout`); add LIMIT or make it more selective\n"
        )

    def _upstream_error(self, response: http.client.HTTPResponse) -> None:
        text = response.read().decode("utf-8", "replace")
        if response.status == 400 and text.startswith("error at "):
            text = syntax_message(text)
        elif response.status == 403:
            text = READ_ONLY
        self._text(response.status, text.rstrip("\n") + "\n")

    def _stream(self, upstream, response, kind: str, held: bytes, deadline: float) -> None:
        self._streaming = True
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        keep = len(CANCELLED)
        try:
            while chunk := _read(upstream, response, deadline):
                held += chunk
                out, held = held[:-keep], held[-keep:]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(out), out))
        except TimeoutError:
            held = CANCELLED
        if held.endswith(CANCELLED):
            self.log_message("%s", "query ran past the time limit mid-stream: transfer cut off")
            self.close_connection = True  # no final chunk: the client sees an incomplete answer
            return
        if held:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(held), held))
        self.wfile.write(b"0\r\n\r\n")


def _read(
    connection: http.client.HTTPConnection, response: http.client.HTTPResponse, deadline: float
) -> bytes:
    """The next bytes of ``response``; TimeoutError once ``deadline`` has passed."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    if connection.sock is not None:
        connection.sock.settimeout(remaining)
    return response.read1(65536)


class Endpoint:
    """The whole endpoint: Oxigraph loaded with the built graph, and the proxy; a context manager.

    >>> # with Endpoint(Path("out"), port=0) as endpoint: endpoint.serve_forever()
    """

    def __init__(
        self,
        out_dir: Path,
        host: str = "127.0.0.1",
        port: int = 7878,
        timeout: int = 30,
        hold_back: int = HOLD_BACK,
    ):
        self.out_dir, self.host, self.port, self.timeout = out_dir, host, port, timeout
        self.hold_back = hold_back
        self.oxigraph: OxigraphServer | None = None
        self.proxy: _Proxy | None = None

    @property
    def url(self) -> str:
        """The public base URL (the page at ``/``, SPARQL at ``/query``)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.proxy.server_address[1] if self.proxy else self.port}"

    def __enter__(self) -> Endpoint:
        try:
            # in memory (4x faster than RocksDB at 1M triples); writable, so the proxy refuses writes
            self.oxigraph = OxigraphServer(None, read_only=False, timeout=self.timeout).start()
            load_graph(self.oxigraph, self.out_dir)
            try:
                self.proxy = _Proxy(
                    (self.host, self.port), self.oxigraph, self.out_dir, self.timeout, self.hold_back
                )
            except OSError as exc:
                raise ServeError(f"cannot listen on {self.host}:{self.port}: {exc.strerror}") from exc
        except BaseException:
            self.__exit__()
            raise
        return self

    def serve_forever(self) -> None:
        """Answer requests until ``shutdown()`` (from another thread) or Ctrl-C."""
        self.proxy.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        """Stop ``serve_forever`` (call from another thread)."""
        if self.proxy:
            self.proxy.shutdown()

    def __exit__(self, *exc) -> None:
        if self.proxy:
            self.proxy.server_close()
        if self.oxigraph:
            self.oxigraph.stop()
