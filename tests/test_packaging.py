"""The wheel as users get it: built from the sources, installed into a fresh venv, it solves the demo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("model", "solver", "service")


def copy_sources(dest: Path) -> None:
    """The files git tracks (and new ones it does not ignore); without git, pyproject and the packages."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=ROOT, capture_output=True, check=True).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        shutil.copy2(ROOT / "pyproject.toml", dest)
        for pkg in PACKAGES:
            shutil.copytree(ROOT / pkg, dest / pkg, ignore=shutil.ignore_patterns("__pycache__"))
        return
    for name in filter(None, listed.split("\0")):
        src = ROOT / name
        if src.is_file():  # a file deleted from the work tree but not yet from the index is skipped
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.skipif(sys.platform == "win32", reason="the fresh venv's layout is POSIX's")
def test_wheel_in_a_fresh_venv_ships_the_presets_and_solves_the_demo(tmp_path: Path) -> None:
    """`pip wheel` of the sources, installed alone into a new venv (dependencies borrowed through a .pth,
    not the editable install), runs `python -m service.cli solve` on the demo from another folder."""
    src, dist, fresh, work = (tmp_path / n for n in ("src", "dist", "fresh", "work"))
    src.mkdir()
    work.mkdir()
    copy_sources(src)
    built = run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                 "-w", dist, src], cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("huanjie-*.whl")
    assert run([sys.executable, "-m", "venv", "--without-pip", fresh], cwd=tmp_path).returncode == 0
    python = fresh / "bin" / "python"
    installed = run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel],
                    cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                    cwd=work).stdout.strip())
    # A path line in a .pth puts the dev venv's packages on sys.path without running its .pth
    # files, so the editable install's finder stays inactive: `model` can only come from the wheel.
    dev = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (site / "_dev_dependencies.pth").write_text("\n".join(dev) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    where = run([python, "-c", "import model, service.cli; from model.ruleset import preset_ids; "
                 "print(model.__file__); print(preset_ids())"], cwd=work, env=env)
    assert where.returncode == 0, where.stderr
    model_file, presets = where.stdout.splitlines()
    assert Path(model_file).is_relative_to(site)
    assert presets == "['county-2017', 'qiong-2011', 'xx-2011']"
    demo = shutil.copytree(ROOT / "scenarios" / "demo-county", tmp_path / "demo")
    solved = run([python, "-m", "service.cli", "solve", demo, "--time-limit", "30"], cwd=work, env=env)
    assert solved.returncode == 0, solved.stdout + solved.stderr
    assert "方案1" in solved.stdout + solved.stderr
