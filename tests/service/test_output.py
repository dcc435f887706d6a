"""Output files (service/output.py): checked before any work, written atomically, never over an input."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from service.output import OutputError, check_folder_target, check_target, input_files, write_atomic

ROOT = os.geteuid() == 0  # root writes anywhere: permission checks cannot be seen


def test_write_atomic_new_and_replace(tmp_path: Path) -> None:
    """A new file is written; an existing one is replaced with its permissions kept; no temp file stays."""
    target = tmp_path / "out.json"
    write_atomic(target, "one")
    assert target.read_text(encoding="utf-8") == "one"
    target.chmod(0o640)
    write_atomic(target, "二")
    assert target.read_text(encoding="utf-8") == "二"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_write_atomic_follows_a_symlink(tmp_path: Path) -> None:
    """Through a symlink the file it points to is replaced, and the link stays a link."""
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


def test_write_atomic_failure_leaves_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails at the rename is an OutputError; the old file is intact, no temporary file left."""
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OutputError, match="No space left"):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_write_atomic_interrupted_write_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any exception while writing (not only OSError) removes the temporary file and is re-raised."""
    def boom(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "out.json", "x")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda t: t / "missing" / "out.json", "does not exist"),
        (lambda t: t / "file.txt" / "out.json", "is a file, not a folder"),
        (lambda t: t, "is a folder"),
        (lambda t: Path("/dev/null"), "special file"),
    ],
    ids=["missing-folder", "under-a-file", "a-folder", "a-device"],
)
def test_check_target_refuses(tmp_path: Path, make, message: str) -> None:
    """A target in a missing folder, under a file, onto a folder or a device is refused with a reason."""
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match=message):
        check_target(make(tmp_path))


def test_check_target_refuses_a_dangling_link_into_a_missing_folder(tmp_path: Path) -> None:
    """A link pointing into a folder that does not exist is refused, naming the link's target."""
    link = tmp_path / "out.json"
    link.symlink_to(tmp_path / "gone" / "x.json")
    with pytest.raises(OutputError, match="a link to"):
        check_target(link)


def unwritable_checks(base: Path) -> None:
    """A folder without write permission, or a read-only file, is refused."""
    ro = base / "ro"
    ro.mkdir()
    (ro / "f.json").write_text("x", encoding="utf-8")
    (ro / "f.json").chmod(0o444)
    ro.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="permission denied"):
            check_target(ro / "new.json")
        with pytest.raises(OutputError, match="read-only"):
            check_target(ro / "f.json")
        with pytest.raises(OutputError, match="permission denied"):
            check_folder_target(ro / "gen")
    finally:
        ro.chmod(0o755)


def as_nobody(base: Path) -> None:
    """Run the checks in a forked child without root's rights (root writes anywhere)."""
    os.setgid(65534)
    os.setuid(65534)
    unwritable_checks(base)


def test_check_target_unwritable_folder_and_read_only_file(tmp_path: Path) -> None:
    """A folder without write permission, or a read-only file, is refused (as root: in a child
    process that has dropped to the unprivileged user, so the permission checks are real)."""
    if not ROOT:
        unwritable_checks(tmp_path)
        return
    base = Path(tempfile.mkdtemp(prefix="huanjie-ro-"))
    try:
        base.chmod(0o777)
        child = multiprocessing.get_context("fork").Process(target=as_nobody, args=(base,))
        child.start()
        child.join(30)
        assert child.exitcode == 0, "the checks failed as an unprivileged user"
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_input_files_of_a_folder_and_a_what_if_chain(tmp_path: Path) -> None:
    """A folder's three files, a what-if and its base's are inputs; a chain of bases that loops ends."""
    county = tmp_path / "county"
    county.mkdir()
    (tmp_path / "a.yaml").write_text("base: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("base: a.yaml\n", encoding="utf-8")  # a cycle
    (tmp_path / "c.yaml").write_text("base: county\n", encoding="utf-8")
    found = input_files([tmp_path / "a.yaml", tmp_path / "c.yaml"])
    assert {tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "c.yaml"} <= found
    assert {county / "scenario.yaml", county / "townships.csv", county / "cadres.csv"} <= found
    with pytest.raises(OutputError, match="input files"):
        check_target(tmp_path / "b.yaml", found)
    with pytest.raises(OutputError, match="input files"):
        check_target(county / "cadres.csv", found)


def test_input_files_hard_link_is_the_same_file(tmp_path: Path) -> None:
    """A hard link to an input is that input: writing over it is refused."""
    src = tmp_path / "s.json"
    src.write_text("{}", encoding="utf-8")
    os.link(src, tmp_path / "h.json")
    with pytest.raises(OutputError, match="input files"):
        check_target(tmp_path / "h.json", input_files([src]))


def test_check_folder_target(tmp_path: Path) -> None:
    """A new folder (missing parents too) is fine; an existing file or a path under one is refused."""
    assert check_folder_target(tmp_path / "a" / "b") == tmp_path / "a" / "b"
    (tmp_path / "f").write_text("x", encoding="utf-8")
    for bad in (tmp_path / "f", tmp_path / "f" / "sub"):
        with pytest.raises(OutputError, match="is a file"):
            check_folder_target(bad)
