"""Many branches in one run: a bad branch fails alone; unchanged documents are skipped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, invoke, tree_digest

BRANCHES = ("aichi", "mie", "shizuoka")
KPI = "R5/kpi_results.yaml"


def branch_set(root: Path, branches: tuple[str, ...] = BRANCHES) -> Path:
    """shizuoka R5 copied under other branches' names, each figure set a little apart."""
    for i, slug in enumerate(branches):
        shutil.copytree(DATA / "shizuoka" / "R5", root / slug / "R5")
        path = root / slug / KPI
        path.write_text(path.read_text(encoding="utf-8").replace("actual: 98.7％", f"actual: 9{i}.7％", 1),
                        encoding="utf-8")
    return root


def build_all(data: Path, out: Path, *extra: str) -> tuple[int, str]:
    result = invoke("build", "--all", "--data", str(data), "--output", str(out), "-f", "model-json", *extra)
    return result.exit_code, result.output


def hashes(folder: Path) -> dict[str, str]:
    documents = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["documents"]
    return {d["path"]: d["input_hash"] for d in documents}


@pytest.mark.parametrize("jobs", ["1", pytest.param("2", marks=pytest.mark.slow)])
def test_a_branch_with_bad_data_fails_alone(tmp_path: Path, jobs: str) -> None:
    data, out = branch_set(tmp_path / "data"), tmp_path / "out"
    code, said = build_all(data, out, "--jobs", jobs)
    assert code == 0, said
    before = tree_digest(out / "mie")
    bad = data / "mie" / KPI
    bad.write_text(bad.read_text(encoding="utf-8").replace("actual: 91.7％", "actual: 九十八点六", 1), encoding="utf-8")
    for path in (data / s / KPI for s in ("aichi", "shizuoka")):  # the others change too, and build
        path.write_text(path.read_text(encoding="utf-8").replace("サービス水準の向上", "サービス水準の一層の向上"),
                        encoding="utf-8")
    code, said = build_all(data, out, "--jobs", jobs)
    assert code == 3, said
    assert "失敗: mie R5: " in said and "mie/R5/kpi_results.yaml:32: sections[0].kpis[1].actual" in said
    assert "失敗: aichi" not in said and "失敗: shizuoka" not in said
    assert tree_digest(out / "mie") == before  # its previous outputs, byte for byte
    for slug in ("aichi", "shizuoka"):
        assert "一層の向上" in (out / slug / "R5" / "kpi-results.model.json").read_text(encoding="utf-8")


@pytest.mark.slow  # builds twice over several branches
def test_a_second_build_skips_everything_and_one_change_rebuilds_one_branch(tmp_path: Path) -> None:
    data, out = branch_set(tmp_path / "data"), tmp_path / "out"
    assert build_all(data, out)[0] == 0
    first = {s: hashes(out / s / "R5") for s in BRANCHES}
    assert all(len(h) == 2 and all(len(v) == 64 for v in h.values()) for h in first.values())
    digest = tree_digest(out)
    code, said = build_all(data, out)
    assert code == 0 and "作成 0 件、変更なし 6 件" in said
    assert tree_digest(out) == digest  # not even the manifests were rewritten

    path = data / "aichi" / KPI
    path.write_text(path.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    code, said = build_all(data, out)
    assert code == 0 and "作成 2 件、変更なし 4 件" in said
    now = {s: hashes(out / s / "R5") for s in BRANCHES}
    assert now["mie"] == first["mie"] and now["shizuoka"] == first["shizuoka"]
    assert all(now["aichi"][k] != first["aichi"][k] for k in first["aichi"])
    assert {p: d for p, d in tree_digest(out).items() if not p.startswith("aichi/")} == {
        p: d for p, d in digest.items() if not p.startswith("aichi/")}

    assert "作成 6 件" in build_all(data, out, "--force")[1]


def test_a_changed_document_file_is_rebuilt_and_its_entry_not_trusted(tmp_path: Path) -> None:
    data, out = branch_set(tmp_path / "data", ("mie",)), tmp_path / "out"
    assert build_all(data, out)[0] == 0
    doc = out / "mie/R5/kpi-summary.model.json"
    good = doc.read_bytes()
    doc.write_bytes(good + b" ")  # edited by hand
    result = invoke("build", "-b", "mie", "-y", "R5", "--data", str(data), "--output", str(out), "-f", "model-json")
    assert result.exit_code == 0 and "1 件の資料" in result.output and "変更のない 1 件" in result.output
    assert doc.read_bytes() == good


def test_build_needs_a_branch_and_year_or_all(tmp_path: Path) -> None:
    result = invoke("build", "--data", str(DATA), "--output", str(tmp_path))
    assert result.exit_code == 2 and "--all" in result.output


@pytest.mark.slow
def test_a_branch_template_rebuilds_that_branch_only_the_kind_it_overrides(tmp_path: Path) -> None:
    data, out = branch_set(tmp_path / "data"), tmp_path / "out"
    assert build_all(data, out)[0] == 0
    first = {s: hashes(out / s / "R5") for s in BRANCHES}
    (data / "mie/templates").mkdir()
    (data / "mie/templates/kpi-summary.yaml").write_text("title: 三重支部 ＫＰＩ一覧\n", encoding="utf-8")
    code, said = build_all(data, out)
    assert code == 0 and "作成 1 件、変更なし 5 件" in said, said
    now = hashes(out / "mie" / "R5")
    assert now["kpi-results.model.json"] == first["mie"]["kpi-results.model.json"]
    assert now["kpi-summary.model.json"] != first["mie"]["kpi-summary.model.json"]
    assert "三重支部 ＫＰＩ一覧" in (out / "mie/R5/kpi-summary.model.json").read_text(encoding="utf-8")
