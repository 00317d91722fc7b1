"""``reportgen init``: next year started from this one."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.conftest import DATA, invoke, tree_digest


def test_init_saitama_r6_from_r5_validates_and_compares_without_changes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA / "saitama", data / "saitama")
    result = invoke("init", "-b", "saitama", "-y", "R6", "--data", str(data))
    assert result.exit_code == 0, result.output
    new = data / "saitama/R6"
    assert (new / "plan.yaml").is_file() and (new / "progress").is_dir() and not any((new / "progress").iterdir())
    assert "title: 令和6年度 事業計画（埼玉支部）" in (new / "plan.yaml").read_text(encoding="utf-8")
    assert invoke("validate", "-b", "saitama", "-y", "R6", "--data", str(data)).exit_code == 0
    out = tmp_path / "out"
    result = invoke("build", "-b", "saitama", "-y", "R6", "-r", "plan-comparison", "-f", "model-json",
                    "--data", str(data), "--output", str(out))
    assert result.exit_code == 0, result.output
    model = (out / "saitama/R6/plan-comparison.model.json").read_text(encoding="utf-8")
    assert "令和6年度" in model and "令和5年度" in model
    assert '"underline": true' not in model and '"underline": false' in model  # nothing marked as changed


def test_init_refuses_an_existing_year(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA / "saitama", data / "saitama")
    before = tree_digest(data)
    result = invoke("init", "-b", "saitama", "-y", "R5", "--data", str(data))
    assert result.exit_code == 2 and "すでにあります" in result.output
    assert tree_digest(data) == before


def test_init_moves_actuals_into_previous(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA / "shizuoka", data / "shizuoka")
    assert invoke("init", "-b", "shizuoka", "-y", "R6", "--data", str(data)).exit_code == 0
    draft = data / "shizuoka/R6/kpi_results.draft.yaml"
    text = draft.read_text(encoding="utf-8")
    assert "actual:" not in text and "results:" not in text
    # 郵送化率: last year's actual 98.7％ is this year's previous; the 対前年度 KPI keeps 前年度 as target
    assert "target: 98.6％\n        direction: 以上\n        previous: 98.7％" in text
    assert "target: 前年度\n        direction: 以下\n        previous: 0.54％" in text
    # once the actuals are typed (here: the same figures again), the draft is this year's KPI 実績
    typed = re.sub(r"\n(        )previous: (.*)", r"\n\1actual: \2\n\1previous: \2", text)
    draft.with_name("kpi_results.yaml").write_text(typed, encoding="utf-8")
    draft.unlink()
    result = invoke("validate", "-b", "shizuoka", "-y", "R6", "--data", str(data))
    assert result.exit_code == 0, result.output
