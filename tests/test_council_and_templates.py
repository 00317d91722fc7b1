"""Council metadata in the page header, and templates a branch can override."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import DATA, invoke
from tests.extract import docx_tables, docx_text, pdf_pages

META = """\
title: 令和5年度 静岡支部 事業報告（KPI実績）
confidentiality: 機密性2
council:
  number: 5
  material: 2
  date: 2024-07-12
"""


def build_summary(data: Path, out: Path) -> Path:
    result = invoke("build", "-b", "shizuoka", "-y", "R5", "--data", str(data), "--output", str(out),
                    "--report", "kpi-summary")
    assert result.exit_code == 0, result.output
    return out / "shizuoka" / "R5"


@pytest.mark.slow  # renders whole documents
def test_council_header_on_every_page_in_every_format(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "shizuoka/R5/meta.yaml").write_text(META, encoding="utf-8")
    folder = build_summary(data_copy, tmp_path)
    lines = ("機密性2", "第5回静岡支部評議会 資料2", "令和6年7月12日")
    assert len(pdf_pages(folder / "kpi-summary.pdf")) == 1  # the header leaves room for the 19 rows
    for page in pdf_pages(folder / "kpi-summary.pdf"):
        for line in lines:
            assert line in page
    docx = docx_text(folder / "kpi-summary.docx")
    ws = openpyxl.load_workbook(folder / "kpi-summary.xlsx").active
    assert ws is not None
    for line in lines:
        assert line in docx
        assert line in ws.oddHeader.right.text


@pytest.mark.slow  # renders whole documents
def test_a_branch_template_overrides_one_key(data_copy: Path, tmp_path: Path) -> None:
    override = data_copy / "shizuoka/templates/kpi-summary.yaml"
    override.parent.mkdir()
    override.write_text(
        "columns:\n"
        "  - {value: measure, header: 施策, width: 24}\n"
        "  - {value: statement, header: ＫＰＩ, width: 40}\n"
        "  - {value: target, header: '{{ year }}目標', width: 12}\n"
        "  - {value: actual, header: 実績, width: 10}\n"
        "  - {value: grade, header: 達成状況, width: 9}\n",
        encoding="utf-8",
    )
    folder = build_summary(data_copy, tmp_path)
    header = docx_tables(folder / "kpi-summary.docx")[0][0]
    assert header == ["施策", "ＫＰＩ", "令和5年度目標", "実績", "達成状況"]
    # Keys the branch did not override still come from the default template.
    assert "ＫＰＩ実績一覧表" in docx_text(folder / "kpi-summary.docx")
    cells = {c for row in docx_tables(folder / "kpi-summary.docx")[0] for c in row}
    assert "前年度(0.54％)以下" in cells


def test_a_template_mistake_names_the_template_file_and_line(data_copy: Path, tmp_path: Path) -> None:
    override = data_copy / "shizuoka/templates/kpi-summary.yaml"
    override.parent.mkdir()
    override.write_text("# branch wording\ntitle: '{{ yaer }} ＫＰＩ実績一覧表'\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("build", "-b", "shizuoka", "-y", "R5", "--data", str(data_copy), "--output", str(out))
    assert result.exit_code == 4
    assert "テンプレートに誤りがあります" in result.output
    assert f"{override}:2" in result.output or "templates/kpi-summary.yaml:2" in result.output
    assert "'yaer' is undefined" in result.output
    assert not out.exists()


def _model(data: Path, out: Path, *args: str) -> dict[str, Any]:
    result = invoke("build", "--data", str(data), "--output", str(out), "--format", "model-json", *args)
    assert result.exit_code == 0, result.output
    (path,) = out.rglob("*.model.json")
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_meeting_date_may_be_written_in_wareki(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "shizuoka/R5/meta.yaml").write_text(META.replace("2024-07-12", "令和6年7月12日"), encoding="utf-8")
    model = _model(data_copy, tmp_path, "-b", "shizuoka", "-y", "R5", "--report", "kpi-summary")
    assert model["header_lines"] == ["機密性2", "第5回静岡支部評議会 資料2", "令和6年7月12日"]


def test_a_date_that_is_none_says_what_is_expected(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "shizuoka/R5/meta.yaml").write_text(META.replace("2024-07-12", "令和6年13月12日"), encoding="utf-8")
    result = invoke("build", "-b", "shizuoka", "-y", "R5", "--data", str(data_copy), "--output", str(tmp_path))
    assert result.exit_code == 3
    assert "meta.yaml:6: council.date: 「令和6年13月12日」は日付ではありません。" in result.output
    assert "令和6年7月12日" in result.output  # what is expected


def test_a_quarter_carries_its_own_council(tmp_path: Path) -> None:
    """The Q3 sheet went to the 5th council (meta.yaml); a later quarter names its own, so
    editing meta.yaml for the next meeting does not change an old quarter's sheet."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "saitama", data / "saitama")
    q3 = data / "saitama/R2/progress/Q3.yaml"
    q3.write_text(q3.read_text(encoding="utf-8")
                  + "council:\n  number: 6\n  material: 3\n  date: 令和3年3月19日\n", encoding="utf-8")
    model = _model(data, tmp_path / "out", "-b", "saitama", "-y", "R2", "--report", "progress", "-q", "3")
    assert model["header_lines"] == ["機密性2", "第6回埼玉支部評議会 資料3", "令和3年3月19日"]
    cover = [b["runs"][0]["text"] for b in model["blocks"][:2]]
    assert cover == ["令和3年3月19日", "第6回埼玉支部評議会 資料3"]
