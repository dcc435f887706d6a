"""A daemon of a benchmark's own (service/daemon.py): started in a folder of its own (its
start timed, as a user pays it), checked to have run the commands meant for it, stopped."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter

from service.daemon_link import FOLDER, SWITCH, control


@dataclass
class OwnDaemon:
    folder: Path
    env: dict[str, str] = field(default_factory=dict)
    """The environment of a command that runs in it."""
    start: float = 0.0
    """Wall seconds of `huanjie daemon start`."""

    def served(self, n: int) -> None:
        """Raise unless exactly `n` commands ran in it (a command run on its own would flatter nothing,
        but it would not be what the table says)."""
        status = control("status", self.folder)
        if status is None or status["status"]["served"] != n:
            raise RuntimeError(f"the commands did not all run in the daemon: {status}")


@contextmanager
def own_daemon(huanjie: list[str]) -> Iterator[OwnDaemon]:
    """A daemon started with the command `huanjie` (the script, or python -m service.cli)."""
    with tempfile.TemporaryDirectory() as folder:
        d = OwnDaemon(Path(folder), {**os.environ, SWITCH: "on", FOLDER: folder})
        t = perf_counter()
        subprocess.run([*huanjie, "daemon", "start"], env=d.env, capture_output=True, check=True)
        d.start = perf_counter() - t
        try:
            yield d
        finally:
            subprocess.run([*huanjie, "daemon", "stop"], env=d.env, capture_output=True)
