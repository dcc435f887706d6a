"""The command line's side of the daemon (service/daemon.py): where its socket is, which
code it runs, and `forward`, which sends a command to it and plays back what it says.

A `huanjie` process pays about 0.8 s of imports (OR-Tools, numpy, pydantic) and a base
solve before it can answer a why-not; the daemon has paid both already and keeps the
solved bases (service/bases.py). This module is what every command imports first, so it
uses the standard library (and the boundary's quiet pipe, loaded with the command already)
and costs a few milliseconds when no daemon runs.

The wire: one JSON object per line over a Unix socket in a folder only the user may
enter. The command sends {"argv", "cwd", "code"} and then {"interrupt": true} per
Ctrl-C; the daemon answers {"out": text} and {"err": text} as the command prints, then
{"exit": code}, or {"stale": true} when it runs other code than this checkout holds.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from service.boundary import QuietPipe

ROOT = Path(__file__).resolve().parents[1]
"""The checkout (or install) holding model/, solver/ and service/: one daemon per root."""
PACKAGES = ("model", "solver", "service")
ROUTED = frozenset({"solve", "validate", "explain", "why-not", "recommend", "diff"})
"""The verbs a daemon runs: those that read a scenario and solve or judge it. The others
(serve, batch, reports, generate, ...) run in their own process as before."""
SWITCH = "HUANJIE_DAEMON"
"""`off` (or 0, no): every command runs in its own process, a daemon or not."""
FOLDER = "HUANJIE_DAEMON_DIR"
"""Where the socket and log live (default: $XDG_RUNTIME_DIR/huanjie, else ~/.cache/huanjie,
else /tmp/huanjie-UID)."""
CONNECT_SECONDS = 2.0


def folder() -> Path:
    given = os.environ.get(FOLDER)
    if given:
        return Path(given)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime) / "huanjie"
    try:
        home = Path.home()
    except RuntimeError:  # no HOME and no password entry
        home = Path()
    if not home.is_absolute():
        return Path("/tmp") / f"huanjie-{os.getuid()}"
    return home / ".cache" / "huanjie"


def name() -> str:
    """The daemon's file name stem: one per checkout, so two checkouts never share one."""
    return "daemon-" + hashlib.sha256(str(ROOT).encode()).hexdigest()[:10]


def socket_path(where: Path | None = None) -> Path:
    """The socket in `where`, by default `folder()`."""
    return (where or folder()) / f"{name()}.sock"


def code_fingerprint() -> str:
    """The code a process runs: the interpreter and every module file's size and time, so
    an edit or an upgrade after the daemon started makes it stale (a few ms of stat calls)."""
    h = hashlib.sha256(f"{sys.executable}\n{sys.version}\n".encode())
    for pkg in PACKAGES:
        for dirpath, dirnames, files in os.walk(ROOT / pkg):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for f in sorted(files):
                if f.endswith((".py", ".txt", ".yaml", ".json")):
                    st = os.stat(os.path.join(dirpath, f))
                    h.update(f"{dirpath}/{f} {st.st_size} {st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def send(sock: socket.socket, message: dict[str, Any]) -> None:
    sock.sendall(json.dumps(message, ensure_ascii=False).encode() + b"\n")


def answer(sock: socket.socket) -> dict[str, Any] | None:
    """The daemon's one-line answer, None when it closed the connection first."""
    with sock.makefile("rb") as lines:
        line = lines.readline()
    return json.loads(line) if line else None


def connect(where: Path | None = None) -> socket.socket | None:
    """A connection to this checkout's daemon, or None when none listens (or no folder for
    one can be named: no home, no runtime folder)."""
    try:
        path = socket_path(where)
        if not path.exists():
            return None
    except (OSError, RuntimeError):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(CONNECT_SECONDS)
    try:
        sock.connect(str(path))
    except OSError:
        sock.close()
        return None
    sock.settimeout(None)
    return sock


def verb_of(argv: list[str]) -> str | None:
    """The verb of a command line: its first word that is not an option."""
    return next((a for a in argv if not a.startswith("-")), None)


def wanted(argv: list[str]) -> bool:
    return (os.environ.get(SWITCH, "").lower() not in ("off", "0", "no", "false")
            and verb_of(argv) in ROUTED)


def control(request: str, where: Path | None = None) -> dict[str, Any] | None:
    """A control request to the daemon ("status", "stop"): its answer, None when none runs."""
    sock = connect(where)
    if sock is None:
        return None
    with sock:
        try:
            send(sock, {"control": request})
            return answer(sock)
        except OSError:  # it closed as it stopped (a connection its last accept never took)
            return None


def forward(argv: list[str]) -> int | None:
    """Run `argv` in this checkout's daemon: its exit code, or None when it must run here
    (no daemon, a verb it does not run, HUANJIE_DAEMON=off, or a stale daemon, which is
    told to stop and said so on stderr)."""
    if not wanted(argv):
        return None
    sock = connect()
    if sock is None:
        return None
    with sock:
        try:
            send(sock, {"argv": argv, "cwd": os.getcwd(), "code": code_fingerprint()})
        except OSError:
            return None
        return played(sock)


def played(sock: socket.socket) -> int | None:
    """What the daemon prints, printed here, until its exit code. Ctrl-C is passed on (the
    daemon stops the run as a command of its own would); a closed stdout is dropped, the
    run goes on (its --json is still written)."""
    from service.boundary import QuietPipe  # loaded already: the command imported it with service.cli

    out = QuietPipe(sys.stdout)

    presses = [0]

    def interrupt(signum: int, frame: Any) -> None:
        presses[0] += 1
        if presses[0] > 2:  # the daemon's run ends at the second; a third does not wait for it
            raise KeyboardInterrupt
        with contextlib.suppress(OSError):
            send(sock, {"interrupt": True})

    before = signal.signal(signal.SIGINT, interrupt)  # the daemon decides what a Ctrl-C ends
    try:
        return playback(sock, out)
    except KeyboardInterrupt:
        return 130
    finally:
        signal.signal(signal.SIGINT, before)


def playback(sock: socket.socket, out: QuietPipe) -> int | None:
    with sock.makefile("rb") as lines:
        while True:
            try:
                line = lines.readline()
            except OSError:
                line = b""
            if not line:  # the daemon went away mid-run
                print("error: the huanjie daemon stopped during the command; run it again "
                      "(`huanjie daemon start` starts a new daemon)", file=sys.stderr)
                return 70
            m = json.loads(line)
            if "out" in m:
                out.write(m["out"])
            elif "err" in m:
                out.flush()
                sys.stderr.write(m["err"])
                sys.stderr.flush()
            elif "stale" in m:
                print("note: the huanjie daemon ran older code and has stopped; this command runs "
                      "on its own (`huanjie daemon start` starts a current one)", file=sys.stderr)
                return None
            elif "exit" in m:
                out.flush()
                return int(m["exit"])
