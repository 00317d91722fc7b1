"""XLSX: the neutral document on worksheets with openpyxl.

Figures are stored as numbers with a number format that prints them as the other
formats do (98.7％, ▲1,234円), figure tables inside a cell included: they become cells on
sub-columns of their parent column. Text that Excel would take for a formula stays text.
Each sheet prints on A4 at 100 %, fitted to the page width, with its table header repeated on
each page. Where things go is computed in ``layout``; this module only renders it.

Sheets. openpyxl (and Excel) allow one print-title range per sheet, so the document is cut
into sheets where the model starts a new page (a ``PageBreak``: the progress sheet's cover,
its mark summary, its main table), and, inside one page's blocks, before a second table with
a header unless the tables before it end on the sheet's first page (the headings above that
table, and the lines between them and it, go along to its sheet). A sheet's print title is
then the header of its last headed table, which is the only table that can reach a second
page: every table's header repeats on the pages it occupies.
"""

from __future__ import annotations

import functools
import io
import math
import zipfile
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from reportgen import glyphs
from reportgen.document import Block, Chart, Document, Heading, PageBreak, Paragraph, Style, Table
from reportgen.fonts import office_font
from reportgen.writers.chart_style import data_table
from reportgen.writers.shared import (
    Rendered,
    WriterOptions,
    excel_number_format,
    reproducible_zip,
    unknown_block,
)
from reportgen.writers.xlsx import layout
from reportgen.writers.xlsx._workbook import set_default_font
from reportgen.writers.xlsx.charts import add_chart
from reportgen.writers.xlsx.layout import Item, SheetLayout

_FORMULA_LIKE = ("=", "+", "-", "@")
_INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})
# textRotation 255: characters stacked top to bottom (縦書き), as Excel's 縦書き option writes.
VERTICAL_TEXT = 255
MM = 1 / 25.4  # inches
HEADER_OFFSET_IN = 5 * MM  # page edge to the print header and footer
HEADER_TEXT_IN = 0.3  # room for the 9 pt header or footer line and a gap under it


# --- fonts: every font the sheet names is made here ------------------------------------------

# A run's underline: none, single, or the double rule of a house style (新旧対照表).
_UNDERLINE: dict[bool | str, str | None] = {False: None, True: "single", "double": "double"}


def cell_font(name: str, size: float, *, bold: bool = False, underline: bool | str = False) -> Font:
    return Font(name=name, size=size, bold=bold, underline=_UNDERLINE[underline])


def run_font(name: str, size: float, *, bold: bool = False, underline: bool | str = False) -> InlineFont:
    """A rich-text run's font: named and sized in full, or clients print it in their default."""
    return InlineFont(rFont=name, sz=size, b=bold or None, u=_UNDERLINE[underline])


# --- values ------------------------------------------------------------------------------------

def _runs(item: Item, style: Style) -> list[tuple[str, bool, bool | str, float]]:
    """(text, bold, underline, size) of every run, paragraphs separated by line feeds."""
    out: list[tuple[str, bool, bool | str, float]] = []
    bold_all = item.header or item.kind == "heading"
    size = item.size_pt
    for i, p in enumerate(item.paragraphs):
        if i:
            # The line feed ends the line before it, and Excel makes a line as tall as its
            # largest character: at the size of the paragraph it ends, each line is as tall as
            # layout measured it (LibreOffice ignores its size).
            out.append(("\n", False, False, size))
        size = item.size_pt * style.ratio(p.size) if item.kind != "heading" else item.size_pt
        if p.bullet:
            out.append((f"{p.bullet} ", False, False, size))
        out.extend((r.text, r.bold or bold_all, r.underline, size) for r in p.runs if r.text)
    return out


def _value(item: Item, font_name: str, style: Style) -> tuple[Any, tuple[bool, bool | str, float]]:
    """The cell's value and the (bold, underline, size) of its cell font: plain text where every
    run looks alike (the cell font carries the style), rich text where they differ."""
    base = (item.header or item.kind == "heading", False, item.size_pt)
    if item.number is not None:
        return item.number, base
    runs = _runs(item, style)
    styles = {(b, u, s) for text, b, u, s in runs if text != "\n"}
    if len(styles) <= 1:
        return "".join(t for t, *_ in runs), next(iter(styles), base)
    return CellRichText(*(TextBlock(run_font(font_name, s, bold=b, underline=u), t) for t, b, u, s in runs)), base


# --- one sheet ---------------------------------------------------------------------------------

def _render(ws: Worksheet, sheet: SheetLayout, font_name: str, style: Style) -> None:
    for i, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for r, h in enumerate(sheet.heights, start=1):
        ws.row_dimensions[r].height = round(min(h, layout.MAX_ROW_PT), 2)
    for item in sheet.items:
        _put(ws, item, font_name, style)
    for row in sheet.row_breaks:
        ws.row_breaks.append(Break(id=row))
    for place in sheet.charts:
        add_chart(ws, place, font_name, style)


def _put(ws: Worksheet, item: Item, font_name: str, style: Style) -> None:
    cell = ws.cell(row=item.row, column=item.col)
    if item.kind != "filler":
        value, (bold, underline, size) = _value(item, font_name, style)
        cell.value = value
        if isinstance(value, str) and value.startswith(_FORMULA_LIKE):
            # Stored as text: Excel must not evaluate what a person wrote.
            cell.data_type = "s"
            cell.quotePrefix = True
        cell.font = cell_font(font_name, size, bold=bold, underline=underline)
        if (shown := glyphs.xlsx_value(value, cell.font, style)) is not value:  # characters the font lacks
            cell.value = shown
        if item.number_format:
            cell.number_format = excel_number_format(item.number_format)
        cell.alignment = Alignment(
            horizontal="center" if item.vertical else item.align,
            vertical="center" if item.vertical else "top",
            wrap_text=True,
            text_rotation=VERTICAL_TEXT if item.vertical else 0,
            indent=item.indent,
        )
        if item.header:
            shade = style.figure_header_shade if item.size_pt < style.figure_pt + 0.1 else style.header_shade
            cell.fill = PatternFill("solid", fgColor=shade)
    last_row, last_col = item.row + item.rows - 1, item.col + item.span - 1
    if item.rows > 1 or item.span > 1:
        ws.merge_cells(start_row=item.row, start_column=item.col, end_row=last_row, end_column=last_col)
    if item.border:
        for r in range(item.row, last_row + 1):
            for c in range(item.col, last_col + 1):
                ws.cell(row=r, column=c).border = _border(
                    style.rule_colour, c == item.col, c == last_col, r == item.row and item.top,
                    r == last_row and item.bottom)


@functools.cache
def _border(colour: str, left: bool, right: bool, top: bool, bottom: bool) -> Border:
    """Thin rules on the given sides (one object per combination: openpyxl hashes each one it is given)."""
    thin = Side(style="thin", color=colour)
    return Border(left=thin if left else None, right=thin if right else None,
                  top=thin if top else None, bottom=thin if bottom else None)


# --- the document --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Setup:
    font: layout.Font
    page: layout.Page
    units: float  # the sheet's width in column units
    top_in: float
    bottom_in: float


def _setup(document: Document) -> _Setup:
    font = layout.Font(document.style.gothic[0], document.style.body_pt, document.style)
    margin_in = document.page.margin_mm * MM
    has_header = bool(document.header_lines or document.legend)
    top_in = max(margin_in, HEADER_OFFSET_IN + HEADER_TEXT_IN) if has_header else margin_in
    bottom_in = max(margin_in, HEADER_OFFSET_IN + HEADER_TEXT_IN)
    page = layout.printable(document, top_in * 25.4, bottom_in * 25.4)
    # A hair under the printable width, so that no client needs to shrink the sheet.
    units = round(page.width_pt * 0.99 / font.unit_font().digit_pt, 1)
    return _Setup(font, page, units, top_in, bottom_in)


def _tables(blocks: list[Block]) -> list[Table]:
    """The tables whose columns the sheet has: a chart's figures table included."""
    return [data_table(b) if isinstance(b, Chart) else b for b in blocks if isinstance(b, Table | Chart)]


def _lay_out(blocks: list[Block], setup: _Setup) -> SheetLayout:
    unit_pt = setup.font.unit_font().digit_pt
    sheet_pt = setup.units * unit_pt
    edges, nested = layout.grid_edges(_tables(blocks), sheet_pt, setup.font)
    col_pt = tuple(w * unit_pt for w in layout.sheet_widths(edges, setup.units))
    # Rows never split across pages: a piece of text of at most 45 % of a page leaves at most
    # that much blank at the foot of a page, and Excel's 409.5 pt is the hard limit.
    piece = min(layout.MAX_ROW_PT - layout.SNAP_PT, setup.page.height_pt * 0.45)
    builder = layout.SheetBuilder(layout.Measure(setup.font, col_pt, piece), edges, nested, sheet_pt, setup.units)
    for block in blocks:
        if isinstance(block, Heading):
            builder.heading(block.level, block.text + (f"　{block.aside}" if block.aside else ""))
        elif isinstance(block, Paragraph):
            builder.paragraph(block)
        elif isinstance(block, Table):
            builder.table(block)
        elif isinstance(block, Chart):
            builder.chart(block, data_table(block), setup.font.style.chart_height_mm * 72 / 25.4)
        else:
            raise unknown_block("XLSX", block)
    sheet = builder.sheet
    # No break after the last row with cells: before the spacer that ends a sheet.
    last = max((it.row + it.rows - 1 for it in sheet.items), default=0)
    sheet.row_breaks = [row for row in layout.page_breaks(sheet.heights, sheet.keep, setup.page.height_pt,
                                                          sheet.print_title) if row < last]
    return sheet


def _headed(block: Block) -> bool:
    return isinstance(block, Table) and bool(block.header)


def _sheets(document: Document, setup: _Setup) -> list[tuple[list[Block], SheetLayout]]:
    """The document's blocks cut into sheets (see the module's docstring)."""
    parts: list[list[Block]] = [[]]
    for block in document.blocks:
        if isinstance(block, PageBreak):
            parts.append([])
        else:
            parts[-1].append(block)
    out = []
    for part in (p for p in parts if p):
        whole = _lay_out(part, setup)
        cuts = _cuts(part, setup)
        if not cuts:
            out.append((part, whole))
            continue
        for a, b in zip([0, *cuts], [*cuts, len(part)], strict=True):
            out.append((part[a:b], _lay_out(part[a:b], setup)))
    return out or [([], _lay_out([], setup))]


def _cuts(part: list[Block], setup: _Setup) -> list[int]:
    """Where a second headed table must start a sheet of its own: the blocks before it (in its
    sheet) reach past the first page."""
    cuts: list[int] = []
    start, seen = 0, False
    for i, block in enumerate(part):
        if _headed(block):
            # The headings right above the table go with it, and the paragraphs between them
            # and the table (a 「（単位：万人）」 line must not stay behind on the sheet before).
            cut = above = i
            while above - 1 > start and isinstance(part[above - 1], Paragraph):
                above -= 1
            if above - 1 > start and isinstance(part[above - 1], Heading):
                cut = above
            while cut - 1 > start and isinstance(part[cut - 1], Heading):
                cut -= 1
            if seen and sum(_lay_out(part[start:cut], setup).heights) > layout.PAGE_FILL * setup.page.height_pt:
                cuts.append(cut)
                start = cut
            seen = True
    return cuts


def _sheet_name(blocks: list[Block], document: Document, n: int, taken: set[str]) -> str:
    base = document.sheet_name
    if n > 1:
        # Named by its most important heading (a section's title rather than its group's).
        headings = sorted((b.level, i, b.text) for i, b in enumerate(blocks) if isinstance(b, Heading))
        base = headings[0][2] if headings else f"{document.sheet_name} ({n})"
    name = base.translate(_INVALID_SHEET_CHARS).strip()[:31] or f"Sheet{n}"
    k = 2
    while name.lower() in taken:
        suffix = f" ({k})"
        name = base.translate(_INVALID_SHEET_CHARS).strip()[:31 - len(suffix)] + suffix
        k += 1
    taken.add(name.lower())
    return name


def _escape(text: str) -> str:
    """Header and footer text: & starts a code there (&P, &N), a literal one is &&. One line:
    openpyxl stores a line feed as _x000a_, which LibreOffice prints as is."""
    return text.replace("&", "&&").replace("\n", "　")


def _setup_print(ws: Worksheet, sheet: SheetLayout, document: Document, setup: _Setup) -> None:
    ws.print_area = f"A1:{get_column_letter(len(sheet.widths))}{max(len(sheet.heights), 1)}"
    if sheet.print_title:
        ws.print_title_rows = f"{sheet.print_title[0]}:{sheet.print_title[1]}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = document.page.orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    margin_in = document.page.margin_mm * MM
    ws.page_margins.left = ws.page_margins.right = margin_in
    # The header and footer print between the page edge and the margin: each margin is larger
    # than its offset plus a line, or the client drops the page number.
    ws.page_margins.top = setup.top_in
    ws.page_margins.bottom = setup.bottom_in
    ws.page_margins.header = ws.page_margins.footer = HEADER_OFFSET_IN
    header_size = math.ceil(document.style.page_header_pt)  # header codes (&9) take whole points
    if document.header_lines:
        # One line: openpyxl stores a line feed here as _x000a_, which LibreOffice prints as is.
        ws.oddHeader.right.text = _escape("　".join(document.header_lines))
        ws.oddHeader.right.size = header_size
    if document.legend:
        ws.oddHeader.left.text = _escape(document.legend)
        ws.oddHeader.left.size = header_size
    ws.oddFooter.center.text = _escape(document.footer).replace("{page}", "&P").replace("{pages}", "&N")
    ws.oddFooter.center.size = header_size


def write(document: Document, options: WriterOptions) -> Rendered:
    wb = Workbook()
    font_name = office_font(document.style.gothic)
    setup = _setup(document)
    set_default_font(wb, cell_font(font_name, setup.font.unit_font().size_pt))
    taken: set[str] = set()
    first = wb.active
    assert first is not None
    for n, (blocks, sheet) in enumerate(_sheets(document, setup), start=1):
        ws = first if n == 1 else wb.create_sheet()
        ws.title = _sheet_name(blocks, document, n, taken)
        _render(ws, sheet, font_name, document.style)
        _setup_print(ws, sheet, document, setup)
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


__all__ = ["write"]
