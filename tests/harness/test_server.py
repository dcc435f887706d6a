"""tests/server.py against the stand-in app: it starts a real uvicorn on a free loopback port, waits for
/readyz, restarts on the same data, stops by SIGTERM then SIGKILL, and says why a start failed."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.server import Server, ServerError

ROOT = Path(__file__).resolve().parents[2]
STANDIN = [sys.executable, "-m", "uvicorn", "tests.harness.standin:app", "--host", "127.0.0.1",
           "--port", "{port}", "--lifespan", "on"]


def standin(tmp_path: Path, **env: str) -> Server:
    """The stand-in on a data folder in tmp_path; `env` adds STANDIN_* switches."""
    return Server(STANDIN, {"HUANJIE_DATA": str(tmp_path / "data"), **env}, cwd=ROOT, logs=tmp_path / "logs")


def test_start_restart_and_stop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server answers on its loopback url with only the given HUANJIE_* variables, a restart keeps
    port and data with a new process, and SIGTERM stops it after a clean shutdown."""
    (tmp_path / "data").mkdir()
    monkeypatch.setenv("HUANJIE_DB", "sqlite:///elsewhere.db")  # a developer's setting must not leak
    server = standin(tmp_path)
    assert server.url == f"http://127.0.0.1:{server.port}"
    with server:
        first = httpx.get(f"{server.url}/state").json()
        assert first["starts"] == 1
        assert first["env"] == {"HUANJIE_DATA": str(tmp_path / "data")}
        url = server.url
        server.restart()
        second = httpx.get(f"{server.url}/state").json()
        assert server.url == url
        assert second["starts"] == 2
        assert second["pid"] != first["pid"]
        assert server.stop() == -signal.SIGTERM  # uvicorn shuts down, then re-raises the signal
    assert "Application startup complete" in server.stderr
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/readyz")


def test_a_start_that_fails_says_why(tmp_path: Path) -> None:
    """A server that exits during startup raises at once, with its stderr in the message."""
    (tmp_path / "data").mkdir()
    with pytest.raises(ServerError, match="exited with") as failed:
        standin(tmp_path, STANDIN_FAIL="1").start()
    assert "stand-in told to fail at startup" in str(failed.value)


def test_a_server_never_ready_times_out(tmp_path: Path) -> None:
    """A server whose /readyz never answers 200 fails after the timeout, with the last answer and its
    stderr, and is not left running."""
    (tmp_path / "data").mkdir()
    server = standin(tmp_path, STANDIN_NEVER_READY="1")
    server.ready_timeout = 1.0
    with pytest.raises(ServerError, match="not 200 within 1 s") as failed:
        server.start()
    assert "last: 503" in str(failed.value)
    assert "Application startup complete" in str(failed.value)
    assert server.proc is None


def test_a_server_that_will_not_stop_is_killed_with_its_children(tmp_path: Path) -> None:
    """Past the grace SIGKILL ends the server, and a child it left behind (a stuck worker) dies too."""
    (tmp_path / "data").mkdir()
    server = standin(tmp_path, STANDIN_SLOW_STOP="1", STANDIN_CHILD="1")
    with server:
        child = httpx.get(f"{server.url}/state").json()["child"]
        assert _alive(child)
        assert server.stop(grace=0.5) == -signal.SIGKILL
    assert gone(child)


def gone(pid: int, within: float = 5.0) -> bool:
    """The process is dead within `within` seconds (SIGKILL lands at once, but a loaded machine may
    schedule the exit a moment later)."""
    end = time.monotonic() + within
    while _alive(pid):
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


def _alive(pid: int) -> bool:
    """A process that exists and is not a zombie (a killed orphan may wait to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
