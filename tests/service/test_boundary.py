"""The CLI's exception boundary (service/boundary.py): exit codes, Ctrl-C, a closed stdout."""

from __future__ import annotations

import _thread
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from model.errors import InputError, InputErrors
from model.generator import generate_county
from model.io import save_scenario
from model.slate import SolveResult
from service.boundary import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    Abandoned,
    Interrupt,
    QuietPipe,
    UsageError,
    guarded,
)
from service.output import OutputError

REPO = Path(__file__).resolve().parents[2]


def raising(e: BaseException):
    def work(stop: Interrupt) -> int:
        raise e

    return work


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (InputErrors([InputError("bad", "f", "v", file="x.csv", row=3)]), "x.csv, row 3"),
        (UsageError("--top must be at least 1"), "error: --top must be at least 1"),
        (OutputError("--json out.json: is a folder"), "error: --json out.json: is a folder"),
        (PermissionError(13, "Permission denied", "/root/x"), "error: Permission denied: /root/x"),
    ],
    ids=["input", "usage", "output", "oserror"],
)
def test_input_and_output_problems_exit_2(capsys: pytest.CaptureFixture[str], error: Exception,
                                          says: str) -> None:
    """Input errors, argument errors and file system errors are exit 2 with their located message."""
    assert guarded(raising(error)) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert says in err
    assert "Traceback" not in err


def test_unexpected_error_is_70_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """A bug is exit 70: one line naming the error and --debug, no traceback."""
    assert guarded(raising(RecursionError("maximum recursion depth exceeded\nmore"))) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "RecursionError: maximum recursion depth exceeded" in err and "--debug" in err


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    """With debug the traceback of an unexpected error is printed, and the exit code is still 70."""
    assert guarded(raising(TypeError("unhashable")), debug=True) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "TypeError: unhashable" in err


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_flag_before_or_after_the_verb(where: str) -> None:
    """--debug is accepted before the verb and after it, and a verb without it keeps the global flag."""
    from service.cli import parser

    argv = ["--debug", "rules"] if where == "before" else ["rules", "--debug"]
    assert parser().parse_args(argv).debug is True
    assert parser().parse_args(["rules"]).debug is False


def test_interrupt_while_loading_abandons_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C before the solver starts: exit 130 at once with one line; the worker is stopped at its
    first look at the stop and prints nothing."""
    ended = threading.Event()
    seen: list[str] = []

    def work(stop: Interrupt) -> int:
        try:
            _thread.interrupt_main()
            time.sleep(0.5)  # still "loading" when the main thread sees Ctrl-C
            stop.should_stop()
            seen.append("solved")
            return 0
        except Abandoned:
            seen.append("abandoned")
            raise
        finally:
            ended.set()

    t0 = time.perf_counter()
    assert guarded(work) == EXIT_INTERRUPTED
    assert time.perf_counter() - t0 < 0.45
    err = capsys.readouterr().err
    assert err == "已中断(Ctrl-C)\n"
    assert ended.wait(5)
    assert seen == ["abandoned"]


def test_interrupt_while_solving_cancels_and_waits(capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C during the solve cancels the stop (as CP-SAT's listener hears it), lets the verb print
    what it found, and exits 130."""
    def work(stop: Interrupt) -> int:
        heard = threading.Event()
        stop.on_stop(heard.set)  # the solver's hook: run_cpsat halts CP-SAT here
        _thread.interrupt_main()
        assert heard.wait(5)
        assert stop.should_stop()
        print("best slate so far")
        return 0

    assert guarded(work) == EXIT_INTERRUPTED
    cap = capsys.readouterr()
    assert cap.out == "best slate so far\n"
    assert "已中断(Ctrl-C):求解已停止" in cap.err


def test_quiet_pipe_drops_output_after_the_reader_left() -> None:
    """Writing to a pipe whose reader has gone is dropped quietly, not a BrokenPipeError."""
    r, w = os.pipe()
    os.close(r)
    stream = io.TextIOWrapper(os.fdopen(w, "wb"), encoding="utf-8")
    quiet = QuietPipe(stream)
    quiet.write("x" * 100_000)
    quiet.flush()
    assert quiet.closed_pipe
    quiet.write("more")
    stream.close()  # fd now on devnull: closing flushes without error


# --------------------------------------------------------------------------- real processes


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A county of 20 townships and 800 cadres: its second slate at diversity 120 takes seconds."""
    folder = tmp_path_factory.mktemp("sigint") / "county"
    save_scenario(generate_county(20, 800, 7), folder)
    return folder


def huanjie(*args: str) -> list[str]:
    return [sys.executable, "-m", "service.cli", *args]


def default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a child of a background job would ignore it


def test_closed_stdout_still_writes_json(tmp_path: Path) -> None:
    """`solve ... | head -1`: stdout's reader gone, no BrokenPipeError, exit 0, and --json is written."""
    folder = tmp_path / "small"
    save_scenario(generate_county(2, 60, 3), folder)
    out = tmp_path / "out.json"
    r, w = os.pipe()
    os.close(r)
    try:
        proc = subprocess.run(huanjie("solve", str(folder), "--time-limit", "20", "--json", str(out)),
                              stdout=w, stderr=subprocess.PIPE, text=True, cwd=REPO, timeout=60)
    finally:
        os.close(w)
    assert proc.returncode == 0, proc.stderr
    assert "BrokenPipe" not in proc.stderr and "Traceback" not in proc.stderr
    assert "Exception ignored" not in proc.stderr
    assert SolveResult.model_validate_json(out.read_text(encoding="utf-8")).slates


def test_sigint_during_the_search_returns_the_best_found(county: Path, tmp_path: Path) -> None:
    """Ctrl-C after the first slate: the search stops at once, exit 130, the report printed and the
    JSON written; a slate not judged before the signal is not claimed OPTIMAL."""
    out = tmp_path / "out.json"
    proc = subprocess.Popen(
        huanjie("solve", str(county), "--top", "3", "--diversity", "120", "--time-limit", "60",
                "--json", str(out)),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, preexec_fn=default_sigint)
    before: list[str] = []
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            before.append(line)
            if line.startswith("方案1:"):
                break
        proc.send_signal(signal.SIGINT)
        sent = time.perf_counter()
        stdout, after = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert time.perf_counter() - sent < 10
    assert proc.returncode == EXIT_INTERRUPTED, after
    assert "已中断(Ctrl-C)" in after and "Traceback" not in after
    assert "方案 1" in stdout
    result = SolveResult.model_validate_json(out.read_text(encoding="utf-8"))
    judged = sum(line.startswith("方案") for line in before)
    assert result.slates
    for k, stats in enumerate(result.solves[: len(result.slates)]):
        if k >= judged:
            assert stats.status != "OPTIMAL", json.dumps(stats.model_dump(mode="json"))

