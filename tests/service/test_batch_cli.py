"""`huanjie batch`: a folder of generated counties solved, stopped, resumed, on a Dask cluster."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from service.batch import DONE_FILE, RESULT_FILE, SUMMARY_JSON, SUMMARY_XLSX, BatchSummary
from service.batch_cli import parallel
from service.cli import parser
from tests.clirun import run_cli

SETTINGS = ["--workers", "1", "--time-limit", "30", "--deterministic"]


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three small generated counties (2–3 townships × 60–80 cadres), in folders as `generate` writes them."""
    from model.generator import generate_county
    from model.io import save_scenario

    root = tmp_path_factory.mktemp("province") / "counties"
    for k, (townships, cadres) in enumerate([(2, 60), (3, 80), (3, 70)], start=1):
        save_scenario(generate_county(townships, cadres, 40 + k), root / f"county-{k}")
    return root


@pytest.fixture(scope="module")
def whole(province: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The province solved in one uninterrupted run, 2 processes."""
    out = tmp_path_factory.mktemp("whole") / "out"
    run = run_cli(["batch", str(province), "--out", str(out), "--processes", "2", *SETTINGS])
    assert run.code == 0, run.err
    return out


def summary(out: Path) -> BatchSummary:
    return BatchSummary.model_validate_json((out / SUMMARY_JSON).read_text(encoding="utf-8"))


def answers(out: Path) -> list[tuple[Any, ...]]:
    """What a summary says of each county, times left out."""
    return [(r.county, r.status, r.objective, r.bound, r.gap, r.slates, r.errors) for r in summary(out).rows]


def slates(out: Path, county: str) -> list[list[tuple[str, str, str]]]:
    result = json.loads((out / county / RESULT_FILE).read_text(encoding="utf-8"))
    return [sorted((a["township"], a["seat"], a["cadre"]) for a in s["assignments"])
            for s in result["slates"]]


class AfterDone:
    """A stop that fires once `n` counties of `out` have their marker: an interrupt after them."""

    def __init__(self, out: Path, n: int) -> None:
        self.out, self.n = out, n

    def should_stop(self) -> bool:
        return len(list(self.out.glob(f"*/{DONE_FILE}"))) >= self.n

    def remaining(self) -> float:
        return 0.0 if self.should_stop() else float("inf")

    def on_stop(self, listener: Callable[[], None]) -> Callable[[], None]:
        return lambda: None


def test_whole_run_solves_every_county_and_writes_the_summary(province: Path, whole: Path) -> None:
    """Each county gets its result and marker; the summary counts them, in JSON and in Excel with a frozen
    Chinese header."""
    from openpyxl import load_workbook

    s = summary(whole)
    assert (s.counties, s.finished, s.optimal, s.failed) == (3, 3, 3, 0)
    assert [r.county for r in s.rows] == ["county-1", "county-2", "county-3"]
    assert all((whole / r.county / RESULT_FILE).is_file() for r in s.rows)
    wb = load_workbook(whole / SUMMARY_XLSX)
    sheet = wb["各县结果"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]][:3] == ["县", "来源", "状态"]
    assert [sheet.cell(row=k, column=1).value for k in (2, 3, 4)] == ["county-1", "county-2", "county-3"]
    assert wb["汇总"].freeze_panes == "A2"


def test_interrupted_after_one_county_and_resumed_gives_the_same_summary(province: Path, whole: Path,
                                                                         tmp_path: Path) -> None:
    """A run stopped after its first county keeps that county; the re-run skips it, solves the rest, and
    its summary and slates are those of the uninterrupted run."""
    out = tmp_path / "out"
    args = parser().parse_args(["batch", str(province), "--out", str(out), "--processes", "1", *SETTINGS])
    args.stop = AfterDone(out, 1)
    args.run(args)
    first = summary(out)
    assert first.finished == 1 and first.counties == 3
    resumed = run_cli(["batch", str(province), "--out", str(out), "--processes", "2", *SETTINGS])
    assert resumed.code == 0, resumed.err
    assert "续算:1个县已完成,跳过;2个县待算" in resumed.err
    assert summary(out).skipped == 1
    assert answers(out) == answers(whole)
    for county in ("county-1", "county-2", "county-3"):
        assert slates(out, county) == slates(whole, county)


def test_a_half_written_county_is_solved_again(whole: Path, province: Path, tmp_path: Path) -> None:
    """A county with its result but no marker, and a temporary file left behind, is solved again; the
    finished ones are skipped."""
    out = shutil.copytree(whole, tmp_path / "out")
    (out / "county-2" / DONE_FILE).unlink()
    (out / "county-2" / f".{DONE_FILE}.0badf00d.tmp").write_text('{"county": "cou', encoding="utf-8")
    run = run_cli(["batch", str(province), "--out", str(out), *SETTINGS])
    assert run.code == 0, run.err
    assert "1个县上次未写完,重新求解:county-2" in run.err
    assert "续算:2个县已完成,跳过;1个县待算" in run.err
    assert sorted(p.name for p in (out / "county-2").iterdir()) == [DONE_FILE, RESULT_FILE]
    assert answers(out) == answers(whole)


def test_a_bad_county_is_a_failed_row_with_its_located_errors(province: Path, tmp_path: Path) -> None:
    """A county whose roster has a bad cell is FAILED with the error located by file and row; the others
    are solved, and the exit code says bad input."""
    root = shutil.copytree(province, tmp_path / "counties")
    cadres = root / "county-2" / "cadres.csv"
    lines = cadres.read_text(encoding="utf-8-sig").splitlines()
    fields = lines[3].split(",")
    fields[3] = "1985-13-45"  # 出生日期: no such month
    lines[3] = ",".join(fields)
    cadres.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    run = run_cli(["batch", str(root), "--out", str(tmp_path / "out"), *SETTINGS])
    assert run.code == 2, run.err
    s = summary(tmp_path / "out")
    assert (s.finished, s.optimal, s.failed) == (3, 2, 1)
    (bad,) = [r for r in s.rows if r.status == "FAILED"]
    assert bad.county == "county-2"
    assert any(e.file.endswith("cadres.csv") and e.row == 4 for e in bad.errors)
    assert "未能求解" in run.out and "cadres.csv" in run.out
    assert not (tmp_path / "out" / "county-2" / RESULT_FILE).exists()


def test_other_settings_are_refused_unless_redo(whole: Path, province: Path, tmp_path: Path) -> None:
    """Resuming with another time limit is refused (the finished counties would mix two settings), naming
    what changed; nothing is written."""
    out = shutil.copytree(whole, tmp_path / "out")
    before = (out / SUMMARY_JSON).read_bytes()
    run = run_cli(["batch", str(province), "--out", str(out), "--workers", "1", "--time-limit", "10",
                   "--deterministic"])
    assert run.code == 2
    assert "other settings" in run.err and "time_limit 30.0 (now 10.0)" in run.err and "--redo" in run.err
    assert (out / SUMMARY_JSON).read_bytes() == before


def test_oversubscribed_settings_are_warned_about(whole: Path, province: Path, tmp_path: Path) -> None:
    """More processes × workers than cores gives a warning with settings that fit; dividing the cores
    gives none."""
    assert parallel(None, None, 2) == (2, 1, None)
    assert parallel(None, 2, 4) == (2, 2, None)
    assert parallel(1, None, 2) == (1, 2, None)
    p, w, warning = parallel(3, 2, 2)
    assert (p, w) == (3, 2) and warning is not None and "--processes 1 or --workers 1" in warning
    out = shutil.copytree(whole, tmp_path / "out")  # every county finished: nothing is solved
    run = run_cli(["batch", str(province), "--out", str(out), "--processes", "512", *SETTINGS])
    assert run.code == 0, run.err
    assert "warning: 512 processes x 1 CP-SAT workers" in run.err


def test_the_dask_path_gives_the_slates_of_the_local_one(province: Path, whole: Path, tmp_path: Path) -> None:
    """On a LocalCluster (2 worker processes, 1 thread each), deterministic, every county has the slates
    and the summary of the local run."""
    distributed = pytest.importorskip("distributed")

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        run = run_cli(["batch", str(province), "--out", str(tmp_path / "out"), "--cluster",
                       cluster.scheduler_address, *SETTINGS])
    assert run.code == 0, run.err
    assert answers(tmp_path / "out") == answers(whole)
    for county in ("county-1", "county-2", "county-3"):
        assert slates(tmp_path / "out", county) == slates(whole, county)
