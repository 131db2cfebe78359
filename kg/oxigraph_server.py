"""An Oxigraph server process (the ``oxigraph`` PyPI package's binary) on a loopback port.

``kg serve`` runs ``oxigraph serve-read-only`` over a store that ``load_location`` fills from
``out/graph.trig``; the tests run a writable ``oxigraph serve`` to push to. Either way the
process is ours to start and to stop, also when something fails.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.errors import GraphNotBuiltError, KgError

__all__ = ["OxigraphServer", "ServeError", "free_port", "load_location"]


class ServeError(KgError):
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


class OxigraphServer:
    """An ``oxigraph serve`` (or ``serve-read-only``) process on a loopback port; a context manager."""

    def __init__(
        self,
        location: Path,
        port: int | None = None,
        read_only: bool = True,
        timeout: int | None = None,
        union_default_graph: bool = True,
    ):
        self.location, self.port = location, port or free_port()
        command = [
            _oxigraph_binary(),
            "serve-read-only" if read_only else "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{self.port}",
        ]
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
        self.process = subprocess.Popen(self.command, stdout=self._log, stderr=subprocess.STDOUT)
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


def load_location(out_dir: Path, location: Path) -> None:
    """Load ``out/graph.trig`` into an Oxigraph store directory with ``oxigraph load``."""
    trig = out_dir / "graph.trig"
    if not trig.is_file():
        raise GraphNotBuiltError("no built graph here: run `kg build` first", trig)
    done = subprocess.run(
        [_oxigraph_binary(), "load", "--location", str(location), "--file", str(trig)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        last = lines[-1] if lines else f"exit status {done.returncode}"
        raise ServeError(f"oxigraph could not load the graph: {last}", trig)
