"""The monthly export: a ZIP per branch, an index, grade summaries; idempotent, locked, kill-safe."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from reportgen.export import export_lock
from tests.conftest import ROOT, invoke, tree_digest
from tests.test_batch import KPI, branch_set

MONTH = "2026-11"


def export(data: Path, out: Path, *extra: str) -> tuple[int, str]:
    result = invoke("export", "--month", MONTH, "--data", str(data), "--output", str(out), "-f", "model-json",
                    *extra)
    return result.exit_code, result.output


def folder_is_whole(folder: Path) -> bool:
    """The export folder, if there, is complete: its index lists exactly its files, each intact."""
    if not folder.exists():
        return True
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f["sha256"] for f in index["files"]}
    on_disk = {p.name for p in folder.iterdir()} - {"index.json"}
    assert set(listed) == on_disk, (listed, on_disk)
    for name, digest in listed.items():
        data = (folder / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, name
        if name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                assert z.testzip() is None
    return True


@pytest.mark.slow  # exports twice
def test_an_export_holds_every_branch_and_is_the_same_bytes_again(tmp_path: Path) -> None:
    data, out = branch_set(tmp_path / "data"), tmp_path / "out"
    log = tmp_path / "log.jsonl"
    code, said = export(data, out, "--log-json", str(log))
    assert code == 0, said
    folder = out / "exports" / MONTH
    assert sorted(p.name for p in folder.iterdir()) == [
        "aichi.zip", "index.json", "kpi-grades.csv", "kpi-grades.xlsx", "mie.zip", "shizuoka.zip"]
    assert folder_is_whole(folder)
    with zipfile.ZipFile(folder / "mie.zip") as z:
        names = z.namelist()
        assert names == sorted(names) == ["mie/R5/kpi-results.model.json", "mie/R5/kpi-summary.model.json",
                                          "mie/R5/manifest.json"]
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert z.read("mie/R5/manifest.json") == (out / "mie/R5/manifest.json").read_bytes()
    rows = list(csv.DictReader((folder / "kpi-grades.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["branch"], r["達成"], r["概ね達成"], r["未達成"], r["total"]) for r in rows] == [
        (slug, "10", "0", "9", "19") for slug in ("shizuoka", "aichi", "mie")]  # JIS order
    ws = openpyxl.load_workbook(folder / "kpi-grades.xlsx").worksheets[0]
    values = [c for r in ws.iter_rows(values_only=True) for c in r if c is not None]
    for r in rows:
        assert r["branch"] in values and int(r["total"]) in values
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert events[0]["event"] == "start" and events[-1]["event"] == "done"
    assert sum(e["event"] == "branch" for e in events) == 3 and sum(e["event"] == "zip" for e in events) == 3
    before = tree_digest(out)
    code, said = export(data, out)
    assert code == 0 and "変更なし 6 件" in said
    assert tree_digest(out) == before  # idempotent, byte for byte


@pytest.mark.slow  # exports several branches
def test_a_branch_with_bad_data_is_named_and_the_others_exported(tmp_path: Path) -> None:
    data, out = branch_set(tmp_path / "data"), tmp_path / "out"
    assert export(data, out)[0] == 0
    bad = data / "aichi" / KPI
    bad.write_text(bad.read_text(encoding="utf-8").replace("actual: 90.7％", "actual: 九十", 1), encoding="utf-8")
    code, said = export(data, out)
    assert code == 3 and "aichi/R5/kpi_results.yaml:32" in said
    index = json.loads((out / "exports" / MONTH / "index.json").read_text(encoding="utf-8"))
    assert [f["branch"] for f in index["failed"]] == ["aichi"]
    assert "aichi.zip" in [f["path"] for f in index["files"]]  # its previous documents


def test_a_second_export_stops_while_one_runs(tmp_path: Path) -> None:
    data, out = branch_set(tmp_path / "data", ("mie",)), tmp_path / "out"
    with export_lock(out):
        code, said = export(data, out)
    assert code == 5 and "別の reportgen export が実行中です" in said
    assert not (out / "exports" / MONTH).exists()
    assert export(data, out)[0] == 0  # the lock is free again


def test_a_bad_month_is_refused(tmp_path: Path) -> None:
    result = invoke("export", "--month", "2026-13", "--output", str(tmp_path))
    assert result.exit_code == 2 and "YYYY-MM" in result.output


def export_command(data: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "reportgen", "export", "--month", MONTH, "--data", str(data), "--output", str(out),
            "-f", "docx,xlsx", "--jobs", "2"]


@pytest.mark.slow
def test_a_killed_export_leaves_no_half_file_and_the_next_run_completes_it(tmp_path: Path) -> None:
    data = branch_set(tmp_path / "data", ("aichi", "mie", "shizuoka", "okinawa"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    reference = tmp_path / "reference"
    assert subprocess.run(export_command(data, reference), capture_output=True, env=env).returncode == 0
    out = tmp_path / "out"
    killed = 0
    for delay in (0.4, 1.0, 1.6, 2.2, 2.8, 3.5, 4.5):
        run = subprocess.Popen(export_command(data, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env, start_new_session=True)
        time.sleep(delay)
        if run.poll() is None:  # the whole run, workers included, as systemd stops a unit
            os.killpg(run.pid, signal.SIGKILL)
            killed += 1
        run.wait()
        time.sleep(0.2)
        assert folder_is_whole(out / "exports" / MONTH)
        for manifest in out.glob("*/R5/manifest.json"):
            entries = json.loads(manifest.read_text(encoding="utf-8"))["documents"]
            for e in entries:
                assert hashlib.sha256((manifest.parent / e["path"]).read_bytes()).hexdigest() == e["sha256"]
    assert killed >= 3
    done = subprocess.run(export_command(data, out), capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert tree_digest(out / "exports" / MONTH) == tree_digest(reference / "exports" / MONTH)
    for slug in ("aichi", "mie", "shizuoka", "okinawa"):
        assert tree_digest(out / slug / "R5") == tree_digest(reference / slug / "R5")
    assert sorted(p.name for p in (out / "exports").iterdir()) == [".2026-11.lock", ".export.lock", MONTH]
