"""The wheel carries its templates: installed outside the checkout, it builds every sample and
the documents are the bytes the checkout builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

# Every sample folder with a report to build (the other years are only compared with).
SAMPLES = (("shizuoka", "R5"), ("saitama", "R2"), ("saitama", "R5"), ("gunma", "R3"))


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def test_wheel_installed_outside_the_checkout_builds_every_sample_to_the_same_bytes(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "-w", wheels, cwd=tmp_path)
    (wheel,) = wheels.glob("reportgen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "reportgen/templates/kpi-summary.yaml" in names
    assert "reportgen/templates/style.yaml" in names
    assert "reportgen/templates/html/document.css" in names
    assert "reportgen/templates/html/document.html.j2" in names

    # A fresh environment that sees the checkout's dependencies (not the checkout itself)
    # through a .pth file: nothing is downloaded.
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path).stdout.strip()
    (Path(site) / "checkout-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel, cwd=tmp_path)

    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(ROOT / "data", work / "data")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    where = _run(python, "-c", "import reportgen, sys; print(reportgen.__file__)", cwd=work, env=env).stdout
    assert str(ROOT) not in where, where  # the installed copy, not the editable checkout
    for cwd, output in ((work, work / "out"), (ROOT, tmp_path / "checkout-out")):
        program = venv / "bin" / "reportgen" if cwd is work else Path(sys.executable).parent / "reportgen"
        for branch, year in SAMPLES:
            _run(program, "build", "-b", branch, "-y", year, "--data", work / "data", "--output", output,
                 cwd=cwd, env=env)
    documents = (".docx", ".xlsx", ".pdf")
    built = sorted(p.relative_to(work / "out") for p in (work / "out").rglob("*") if p.suffix in documents)
    assert {p.suffix for p in built} == {".docx", ".xlsx", ".pdf"}
    for relative in built:
        assert (work / "out" / relative).read_bytes() == (tmp_path / "checkout-out" / relative).read_bytes(), relative
