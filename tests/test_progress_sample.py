"""The progress sheet on the transcribed sample data: 埼玉支部 令和2年度 第3四半期 (seeds/000).

Expectations come from the seed text (tests/seeds/000_*.txt) and from a golden list of the
marks read there (tests/golden/seed000-marks.tsv), never from the data the sheet is built of.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT, invoke
from tests.extract import (
    docx_figure_rows,
    docx_tables,
    docx_text,
    norm,
    pdf_pages,
    pdf_text,
    xlsx_figure_rows,
    xlsx_rows,
    xlsx_table_rows,
    xlsx_text,
)

# Renders whole sample documents (PDF, DOCX, XLSX): outside the fast `-m "not slow"` set.
pytestmark = pytest.mark.slow

SEED = ROOT / "tests" / "seeds" / "000_0013c2040f39a205.txt"
GOLDEN = ROOT / "tests" / "golden" / "seed000-marks.tsv"
MARKS = "◎○△×－"
# The seed prints ○ and 〇, and the dash as -, － or ─; the sheet prints one of each.
SAME_MARK = {"〇": "○", "-": "－", "─": "－"}


def canonical(mark: str) -> str:
    return SAME_MARK.get(mark, mark)


# Two marks are run into the text after them (「④ ④ ○加入者…」, 「○① 県・市町村…」).
RUN_IN = re.compile(r"^([○〇◎△×])(?=[①-⑳\u3040-\u9fff])")


def seed_mark_counts() -> Counter[str]:
    """Marks of the seed: a mark standing alone between blanks, or run into the text after it,
    outside the legend line."""
    counts: Counter[str] = Counter()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if "実施状況：◎" in line:
            continue
        for token in re.split(r"\s+", line):
            if len(token) == 1 and canonical(token) in MARKS:
                counts[canonical(token)] += 1
            elif m := RUN_IN.match(token):
                counts[canonical(m[1])] += 1
    return counts


def golden() -> list[tuple[str, str, tuple[str, ...]]]:
    """(取組 id, number as printed, marks as printed) in the order of the sheet."""
    rows = []
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            item, number, marks = (line + "\t").split("\t")[:3]
            rows.append((item, number, tuple(marks.split())))
    return rows


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = invoke("build", "-b", "saitama", "-y", "R2", "--quarter", "3", "--data", str(DATA),
                    "--output", str(out))
    assert result.exit_code == 0, result.output
    return out / "saitama" / "R2"


def test_the_golden_marks_are_the_seeds() -> None:
    counts = Counter(canonical(m) for _, _, marks in golden() for m in marks)
    assert counts == seed_mark_counts()
    assert counts == Counter({"○": 51, "－": 18, "△": 14, "◎": 2})


def test_every_item_of_the_plan_is_on_the_golden_list() -> None:
    from reportgen.branches import get_branch
    from reportgen.build import load_for
    from reportgen.wareki import parse_fiscal_year

    data = load_for(DATA, get_branch("saitama"), parse_fiscal_year("R2"), ["progress"], quarter=3)
    assert data.plan is not None
    ids = [p.id for f in data.plan.fields for m in f.measures for p in m.paragraphs if p.id]
    assert ids == [item for item, _, _ in golden()]


def _marks(text: str) -> tuple[str, ...]:
    return tuple(ch for ch in text if ch in MARKS)


def _main_rows(rows: list[list[object]]) -> list[list[str]]:
    """Rows of the main table: 分野 / 項目 / 事業計画 / 実施状況 / mark, by their 項目 number."""
    texts = [[str(c) if c is not None else "" for c in r] for r in rows]
    # A 取組 row has a circled number, or (a lone 取組 of its 施策) no number but a mark.
    return [r for r in texts if len(r) >= 5 and re.fullmatch(r"[①-⑳]?", r[1]) and (r[1] or _marks(r[4]))]


def _check_rows(rows: list[list[str]], fmt: str) -> None:
    expected = golden()
    assert len(rows) == len(expected), fmt
    for row, (item, number, marks) in zip(rows, expected, strict=True):
        assert row[1] == number, (fmt, item)
        assert _marks(row[4]) == tuple(canonical(m) for m in marks), (fmt, item)


def test_every_item_once_with_its_mark_in_xlsx(sheet: Path) -> None:
    # A 取組 takes several sheet rows (its text, then its figure tables on sub-columns): read
    # them back as one row per 取組, starting where the 項目 column has a cell.
    _check_rows(_main_rows(xlsx_table_rows(sheet / "progress-Q3.xlsx", key=1)), "xlsx")


def test_every_item_once_with_its_mark_in_docx(sheet: Path) -> None:
    tables = docx_tables(sheet / "progress-Q3.docx")
    _check_rows(_main_rows([r for t in tables for r in t]), "docx")


def test_mark_counts_equal_the_seed_in_three_formats(sheet: Path) -> None:
    seed = seed_mark_counts()
    pages = sum("実施状況：◎（計画を大幅に上回る）" in page for page in pdf_pages(sheet / "progress-Q3.pdf"))
    # Besides the body, each mark prints in the legend (every PDF page of the sheet; the DOCX
    # page header; the XLSX print header, which holds no cells) and in the summary table's
    # header row.
    printed = {
        "pdf": (pdf_text(sheet / "progress-Q3.pdf"), pages + 1),
        "docx": (docx_text(sheet / "progress-Q3.docx"), 2),
        "xlsx": (xlsx_text(sheet / "progress-Q3.xlsx"), 1),
    }
    for fmt, (text, extra) in printed.items():
        counts = Counter(ch for ch in text if ch in MARKS)
        body = counts - Counter({m: extra for m in MARKS})
        assert body == seed, fmt


def test_the_summary_adds_up_to_the_seed(sheet: Path) -> None:
    seed = seed_mark_counts()
    total = norm("合計 " + " ".join(str(seed[m]) for m in MARKS))
    assert total in norm(pdf_text(sheet / "progress-Q3.pdf"))
    rows = xlsx_rows(sheet / "progress-Q3.xlsx", collapse=True)
    assert [*map(int, next(r for r in rows if r[0] == "合計")[1:6])] == [seed[m] for m in MARKS]


SEED_FIGURES = ("41,838件", "36,194件", "95.3%", "93.0%", "74.0％", "92.85%", "92.08%", "30.45%", "23.41%",
                "0.154%", "0.083%", "79.2%", "6,433件", "6,132件", "16,978件", "383,223件", "1,205件")


@pytest.mark.parametrize("figure", SEED_FIGURES)
def test_seed_figures_are_in_every_format(sheet: Path, figure: str) -> None:
    assert figure in SEED.read_text(encoding="utf-8")
    shown = norm(figure)
    assert shown in norm(pdf_text(sheet / "progress-Q3.pdf")), "pdf"
    assert shown in norm(docx_text(sheet / "progress-Q3.docx")), "docx"
    assert shown in norm(xlsx_text(sheet / "progress-Q3.xlsx")), "xlsx"


# 合計 of the seed's quarterly tables, as printed there.
SEED_TOTALS = ("13,845 件", "372 件", "6,799 件", "63,296 千円", "30,343 件", "43,986 件", "3,313 件",
               "123,511 千円", "189,839 千円")


def _quarter_rows(lines: list[str]) -> list[list[str]]:
    """Figure-table rows with quarter figures: label, up to four quarters, 合計 (, 前年同期, 対比)."""
    out = []
    for line in lines:
        cells = line.split("\u3000")
        if len(cells) >= 6 and all(re.fullmatch(r"[▲\d,.]*(件|千円|円|人)?", c) for c in cells[1:6]):
            out.append(cells)
    return out


def _value(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d.]", "", text))


def test_computed_totals_equal_the_seeds(sheet: Path) -> None:
    seed = SEED.read_text(encoding="utf-8")
    for fmt, lines in (("xlsx", xlsx_figure_rows(sheet / "progress-Q3.xlsx")),
                       ("docx", docx_figure_rows(sheet / "progress-Q3.docx"))):
        rows = _quarter_rows(lines)
        for cells in rows:
            quarters = [_value(c) for c in cells[1:5] if c]
            assert _value(cells[5]) == sum(quarters), (fmt, cells)
        totals = {norm(cells[5]) for cells in rows}
        for total in SEED_TOTALS:
            assert total in seed
            assert norm(total) in totals, (fmt, total)
    pdf = norm(pdf_text(sheet / "progress-Q3.pdf"))
    assert all(norm(t) in pdf for t in SEED_TOTALS)


def test_legend_and_footer_on_every_page(sheet: Path) -> None:
    pages = pdf_pages(sheet / "progress-Q3.pdf")
    assert len(pages) >= 20
    for number, page in enumerate(pages, start=1):
        # The cover (page 1) and the 基本方針 (page 2) print no legend; the cover no page header.
        legend = "実施状況：◎（計画を大幅に上回る）、○（計画通り）、△（実施中又は計画を下回る。）、×（未実施）"
        assert (legend in page) == (number > 2), number
        assert f"{number} / {len(pages)} ページ" in page
        assert ("機密性2" in page) == (number > 1), number
        assert "第5回埼玉支部評議会 資料2" in page


def test_the_sheet_opens_with_a_cover(sheet: Path) -> None:
    """seeds/000: the date, council and 資料, the title and the quarter, alone on page 1."""
    cover = [norm(line) for line in pdf_pages(sheet / "progress-Q3.pdf")[0].splitlines()
             if line.strip() and "ページ" not in line]
    assert cover == [norm(t) for t in ("令和3年1月15日", "第5回埼玉支部評議会 資料2",
                                       "令和2年度　埼玉支部事業計画実施状況", "（第3四半期）")]


def test_every_field_is_printed_vertically_in_docx(sheet: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(sheet / "progress-Q3.docx"))
    main = max(document.tables, key=lambda t: len(t.rows))
    vertical = [c.text for c in main.columns[0].cells
                if (d := c._tc.tcPr.find(qn("w:textDirection"))) is not None and d.get(qn("w:val")) == "tbRlV"]
    assert [norm(v) for v in dict.fromkeys(vertical)] == [
        norm("１． 基盤的保険者機能関係"), norm("２． 戦略的保険者機能関係"), norm("３． 組織体制関係")]


def test_every_field_is_printed_vertically_in_xlsx(sheet: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(sheet / "progress-Q3.xlsx")
    vertical = [str(c.value) for ws in wb.worksheets for c in ws["A"] if c.value and c.alignment.textRotation == 255]
    assert [norm(v) for v in dict.fromkeys(vertical)] == [
        norm("１． 基盤的保険者機能関係"), norm("２． 戦略的保険者機能関係"), norm("３． 組織体制関係")]
