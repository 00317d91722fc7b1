"""Council metadata in the page header, and templates a branch can override."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import invoke
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
