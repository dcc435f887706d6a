"""The daemon (`huanjie daemon start`, service/daemon_cli.py): one background process per
checkout that has imported the solver once and keeps solved bases (service/bases.py),
and runs the scenario verbs (service/daemon_link.py `ROUTED`) for `huanjie` commands,
so that a why-not or a one-pin diff typed after the first costs what the library call
costs, not 0.8 s of imports and a base solve more.

A command runs in the daemon exactly as in its own process: the same `main`, in the
command's folder, its output sent back as it is printed, its Ctrl-C passed on as a
SIGINT (the boundary stops the run the same way), its exit code returned. Commands run
one at a time. The daemon reads the environment it was started with, stops after
`--idle-minutes` without a command, and refuses a command from code other than its own
(an edit or upgrade since it started), which then runs in its own process.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import signal
import socket
import sys
import threading
import time
from typing import Any

from service import daemon_link as link

IDLE_SECONDS = 3600.0
WARM = ("model.io", "service.calls", "service.render.diff", "service.render.report", "service.render.verbs",
        "solver.compare", "solver.forced", "solver.warm")


class Frames:
    """A text stream whose writes go to the command as {"out"|"err": text} messages; once
    the command has gone, the rest is dropped (the run ends as if its stdout were closed)."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, conn: socket.socket, key: str, lock: threading.Lock) -> None:
        self.conn, self.key, self.lock, self.gone = conn, key, lock, False

    def write(self, text: str) -> int:
        if text and not self.gone:
            with self.lock:
                try:
                    link.send(self.conn, {self.key: text})
                except OSError:
                    self.gone = True
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True


class Daemon:
    def __init__(self) -> None:
        from service.bases import Bases

        self.code = link.code_fingerprint()
        self.started = time.time()
        self.served = 0
        self.last = time.monotonic()
        """When the last command ended (a status or stop request is not one): idleness counts from it."""
        self.bases = Bases()
        self.current: object | None = None
        """The running command's token: a SIGINT counts only while one runs, and only its own."""

    def status(self) -> dict[str, Any]:
        return {"pid": os.getpid(), "started": self.started, "served": self.served, "code": self.code,
                "bases": self.bases.kept_now(), "built": self.bases.built, "socket": str(link.socket_path())}

    def on_sigint(self, signum: int, frame: Any) -> None:
        if self.current is not None:
            raise KeyboardInterrupt

    def handle(self, conn: socket.socket) -> bool:
        """One connection: a command or a control request. False: the daemon stops."""
        reader = conn.makefile("rb")
        try:
            asked = json.loads(reader.readline() or b"{}")
        except (OSError, ValueError):
            return True
        try:
            if "control" in asked:
                if asked["control"] == "stop":
                    link.send(conn, {"stopped": os.getpid()})
                    return False
                link.send(conn, {"status": self.status()})
                return True
            if asked.get("code") != self.code:
                link.send(conn, {"stale": True})
                return False
            code = self.run(conn, reader, [str(a) for a in asked.get("argv", [])], str(asked.get("cwd", "/")))
            link.send(conn, {"exit": code})
        except OSError:  # the command went away; the daemon serves on
            pass
        return True

    def run(self, conn: socket.socket, reader: Any, argv: list[str], cwd: str) -> int:
        """`main(argv)` in `cwd` with its output sent to the command; a Ctrl-C the command
        passes on, or its going away, is a SIGINT to this (main) thread, as at a terminal."""
        from service import cli
        from service.boundary import error_exit, interrupted_line

        token = object()
        lock = threading.Lock()
        threading.Thread(target=self.watch, args=(reader, token), daemon=True).start()
        saved, here = (sys.stdout, sys.stderr), os.getcwd()
        self.current = token
        try:
            sys.stdout, sys.stderr = Frames(conn, "out", lock), Frames(conn, "err", lock)
            os.chdir(cwd)
            code = cli.main(argv, kept=self.bases)
        except SystemExit as e:  # argparse: --help, or arguments it refuses (its message is out)
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
        except KeyboardInterrupt:
            print(interrupted_line(False), file=sys.stderr)
            code = cli.EXIT_INTERRUPTED
        except Exception as e:  # before the verb's own boundary (the folder has gone, ...)
            code = error_exit(e, "--debug" in argv)
        finally:
            self.current = None
            sys.stdout, sys.stderr = saved
            os.chdir(here)
        self.served += 1
        self.last = time.monotonic()
        return code

    def watch(self, reader: Any, token: object) -> None:
        """The command's Ctrl-Cs, and its end: each a SIGINT while its run is the current one."""
        with contextlib.suppress(OSError, ValueError):
            for line in reader:
                if json.loads(line).get("interrupt") and self.current is token:
                    os.kill(os.getpid(), signal.SIGINT)
        if self.current is token:  # gone mid-run (killed): stop the run, its output is dropped
            os.kill(os.getpid(), signal.SIGINT)


def warm_up() -> None:
    """What the routed verbs import, imported before the daemon answers."""
    for module in WARM:
        importlib.import_module(module)


def serve(idle_seconds: float) -> int:
    """The daemon's life: listen on this checkout's socket, run commands one at a time,
    stop when told, on SIGTERM, or `idle_seconds` after its last command."""
    warm_up()
    link.folder().mkdir(parents=True, exist_ok=True, mode=0o700)
    path = link.socket_path()
    if link.control("status") is not None:
        return 0  # another daemon of this checkout answers already
    path.unlink(missing_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    umask = os.umask(0o177)  # the socket is 0600 from the start: only the user may connect
    try:
        server.bind(str(path))
    finally:
        os.umask(umask)
    server.listen(16)
    mine = path.stat().st_ino
    daemon = Daemon()
    signal.signal(signal.SIGINT, daemon.on_sigint)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"huanjie daemon {os.getpid()} listening on {path}", file=sys.stderr, flush=True)
    try:
        while (left := daemon.last + idle_seconds - time.monotonic()) > 0:
            server.settimeout(left)
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            conn.settimeout(None)
            with conn:
                try:
                    keep = daemon.handle(conn)
                except KeyboardInterrupt:  # a Ctrl-C that landed just as its run ended
                    keep = True
                if not keep:
                    break
    finally:
        server.close()
        with contextlib.suppress(OSError):
            if path.stat().st_ino == mine:  # not a newer daemon's socket
                path.unlink()
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(prog="python -m service.daemon", description="the huanjie daemon itself")
    ap.add_argument("--idle", type=float, default=IDLE_SECONDS, help="seconds idle before it stops")
    sys.exit(serve(ap.parse_args().idle))
