"""A real `truceline serve` on loopback and a lean client, for load benchmarks and crash tests.

Not a benchmark itself (no ``main``): ``bench/api_load.py`` and ``tests/api/test_crash.py``
start, kill and restart servers with it. Each server runs in a process group of its own, so
that a kill takes everything it started; a free port is asked of the kernel for each start.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx
from sqlalchemy import Engine

# A strong key (refused defaults are for production; the servers here run as "test").
SECRET_KEY = "bench-and-crash-tests-" + "k" * 32
START_TIMEOUT_S = 60.0
# The CLI's own entry point, as the `truceline` script runs it (no PATH lookup).
SERVE = "from truceline.cli import main; main()"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_env(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a server on ``database_url`` (TRUCELINE_* settings by name)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRUCELINE_")}
    env |= {
        "TRUCELINE_DATABASE_URL": database_url,
        "TRUCELINE_ENVIRONMENT": "test",
        "TRUCELINE_API_SECRET_KEY": SECRET_KEY,
        "PYTHONUNBUFFERED": "1",  # the "running on" line reaches the log at once
    }
    env |= {f"TRUCELINE_{name.upper()}": value for name, value in settings.items()}
    return env


def add_token(engine: Engine, *, name: str, role: str) -> str:
    """Create a user of ``role`` on a migrated store and return its bearer token."""
    from truceline.api.auth import add_user

    return add_user(engine, name=name, role=role, key=SECRET_KEY).text


class ServerProcess:
    """`truceline serve` on a free loopback port; ``with`` starts it and kills it at the end.

    >>> # with ServerProcess(url, log) as server: httpx.get(server.url + "/openapi.json")
    """

    def __init__(self, database_url: str, log_path: Path, **settings: str) -> None:
        self.env = server_env(database_url, **settings)
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self._log_offset = 0

    @property
    def url(self) -> str:
        """The base URL of the running server."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, attempts: int = 3) -> None:
        """Start the server and return once its port accepts connections."""
        for _ in range(attempts):  # another process may take the free port before us
            self.port = free_port()
            self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
            command = [sys.executable, "-c", SERVE, "serve", "--port", str(self.port)]
            with self.log_path.open("ab") as log:
                self.process = subprocess.Popen(  # own process group: killpg takes it all
                    command,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            if self._wait_until_listening():
                return
            self.kill()
        raise RuntimeError(f"truceline serve did not start; its log:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the server's whole process group (no clean shutdown) and reap it."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server process has used so far (Linux /proc)."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_tail(self, lines: int = 30) -> str:
        """The last lines the server wrote (for error messages)."""
        if not self.log_path.exists():
            return "(no log)"
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def _wait_until_listening(self) -> bool:
        """True once THIS process says it listens on its port (not another one that took it)
        and the port accepts a connection; False if it exits or takes too long."""
        deadline = time.monotonic() + START_TIMEOUT_S
        assert self.process is not None
        running = f"Uvicorn running on {self.url}".encode()
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False  # exited: port taken, bad settings... (see the log)
            if running in self._new_log() and self._accepts_connections():
                return True
            time.sleep(0.05)
        return False

    def _new_log(self) -> bytes:
        with self.log_path.open("rb") as log:
            log.seek(self._log_offset)
            return log.read()

    def _accepts_connections(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.kill()


class _ClosedBeforeAnswer(Exception):
    """The server closed a kept-alive connection before answering (it read nothing)."""


class KeepAliveClient:
    """A lean HTTP/1.1 client over asyncio streams: keep-alive connections to one server,
    opened as needed and reused when free. It spends a fraction of httpx's CPU per request,
    which matters when client and server share two cores."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        address = httpx.URL(base_url)
        self.host, self.port = address.host, address.port or 80
        lines = [f"Host: {self.host}:{self.port}", *(f"{k}: {v}" for k, v in headers.items())]
        self._head = "\r\n".join(lines)
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        """POST ``body`` to ``path``; the status and the response body."""
        request = f"POST {path} HTTP/1.1\r\n{self._head}\r\nContent-Length: {len(body)}\r\n\r\n"
        while self._idle:  # the server closes connections idle for 5 s: skip those
            reader, writer = self._idle.pop()
            if not reader.at_eof():
                try:
                    return await self._exchange(reader, writer, request.encode() + body)
                except _ClosedBeforeAnswer:
                    continue  # closed as we sent: nothing was read, send it again
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            return await self._exchange(reader, writer, request.encode() + body)
        except _ClosedBeforeAnswer:
            raise ConnectionResetError("the server closed a new connection unanswered") from None

    async def _exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
    ) -> tuple[int, bytes]:
        try:
            writer.write(request)
            try:
                status_line = await reader.readline()
            except ConnectionResetError:
                status_line = b""
            if not status_line:
                raise _ClosedBeforeAnswer
            length, reuse = 0, True
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "connection" and "close" in value.lower():
                    reuse = False
            answer = await reader.readexactly(length)
        except BaseException:
            writer.close()
            raise
        if reuse:
            self._idle.append((reader, writer))
        else:
            writer.close()
        return int(status_line.split()[1]), answer

    def close(self) -> None:
        for _, writer in self._idle:
            writer.close()
