"""The command line's one exception boundary: every way a run can end becomes an
exit code and at most a few located lines, never a traceback (unless --debug).

Exit codes: 0 solved (or valid), 1 infeasible (or the slate breaks a must rule),
2 bad input or an output that cannot be written, 3 no slate within the time
limit, 70 an unexpected error (a bug: one line, the traceback with --debug),
130 interrupted (Ctrl-C).

Ctrl-C: Python raises KeyboardInterrupt only in the main thread and only while
it runs Python code, and a solve spends its time inside CP-SAT. So the verb runs
in a worker thread and the main thread waits for it in short steps that an
interrupt can break. An interrupt while the verb is still loading ends the run
with one line; once the solver has started, it cancels the run's `Interrupt`
stop, which halts CP-SAT at once, and waits for the verb to print the best slate
found (FEASIBLE, not proven) and write its files. A second Ctrl-C ends at once.

A closed stdout (`huanjie solve ... | head -1`) is not an error: the rest of the
report is dropped quietly, as the Python docs advise (stdout onto devnull), and
the run goes on to write its --json.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any, TextIO

from model.errors import InputErrors
from service.output import OutputError, remove_pending

EXIT_OK, EXIT_INFEASIBLE, EXIT_BAD_INPUT, EXIT_NO_ANSWER = 0, 1, 2, 3
EXIT_INTERNAL = 70  # EX_SOFTWARE of sysexits.h
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it

WAIT_STEP = 0.1
"""Seconds the main thread waits on the worker between chances to see Ctrl-C."""


def interrupted_line(solving: bool) -> str:
    """The line for Ctrl-C (service/render/verbs.py). The renderers load when a verb
    starts (`_run`), not with this module, so `huanjie --help` loads none of them."""
    from service.render.verbs import interrupted_line as line

    return line(solving)


class UsageError(Exception):
    """A command-line argument that cannot be used; the message says what to do."""


class Abandoned(BaseException):
    """Raised in a worker whose run was interrupted before its solve began: nobody
    waits for it any more. A BaseException, so no `except Exception` keeps it going."""


def internal_error_line(e: BaseException) -> str:
    """One line for an unexpected error: what it is, and how to see more."""
    first = (str(e).strip().splitlines() or [""])[0]
    text = f"{type(e).__name__}: {first}" if first else type(e).__name__
    return f"internal error ({text}); run again with --debug to see the traceback"


class Interrupt:
    """The run's stop (solver/stop.py's `Cancel` inside), which also tells whether the
    solver has started: the solver's first look at it (remaining, should_stop,
    on_stop) marks the solve begun. An interrupt before that abandons the run
    instead of cancelling it. Made in the main thread, under the boundary's
    KeyboardInterrupt guard; the verb imports the solver (slow: OR-Tools) in its
    worker thread, where an interrupt abandons it."""

    def __init__(self) -> None:
        from solver.stop import Cancel

        self.flag = Cancel()
        self._phase = threading.Lock()
        self.started = False
        self.abandoned = False

    def _touch(self) -> None:
        with self._phase:
            if self.abandoned:
                raise Abandoned
            self.started = True

    def interrupt(self) -> bool:
        """Stop the run; True if a solve was under way (it will return what it has),
        False if the run was abandoned before its solve began."""
        with self._phase:
            if not self.started:
                self.abandoned = True
                return False
        self.flag.cancel()
        return True

    def remaining(self) -> float:
        self._touch()
        return self.flag.remaining()

    def should_stop(self) -> bool:
        self._touch()
        return self.flag.should_stop()

    def on_stop(self, listener: Callable[[], None]) -> Callable[[], None]:
        self._touch()
        return self.flag.on_stop(listener)


class QuietPipe:
    """A text stream that drops what it cannot write once its reader has gone
    (EPIPE), instead of raising BrokenPipeError from the middle of a run."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.closed_pipe = False

    def _broken(self) -> None:
        self.closed_pipe = True
        try:  # the interpreter flushes stdout at exit: send that to devnull too
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass

    def write(self, text: str) -> int:
        if self.closed_pipe:
            return len(text)
        try:
            return self.stream.write(text)
        except OSError as e:
            if e.errno != errno.EPIPE:
                raise
            self._broken()
            return len(text)

    def flush(self) -> None:
        if self.closed_pipe:
            return
        try:
            self.stream.flush()
        except OSError as e:
            if e.errno != errno.EPIPE:
                raise
            self._broken()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def error_exit(e: BaseException, debug: bool) -> int:
    """The exit code of an exception out of a verb, its message printed to stderr."""
    if isinstance(e, InputErrors):
        print(str(e), file=sys.stderr)
        return EXIT_BAD_INPUT
    if isinstance(e, UsageError | OutputError):
        print(f"error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    from solver.memory import MemoryBoundExceeded  # cheap: the solver package loads its verbs lazily

    if isinstance(e, MemoryBoundExceeded):  # the input or the bound must change: any verb
        from service.render.limits import limit_text

        print(f"error: {limit_text(e.reason())}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if isinstance(e, OSError):
        where = f": {e.filename}" if e.filename else ""
        print(f"error: {e.strerror or e}{where}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if debug:
        traceback.print_exception(e, file=sys.stderr)
    print(internal_error_line(e), file=sys.stderr)
    return EXIT_INTERNAL


def guarded(work: Callable[[Interrupt], int], debug: bool = False) -> int:
    """Run `work` (a verb, given the run's stop) inside the boundary: its exit code,
    or the code of how it ended (an error, an interrupt)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = QuietPipe(out), QuietPipe(err)
    try:
        return _run(work, debug)
    finally:
        for s in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                s.flush()
        sys.stdout, sys.stderr = out, err


def _run(work: Callable[[Interrupt], int], debug: bool) -> int:
    try:
        interrupted_line(False)  # the renderers loaded now, under this guard, before Ctrl-C needs them
        stop = Interrupt()
    except KeyboardInterrupt:
        print(interrupted_line(False), file=sys.stderr)
        return EXIT_INTERRUPTED
    outcome: dict[str, Any] = {}

    done = threading.Event()  # not Thread.join: a join broken by Ctrl-C can mark a live thread ended

    def target() -> None:
        try:
            outcome["code"] = work(stop)
        except Abandoned:
            pass
        except BaseException as e:
            outcome["error"] = e
        finally:
            done.set()

    worker = threading.Thread(target=target, name="huanjie-verb", daemon=True)
    interrupted = False
    try:
        worker.start()  # inside: Thread.start waits, and Ctrl-C may land there
        while not done.wait(WAIT_STEP):
            pass
    except KeyboardInterrupt:
        interrupted = True
        solving = stop.interrupt()
        print(interrupted_line(solving), file=sys.stderr, flush=True)
        if not solving:
            return EXIT_INTERRUPTED
        try:
            while not done.wait(WAIT_STEP):
                pass
        except KeyboardInterrupt:  # a second Ctrl-C: do not wait for the run's report
            remove_pending()
            return EXIT_INTERRUPTED
    if "error" in outcome:
        code = error_exit(outcome["error"], debug)
        return EXIT_INTERRUPTED if interrupted else code
    return EXIT_INTERRUPTED if interrupted else outcome.get("code", EXIT_INTERNAL)
