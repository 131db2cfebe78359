"""An Oxigraph server process (the ``oxigraph`` PyPI package's binary) on a loopback port.

``kg serve`` runs ``oxigraph serve`` with the store in memory, filled from ``out/graph.trig`` by
``load_graph``; the tests also run servers over store directories, writable to push to or
read-only. Either way the process is ours to start and to stop, also when something fails, and
on Linux it cannot outlive the process that started it (``PR_SET_PDEATHSIG``), even one killed
with SIGKILL.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from kg.errors import EnvironmentFailure, KgError
from kg.files import built_graph

__all__ = ["OxigraphServer", "ServeError", "free_port", "load_graph"]


class ServeError(EnvironmentFailure):
    """The SPARQL server cannot start (not installed, port taken, store unreadable)."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _oxigraph_binary() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise ServeError("the Oxigraph server is not installed: pip install oxigraph")
    return found


def _dies_with_parent():
    """A ``preexec_fn`` for a child that gets SIGTERM when its parent dies (Linux); None elsewhere.

    The kernel sends it when the thread that started the child ends, so start servers from a
    thread that lives as long as they should (the main thread, in ``kg serve`` and the tests).
    """
    if not sys.platform.startswith("linux"):
        return None
    prctl, parent = ctypes.CDLL(None, use_errno=True).prctl, os.getpid()  # looked up before the fork

    def set_death_signal() -> None:
        prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the call: nobody will signal
            os._exit(1)

    return set_death_signal


class OxigraphServer:
    """An ``oxigraph serve`` (or ``serve-read-only``) process on a loopback port; a context manager.

    With ``location`` None the store lives in the process's memory: Oxigraph answers the named
    queries at 1M triples about 4 times faster from memory than from its on-disk RocksDB store.
    """

    def __init__(
        self,
        location: Path | None,
        port: int | None = None,
        read_only: bool = True,
        timeout: int | None = None,
        union_default_graph: bool = True,
    ):
        if read_only and location is None:
            raise ValueError("a read-only Oxigraph server needs a store directory (location)")
        self.location, self.port = location, port or free_port()
        command = [_oxigraph_binary(), "serve-read-only" if read_only else "serve"]
        if location is not None:  # else the store is in memory
            command += ["--location", str(location)]
        command += ["--bind", f"127.0.0.1:{self.port}"]
        if timeout:
            command += ["--timeout-s", str(timeout)]
        if union_default_graph:
            command.append("--union-default-graph")
        self.command = command
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The server's base URL (``/query``, ``/store``, ``/update`` below it)."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: float = 30.0) -> OxigraphServer:
        """Start the process and wait until it accepts connections."""
        self._log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            self.command, stdout=self._log, stderr=subprocess.STDOUT, preexec_fn=_dies_with_parent()
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.seek(0)
                output = self._log.read().decode("utf-8", "replace").strip().splitlines()
                last = output[-1] if output else f"exit status {self.process.returncode}"
                raise ServeError(f"oxigraph exited at start: {last}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise ServeError(f"oxigraph did not start listening on port {self.port} within {wait:.0f} s")

    def stop(self) -> None:
        """Stop the process (terminate, then kill if it lingers)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def load_graph(server: OxigraphServer, out_dir: Path) -> None:
    """POST ``out/graph.trig`` to the server's Graph Store (``/store``).

    At 1M triples this takes about 4 s, where ``oxigraph load`` into a store directory takes 9 s.
    """
    trig = built_graph(out_dir)
    try:
        with trig.open("rb") as body:  # streamed from the file, with its Content-Length
            response = httpx.post(
                f"{server.url}/store", content=body, headers={"Content-Type": "application/trig"}, timeout=600
            )
    except httpx.HTTPError as exc:
        raise ServeError(f"could not send the graph to oxigraph: {exc}", trig) from exc
    if response.status_code >= 300:
        first = (response.text.strip().splitlines() or [f"HTTP {response.status_code}"])[0]
        raise KgError(f"oxigraph could not load the graph: {first}", trig)
