"""事業計画実施状況 on a small plan: marks, legend, figure tables, computed totals, bad progress."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import invoke
from tests.extract import docx_figure_rows, docx_text, norm, pdf_pages, pdf_text, xlsx_figure_rows, xlsx_text
from tests.plan_fixtures import write_progress

MARKS = "◎○△×－"
LEGEND = "実施状況：◎（計画を大幅に上回る）、○（計画通り）"


def build(root: Path, out: Path, *extra: str) -> Path:
    result = invoke("build", "-b", "saitama", "-y", "R2", "--report", "progress", "--data", str(root),
                    "--output", str(out), *extra)
    assert result.exit_code == 0, result.output
    return out / "saitama" / "R2"


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_progress(tmp_path_factory.mktemp("data"))
    return build(root, tmp_path_factory.mktemp("out"), "--quarter", "3")


def marks_in(text: str) -> Counter[str]:
    return Counter(ch for ch in text if ch in MARKS)


@pytest.mark.slow  # renders whole documents
def test_marks_are_the_same_in_the_three_formats(sheet: Path) -> None:
    texts = {
        "pdf": pdf_text(sheet / "progress-Q3.pdf"),
        "docx": docx_text(sheet / "progress-Q3.docx"),
        "xlsx": xlsx_text(sheet / "progress-Q3.xlsx"),
    }
    counts = {fmt: marks_in(text) for fmt, text in texts.items()}
    # The legend (each mark once) prints on every PDF page of the sheet (not the cover or the
    # 基本方針) and once in the DOCX page header; the XLSX keeps it in the print header,
    # outside the cells read here. Compare the rest.
    legends = {"pdf": sum(LEGEND in page for page in pdf_pages(sheet / "progress-Q3.pdf")), "docx": 1, "xlsx": 0}
    body = {fmt: c - Counter({m: legends[fmt] for m in MARKS}) for fmt, c in counts.items()}
    assert body["pdf"] == body["docx"] == body["xlsx"]


@pytest.mark.slow  # lays a whole sheet out
def test_legend_header_and_footer_on_every_page(sheet: Path) -> None:
    pages = pdf_pages(sheet / "progress-Q3.pdf")
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        # Page 1 is the cover (council and date, no page header), page 2 the 基本方針: no legend.
        assert (LEGEND in page) == (number > 2), number
        assert ("機密性2" in page) == (number > 1), number
        assert "第5回埼玉支部評議会 資料2" in page and "令和3年1月15日" in page
        assert f"{number} / {len(pages)} ページ" in page


def test_the_summary_counts_marks_per_field(sheet: Path) -> None:
    text = norm(pdf_text(sheet / "progress-Q3.pdf"))
    # 1．基盤的: ○ (item) △ (its KPI) ◎ ; 2．戦略的: △ －
    assert norm("1． 基盤的保険者機能関係 1 1 1 0 0") in text
    assert norm("2． 戦略的保険者機能関係 0 0 1 0 1") in text
    assert norm("合計 1 1 2 0 1") in text


def test_figure_tables_show_periods_and_computed_totals(sheet: Path) -> None:
    text = norm(pdf_text(sheet / "progress-Q3.pdf"))
    for piece in ("令和2年4月～12月", "平成31年4月～令和元年12月", "41,838件", "（36,194件）", "95.3％", "（93.0％）",
                  "2,100件", "6,433件", "100.0％", "第3四半期"):
        assert norm(piece) in text, piece
    docx = norm(docx_text(sheet / "progress-Q3.docx"))
    assert norm("6,433件") in docx and norm("100.0％") in docx
    assert "照会件数　2,100件　2,200件　2,133件　　6,433件　6,433件　100.0％" in xlsx_figure_rows(
        sheet / "progress-Q3.xlsx")


def test_plan_text_comes_from_the_plan(sheet: Path) -> None:
    text = norm(pdf_text(sheet / "progress-Q3.pdf", layout=False))
    assert norm("■令和2年度目標（ＫＰＩ）：サービススタンダードの達成状況 100％") in text
    assert norm("■令和2年度目標（ＫＰＩ）：サービススタンダードの達成状況 100％") in norm(
        docx_text(sheet / "progress-Q3.docx"))
    assert norm("令和2年度 埼玉支部事業計画実施状況（第3四半期）") in text
    assert norm("保険者機能のさらなる強化") in text


def test_manifest_records_the_quarter(sheet: Path) -> None:
    import json

    manifest = json.loads((sheet / "manifest.json").read_text(encoding="utf-8"))
    assert {(e["path"], e["quarter"]) for e in manifest["documents"]} == {
        ("progress-Q3.docx", 3), ("progress-Q3.xlsx", 3), ("progress-Q3.pdf", 3)}


@pytest.mark.parametrize(("edit", "expected"), [
    (("    total: 6,433件", "    total: 6,434件"),
     ("Q3.yaml:{line}", "合計「6,434件」が四半期の値の合計 6,433件 と一致しません")),
    (('quarters: ["2,100件", "2,200件", "2,133件"]', "quarters: [2,100件, 2,200件, 2,133件]"),
     ("Q3.yaml:{line}", "「2,100件」は [ ] の中ではカンマで二つの値に分かれます")),
    (("  - item: not-yet", "  - item: not-there"), ("Q3.yaml:{line}", "取組「not-there」は計画にありません")),
    (("    mark: ◎", "    mark: ☆"), ("Q3.yaml:{line}", "実施状況の記号「☆」は使えません", "◎, ○, △, × or －")),
    (("    mark: －\n", "    text: [未定]\n"), ("Q3.yaml:", "entries[3].mark", "必須の項目がありません")),
])
def test_bad_progress_is_reported_with_file_and_line(tmp_path: Path, edit: tuple[str, str],
                                                     expected: tuple[str, ...]) -> None:
    root = write_progress(tmp_path / "data")
    path = root / "saitama/R2/progress/Q3.yaml"
    text = path.read_text(encoding="utf-8").replace(*edit)
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(edit[1])].count("\n") + 1
    result = invoke("build", "-b", "saitama", "-y", "R2", "--data", str(root), "--output", str(tmp_path / "out"))
    assert result.exit_code == 3
    for piece in expected:
        assert piece.format(line=line) in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_periods_comparisons_and_past_year_rows(sheet: Path) -> None:
    # Rows of the figure tables, read back one line per row from the DOCX's nested tables and
    # the XLSX's sub-column cells; the PDF lays the rows out, so it is checked piece by piece.
    rows = [
        # through: 11 ends the period at November, for both years
        "令和2年4月～11月（平成31年4月～令和元年11月）　92.85％（92.08％）",
        "令和2年12月末（平成31年度末）　6,433件（6,132件）",
        # 本年実績 / 前年実績 / 対比: the ratio is computed for counts, not for rates
        "　本年実績　前年実績　対比",
        "令和2年4月～12月　16,978件　16,805件　101.0％",
        "照会比率　4.4％　3.9％　",
        # a past year's row has four quarters; no 前年同期 columns when no row has one
        "結果反映月　４～６月　７～９月　１０～１２月　１～３月　合計",
        "平成31年度　44,186千円　46,691千円　51,624千円　47,338千円　189,839千円",
        "令和2年度　40,808千円　40,224千円　42,479千円　　123,511千円",
    ]
    xlsx = xlsx_figure_rows(sheet / "progress-Q3.xlsx")
    docx = docx_figure_rows(sheet / "progress-Q3.docx")
    for row in rows:
        assert row in xlsx, row
        assert row in docx, row
    pdf = norm(pdf_text(sheet / "progress-Q3.pdf"))
    for piece in ("令和2年4月～11月", "（平成31年4月～令和元年11月）", "92.85％", "（92.08％）", "令和2年12月末",
                  "（平成31年度末）", "本年実績", "前年実績", "101.0％", "結果反映月", "189,839千円", "123,511千円"):
        assert norm(piece) in pdf, piece


def test_kpi_progress_follows_the_plans_kpi_line(sheet: Path) -> None:
    for text in (pdf_text(sheet / "progress-Q3.pdf", layout=False), docx_text(sheet / "progress-Q3.docx")):
        flat = norm(text)
        kpi = norm("■令和2年度目標（ＫＰＩ）：サービススタンダードの達成状況 100％")
        # once in the plan column, once again in the progress column, followed by the KPI note
        assert flat.count(kpi) == 2
        assert flat.index(norm("提出率：74.0％（令和3年1月5日現在）")) > flat.rindex(kpi)


@pytest.mark.slow  # builds a sheet
def test_heisei31_policy_names_the_previous_period(tmp_path: Path) -> None:
    root = write_progress(tmp_path / "data")
    meta = root / "saitama/R2/meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "era_policy: {heisei31: true}\n", encoding="utf-8")
    out = build(root, tmp_path / "out", "--quarter", "3", "--format", "pdf")
    text = norm(pdf_text(out / "progress-Q3.pdf"))
    assert norm("（平成31年4月～12月）") in text and norm("（平成31年4月～11月）") in text
    assert "令和元年" not in text


@pytest.mark.parametrize(("edit", "expected"), [
    (("    kpi_mark: △", "    kpi_mark: [△, ☆]"), ("Q3.yaml:{line}", "実施状況の記号「☆」は使えません", "kpi_mark[1]")),
    (("through: 11", "through: 2"), ("Q3.yaml:{line}", "2月は第3四半期までの期間に入りません")),
    (("through: 11", "through: 13"), ("Q3.yaml:{line}", "through", "a month from 1 to 12")),
    (('"40,808千円", "40,224千円", "42,479千円"]', '"40,808千円", "40,224千円", "42,479千円", "1千円"]'),
     ("Q3.yaml:{line}", "四半期の値が 4 個あります", "1 to 3 values")),
    (('"40,224千円", "42,479千円"]', '"40,224件", "42,479千円"]'),
     ("Q3.yaml:{line}", "四半期の値の単位がそろっていません")),
    (("{label: 照会比率,", "{period: quarter, previous_label: x,"),
     ("Q3.yaml:{line}", "previous_label は label の行にだけ書けます")),
])
def test_bad_figure_rows_are_reported(tmp_path: Path, edit: tuple[str, str], expected: tuple[str, ...]) -> None:
    test_bad_progress_is_reported_with_file_and_line(tmp_path, edit, expected)
