"""XLSX: the neutral document on one worksheet with openpyxl.

Figures are stored as numbers with a number format that prints them as the other
formats do (98.7％, ▲1,234円). Text that Excel would take for a formula stays text. The
sheet prints on A4, fitted to the page width, with the table header repeated on each page.
"""

from __future__ import annotations

import io
import math
import zipfile
from fractions import Fraction
from itertools import accumulate
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from reportgen import glyphs
from reportgen.document import Cell, Document, Heading, PageBreak, Paragraph, Table
from reportgen.writers.shared import (
    Rendered,
    WriterOptions,
    excel_number_format,
    office_font,
    paragraph_text,
    reproducible_zip,
)

SHEET_WIDTH_CHARS = {"portrait": 100, "landscape": 150}  # column-width units at fit-to-width
LINE_HEIGHT_PT = 13.5
_THIN = Side(style="thin", color="333333")
_HEADER_FILL = PatternFill("solid", fgColor="E8EDF3")
_FORMULA_LIKE = ("=", "+", "-", "@")
_INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


# textRotation 255: characters stacked top to bottom (縦書き), as Excel's 縦書き option writes.
VERTICAL_TEXT = 255
# Column edges closer than this share one sheet column edge (no sliver columns).
EDGE_STEP = Fraction(1, 100)


def _edges(table: Table) -> list[Fraction]:
    """Where a table's columns end, as fractions of the page width, on a 1/100 step."""
    total = sum(c.width for c in table.columns)
    return [Fraction(round(x / total / EDGE_STEP)) * EDGE_STEP for x in accumulate(c.width for c in table.columns)]


def _grid_edges(document: Document) -> list[Fraction]:
    """The sheet columns: every column edge of every table, so each table keeps its own
    proportions (a 5-column sheet and a 6-column summary above it need not share widths)."""
    edges = {Fraction(1)} | {e for b in document.blocks if isinstance(b, Table) for e in _edges(b) if e > 0}
    return sorted(edges)


def _spans(table: Table, grid: list[Fraction]) -> list[int]:
    """How many sheet columns each table column takes."""
    index = {e: i for i, e in enumerate(grid)}
    ends = [index[e] if e > 0 else 0 for e in _edges(table)]
    spans, start = [], -1
    for end in ends:
        spans.append(max(1, end - start))
        start = max(end, start + 1)
    return spans


_UNDERLINE = {False: None, True: "single", "double": "double"}
_Style = tuple[bool, bool | str]  # (bold, underline)


def _styles(cell: Cell) -> set[_Style]:
    return {(r.bold, r.underline) for p in cell.content for r in p.runs if r.text}


def _single_style(cell: Cell) -> _Style:
    """(bold, underline) of a cell whose runs share one style; plain otherwise (rich text)."""
    styles = _styles(cell)
    return next(iter(styles)) if len(styles) == 1 else (False, False)


def _cell_value(cell: Cell) -> Any:
    """A number; plain text where the cell has one style (the cell font carries it); rich text
    where runs differ (an underlined change inside a sentence)."""
    if cell.number is not None:
        return cell.number
    paragraphs = cell.content
    figures = [line for table in cell.tables for line in _table_lines(table)]
    if len(_styles(cell)) > 1:
        rich = _rich(paragraphs)
        return CellRichText(*rich, *("\n" + line for line in figures)) if figures else rich
    return "\n".join([*(paragraph_text(p) for p in paragraphs), *figures])


def _table_lines(table: Table) -> list[str]:
    """A figure table inside a cell, one line per row: a sheet cell cannot hold a table."""
    return ["　".join(c.text.replace("\n", "") for c in row.cells) for row in (*table.header, *table.body)]


def _rich(paragraphs: tuple[Paragraph, ...]) -> CellRichText:
    parts: list[Any] = []
    for i, p in enumerate(paragraphs):
        if i:
            parts.append("\n")
        if p.bullet:
            parts.append(p.bullet + " ")
        for r in p.runs:
            if r.underline or r.bold:
                parts.append(TextBlock(InlineFont(u=_UNDERLINE[r.underline],
                                                  b=r.bold or None), r.text))
            else:
                parts.append(r.text)
    return CellRichText(*parts)


def _text_lines(text: str, width_chars: float) -> int:
    """Lines a wrapped text takes: CJK characters are two width units wide."""
    lines = 0
    for line in str(text).split("\n"):
        units = sum(1 if ord(ch) < 0x2E80 else 2 for ch in line)
        lines += max(1, math.ceil(units / max(width_chars - 1, 1)))
    return lines


class _Sheet:
    def __init__(self, ws: Worksheet, document: Document) -> None:
        self.ws = ws
        self.document = document
        self.edges = _grid_edges(document)
        self.grid = len(self.edges)
        self.row = 1
        self.font = Font(name=office_font(document.fonts.gothic), size=document.fonts.size_pt)
        self.col_widths = self._column_widths()
        self.print_title: tuple[int, int] | None = None
        self._joining = False
        for i, width in enumerate(self.col_widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width

    def _column_widths(self) -> list[float]:
        total = SHEET_WIDTH_CHARS[self.document.page.orientation]
        return [float(total * (e - s)) for s, e in zip([Fraction(0), *self.edges[:-1]], self.edges, strict=True)]

    def put(self, col: int, span: int, value: Any, *, align: str = "left", style: _Style = (False, False),
            header: bool = False, border: bool = False, number_format: str | None = None,
            rowspan: int = 1, vertical: bool = False) -> None:
        cell = self.ws.cell(row=self.row, column=col)
        cell.value = value
        if isinstance(value, str) and value.startswith(_FORMULA_LIKE):
            # Stored as text: Excel must not evaluate what a person wrote.
            cell.data_type = "s"
            cell.quotePrefix = True
        bold, underline = style
        cell.font = Font(name=self.font.name, size=self.font.size, bold=bold or header,
                         underline=_UNDERLINE[underline])
        if (shown := glyphs.xlsx_value(value, cell.font)) is not value:  # characters the font lacks
            cell.value = shown
        cell.alignment = Alignment(
            horizontal="center" if vertical else align,
            vertical="center" if header or vertical or align != "left" else "top",
            wrap_text=True,
            text_rotation=VERTICAL_TEXT if vertical else 0,
        )
        if number_format:
            cell.number_format = number_format
        if header:
            cell.fill = _HEADER_FILL
        if span > 1 or rowspan > 1:
            self.ws.merge_cells(start_row=self.row, start_column=col,
                                end_row=self.row + rowspan - 1, end_column=col + span - 1)
        if border:
            top = None if self._joining else _THIN
            for r in range(self.row, self.row + rowspan):
                for c in range(col, col + span):
                    self.ws.cell(row=r, column=c).border = Border(
                        left=_THIN, right=_THIN, bottom=_THIN, top=top if r == self.row else _THIN)
        self._joining = False

    def _join_above(self, col: int, span: int) -> None:
        """The next cell continues the one above: drop the rule between them."""
        self._joining = True
        for c in range(col, col + span):
            above = self.ws.cell(row=self.row - 1, column=c)
            above.border = Border(left=_THIN, right=_THIN, top=above.border.top, bottom=None)

    def height(self, row: int, lines: int) -> None:
        current = self.ws.row_dimensions[row].height or 0
        self.ws.row_dimensions[row].height = max(current, lines * LINE_HEIGHT_PT + 4)

    def heading(self, block: Heading) -> None:
        text = block.text + (f"　{block.aside}" if block.aside else "")
        size = {1: 15, 2: 12, 3: 10.5}.get(block.level, 10.5)
        self.put(1, self.grid, text, style=(True, False), align="center" if block.level == 1 else "left")
        cell = self.ws.cell(row=self.row, column=1)
        cell.font = Font(name=self.font.name, size=size, bold=True)
        if (shown := glyphs.xlsx_value(text, cell.font)) is not text:  # runs at the heading's size
            cell.value = shown
        self.height(self.row, 1 if size < 12 else 2)
        self.row += 1

    def paragraph(self, block: Paragraph) -> None:
        cell = Cell((block,))
        self.put(1, self.grid, _cell_value(cell), align=block.align, style=_single_style(cell))
        self.height(self.row, _text_lines(paragraph_text(block), sum(self.col_widths)))
        self.row += 1

    def table(self, block: Table) -> None:
        spans = _spans(block, self.edges)
        starts = [1, *[1 + s for s in accumulate(spans)][:-1]]
        header_rows = len(block.header)
        first = self.row
        for r, cells in enumerate(block.grid()):
            for c, item in enumerate(cells):
                if item is None:
                    continue
                span = sum(spans[c:c + item.colspan])
                is_header = r < header_rows
                number_format = (excel_number_format(item.number_format)
                                 if item.number_format else None)
                if item.joined:
                    self._join_above(starts[c], span)
                self.put(starts[c], span, _cell_value(item), align=item.align, border=True,
                         style=_single_style(item),
                         header=is_header, number_format=number_format, rowspan=item.rowspan,
                         vertical=item.vertical)
                width = sum(self.col_widths[starts[c] - 1:starts[c] - 1 + span])
                lines = _text_lines(item.text, width) if not item.vertical else len(item.text)
                per_row = math.ceil(lines / item.rowspan)
                for extra in range(item.rowspan):
                    self.height(self.row + extra, per_row)
            self.row += 1
        if self.print_title is None and header_rows:
            self.print_title = (first, first + header_rows - 1)
        self.row += 1  # a blank row between blocks, as between paragraphs on paper

    def page_break(self) -> None:
        from openpyxl.worksheet.pagebreak import Break

        self.ws.row_breaks.append(Break(id=self.row - 1))


def _setup_print(ws: Worksheet, sheet: _Sheet, document: Document) -> None:
    ws.print_area = f"A1:{get_column_letter(sheet.grid)}{max(sheet.row - 1, 1)}"
    tables = sum(isinstance(b, Table) for b in document.blocks)
    if sheet.print_title and tables == 1:
        ws.print_title_rows = f"{sheet.print_title[0]}:{sheet.print_title[1]}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = document.page.orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    margin_in = document.page.margin_mm / 25.4
    ws.page_margins.left = ws.page_margins.right = ws.page_margins.bottom = margin_in
    ws.page_margins.top = margin_in + (0.3 if document.header_lines else 0)
    if document.header_lines:
        # One line: openpyxl stores a line feed here as _x000a_, which LibreOffice prints as is.
        # & starts an Excel header code (&F file path, &D date): && prints one &.
        ws.oddHeader.right.text = "　".join(document.header_lines).replace("&", "&&").replace("\n", "　")
        ws.oddHeader.right.size = 9
    if document.legend:
        ws.oddHeader.left.text = document.legend.replace("&", "&&").replace("\n", "　")
        ws.oddHeader.left.size = 9
    ws.oddFooter.center.text = document.footer.replace("&", "&&").replace("{page}", "&P").replace("{pages}", "&N")
    ws.oddFooter.center.size = 9


def write(document: Document, options: WriterOptions) -> Rendered:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = document.sheet_name.translate(_INVALID_SHEET_CHARS)[:31]
    sheet = _Sheet(ws, document)
    for block in document.blocks:
        if isinstance(block, Heading):
            sheet.heading(block)
        elif isinstance(block, Paragraph):
            sheet.paragraph(block)
        elif isinstance(block, Table):
            sheet.table(block)
        elif isinstance(block, PageBreak):
            sheet.page_break()
    _setup_print(ws, sheet, document)
    wb.properties.title = document.title
    wb.properties.creator = wb.properties.lastModifiedBy = "reportgen"
    stamp = options.timestamp.replace(tzinfo=None)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.keywords = " ".join(f"{k}={v}" for k, v in document.metadata)
    out = io.BytesIO()
    # Not wb.save(): it stamps the current time as the modified date, and the same data
    # must give the same bytes.
    ExcelWriter(wb, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)).save()
    return Rendered(reproducible_zip(out.getvalue(), options.timestamp))
