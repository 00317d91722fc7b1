"""Bad input: a clear message naming file, line, field and what was expected; a non-zero
exit; and the output folder exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import invoke, tree_digest

KPI = "shizuoka/R5/kpi_results.yaml"


@dataclass(frozen=True)
class Case:
    id: str
    edit: Callable[[str], str] | None  # on kpi_results.yaml
    expected: tuple[str, ...]  # substrings of the message; {line} is the edited line
    marker: str = ""  # text on the line the message must name
    args: tuple[str, ...] = ("--branch", "shizuoka", "--year", "R5")


def replace_once(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert text.count(old) >= 1, old
        return text.replace(old, new, 1)
    return edit


CASES = [
    Case("malformed-yaml", replace_once("    title: サービス水準の向上\n", "    title: [サービス水準の向上\n"),
         ("kpi_results.yaml:", "YAML として読めません"), marker=""),
    Case("missing-field", replace_once("        indicator: サービススタンダード達成状況\n", ""),
         ("kpi_results.yaml:{line}", "sections[0].kpis[0].indicator", "必須の項目がありません"),
         marker="- id: service-standard"),
    Case("wrong-type", replace_once("    plan:\n", "    plan: 計画\n    plan_old:\n"),
         ("kpi_results.yaml:{line}", "sections[0].plan", "リスト"), marker="    plan: 計画"),
    Case("unknown-key", replace_once("        indicator: サービススタンダード達成状況\n",
                                     "        indicator: サービススタンダード達成状況\n        indicater: x\n"),
         ("kpi_results.yaml:{line}", "sections[0].kpis[0].indicater", "この項目は使えません"),
         marker="indicater: x"),
    Case("unknown-branch", None, ("支部「shizuoka2」はありません", "shizuoka（静岡支部）"),
         args=("--branch", "shizuoka2", "--year", "R5")),
    Case("bad-year", None, ("年度「R5年」が読めません", "R5, 令和5年度"),
         args=("--branch", "shizuoka", "--year", "R5年")),
    Case("not-a-number", replace_once("        actual: 98.7％\n", "        actual: 九十八点六\n"),
         ("kpi_results.yaml:{line}", "sections[0].kpis[1].actual", "「九十八点六」は数値ではありません",
          "expected a number with its unit"), marker="actual: 九十八点六"),
    Case("duplicate-kpi-id", replace_once("      - id: mail-application-rate\n", "      - id: service-standard\n"),
         ("kpi_results.yaml:{line}", "sections[0].kpis[1].id", "id「service-standard」が重複しています"),
         marker="      - id: service-standard\n        statement: 現金給付等"),
    Case("control-character", replace_once("    title: サービス水準の向上\n", "    title: サービス水準の\x07向上\n"),
         ("kpi_results.yaml:{line}", "制御文字 U+0007"), marker="\x07"),
    Case("target-without-direction", replace_once("        direction: とする\n", ""),
         ("kpi_results.yaml:{line}", "sections[0].kpis[0].direction", "必須の項目がありません",
          "expected 以上, 以下, とする or 実施"), marker="- id: service-standard"),
    Case("duplicate-key", replace_once("    group: 業務グループ\n", "    group: 業務グループ\n    group: 企画\n"),
         ("kpi_results.yaml:{line}", "sections[0].group", "同じ項目が二度"), marker="    group: 企画"),
    Case("mixed-units", replace_once("        actual: 98.7％\n", "        actual: 98.7円\n"),
         ("kpi_results.yaml:{line}", "sections[0].kpis[1]", "単位がそろっていません"),
         marker="- id: mail-application-rate"),
    Case("bad-direction", replace_once("        direction: とする\n", "        direction: より上\n"),
         ("kpi_results.yaml:{line}", "「より上」は使えない値です", "'以上', '以下', 'とする' or '実施'"),
         marker="direction: より上"),
    Case("previous-year-target-with-equal", replace_once("        target: 100％\n", "        target: 前年度\n"),
         ("kpi_results.yaml:{line}", "sections[0].kpis[0].direction", "「前年度」の目標には以上か以下が必要です"),
         marker="        direction: とする"),
    Case("chart-value-not-a-number", replace_once("[null, null, 81.4％, 81.4％, 82.4％, 84.2％]",
                                                  "[null, null, 81.4％, 八十一, 82.4％, 84.2％]"),
         ("kpi_results.yaml:{line}", "sections[16].charts[0].series[0].values[3]", "「八十一」は数値ではありません"),
         marker="八十一"),
    Case("chart-values-per-category", replace_once("[null, null, 81.4％, 81.4％, 82.4％, 84.2％]",
                                                   "[81.4％, 82.4％, 84.2％]"),
         ("kpi_results.yaml:{line}", "sections[16].charts[0].series[0].values", "値の数が 3 です",
          "6 values, one per category"), marker="values: [81.4％"),
    Case("unknown-page-ref", replace_once("{page:regional-healthcare-advocacy}", "{page:advocacy}"),
         ("kpi_results.yaml:{line}", "sections[13].results[3]",
          "ページ参照「{page:advocacy}」の施策 id がこのファイルにありません", "service-level"),
         marker="{page:advocacy}"),
]


def line_of(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_reported_and_changes_nothing(case: Case, data_copy: Path, good_output: Path) -> None:
    path = data_copy / KPI
    if case.edit:
        path.write_text(case.edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    before = tree_digest(good_output)
    result = invoke("build", *case.args, "--data", str(data_copy), "--output", str(good_output))
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    for expected in case.expected:
        if "{line}" in expected:
            expected = expected.format(line=line_of(text, case.marker))
        assert expected in result.output, result.output
    assert tree_digest(good_output) == before


def test_all_problems_of_a_file_are_reported_together(data_copy: Path, tmp_path: Path) -> None:
    path = data_copy / KPI
    text = path.read_text(encoding="utf-8")
    text = text.replace("        actual: 98.7％\n", "        actual: 九十八点六\n", 1)
    text = text.replace("        indicator: サービススタンダード達成状況\n", "", 1)
    text = text.replace("    group: レセプトグループ\n", "    group: レセプトグループ\n    owner: x\n", 1)
    path.write_text(text, encoding="utf-8")
    result = invoke("validate", "-b", "shizuoka", "-y", "R5", "--data", str(data_copy))
    assert result.exit_code == 3
    # Shape (unknown key, missing field) and meaning (not a number) in one run.
    assert "データに 3 件の誤りがあります" in result.output
    assert "owner" in result.output and "indicator" in result.output
    assert "sections[0].kpis[1].actual: 「九十八点六」は数値ではありません" in result.output


def test_a_missing_data_folder_names_it(tmp_path: Path) -> None:
    result = invoke("build", "-b", "gunma", "-y", "R5", "--data", str(tmp_path))
    assert result.exit_code == 3
    assert "群馬支部 令和5年度 のデータのフォルダがありません" in result.output


def test_an_unknown_report_kind_lists_the_known_ones(tmp_path: Path) -> None:
    result = invoke("build", "-b", "shizuoka", "-y", "R5", "--report", "kpi", "--output", str(tmp_path))
    assert result.exit_code == 2
    assert "資料の種類 kpi はありません" in result.output and "kpi-results, kpi-summary" in result.output
    assert not any(tmp_path.iterdir())


def test_a_failed_writer_leaves_earlier_outputs(
    data_copy: Path, good_output: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportgen.writers.xlsx

    def broken(document: object, options: object) -> object:
        raise OSError("disk full")

    # WRITERS imports a writer's module on first use and is read-only: break the module's write.
    monkeypatch.setattr(reportgen.writers.xlsx, "write", broken)
    before = tree_digest(good_output)
    # --jobs 1: the broken writer is patched into this process, not into worker processes
    # (tests/test_parallel.py fails a writer in a worker).
    result = invoke("build", "-b", "shizuoka", "-y", "R5", "--force", "--data", str(data_copy),
                    "--output", str(good_output), "--jobs", "1")
    assert result.exit_code == 5
    assert "XLSX を作成できませんでした" in result.output and "OSError: disk full" in result.output
    assert tree_digest(good_output) == before
    assert [p.name for p in (good_output / "shizuoka").iterdir()] == ["R5"]  # no staging left behind
