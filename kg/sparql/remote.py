"""Publish the built graph to a SPARQL store and query remote endpoints, over the W3C standards.

``push`` replaces each named graph with the SPARQL 1.1 Graph Store HTTP Protocol (``PUT
?graph=IRI``), so pushing twice leaves one copy, then counts every graph's triples with a SPARQL
query against the same store. ``Remote.query`` runs a named query over the SPARQL 1.1 Protocol;
an endpoint cannot bind parameters, so they go in as an escaped ``VALUES`` block.

>>> remote_for("http://127.0.0.1:7878").store_url
'http://127.0.0.1:7878/store'
>>> remote_for("http://localhost:3030/ds/sparql").store_url
'http://localhost:3030/ds/data'
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph
from rdflib import Graph
from rdflib.query import Result

from kg.errors import EnvironmentFailure, KgError, QueryError
from kg.files import built_graph
from kg.graph import GRAPH_NAMES, graph_iri
from kg.namespace import bind_prefixes
from kg.sparql.engines import QueryResult, syntax_message
from kg.sparql.queries import NamedQuery, bind_parameters, bindings

__all__ = ["GraphPush", "Remote", "RemoteError", "check_counts", "push", "remote_for"]

_RESULTS = "application/sparql-results+json"
_ACCEPT = f"{_RESULTS}, application/n-triples;q=0.9, text/turtle;q=0.8"
# `kg push` writes named graphs only; querying their merge as the default graph (SPARQL Protocol
# default-graph-uri) gives the same answers as the local union-default dataset; named-graph-uri
# keeps them reachable by GRAPH.
DATA_GRAPHS = tuple(str(graph_iri(name)) for name in GRAPH_NAMES)


class RemoteError(EnvironmentFailure):
    """A remote SPARQL store is unreachable, refuses the credentials, or rejects the data."""


@dataclass(frozen=True)
class Remote:
    """Where a SPARQL store answers queries and takes graphs, and how to log in."""

    query_url: str
    store_url: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 300.0

    def query(self, query: NamedQuery, params: Mapping[str, str] | None = None) -> QueryResult:
        """Run ``query`` on the endpoint (SPARQL 1.1 Protocol, POST form): the remote engine."""
        text = bind_parameters(query.text, bindings(query, dict(params or {})))
        with _client(self) as client:
            form = {
                "query": text,
                "default-graph-uri": list(DATA_GRAPHS),
                "named-graph-uri": list(DATA_GRAPHS),
            }
            response = _send(client, "POST", self.query_url, data=form, headers={"Accept": _ACCEPT})
        if response.status_code != 200:
            raise _query_failed(response)
        return _parse_results(response)


@dataclass(frozen=True)
class GraphPush:
    """One named graph pushed: its IRI, triples sent, and triples the store then counted."""

    iri: str
    sent: int
    stored: int | None = None


def _with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def remote_for(
    endpoint: str, graph_store: str | None = None, user: str | None = None, password: str | None = None
) -> Remote:
    """The query and Graph Store URLs of a store, from its URL by Oxigraph/Fuseki/GraphDB/Virtuoso custom.

    ``http://host:7878`` (Oxigraph) -> ``/query`` and ``/store``; ``.../query`` or ``.../sparql``
    at the root -> sibling ``/store``; ``http://host:3030/ds`` or ``/ds/sparql`` (Fuseki) ->
    ``/ds/sparql`` and ``/ds/data``; ``.../repositories/R`` (GraphDB) -> ``.../rdf-graphs/service``;
    ``/sparql-auth`` (Virtuoso, authenticated) -> ``/sparql-graph-crud-auth``.
    Anything else needs ``graph_store`` for pushing.
    """
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise KgError(f"not an http(s) URL: {endpoint!r}")
    segments = [s for s in parts.path.split("/") if s]
    query_url, store_url = endpoint, None
    if not segments:
        query_url, store_url = _with_path(endpoint, "/query"), _with_path(endpoint, "/store")
    elif len(segments) == 1 and segments[0] in ("query", "sparql"):
        store_url = _with_path(endpoint, "/store")
    elif segments == ["sparql-auth"]:
        store_url = _with_path(endpoint, "/sparql-graph-crud-auth")
    elif len(segments) == 1:
        query_url = _with_path(endpoint, f"/{segments[0]}/sparql")
        store_url = _with_path(endpoint, f"/{segments[0]}/data")
    elif len(segments) == 2 and segments[1] in ("query", "sparql"):
        store_url = _with_path(endpoint, f"/{segments[0]}/data")
    elif len(segments) == 2 and segments[0] == "repositories":
        store_url = _with_path(endpoint, f"/{parts.path.strip('/')}/rdf-graphs/service")
    return Remote(query_url, graph_store or store_url, user, password)


class _BasicOrDigest(httpx.Auth):
    """HTTP Basic auth, switching to Digest when the server refuses Basic without a Basic challenge.

    Virtuoso answers Basic credentials with a bare 401 (no ``WWW-Authenticate``), and offers Digest
    only to a request without credentials; once a server did that, later requests go Digest first.
    """

    def __init__(self, user: str, password: str):
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self._basic = f"Basic {token}"
        self._digest = httpx.DigestAuth(user, password)
        self._use_digest = False

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if not self._use_digest:
            request.headers["Authorization"] = self._basic
            response = yield request
            challenges = response.headers.get_list("www-authenticate")
            if response.status_code != 401 or any(c.lower().startswith("basic") for c in challenges):
                return
            self._use_digest = True
            del request.headers["Authorization"]
        yield from self._digest.auth_flow(request)


def _client(remote: Remote) -> httpx.Client:
    auth = _BasicOrDigest(remote.user, remote.password or "") if remote.user else None
    return httpx.Client(auth=auth, timeout=httpx.Timeout(remote.timeout, connect=10.0))


def _first_line(text: str) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= 200 else line[:199] + "…"


def _send(client: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
    """One request; every way it can fail becomes one clear RemoteError line."""
    try:
        response = client.request(method, url, **kwargs)
    except httpx.ConnectError as exc:
        raise RemoteError(f"cannot reach {url}: {exc}") from exc
    except httpx.TimeoutException as exc:
        raise RemoteError(f"{url} did not answer in time ({type(exc).__name__})") from exc
    except httpx.HTTPError as exc:
        raise RemoteError(f"request to {url} failed: {exc}") from exc
    if response.status_code in (401, 407):
        raise RemoteError(
            f"{url} refused the credentials (HTTP {response.status_code}): check --user and --password"
        )
    return response


def _query_failed(response: httpx.Response) -> KgError:
    message = _first_line(response.text)
    if response.status_code == 400 and message.startswith("error at "):
        return QueryError(syntax_message(response.text))
    return RemoteError(f"{response.url} answered HTTP {response.status_code}: {message}")


def _parse_results(response: httpx.Response) -> QueryResult:
    kind = response.headers.get("content-type", "").split(";")[0].strip()
    if kind in (_RESULTS, "application/json"):
        try:
            result = Result.parse(io.BytesIO(response.content), format="json")
        except (ValueError, KeyError) as exc:
            raise RemoteError(f"{response.url} answered malformed SPARQL JSON results: {exc}") from exc
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer))
        return QueryResult("select", vars=[str(v) for v in result.vars], rows=[tuple(row) for row in result])
    graph = Graph()
    bind_prefixes(graph.namespace_manager)
    graph.parse(data=response.text, format="nt" if kind == "application/n-triples" else "turtle")
    return QueryResult("graph", graph=graph)


def _count(client: httpx.Client, remote: Remote, iri: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    response = _send(client, "POST", remote.query_url, data={"query": query}, headers={"Accept": _RESULTS})
    if response.status_code != 200:
        raise _query_failed(response)
    return int(_parse_results(response).rows[0][0])


def _local_graphs(out_dir: Path) -> dict[str, list[pyoxigraph.Triple]]:
    """The named graphs of out/graph.trig, parsed as written (a Store would canonicalise literals)."""
    path = built_graph(out_dir)
    graphs: dict[str, set] = defaultdict(set)
    for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TRIG):
        if isinstance(quad.graph_name, pyoxigraph.NamedNode):
            graphs[quad.graph_name.value].add(quad.triple)
    return {iri: list(graphs[iri]) for iri in sorted(graphs)}


def push(out_dir: Path, remote: Remote) -> list[GraphPush]:
    """Replace every named graph of the built graph in the remote store, then count them there.

    Reachability and credentials are checked before any graph is replaced; if the store rejects
    a graph, the error names the graphs already replaced and those left as they were.
    """
    if not remote.store_url:
        raise KgError(f"no Graph Store URL known for {remote.query_url}: give --graph-store URL")
    graphs = _local_graphs(out_dir)
    with _client(remote) as client:
        probe = _send(
            client, "POST", remote.query_url, data={"query": "ASK {}"}, headers={"Accept": _RESULTS}
        )
        if probe.status_code != 200:
            raise _query_failed(probe)
        replaced: list[str] = []
        for iri, triples in graphs.items():
            body = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
            response = _send(
                client,
                "PUT",
                remote.store_url,
                params={"graph": iri},
                content=body,
                headers={"Content-Type": "application/n-triples"},
            )
            if response.status_code not in (200, 201, 204):
                left = [g for g in graphs if g not in replaced]
                raise RemoteError(
                    f"{remote.store_url} rejected graph <{iri}> (HTTP {response.status_code}: "
                    f"{_first_line(response.text)}); replaced: {', '.join(replaced) or 'none'}; "
                    f"left as they were: {', '.join(left)}"
                )
            replaced.append(iri)
        return [GraphPush(iri, len(triples), _count(client, remote, iri)) for iri, triples in graphs.items()]


def check_counts(pushed: list[GraphPush]) -> None:
    """Raise when the store counted other triples than were sent for any graph."""
    wrong = [p.iri for p in pushed if p.sent != p.stored]
    if wrong:
        raise RemoteError(f"the store holds other triple counts than were sent for: {', '.join(wrong)}")
