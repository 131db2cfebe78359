"""The web app of ``kg serve``: the query page, SPARQL relayed to Oxigraph server, the files of out/.

Oxigraph server answers the SPARQL (``kg.serve.process``); this Starlette app adds only what it
lacks:

- a query page listing the named queries as examples and linking ``out/graph.html``, with
  YASGUI's network autocompleters (prefix.cc, LOV) off so the page works offline;
- a clear ``503`` when a query passes the time limit: Oxigraph streams its answer, so on a
  timeout it ends a ``200`` body with an error sentence. The proxy holds the first few MiB back,
  and a result that times out within them becomes a ``503``; a larger streamed result that
  times out is cut off without the final chunk, so clients see a broken transfer, not bad data;
- explicit ``403`` refusals of SPARQL Update and Graph Store writes, with a message;
- a request body limit (``413``, read as it arrives) and a check of the ``Host`` header, so a web
  page elsewhere cannot reach the endpoint through DNS rebinding.

Answers are streamed (httpx from Oxigraph, chunked to the client): a huge result does not take
the server's memory.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

import anyio
import httpx
import jinja2
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Send

from kg.resources import package_file
from kg.sparql.engines import syntax_message
from kg.sparql.queries import bind_parameters, bindings, named_queries

__all__ = ["GRACE", "READ_ONLY", "Limits", "endpoint_app", "query_page"]

CANCELLED = b"The SPARQL operation has been cancelled"
GRACE = 3  # seconds the proxy waits past the time limit before it gives up on Oxigraph
ASSETS = ("/yasgui.min.js", "/yasgui.min.css", "/logo.svg")
READ_ONLY = (
    "this endpoint is read-only: SPARQL Update and Graph Store writes are refused "
    "(publish to a writable store with `kg push`)\n"
)
_EXAMPLE = re.compile(r'e\.g\.\s*"([^"]+)"')
_log = logging.getLogger("uvicorn.error")  # beside the server's own messages


@dataclass(frozen=True)
class Limits:
    """What one client or request may take of the endpoint; ``kg serve --max-body-kib`` sets ``body``."""

    connections: int = 64  # open connections and requests in progress; a request beyond gets a 503
    backlog: int = 128  # connections the kernel queues until the server accepts them
    idle: float = 5.0  # seconds a connection may wait silent: for a request, inside its head or body
    body: int = 1024 * 1024  # bytes of a request body (413 beyond), read as it arrives
    head: int = 64 * 1024  # bytes of a request line and headers (a GET carries its query in the URL)
    hold_back: int = 4 * 1024 * 1024  # bytes of a result held back before streaming starts


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


def query_page(out_dir: Path, timeout: int) -> str:
    """The HTML query page: YASGUI, the named queries as examples, a link to the graph page."""
    return _page_template().render(
        queries=[_example(name) for name in named_queries()],
        graph_page=(out_dir / "graph.html").is_file(),
        timeout=timeout,
    )


class _Stream(StreamingResponse):
    """A streamed answer that, when cut off, ends without HTTP's last chunk, then the connection."""

    async def stream_response(self, send: Send) -> None:
        try:
            await super().stream_response(send)
        except _CutOff as exc:  # uvicorn closes a connection whose response was not completed
            _log.warning("answer cut off mid-stream: %s", exc)


class _CutOff(Exception):
    pass


class _Proxy:
    """The routes that go to Oxigraph: SPARQL queries, Graph Store reads, YASGUI's files."""

    def __init__(self, upstream: str, timeout: int, limits: Limits):
        self.upstream, self.timeout, self.limits = upstream, timeout, limits
        self.client: httpx.AsyncClient

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        headers = {"Accept-Encoding": "identity"}  # the bytes are passed on as they come
        timeout = self.timeout + GRACE
        async with httpx.AsyncClient(base_url=self.upstream, headers=headers, timeout=timeout) as self.client:
            yield

    async def sparql(self, request: Request) -> Response:
        """SPARQL 1.1 Protocol queries, by GET or POST (form or query body); updates refused."""
        if request.method == "POST":
            body = await self._body(request)
            kind = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
            form = parse_qs(body.decode("utf-8", "replace")) if kind.endswith("x-www-form-urlencoded") else {}
            if kind == "application/sparql-update" or "update" in form:
                return PlainTextResponse(READ_ONLY, 403)
            return await self._relay("POST", "/query", request, body)
        if "query" not in request.query_params:
            if "text/html" in request.headers.get("Accept", ""):
                return PlainTextResponse("see the query page at /\n", 303, {"Location": "/"})
            return PlainTextResponse("give the query in a `query` parameter (SPARQL 1.1 Protocol)\n", 400)
        return await self._relay("GET", "/query", request)

    async def read(self, request: Request) -> Response:
        """GET of a Graph Store graph or a YASGUI file; the favicon is Oxigraph's logo."""
        path = "/logo.svg" if request.url.path == "/favicon.ico" else request.url.path
        return await self._relay("GET", path, request)

    async def _body(self, request: Request) -> bytes:
        """The request body as it arrives: 413 past ``Limits.body``, 408 if it stalls."""
        close = {"Connection": "close"}  # the client may still be sending: do not read the rest
        too_large = HTTPException(413, f"request body over {self.limits.body} bytes\n", close)
        if int(request.headers.get("Content-Length") or 0) > self.limits.body:  # a number: h11 checked it
            raise too_large
        body = bytearray()
        try:
            with anyio.fail_after(self.limits.idle):
                async for chunk in request.stream():
                    body += chunk
                    if len(body) > self.limits.body:
                        raise too_large
        except TimeoutError:
            raise HTTPException(408, "request body too slow\n", close) from None
        except ClientDisconnect:
            raise HTTPException(400, "request body cut short\n", close) from None
        return bytes(body)

    async def _relay(self, method: str, path: str, request: Request, body: bytes = b"") -> Response:
        """Forward to Oxigraph; hold back the start of the answer to catch a timeout cleanly.

        Oxigraph checks its time limit only now and then (a big join can run on for many
        seconds), so the proxy keeps its own deadline as well and gives up on the query there.
        """
        deadline = anyio.current_time() + self.timeout + GRACE
        headers = {k: v for k in ("Accept", "Content-Type") if (v := request.headers.get(k))}
        target = f"{path}?{request.url.query}" if request.url.query else path
        upstream = self.client.build_request(method, target, headers=headers, content=body or None)
        response, streaming = None, False
        try:
            with anyio.fail_at(deadline):
                response = await self.client.send(upstream, stream=True)
                if response.status_code != 200:
                    return _upstream_error(response.status_code, await response.aread())
                kind = {"Content-Type": response.headers.get("Content-Type", "application/octet-stream")}
                chunks, held = response.aiter_raw(), b""
                while len(held) < self.limits.hold_back:
                    if not (chunk := await anext(chunks, b"")):
                        return self._timed_out() if held.endswith(CANCELLED) else Response(held, headers=kind)
                    held += chunk
            streaming = True
            rest = _rest(chunks, held, deadline)
            return _Stream(rest, headers=kind, background=BackgroundTask(response.aclose))
        except (TimeoutError, httpx.TimeoutException):
            return self._timed_out()
        except httpx.HTTPError as exc:
            return PlainTextResponse(f"the SPARQL server failed: {exc}\n", 502)
        finally:
            if response is not None and not streaming:
                await response.aclose()

    def _timed_out(self) -> Response:
        return PlainTextResponse(
            f"query stopped: it ran past the {self.timeout} s time limit "
            "(`kg serve --timeout`); add LIMIT or make it more selective\n",
            503,
        )


async def _rest(chunks: AsyncIterator[bytes], held: bytes, deadline: float) -> AsyncIterator[bytes]:
    """The answer from the held-back start on; ``_CutOff`` where it ran past the time limit."""
    keep = len(CANCELLED)  # never pass on what may be the start of Oxigraph's timeout sentence
    try:
        while True:
            with anyio.fail_at(deadline):
                chunk = await anext(chunks, b"")
            if not chunk:
                break
            held += chunk
            out, held = held[:-keep], held[-keep:]
            yield out
    except TimeoutError:
        held = CANCELLED
    except httpx.HTTPError as exc:
        raise _CutOff(f"the SPARQL server failed: {exc}") from exc
    if held.endswith(CANCELLED):
        raise _CutOff("the query ran past the time limit")
    yield held


def _upstream_error(status: int, answer: bytes) -> Response:
    text = answer.decode("utf-8", "replace")
    if status == 400 and text.startswith("error at "):
        text = syntax_message(text)
    elif status == 403:
        text = READ_ONLY
    return PlainTextResponse(text.rstrip("\n") + "\n", status)


async def _not_found(request: Request, exc: Exception) -> Response:
    hint = " (build the interactive graph page first)" if request.url.path == "/graph.html" else ""
    return PlainTextResponse(f"not found: {request.url.path}{hint}\n", 404)


async def _refused(request: Request, exc: Exception) -> Response:
    """A method the path does not take: writes are refused, a POST elsewhere has no target."""
    path, method = request.url.path, request.method
    if method == "POST" and path != "/update" and not path.startswith("/store"):
        return PlainTextResponse(f"nothing to POST to at {path}; SPARQL queries go to /query\n", 404)
    if method in ("POST", "PUT", "DELETE", "PATCH"):
        return PlainTextResponse(READ_ONLY, 403)
    return PlainTextResponse(f"{method} is not answered here\n", 405)


def endpoint_app(
    out_dir: Path, upstream: str, timeout: int, limits: Limits = Limits(), hosts: Sequence[str] = ("*",)
) -> Starlette:
    """The ASGI app: the query page, SPARQL relayed to the Oxigraph server at ``upstream``, out/'s files.

    ``hosts`` are the ``Host`` header values answered (``trusted_hosts``); others get a 400.
    """
    page = query_page(out_dir, timeout)  # rendered once: the graph page is linked if built by now

    async def query_page_route(request: Request) -> Response:
        return HTMLResponse(page)

    proxy = _Proxy(upstream, timeout, limits)
    sparql = ["GET", "HEAD", "POST"]
    routes = [
        Route("/", query_page_route),
        Route("/index.html", query_page_route),
        Route("/query", proxy.sparql, methods=sparql),
        Route("/sparql", proxy.sparql, methods=sparql),
        *(Route(path, proxy.read) for path in (*ASSETS, "/favicon.ico", "/store")),
        Mount("/", StaticFiles(directory=out_dir)),  # graph.html and what it loads; nothing outside out/
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))],
        exception_handlers={404: _not_found, 405: _refused},
        lifespan=proxy.lifespan,
    )
