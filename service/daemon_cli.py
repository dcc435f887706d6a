"""`huanjie daemon start|stop|status`: the daemon (service/daemon.py) started as a process
of its own, asked how it is, and stopped."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from typing import Any

from service import daemon_link as link

IDLE_MINUTES = 60.0
START_SECONDS = 60.0
"""How long `daemon start` waits for the new daemon to answer (it imports the solver first)."""


def cmd_daemon(args: argparse.Namespace) -> int:
    from service.boundary import UsageError
    from service.render.daemon import already_line, not_running_line, status_lines, stopped_line

    if args.action == "start" and not args.idle_minutes > 0:  # checked before a stale daemon is stopped
        raise UsageError(f"--idle-minutes must be a number of minutes > 0, not {args.idle_minutes}")
    answer = link.control("status")
    running = None if answer is None else answer["status"]
    current = running is not None and running.get("code") == link.code_fingerprint()
    if args.action == "status":
        print(not_running_line() if running is None else "\n".join(status_lines(running, current)))
        return 0
    if running is not None and (args.action == "stop" or not current):  # a stale one makes way
        link.control("stop")
        wait_until(lambda: link.control("status") is None, 10.0)
        print(stopped_line(running["pid"]))
        if args.action == "stop":
            return 0
    elif args.action == "stop":
        print(not_running_line())
        return 0
    elif running is not None:
        print(already_line(running["pid"]))
        return 0
    return start(args.idle_minutes)


def start(idle_minutes: float) -> int:
    """Start the daemon and wait until it answers: 0, or 70 with its log's last lines."""
    from service.boundary import EXIT_INTERNAL
    from service.render.daemon import started_line

    folder = link.folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    log = folder / f"{link.name()}.log"
    with open(log, "ab") as out:
        p = subprocess.Popen([sys.executable, "-m", "service.daemon", "--idle", str(idle_minutes * 60)],
                             cwd=link.ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                             start_new_session=True)
    if not wait_until(lambda: p.poll() is not None or link.control("status") is not None, START_SECONDS):
        p.kill()
    answer = link.control("status")
    if answer is None:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-5:]
        print("error: the huanjie daemon did not start; its log " f"{log} ends:\n" + "\n".join(tail),
              file=sys.stderr)
        return EXIT_INTERNAL
    print(started_line(answer["status"]["pid"], idle_minutes, sorted(link.ROUTED)))
    return 0


def wait_until(done: Any, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if done():
            return True
        time.sleep(0.05)
    return done()


def add_parsers(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    d = sub.add_parser("daemon", parents=parents,
                       help="a background process that keeps the solver loaded and solved bases, so "
                            "solve, validate, explain, why-not, recommend and diff answer at once")
    actions = d.add_subparsers(dest="action", required=True)
    s = actions.add_parser("start", help="start this checkout's daemon (nothing to do when it runs)")
    s.add_argument("--idle-minutes", type=float, default=IDLE_MINUTES,
                   help=f"stop after this many minutes without a command (default {IDLE_MINUTES:g})")
    actions.add_parser("stop", help="stop it (the commands then run on their own again)")
    actions.add_parser("status", help="whether it runs, since when, how many commands and kept bases")
    d.set_defaults(run=cmd_daemon)
