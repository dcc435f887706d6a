"""A real server process for tests: started on a free loopback port, ready when `GET /readyz`
answers 200, stopped the way an operator stops it, and started again on the same data.

    with Server([".venv/bin/huanjie", "serve", "--port", "{port}"], {"HUANJIE_DATA": str(tmp_path)}) as srv:
        httpx.get(f"{srv.url}/v1/jobs")
        srv.restart()                    # same port, same environment, same data

`{port}` in any argument is replaced by the port the harness picked. The child gets this process's
environment without its HUANJIE_* variables (a developer's HUANJIE_DB must not leak into a test),
plus `env`. Its stdout and stderr go to files (a pipe nobody reads would block a chatty server);
a start that fails or times out raises `ServerError` with the tail of its stderr.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

import httpx

HOST = "127.0.0.1"


class ServerError(RuntimeError):
    """The server did not come up (it exited, or /readyz never answered 200)."""


def free_port() -> int:
    """A port no one listens on now (the OS's pick; a small race with other processes remains)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """One server command, run as a child process in its own process group."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str], *, cwd: str | Path | None = None,
                 logs: Path | None = None, ready_timeout: float = 30.0, grace: float = 10.0) -> None:
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.argv = [arg.replace("{port}", str(self.port)) for arg in argv]
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("HUANJIE_")}
        self.env.update({"PYTHONUNBUFFERED": "1", **env})
        self.cwd = cwd
        self.ready_timeout = ready_timeout
        self.grace = grace
        self.logs = logs or Path(tempfile.mkdtemp(prefix="huanjie-server-"))
        self.logs.mkdir(parents=True, exist_ok=True)
        self.starts = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def stderr(self) -> str:
        """What the latest run wrote to stderr (uvicorn logs there)."""
        path = self.logs / f"stderr-{self.starts}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def start(self) -> Server:
        """Start the command and wait until GET /readyz answers 200."""
        if self.proc is not None and self.proc.poll() is None:
            raise ServerError(f"already running: {self.argv}")
        self.starts += 1
        with open(self.logs / f"stdout-{self.starts}.log", "wb") as out, \
                open(self.logs / f"stderr-{self.starts}.log", "wb") as err:
            self.proc = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, stdin=subprocess.DEVNULL,
                                         stdout=out, stderr=err, start_new_session=True)
        deadline = time.monotonic() + self.ready_timeout
        last = "no answer"
        with httpx.Client(timeout=2.0) as client:
            while True:
                if self.proc.poll() is not None:
                    self._fail(f"exited with {self.proc.returncode} before it was ready")
                try:
                    answer = client.get(f"{self.url}/readyz")
                    if answer.status_code == 200:
                        return self
                    last = f"{answer.status_code} {answer.text[:200]}"
                except httpx.TransportError as exc:
                    last = type(exc).__name__
                if time.monotonic() > deadline:
                    self._fail(f"/readyz not 200 within {self.ready_timeout:g} s (last: {last})")
                time.sleep(0.05)

    def _fail(self, why: str) -> None:
        self.stop(grace=0)
        tail = self.stderr[-4000:]
        raise ServerError(f"{self.argv} {why}; stderr:\n{tail}")

    def stop(self, grace: float | None = None) -> int | None:
        """SIGTERM, then SIGKILL after `grace` seconds (0: kill at once, as a crash would); returns
        the exit code (None if it was not running; -15 for uvicorn's clean stop, as it re-raises the
        signal once shut down). Whatever the server left running in its process
        group (workers) is killed too, so no test leaks processes."""
        proc = self.proc
        if proc is None:
            return None
        grace = self.grace if grace is None else grace
        if proc.poll() is None and grace > 0:
            proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(grace)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # the child's own group (start_new_session)
        self.proc = None  # a later stop must not signal a group whose id the OS may have reused
        return proc.wait()

    def restart(self, grace: float | None = None) -> Server:
        """Stop, then start again: same port, same environment, so the same data."""
        self.stop(grace)
        return self.start()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
