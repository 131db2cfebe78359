"""``kg serve``: the built graph as a read-only SPARQL 1.1 endpoint with a query page.

The SPARQL is answered by Oxigraph server (the ``oxigraph`` PyPI package), not by code of ours:
``oxigraph serve`` with its store in memory, loaded from ``out/graph.trig``, on a private
loopback port, with the union of the named graphs as default graph and ``--timeout-s``. Oxigraph
itself takes writes, but that port is not advertised; its server binds TCP only (no Unix socket)
and its read-only mode needs an on-disk store, 4 times slower. In front of it uvicorn serves the
app of ``kg.serve.app`` on the public address, within ``Limits``: connections (``503`` beyond),
a backlog, an idle time before, inside and between requests, the size of a request head.
"""

from __future__ import annotations

import copy
import ipaddress
import socket
from collections.abc import Sequence
from pathlib import Path

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from kg.serve.app import Limits, endpoint_app
from kg.serve.process import OxigraphServer, ServeError, load_graph

__all__ = ["Endpoint", "trusted_hosts"]

_LOGGING = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
_LOGGING["handlers"]["access"]["stream"] = "ext://sys.stderr"  # stdout has the URLs alone


def trusted_hosts(host: str, extra: Sequence[str] = ()) -> list[str]:
    """The ``Host`` header names answered when listening on ``host``: it, its loopback names, ``extra``.

    >>> trusted_hosts("127.0.0.1")
    ['127.0.0.1', '[::1]', 'localhost']
    """
    names = {host, *extra}
    try:
        address = ipaddress.ip_address(host)
    except ValueError:  # a host name
        address = None
    if host == "localhost" or (address and (address.is_loopback or address.is_unspecified)):
        names |= {"localhost", "127.0.0.1", "[::1]"}
    if address and address.is_unspecified:  # every interface: the names this machine goes by
        fqdn = socket.getfqdn()
        names |= {socket.gethostname(), fqdn}
        try:
            names |= {info[4][0] for info in socket.getaddrinfo(fqdn, None)}
        except OSError:
            pass  # a name that does not resolve brings no addresses
    return sorted(f"[{n}]" if ":" in n and not n.startswith("[") else n for n in names)


class _Connection(H11Protocol):
    """uvicorn's HTTP/1.1 connection, with its idle deadline also before and inside a request's head.

    uvicorn times out a connection idle after a response only: one that connects and sends
    nothing, or a head byte by byte, would otherwise hold a place among ``Limits.connections``.
    """

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.timeout_keep_alive_task = self.loop.call_later(
            self.timeout_keep_alive, self.timeout_keep_alive_handler
        )

    def data_received(self, data: bytes) -> None:
        deadline, self.timeout_keep_alive_task = self.timeout_keep_alive_task, None  # kept past a byte
        super().data_received(data)
        if deadline is None:
            return
        if self.conn.their_state is h11.IDLE and self.timeout_keep_alive_task is None:
            self.timeout_keep_alive_task = deadline  # the head is still incomplete: the deadline stands
        else:
            deadline.cancel()


def _listening_socket(host: str, port: int, backlog: int) -> socket.socket:
    """A TCP socket listening on ``host:port`` from now on: its port is known before serving starts.

    Its protocol is given explicitly: asyncio sets TCP_NODELAY only on sockets that name it, and
    without it each response waits 40 ms for the client's delayed ACK.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    return sock


class Endpoint:
    """The whole endpoint: Oxigraph loaded with the built graph, and the app; a context manager.

    >>> # with Endpoint(Path("out"), port=0) as endpoint: endpoint.serve_forever()
    """

    def __init__(
        self,
        out_dir: Path,
        host: str = "127.0.0.1",
        port: int = 7878,
        timeout: int = 30,
        limits: Limits = Limits(),
        allowed_hosts: Sequence[str] = (),
    ):
        self.out_dir, self.host, self.port, self.timeout = out_dir, host, port, timeout
        self.limits, self.allowed_hosts = limits, allowed_hosts
        self.oxigraph: OxigraphServer | None = None
        self.socket: socket.socket | None = None
        self.server: uvicorn.Server | None = None

    @property
    def url(self) -> str:
        """The public base URL (the page at ``/``, SPARQL at ``/query``)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.socket.getsockname()[1] if self.socket else self.port}"

    def __enter__(self) -> Endpoint:
        try:
            # in memory (4x faster than RocksDB at 1M triples); writable, so the proxy refuses writes
            self.oxigraph = OxigraphServer(None, read_only=False, timeout=self.timeout).start()
            load_graph(self.oxigraph, self.out_dir)
            self.socket = _listening_socket(self.host, self.port, self.limits.backlog)
            hosts = trusted_hosts(self.host, self.allowed_hosts)
            app = endpoint_app(self.out_dir, self.oxigraph.url, self.timeout, self.limits, hosts)
            limits = self.limits
            config = uvicorn.Config(
                app,
                http=_Connection,
                lifespan="on",
                limit_concurrency=limits.connections,
                backlog=limits.backlog,
                timeout_keep_alive=limits.idle,  # type: ignore[arg-type]  # a float works
                h11_max_incomplete_event_size=limits.head,
                timeout_graceful_shutdown=1,  # then answers still streaming are cut off
                log_config=_LOGGING,
            )
            self.server = uvicorn.Server(config)
        except BaseException:
            self.__exit__()
            raise
        return self

    def serve_forever(self) -> None:
        """Answer requests until ``shutdown()`` (from another thread), Ctrl-C or SIGTERM."""
        self.server.run(sockets=[self.socket])

    def shutdown(self) -> None:
        """Stop ``serve_forever`` (call from another thread)."""
        if self.server:
            self.server.should_exit = True

    def __exit__(self, *exc) -> None:
        if self.socket:
            self.socket.close()
        if self.oxigraph:
            self.oxigraph.stop()
