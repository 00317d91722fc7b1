"""One figure, one place: validate names every KPI whose target the plan prints differently."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import DATA, invoke

PLAN = """\
fields:
  - id: foundation
    title: 基盤的保険者機能関係
    measures:
      - id: service-level
        title: サービス水準の向上
        paragraphs:
          - ① 適切な進捗管理を行い、サービススタンダードを遵守する。
          - ■ KPI：サービススタンダードの達成状況を100%とする
          - ② 郵送による申請を促進する。
          - ■ KPI：現金給付等の申請にかかる郵送化率を{rate}以上とする
"""


def run(tmp_path: Path, rate: str) -> tuple[int, str]:
    data = tmp_path / "data"
    shutil.copytree(DATA / "shizuoka", data / "shizuoka")
    (data / "shizuoka/R5/plan.yaml").write_text(PLAN.format(rate=rate), encoding="utf-8")
    result = invoke("validate", "-b", "shizuoka", "-y", "R5", "--data", str(data))
    return result.exit_code, result.output


def test_targets_that_agree_pass(tmp_path: Path) -> None:
    code, output = run(tmp_path, "98.6%")
    assert code == 0, output


def test_a_target_typed_differently_is_reported_with_both_lines(tmp_path: Path) -> None:
    code, output = run(tmp_path, "96.5%")
    assert code == 3
    lines = [x for x in output.splitlines() if "計画の文言と一致しません" in x]
    assert len(lines) == 1, output
    assert "kpi_results.yaml:" in lines[0] and "sections[0].kpis[1].target" in lines[0]
    assert "目標 98.6％" in lines[0]
    assert "plan.yaml:11 「■ KPI：現金給付等の申請にかかる郵送化率を96.5%以上とする」" in lines[0]
