"""Writers on small documents: things the sample data does not exercise."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from reportgen.document import Cell, Column, Document, NumberFormat, Paragraph, Row, Run, Table, cell, para
from reportgen.writers import WRITERS, WriterOptions
from reportgen.writers import pdf as pdf_writer
from reportgen.writers.pdf import footer_css
from reportgen.writers.shared import excel_number_format
from tests.extract import pdf_pages, pdf_text
from tests.pdf_checks import grafted_and_laid_out

FORMULA_LIKE = ["=SUM(A1:A3)", "+81 54 000", "-1 は誤り", "@home"]


def small(*rows: Row) -> Document:
    table = Table((Column(1), Column(1)), (Row((cell("項目"), cell("値"))),), rows)
    return Document("test", "テスト", (para("本文"), table))


def test_text_that_looks_like_a_formula_stays_text_in_xlsx() -> None:
    doc = small(*(Row((cell(t), cell("x"))) for t in FORMULA_LIKE))
    ws = openpyxl.load_workbook(io.BytesIO(WRITERS["xlsx"](doc, WriterOptions()).data)).active
    assert ws is not None
    values = {c.value: c for row in ws.iter_rows() for c in row if c.value in FORMULA_LIKE}
    assert set(values) == set(FORMULA_LIKE)
    assert all(c.data_type == "s" for c in values.values())
    assert all(c.quotePrefix for c in values.values())


def test_negative_figures_print_with_a_triangle_in_xlsx() -> None:
    fmt = NumberFormat(1, "％")
    assert excel_number_format(fmt) == '#,##0.0"％";"▲"#,##0.0"％"'
    doc = small(Row((cell("前年比"), Cell((para("▲0.4％"),), number=Decimal("-0.4"), number_format=fmt))))
    ws = openpyxl.load_workbook(io.BytesIO(WRITERS["xlsx"](doc, WriterOptions()).data)).active
    assert ws is not None
    figure = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, float | int))
    assert figure.value == -0.4 and figure.number_format == '#,##0.0"％";"▲"#,##0.0"％"'


def test_underlined_runs_are_underlined_in_docx_and_xlsx() -> None:
    runs = (Run("効果的なレセプト"), Run("内容", underline=True), Run("点検の推進"))
    doc = small(Row((cell("施策"), Cell((Paragraph(runs),)))))
    document = docx.Document(io.BytesIO(WRITERS["docx"](doc, WriterOptions()).data))
    cell_runs = document.tables[0].rows[1].cells[1].paragraphs[0].runs
    assert [(r.text, bool(r.underline)) for r in cell_runs] == [
        ("効果的なレセプト", False), ("内容", True), ("点検の推進", False)]
    ws = openpyxl.load_workbook(io.BytesIO(WRITERS["xlsx"](doc, WriterOptions()).data), rich_text=True).active
    assert ws is not None
    rich = next(c.value for row in ws.iter_rows() for c in row if "内容" in str(c.value))
    underlined = [b.text for b in rich if not isinstance(b, str) and b.font.u == "single"]
    assert underlined == ["内容"]


def test_vertical_cells_use_east_asian_text_direction_in_docx() -> None:
    doc = small(Row((Cell((para("基盤的保険者機能関係"),), vertical=True), cell("x"))))
    document = docx.Document(io.BytesIO(WRITERS["docx"](doc, WriterOptions()).data))
    tcpr = document.tables[0].rows[1].cells[0]._tc.tcPr
    assert tcpr.find(qn("w:textDirection")).get(qn("w:val")) == "tbRlV"


def test_control_characters_never_reach_a_writer_through_data() -> None:
    # The loader refuses them (tests/test_bad_input.py); a writer given one fails loudly.
    doc = small(Row((cell("a\x07b"), cell("x"))))
    with pytest.raises(ValueError):
        WRITERS["docx"](doc, WriterOptions())


def test_footer_pattern_becomes_page_counters() -> None:
    assert footer_css("{page} / {pages} ページ") == 'counter(page) " / " counter(pages) " ページ"'


@pytest.mark.slow  # renders whole documents
def test_the_header_repeats_above_rows_almost_a_page_tall_in_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rows from two thirds of a page to a full one: some fit a page only without the header,
    # which WeasyPrint would then leave out (Kozea/WeasyPrint#2679).
    rows = tuple(Row((cell(f"行{n}"), Cell(tuple(para(f"{n}-{i} 本文の行") for i in range(n)))))
                 for n in range(30, 46))
    document = small(*rows)
    laid_out: list[Document] = []  # every document the writer turns into HTML for WeasyPrint
    to_html = pdf_writer.to_html
    monkeypatch.setattr(pdf_writer, "to_html", lambda doc, **kw: laid_out.append(doc) or to_html(doc, **kw))
    pdf = tmp_path / "tall.pdf"
    pdf.write_bytes(WRITERS["pdf"](document, WriterOptions()).data)
    # The document is laid out once; the rows that would lose the header are found by a
    # probe of the tall rows alone, before it.
    assert laid_out.count(document) == 1
    assert len(laid_out) == 2 and len(laid_out[0].blocks) < 2 * len(rows)
    pages = pdf_pages(pdf)
    assert len(pages) > 5
    assert all("項目" in page and "値" in page for page in pages)
    text = pdf_text(pdf)
    assert all(f"{n}-{n - 1} 本文の行" in text for n in range(30, 46))


def test_xlsx_a_second_table_takes_its_heading_and_unit_line_to_its_sheet() -> None:
    """A table that starts a sheet of its own (the first reached past the first page) takes
    the heading above it and the lines between (「（単位：万人）」) along, as printed on paper."""
    from reportgen.document import Heading

    long_table = Table((Column(1.0), Column(1.0)), (Row((cell("項目"), cell("値"))),),
                       tuple(Row((cell(f"行{i}"), cell(str(i)))) for i in range(60)))
    monthly = Table((Column(1.0), Column(1.0)), (Row((cell("月"), cell("人数"))),),
                    (Row((cell("4月"), cell("147.0"))),))
    doc = Document(kind="t", title="t", blocks=(Heading(2, "年度の表"), long_table, Heading(3, "月別の推移"),
                                               para("（単位：万人）"), monthly))
    wb = openpyxl.load_workbook(io.BytesIO(WRITERS["xlsx"](doc, WriterOptions()).data))
    first, second = wb.worksheets
    texts = [str(c.value) for row in second.iter_rows() for c in row if c.value is not None]
    assert texts[:3] == ["月別の推移", "（単位：万人）", "月"]
    assert second.title == "月別の推移"
    assert not any(c.value in ("月別の推移", "（単位：万人）") for row in first.iter_rows() for c in row)


def test_a_header_phrase_wider_than_its_column_may_break_in_pdf() -> None:
    """A phrase is kept whole (a span that does not wrap) only where it fits its column: a
    KPI's name in a narrow column of kpi-national ran over into the next column's header."""
    from reportgen.writers.pdf import to_html

    name = "生活習慣病予防健診受診率"  # one BudouX phrase of 12 characters, 120 pt at 10 pt
    header = Row((cell(name), cell("値")))
    narrow = Document("t", "t", (Table((Column(1), Column(6)), (header,), ()),))  # 180 mm / 7: 73 pt
    wide = Document("t", "t", (Table((Column(1), Column(1)), (header,), ()),))  # 90 mm: 255 pt
    kept = f'<span class="ph">{name}</span>'
    assert kept not in to_html(narrow) and name in to_html(narrow)
    assert kept in to_html(wide)


@pytest.mark.slow  # renders a document twice
def test_the_probe_gives_the_bytes_of_laying_out_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the probe (no row thought tall), the writer finds the headless rows in the
    # layout and lays the document out again, as it did before the probe: the same PDF.
    rows = tuple(Row((cell(f"行{n}"), Cell(tuple(para(f"{n}-{i} 本文の行") for i in range(n)))))
                 for n in (12, 44, 20, 41, 38, 5))
    document = small(*rows)
    probed = WRITERS["pdf"](document, WriterOptions()).data
    monkeypatch.setattr(pdf_writer, "PROBE_SHARE", float("inf"))
    monkeypatch.setattr(pdf_writer, "SURE_SHARE", float("inf"))
    laid_out: list[Document] = []
    to_html = pdf_writer.to_html
    monkeypatch.setattr(pdf_writer, "to_html", lambda doc, **kw: laid_out.append(doc) or to_html(doc, **kw))
    assert WRITERS["pdf"](document, WriterOptions()).data == probed
    assert laid_out.count(document) == 2  # the safety net's second layout


def _labelled_fields() -> Document:
    """Two 分野, each a vertical label and joined empty cells continuing it over pages."""
    rows: list[Row] = []
    for field, count in (("１．基盤的保険者機能関係", 30), ("２．戦略的保険者機能関係", 24)):
        for n in range(count):
            label = Cell((para(field),), vertical=True) if n == 0 else Cell((), joined=True)
            rows.append(Row((label, Cell(tuple(para(f"{field}の施策{n}、本文の行{i}") for i in range(1 + n % 4))))))
    table = Table((Column(1), Column(12)), (Row((cell("分野"), cell("事業計画"))),), tuple(rows))
    return Document("test", "テスト", (table,))


def test_a_label_printed_again_is_the_bytes_of_a_layout_with_it(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    # The writer lays the document out once and puts the labels' boxes into the pages; laid
    # out with the labels in its HTML, the document is the same PDF.
    grafted, laid_out, labels = grafted_and_laid_out(_labelled_fields(), monkeypatch)
    assert {text for _, text, _ in labels.values()} >= {"１．基盤的保険者機能関係（続き）"}
    assert grafted == laid_out
    (tmp_path / "labels.pdf").write_bytes(grafted)
    assert len(labels) >= 3
    # Vertical labels come out a character a line, between the body's lines: counted by 続.
    assert pdf_text(tmp_path / "labels.pdf").count("続") == len(labels)
