"""Files a run writes: checked before any work, written atomically, never over an input.

A run that would fail to write its `--json` must fail before it solves, not after
its report has printed; and a write that fails half-way must leave the old file
as it was and no temporary file behind. So `check_target` refuses, with a
message naming the path, a target whose folder is missing or not writable, a
folder, a device or other special file, and any file the run reads; and
`write_atomic` writes a temporary file in the target's own folder, fsyncs it and
moves it over the target with `os.replace`. A symlink is followed: the file it
points to is replaced and the link stays a link.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path

from model.errors import InputErrors


class OutputError(Exception):
    """A file the run cannot or must not write; the message names it and says why."""


_pending: set[Path] = set()
_pending_lock = threading.Lock()


def remove_pending() -> None:
    """Remove the temporary files of writes still under way (a run that must end now)."""
    with _pending_lock:
        paths = list(_pending)
        _pending.clear()
    for p in paths:
        with contextlib.suppress(OSError):
            p.unlink()


def input_files(sources: Iterable[str | Path]) -> set[Path]:
    """Every file a run reads from these scenario or slate arguments: a file itself,
    a folder's three scenario files, and a what-if's base, followed down its chain.
    A file that cannot be parsed adds nothing more: its loader will report it."""
    from model.io import CADRES_FILE, SCENARIO_FILE, TOWNSHIPS_FILE
    from model.readers import Input

    out: set[Path] = set()
    todo = [Path(s) for s in sources]
    while todo:
        p = todo.pop()
        if p.is_dir():
            out.update(p / name for name in (SCENARIO_FILE, TOWNSHIPS_FILE, CADRES_FILE))
            continue
        real = Path(os.path.realpath(p))
        if real in out:
            continue  # a chain of bases that loops
        out.add(real)
        if p.suffix.lower() not in (".json", ".yaml", ".yml") or not p.is_file():
            continue
        try:
            data = Input.of(p).structured()
        except (InputErrors, OSError, RecursionError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("base"), str):
            todo.append(p.parent / data["base"])
    return out


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def check_target(path: str | Path, inputs: Iterable[Path] = (), *, what: str = "--json") -> Path:
    """The real file to write for `path` (a symlink followed), or `OutputError`
    saying why it cannot be written. `inputs` are the files the run reads."""
    given = Path(path)
    if str(path) == "":
        raise OutputError(f"{what}: give a file name")
    target = Path(os.path.realpath(given))
    where = f"{what} {given}" + (f" (a link to {target})" if given.is_symlink() else "")
    parent = target.parent
    if not parent.exists():
        raise OutputError(f"{where}: the folder {parent} does not exist; create it first")
    if not parent.is_dir():
        raise OutputError(f"{where}: {parent} is a file, not a folder")
    if target.exists():
        mode = target.stat().st_mode
        if stat.S_ISDIR(mode):
            raise OutputError(f"{where}: is a folder; give a file name inside it")
        if not stat.S_ISREG(mode):
            raise OutputError(f"{where}: is a device or other special file, not a regular file; refused")
        if not os.access(target, os.W_OK):
            raise OutputError(f"{where}: the file is read-only; refused")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{where}: cannot write in the folder {parent} (permission denied)")
    for f in inputs:
        if _same_file(target, f):
            raise OutputError(f"{where}: is one of this run's input files ({f}); choose another file")
    return target


def write_atomic(path: str | Path, text: str | bytes) -> Path:
    """Write `text` (UTF-8, or bytes as they are) to `path` through a temporary file in the same folder,
    fsynced, then moved over it; on any failure the old file is untouched and the
    temporary file removed. Returns the file written (a symlink's target)."""
    target = check_target(path)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    data = text.encode("utf-8") if isinstance(text, str) else text
    mode = target.stat().st_mode & 0o7777 if target.exists() else None
    with _pending_lock:
        _pending.add(tmp)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if mode is not None:
                os.fchmod(fd, mode)  # replacing a file keeps its permissions
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except OSError as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    finally:
        with _pending_lock:
            _pending.discard(tmp)
    _sync_folder(target.parent)
    return target


def _sync_folder(folder: Path) -> None:
    """Make the rename durable too; some file systems cannot open a folder: skip them."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def check_folder_target(path: str | Path, *, what: str = "the output folder") -> Path:
    """A folder to save a scenario into (it and missing parents are created): not an
    existing file or special file, and its nearest existing ancestor a writable folder."""
    given = Path(path)
    if str(path) == "":
        raise OutputError(f"{what}: give a folder name")
    target = Path(os.path.realpath(given))
    if target.exists() and not target.is_dir():
        raise OutputError(f"{what} {given}: is a file, not a folder; choose a new or empty folder")
    if target.is_dir() and not os.access(target, os.W_OK | os.X_OK):
        raise OutputError(f"{what} {given}: cannot write in this folder (permission denied)")
    ancestor = target.parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"{what} {given}: {ancestor} is a file, not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"{what} {given}: cannot write in the folder {ancestor} (permission denied)")
    return target
