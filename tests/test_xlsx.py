"""The XLSX of every sample, read back with openpyxl as a client would lay it out, and (slow)
printed by LibreOffice: rows within Excel's limits, print titles, margins, fonts, figure tables
as cells of numbers, and no text lost."""

from __future__ import annotations

import html
import io
import re
import statistics
import subprocess
import unicodedata
import zipfile
from dataclasses import replace
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText
from openpyxl.utils import get_column_letter

from reportgen.branches import get_branch
from reportgen.build import documents, load_for
from reportgen.document import Cell, Column, Document, Row, Style, Table, cell, para, plain_text
from reportgen.textmetrics import metrics, width_pt
from reportgen.wareki import parse_fiscal_year
from reportgen.writers import WRITERS, WriterOptions
from reportgen.writers.shared import excel_number_format
from reportgen.writers.xlsx import layout
from tests.extract import PrintedCell, libreoffice_pdf, norm, pdf_ruled_cells, pdf_text, xlsx_shown

# Renders whole sample documents (PDF, DOCX, XLSX): outside the fast `-m "not slow"` set.
pytestmark = pytest.mark.slow

BODY_FONT = "BIZ UDゴシック"
HEADER_FILL = "00E8EDF3"
# (branch, year, report kinds, quarter): every sample data set.
SAMPLES = [
    ("shizuoka", "R5", ("kpi-results", "kpi-summary"), None),
    ("saitama", "R5", ("plan-comparison",), None),
    ("gunma", "R3", ("plan-budget",), None),
    ("saitama", "R2", ("progress",), 3),
]
DATA = Path(__file__).resolve().parent.parent / "data"


def unit_pt(wb: openpyxl.Workbook) -> float:
    """A column width unit: the digit of the workbook's default font (the first in its table)."""
    default = wb._fonts[0]
    assert default.name == BODY_FONT
    return width_pt("0", "BIZ UDGothic", default.sz)


def _models() -> list[Document]:
    out = []
    for branch, year, kinds, quarter in SAMPLES:
        data = load_for(DATA, get_branch(branch), parse_fiscal_year(year), kinds, quarter=quarter)
        out.extend(documents(data, kinds))
    return out


MODELS = {doc.kind: doc for doc in _models()}


@pytest.fixture(scope="module")
def books() -> dict[str, bytes]:
    return {kind: WRITERS["xlsx"](doc, WriterOptions()).data for kind, doc in MODELS.items()}


def _load(data: bytes, rich: bool = False) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), rich_text=rich)


@pytest.mark.parametrize("kind", list(MODELS))
def test_no_row_is_taller_than_excel_allows(books: dict[str, bytes], kind: str) -> None:
    for ws in _load(books[kind]).worksheets:
        heights = [ws.row_dimensions[r].height for r in range(1, ws.max_row + 1)]
        assert all(h is not None and 0 < h <= 409.5 for h in heights), (ws.title, max(h or 0 for h in heights))
        assert all(len(str(c.value)) <= 32_767 for row in ws.iter_rows() for c in row if c.value is not None)


@pytest.mark.parametrize("kind", list(MODELS))
def test_every_sheet_with_a_table_header_repeats_it(books: dict[str, bytes], kind: str) -> None:
    sheets = _load(books[kind]).worksheets
    headed = 0
    for ws in sheets:
        header_rows = sorted({c.row for row in ws.iter_rows() for c in row if c.fill.fgColor.rgb == HEADER_FILL})
        if not header_rows:
            continue
        headed += 1
        assert ws.print_title_rows, ws.title
        first, last = (int(x) for x in ws.print_title_rows.replace("$", "").split(":"))
        # The title is the last table's header (the one that can reach a second page).
        assert first <= header_rows[-1] <= last, (ws.title, ws.print_title_rows, header_rows)
    tables = sum(isinstance(b, Table) and bool(b.header) for b in MODELS[kind].blocks)
    assert 1 <= headed <= tables


@pytest.mark.parametrize("kind", list(MODELS))
def test_header_and_footer_print_inside_the_margins(books: dict[str, bytes], kind: str) -> None:
    for ws in _load(books[kind]).worksheets:
        m = ws.page_margins
        assert m.footer < m.bottom and m.header < m.top, ws.title
        # and with room for a 9 pt line between the offset and the body
        assert m.bottom - m.footer >= 0.2 and m.top - m.header >= 0.2, ws.title
        assert ws.oddFooter.center.text == "&P / &N ページ"
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage


@pytest.mark.parametrize("kind", list(MODELS))
def test_every_cell_and_rich_text_run_has_the_body_font(books: dict[str, bytes], kind: str) -> None:
    runs = 0
    for ws in _load(books[kind], rich=True).worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                assert c.font.name == BODY_FONT, c.coordinate
                if isinstance(c.value, CellRichText):
                    for block in c.value:
                        assert not isinstance(block, str), (c.coordinate, block)
                        assert block.font.rFont == BODY_FONT and block.font.sz, (c.coordinate, block.text)
                        runs += 1
    if kind == "plan-comparison":
        assert runs > 50  # the underlined changes


@pytest.mark.parametrize("kind", list(MODELS))
def test_cells_are_top_aligned_and_numbers_right_aligned(books: dict[str, bytes], kind: str) -> None:
    for ws in _load(books[kind]).worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                if c.alignment.textRotation == 255:
                    continue  # 縦書き 分野: centred in its rows
                assert c.alignment.vertical == "top", c.coordinate
                assert c.alignment.wrap_text
                if isinstance(c.value, int | float) and c.number_format != "General":
                    assert c.alignment.horizontal in ("right", "center"), c.coordinate
                # a small indent (one level: three spaces) wherever a text column has room for it
                if c.alignment.horizontal == "left" and c.border.left and c.border.left.style \
                        and _merged_width(ws, c) >= 40:
                    assert c.alignment.indent == 1, (ws.title, c.coordinate)


def _merged_width(ws: openpyxl.worksheet.worksheet.Worksheet, c: openpyxl.cell.Cell) -> float:
    cols = [c.column]
    for m in ws.merged_cells.ranges:
        if m.min_row == c.row and m.min_col == c.column:
            cols = list(range(m.min_col, m.max_col + 1))
    return sum(ws.column_dimensions[get_column_letter(k)].width for k in cols)


def _nested_numbers(doc: Document) -> list[Cell]:
    out = []
    for block in doc.blocks:
        if isinstance(block, Table):
            for row in (*block.header, *block.body):
                for item in row.cells:
                    for nested in item.tables:
                        out.extend(c for r in (*nested.header, *nested.body) for c in r.cells if c.number is not None)
    return out


def test_figure_tables_are_cells_of_numbers_under_their_headers(books: dict[str, bytes]) -> None:
    wb = _load(books["progress"])
    numbers: dict[tuple[Decimal, str], int] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, int | float):
                    key = (Decimal(str(c.value)), c.number_format)
                    numbers[key] = numbers.get(key, 0) + 1
    figures = _nested_numbers(MODELS["progress"])
    assert len(figures) > 100
    for f in figures:
        assert f.number_format is not None
        key = (f.number.normalize(), excel_number_format(f.number_format))
        assert any(k[0].normalize() == key[0] and k[1] == key[1] for k in numbers), key
    # and never one figure per line of text: the figure tables' rows are rows of cells
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(re.search(r"\d件　\d", t) for t in texts)


@pytest.mark.parametrize("kind", list(MODELS))
def test_every_figure_fits_its_cell(books: dict[str, bytes], kind: str) -> None:
    """A number wider than its cell prints as ####: every one fits at LibreOffice's unit (the
    narrower of the two clients)."""
    wb = _load(books[kind])
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, int | float) and not isinstance(c.value, bool):
                    shown = xlsx_shown(c.value, c.number_format)
                    need = width_pt(shown, "BIZ UDGothic", c.font.sz) + 2
                    assert need <= _merged_width(ws, c) * unit_pt(wb), (ws.title, c.coordinate, shown)


@pytest.mark.parametrize("kind", list(MODELS))
def test_columns_fill_the_printable_width_in_whole_pixel_units(books: dict[str, bytes], kind: str) -> None:
    """The default font's digit is a whole number of pixels (Excel and LibreOffice then agree
    on a column unit), and the columns take 95-100 % of the printable width: fit-to-width
    prints at 100 %."""
    wb = _load(books[kind])
    unit = unit_pt(wb)
    assert abs(unit * 96 / 72 - round(unit * 96 / 72)) < 0.01
    doc = MODELS[kind]
    page_mm = doc.page.size_mm[0] - 2 * doc.page.margin_mm
    for ws in wb.worksheets:
        total = sum(ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1))
        assert 0.95 <= total * unit / (page_mm * 72 / 25.4) <= 1.0, ws.title


def _texts_in_reading_orders(data: bytes) -> str:
    """Every cell shown, row by row and column by column: a text cut into pieces is whole in
    the second order (its pieces are one under the other); then the charts' own texts (title,
    axis titles), which live in the chart parts."""
    out = []
    for ws in _load(data).worksheets:
        cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
        out.append("".join(xlsx_shown(c.value, c.number_format) for c in cells))
        out.append("".join(xlsx_shown(c.value, c.number_format)
                           for c in sorted(cells, key=lambda c: (c.column, c.row))))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in sorted(n for n in z.namelist() if n.startswith("xl/charts/")):
            out.extend(html.unescape(t) for t in re.findall(r"<a:t>([^<]*)</a:t>", z.read(name).decode()))
    return norm("\n".join(out))


@pytest.mark.parametrize("kind", list(MODELS))
def test_every_model_text_is_in_the_cells(books: dict[str, bytes], kind: str) -> None:
    text = _texts_in_reading_orders(books[kind])
    for piece in plain_text(MODELS[kind]):
        assert norm(piece) in text, piece


def test_the_same_document_gives_the_same_bytes(books: dict[str, bytes]) -> None:
    assert WRITERS["xlsx"](MODELS["progress"], WriterOptions()).data == books["progress"]


def test_a_header_ampersand_is_escaped() -> None:
    doc = Document("t", "T", (para("本文"),), header_lines=("A&B 資料",), footer="{page} & {pages}")
    ws = _load(WRITERS["xlsx"](doc, WriterOptions()).data).active
    assert ws is not None
    assert ws.oddHeader.right.text == "A&&B 資料"
    assert ws.oddFooter.center.text == "&P && &N"


# A long text made of Japanese only (no digits or Latin letters, no 項目, 値 or ページ), so
# that the page furniture can be taken out of the printed text.
PHRASE = "保険者機能の強化に向けた取組みを着実に進めるため、関係機関と連携して加入者への周知を図る。"


def _long(n: int) -> str:
    return (PHRASE * (n // len(PHRASE) + 1))[:n]


def long_document() -> Document:
    rows = tuple(Row((cell(f"L{i}"), cell(_long(n)))) for i, n in enumerate((1_600, 40_000), start=1))
    table = Table((Column(1), Column(4)), (Row((cell("項目"), cell("値"))),), rows)
    return Document("long", "長文", (table,), sheet_name="long")


def test_long_cells_continue_in_rows_below_within_excel_limits() -> None:
    wb = _load(WRITERS["xlsx"](long_document(), WriterOptions()).data)
    ws = wb.active
    assert ws is not None
    pieces = [str(c.value) for c in ws["B"] if c.value and c.value != "値"]
    assert "".join(pieces) == _long(1_600) + _long(40_000)
    assert len(pieces) > 40_000 // 32_767 + 1
    assert all(len(p) <= 32_767 for p in pieces)
    assert all((ws.row_dimensions[r].height or 0) <= 409.5 for r in range(1, ws.max_row + 1))
    # the pieces of one cell are joined: no rule between them
    joined = [c for c in ws["B"] if c.value and c.value != "値" and (c.border.top is None or not c.border.top.style)]
    assert len(joined) == len(pieces) - 2


def _libreoffice_pdf(xlsx: bytes, folder: Path, name: str) -> Path:
    source = folder / f"{name}.xlsx"
    source.write_bytes(xlsx)
    return libreoffice_pdf(source, folder, profile=Path("/tmp/lo-xlsx-test"), timeout=300)


def _flat(text: str) -> str:
    """Whitespace removed, then NFKC: LibreOffice may wrap a line between a half-width kana and
    its sound mark (ﾍ|ﾟ), which compose again only once the line feed is gone."""
    return unicodedata.normalize("NFKC", "".join(text.split()))


def _printed(pdf: Path) -> str:
    """pdftotext of every page in both reading orders, whitespace removed."""
    return _flat(pdf_text(pdf, layout=False)) + "\n" + _flat(
        subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                       text=True).stdout)


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(MODELS))
def test_libreoffice_prints_every_text_at_the_body_size(books: dict[str, bytes], tmp_path: Path, kind: str) -> None:
    pdf = _libreoffice_pdf(books[kind], tmp_path, kind)
    printed = _printed(pdf)
    # Before: 46 texts of the progress sheet and 30 of the 新旧対照表 were clipped away.
    missing = [t for t in plain_text(MODELS[kind]) if norm(t) not in printed]
    assert not missing, missing[:5]
    # printed at 90-100 %: the body's size (10 pt; 8 pt for the one-page ＫＰＩ実績一覧表), not the
    # 7 pt a squeezed sheet gave
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        sizes = [round(ch["size"], 1) for page in doc.pages[:6] for ch in page.chars]
    assert max(set(sizes), key=sizes.count) >= 0.95 * MODELS[kind].style.body_pt
    pages = pdf_text(pdf).split("\f")[:-1]
    assert all(re.search(r"\d+ / \d+ ページ", p) for p in pages)
    if kind == "progress":
        # the main table's header row on every page it occupies
        main = pages[3:]  # after the cover, the 基本方針 and the summary
        assert len(main) >= 10
        assert all("事業計画 実施内容等" in p and "評価" in p for p in main)


@pytest.mark.slow
def test_libreoffice_prints_long_cells_whole(tmp_path: Path) -> None:
    pdf = _libreoffice_pdf(WRITERS["xlsx"](long_document(), WriterOptions()).data, tmp_path, "long")
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    # Without the page furniture: page numbers, the repeated header row, the row labels.
    body = re.sub(r"ページ|項目|値|[A-Za-z0-9/]", "", norm(raw))
    assert norm(_long(1_600)) in body
    assert norm(_long(40_000)) in body


# --- lines in their rows, as LibreOffice prints them --------------------------------------------

def _rgb(colour: str) -> tuple[float, ...]:
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4))


def _lines_fit_their_rows(xlsx: bytes, style: Style, folder: Path, name: str) -> None:
    """Every line of every body cell LibreOffice prints: as far from the one above as the font's
    own line height (hhea), above the cell's bottom rule, and cells not much taller than Excel's
    spacing of their lines needs.

    Why not 1.1 × the size apart: LibreOffice spaces a cell's lines by the font's hhea height and
    nothing in SpreadsheetML widens that (vertical justify/distributed: still 1.0 em); for BIZ UD
    it is 1.0 em, measured 0.997-1.011 × the size, before and after the rows were measured from
    the font. What rows decide is whether the last lines are cut off and how much is left free."""
    pdf = _libreoffice_pdf(xlsx, folder, name)
    rule = _rgb(style.rule_colour)
    assert len(set(rule)) == 1, "the rules are told from black underlines by their grey"
    cells = pdf_ruled_cells(pdf, rule[0], (_rgb(style.header_shade), _rgb(style.figure_header_shade)))
    assert len(cells) > 50
    family = style.gothic[0]
    hhea = metrics(family).hhea_em
    squeezed = [(c.page, a, b) for c in cells for a, b in pairwise(c.lines)
                if abs(a[2] - b[2]) < 0.2 and b[0] - a[0] < 0.97 * hhea * a[2]]
    assert not squeezed, squeezed[:5]
    cut = [(c.page, c.box, c.lines[-1]) for c in cells if c.lines[-1][1] > c.box[3] + 0.5]
    assert not cut, cut[:5]
    # Free space under the text of the fullest cell of each row band, per line, in em: what Excel's
    # wider spacing leaves (BIZ UD: 0.2 em) plus the padding, not more.
    bands: dict[tuple[int, float, float], list[PrintedCell]] = {}
    for c in cells:
        bands.setdefault((c.page, c.box[2], c.box[3]), []).append(c)
    free = []
    for band in bands.values():
        full = min(band, key=lambda c: c.box[3] - c.lines[-1][1])
        size = full.lines[-1][2]
        if len(full.lines) >= 5 and full.lines[0][0] - full.box[2] < 2 * size:
            free.append((full.box[3] - full.lines[-1][1]) / size / len(full.lines))
    layout_measure = layout.Measure(layout.Font(family, style.body_pt, style), (100.0,), layout.MAX_ROW_PT)
    spare = layout_measure.line_pt(style.body_pt) / style.body_pt - hhea
    assert free and statistics.median(free) <= spare + 0.2, (statistics.median(free), spare)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["plan-comparison", "kpi-results", "progress"])
def test_libreoffice_prints_every_line_inside_its_row(books: dict[str, bytes], tmp_path: Path, kind: str) -> None:
    # BIZ UD: lines 1.000 em apart (min 0.997), no cell cut, about 0.23 em a line left free
    _lines_fit_their_rows(books[kind], MODELS[kind].style, tmp_path, kind)


@pytest.mark.slow
def test_rows_hold_the_lines_of_a_font_libreoffice_spaces_wider(tmp_path: Path) -> None:
    """A style whose gothic is Noto Sans CJK JP (hhea 1.448 em): rows were 1.2 em a line
    whatever the font, and LibreOffice cut the last line of 22 cells of the 新旧対照表."""
    doc = MODELS["plan-comparison"]
    doc = replace(doc, style=replace(doc.style, gothic=("Noto Sans CJK JP",)))
    _lines_fit_their_rows(WRITERS["xlsx"](doc, WriterOptions()).data, doc.style, tmp_path, "noto")
