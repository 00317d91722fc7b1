"""The command line as a planning officer or a schedule uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.branches import BRANCHES, get_branch
from tests.conftest import DATA, invoke


def test_branches_lists_47_and_the_national_level() -> None:
    result = invoke("branches")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 48 and len(BRANCHES) == 47
    assert "shizuoka   静岡支部" in lines
    assert lines[0].split() == ["hokkaido", "北海道支部"] and lines[46].split() == ["okinawa", "沖縄支部"]
    assert lines[-1].split() == ["national", "本部"]


@pytest.mark.parametrize("key", ["shizuoka", "静岡", "静岡支部", "Shizuoka"])
def test_a_branch_is_found_by_slug_prefecture_or_name(key: str) -> None:
    assert get_branch(key).slug == "shizuoka"


@pytest.mark.parametrize("year", ["R5", "令和5年度", "令和５年度", "2023", "令和五年度"])
def test_validate_accepts_every_spelling_of_the_year(year: str) -> None:
    result = invoke("validate", "--branch", "shizuoka", "--year", year, "--data", str(DATA))
    assert result.exit_code == 0, result.output
    assert "静岡支部 令和5年度: kpi_results.yaml に誤りはありません。" in result.output
    assert "kpi-results, kpi-summary" in result.output


@pytest.mark.parametrize("command", [[], ["build"], ["validate"], ["branches"], ["reports"]])
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "reportgen " in result.output


@pytest.mark.slow  # renders whole documents
def test_build_lists_what_it_wrote(tmp_path: Path) -> None:
    result = invoke("build", "-b", "shizuoka", "-y", "R5", "--data", str(DATA), "--output", str(tmp_path),
                    "--report", "kpi-summary", "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert f"{tmp_path}/shizuoka/R5/kpi-summary.pdf  1 ページ" in result.output
    assert "1 件の資料を" in result.output


def test_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("build", "-b", "shizuoka", "-y", "R5", "--format", "odt", "--output", str(tmp_path))
    assert result.exit_code == 2
    assert "出力形式 odt はありません" in result.output
