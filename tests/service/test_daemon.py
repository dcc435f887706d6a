"""The daemon (service/daemon.py): a command run in it prints, writes and exits as it does
on its own, reuses the base it solved, passes Ctrl-C on, and never serves stale code."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from service import daemon_link

REPO = Path(__file__).resolve().parents[2]
DEMO = str(REPO / "scenarios" / "demo-county")
BIG = str(REPO / "benchmarks" / "instances" / "h17-2000-w80")
SEAT = "t01/secretary"


def env_of(folder: Path | None, switch: str = "on") -> dict[str, str]:
    """A command's environment: the daemon in `folder` (HUANJIE_DAEMON `switch`), or none (None)."""
    if folder is None:
        return {**os.environ, daemon_link.SWITCH: "off"}
    return {**os.environ, daemon_link.SWITCH: switch, daemon_link.FOLDER: str(folder)}


def huanjie(argv: list[str], folder: Path | None, cwd: Path = REPO,
            switch: str = "on") -> subprocess.CompletedProcess:
    """`huanjie argv` as a fresh process: through the daemon in `folder`, or on its own (None)."""
    return subprocess.run([sys.executable, "-m", "service.cli", *argv], cwd=cwd, env=env_of(folder, switch),
                          capture_output=True, text=True, timeout=120)


def spawn(argv: list[str], folder: Path, text: bool = False) -> subprocess.Popen:
    """`huanjie argv` through the daemon in `folder`, running, its stdout and stderr piped."""
    return subprocess.Popen([sys.executable, "-m", "service.cli", *argv], cwd=REPO, env=env_of(folder),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=text)


def timeless(done: subprocess.CompletedProcess) -> tuple[int, str, str]:
    """A command's exit code and output, its timings (0.17s, 0.16秒) masked: they differ run to run."""
    def mask(text: str) -> str:
        return re.sub(r"\d+\.\d+(s|秒)", r"T\1", text)

    return done.returncode, mask(done.stdout), mask(done.stderr)


def status(folder: Path) -> dict | None:
    answer = daemon_link.control("status", folder)
    return None if answer is None else answer["status"]


def started(folder: Path, *extra: str) -> dict:
    done = huanjie(["daemon", "start", *extra], folder)
    assert done.returncode == 0, done.stderr
    now = status(folder)
    assert now is not None, done.stdout
    return now


@pytest.fixture(scope="module")
def daemon() -> Iterator[Path]:
    """A daemon of this module's own, in a short folder (a socket path has at most 107 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="hjd", dir="/tmp"))
    started(folder)
    yield folder
    daemon_link.control("stop", folder)
    shutil.rmtree(folder, ignore_errors=True)


def served(folder: Path) -> int:
    now = status(folder)
    assert now is not None
    return now["served"]


@pytest.mark.parametrize("argv", [
    ["why-not", DEMO, "g0318", SEAT],
    ["recommend", DEMO, SEAT, "--limit", "3"],
    ["solve", DEMO, "--top", "2"],
    ["why-not", "no-such-county", "g0318", SEAT],
    ["why-not", DEMO, "g0318", "t01"],
], ids=["why-not", "recommend", "solve", "bad-folder", "bad-seat"])
def test_a_command_in_the_daemon_prints_and_exits_as_on_its_own(daemon: Path, argv: list[str]) -> None:
    """The same stdout, stderr and exit code through the daemon as in a process of its own (bad input too)."""
    before = served(daemon)
    own, through = huanjie(argv, None), huanjie(argv, daemon)
    assert timeless(through) == timeless(own)
    assert served(daemon) == before + 1


def test_the_daemon_solves_a_base_once_for_every_question(tmp_path: Path) -> None:
    """why-not, recommend and a one-pin diff on one county solve its base once in the daemon, and
    the diff prints what it prints on its own."""
    folder = Path(tempfile.mkdtemp(prefix="hjd", dir="/tmp"))
    try:
        started(folder)
        pin = tmp_path / "pin.yaml"
        pin.write_text(f"base: {DEMO}\nname: pin\npins:\n"
                       "  - {cadre: g0318, township: t01, seat: secretary}\n", encoding="utf-8")
        for argv in (["why-not", DEMO, "g0318", SEAT], ["recommend", DEMO, SEAT, "--limit", "2"]):
            assert huanjie(argv, folder).returncode in (0, 1)
        own, through = huanjie(["diff", DEMO, str(pin)], None), huanjie(["diff", DEMO, str(pin)], folder)
        assert timeless(through)[:2] == timeless(own)[:2]
        now = status(folder)
        assert now is not None
        assert (now["served"], now["built"], now["bases"]) == (3, 1, 1)
    finally:
        daemon_link.control("stop", folder)
        shutil.rmtree(folder, ignore_errors=True)


def test_json_is_written_in_the_commands_folder(daemon: Path, tmp_path: Path) -> None:
    """A relative --json is the command's folder's, not the daemon's; the answer is JSON of the verb."""
    done = huanjie(["why-not", DEMO, "g0318", SEAT, "--json", "answer.json"], daemon, cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    answer = json.loads((tmp_path / "answer.json").read_text(encoding="utf-8"))
    assert answer["cadre"] == "g0318"


def test_a_closed_stdout_still_writes_the_json(daemon: Path, tmp_path: Path) -> None:
    """`huanjie solve … | head -1` through the daemon: exit 0, quiet, and --json written."""
    out = tmp_path / "result.json"
    p = spawn(["solve", DEMO, "--top", "3", "--json", str(out)], daemon)
    assert p.stdout is not None and p.stderr is not None
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) == 0, err
    assert "Traceback" not in err
    assert json.loads(out.read_text(encoding="utf-8"))["slates"]


def test_ctrl_c_is_passed_on_and_the_daemon_serves_on(daemon: Path) -> None:
    """Ctrl-C to a long solve run in the daemon ends it with exit 130 and the interrupted line;
    the daemon answers the next command."""
    p = spawn(["solve", BIG, "--time-limit", "60"], daemon, text=True)
    assert p.stderr is not None
    first = p.stderr.readline()  # a progress line: the solve runs
    assert first, "no progress from the solve"
    t0 = time.monotonic()
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130, err
    assert "已中断(Ctrl-C)" in err
    assert time.monotonic() - t0 < 30
    assert huanjie(["why-not", DEMO, "g0318", SEAT], daemon).returncode in (0, 1)


def test_off_and_other_verbs_run_on_their_own(daemon: Path) -> None:
    """HUANJIE_DAEMON=off, and a verb the daemon does not run (rules), never reach it."""
    before = served(daemon)
    off = huanjie(["why-not", DEMO, "g0318", SEAT], daemon, switch="off")
    assert off.returncode in (0, 1), off.stderr
    assert huanjie(["rules"], daemon).returncode == 0
    assert served(daemon) == before


@pytest.fixture
def stale() -> Iterator[tuple[Path, subprocess.Popen]]:
    """A daemon of other code (as after an edit since it started), in a folder of its own."""
    folder = Path(tempfile.mkdtemp(prefix="hjd", dir="/tmp"))
    old = ("import sys; import service.daemon_link as link; link.code_fingerprint = lambda: 'old code'; "
           "from service.daemon import serve; sys.exit(serve(60))")
    p = subprocess.Popen([sys.executable, "-c", old], cwd=REPO, env=env_of(folder), stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while status(folder) is None:
            assert p.poll() is None and time.monotonic() < deadline, "the daemon did not start"
            time.sleep(0.05)
        yield folder, p
    finally:
        p.kill()
        daemon_link.control("stop", folder)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_stale_daemon_stops_and_the_command_runs_on_its_own(stale: tuple[Path, subprocess.Popen]) -> None:
    """A daemon of other code refuses the command, says so and stops; the command runs on its
    own with the same output."""
    folder, p = stale
    assert "启动后已更改" in huanjie(["daemon", "status"], folder).stdout
    argv = ["why-not", DEMO, "g0318", SEAT]
    through, own = huanjie(argv, folder), huanjie(argv, None)
    assert "ran older code and has stopped" in through.stderr
    assert timeless(through)[:2] == timeless(own)[:2]
    assert p.wait(timeout=10) == 0
    assert status(folder) is None and not daemon_link.socket_path(folder).exists()


def test_start_replaces_a_stale_daemon(stale: tuple[Path, subprocess.Popen]) -> None:
    """`daemon start` with a daemon of other code running stops it and starts a current one."""
    folder, p = stale
    done = huanjie(["daemon", "start"], folder)
    assert done.returncode == 0 and "已停止" in done.stdout and "已启动" in done.stdout
    assert p.wait(timeout=10) == 0
    assert "与本目录一致" in huanjie(["daemon", "status"], folder).stdout


def test_start_stop_status_and_idle() -> None:
    """start twice starts one; only the user may connect; status and stop say what runs; an idle
    daemon stops by itself."""
    folder = Path(tempfile.mkdtemp(prefix="hjd", dir="/tmp"))
    try:
        pid = started(folder)["pid"]
        assert stat.S_IMODE(daemon_link.socket_path(folder).stat().st_mode) == 0o600
        again = huanjie(["daemon", "start"], folder)
        assert again.returncode == 0 and f"已在运行(进程号{pid})" in again.stdout
        assert f"进程号{pid}" in huanjie(["daemon", "status"], folder).stdout
        stop = huanjie(["daemon", "stop"], folder)
        assert stop.returncode == 0 and f"已停止(进程号{pid})" in stop.stdout
        assert status(folder) is None and not daemon_link.socket_path(folder).exists()
        assert "没有运行中的后台进程" in huanjie(["daemon", "status"], folder).stdout
        assert "没有运行中的后台进程" in huanjie(["daemon", "stop"], folder).stdout
        started(folder, "--idle-minutes", "0.02")  # 1.2 s
        deadline = time.monotonic() + 30
        while status(folder) is not None:
            assert time.monotonic() < deadline, "the idle daemon did not stop"
            time.sleep(0.1)
        assert not daemon_link.socket_path(folder).exists()
        bad = huanjie(["daemon", "start", "--idle-minutes", "0"], folder)
        assert bad.returncode == 2 and "--idle-minutes" in bad.stderr
    finally:
        daemon_link.control("stop", folder)
        shutil.rmtree(folder, ignore_errors=True)


def test_which_commands_go_to_the_daemon(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scenario verbs go (after --debug too); serve, batch, rules and HUANJIE_DAEMON=off do not."""
    monkeypatch.setenv(daemon_link.SWITCH, "on")
    assert daemon_link.wanted(["why-not", "x", "c", "t/s"])
    assert daemon_link.wanted(["--debug", "solve", "x"])
    assert not daemon_link.wanted(["serve"])
    assert not daemon_link.wanted(["batch", "x"])
    assert not daemon_link.wanted([])
    monkeypatch.setenv(daemon_link.SWITCH, "off")
    assert not daemon_link.wanted(["why-not", "x", "c", "t/s"])


def test_the_code_fingerprint_follows_an_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Touching a module file changes the fingerprint; nothing changed, it stays."""
    for pkg in daemon_link.PACKAGES:
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "a.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(daemon_link, "ROOT", tmp_path)
    first = daemon_link.code_fingerprint()
    assert daemon_link.code_fingerprint() == first
    (tmp_path / "solver" / "a.py").write_text("x = 22\n", encoding="utf-8")
    assert daemon_link.code_fingerprint() != first
