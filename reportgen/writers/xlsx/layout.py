"""Where everything goes on a worksheet: columns, rows and cells, computed from the model alone.

No openpyxl here: the writer renders the ``Item`` rectangles this module places.

Columns. A sheet's columns are the union of the column edges of every table on it, figure
tables inside cells included (their edges inside the parent column's span), so each table keeps
its proportions and each figure lands in a cell of its own.

Units. An openpyxl column width counts the digit '0' of the workbook's default font. Left at
openpyxl's Calibri 11, a machine without Calibri measures another font (LibreOffice here:
DejaVu Sans, 7.3 pt a unit, and fit-to-width then printed the body at 7 pt). The writer makes
the default font the body font, at the size whose digit is a whole number of pixels at 96 dpi
(BIZ UDゴシック 10.5 pt: 7 px = 5.25 pt), because Excel rounds the digit to whole pixels and
LibreOffice 7.4 takes the advance as it is (measured: 5.0 pt a unit at 10 pt): at 10.5 pt both
count 5.25 pt a unit. Cells name their own font and size (10 pt); the default only sets the
unit. The sheet's width in units is 99 % of the printable width over 5.25 pt, so fit-to-width
prints at 100 % in both.

Rows. A model row becomes a block of sheet rows. Each cell is a stack of pieces: its text,
cut between paragraphs (or inside a very long one) so that no piece is taller than
``piece_limit`` or longer than 32,767 characters; then a number; then the rows of its figure
tables, laid out the same way on the sub-columns. The block's rows are the union of the
piece boundaries of all its cells; a cell with one piece (item number, plan text, mark) is
merged down over the whole block.

Line height. A row holds its lines as the taller-spacing client sets them: LibreOffice spaces
lines by the font's hhea height (BIZ UD: 1.0 em; measured in its PDFs 0.997-1.011 × the size,
and with IPAexGothic, whose hhea and OS/2 win heights differ, it took hhea), Excel (GDI) by
the OS/2 win height of the font at its whole-pixel size at 96 dpi, plus 3 px: a 1.0 em font at
11 pt (MS Pゴシック, 15 px) gets the familiar 13.5 pt (18 px) a line; BIZ UD at 10 pt 16 px, 12 pt.
Excel's spacing is the taller for BIZ UD, so in LibreOffice a cell keeps about a sixth of its
height free below its text: the price of rows that Excel does not clip. A font whose hhea height
is large (Noto Sans CJK JP: 1.448 em) LibreOffice spaces wider than Excel; rows follow it. No
cell attribute of SpreadsheetML sets line spacing, and LibreOffice 7.4 ignores vertical
justify/distributed (measured: lines stay 1.0 em apart, top-aligned), so LibreOffice's 1.0 em
spacing of BIZ UD cannot be widened from here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from itertools import accumulate, pairwise

from reportgen.document import Cell, Chart, Document, NumberFormat, Paragraph, Run, Style, Table
from reportgen.textmetrics import metrics, width_pt, wrapped_lines
from reportgen.writers.figure_widths import figure_needs, share_width
from reportgen.writers.shared import paragraph_text

MAX_ROW_PT = 409.5  # Excel refuses a taller row
MAX_CELL_CHARS = 32_767  # and a longer cell
EDGE_STEP = Fraction(1, 100)  # top-level column edges, as a fraction of the sheet width
NESTED_STEP = Fraction(1, 200)  # figure-table edges: fine enough to give each figure its width
SHARE_STEP = Fraction(2, 100)  # a figure-table edge this close to an edge the sheet has takes it
EXCEL_DPI = 96
EXCEL_LINE_GAP_PX = 3  # Excel's space between lines over the font's win height (see Line height)
V_PAD_PT = 4.0  # above and below the text of a row
H_PAD_PT = 3.0  # LibreOffice leaves about 1 pt each side; a little more for kinsoku
SNAP_PT = 2.0  # piece boundaries closer than this share one sheet row edge
INDENT_LEVEL_CHARS = 3  # an indent level is three spaces of the default font (ECMA-376)


@dataclass(frozen=True)
class Font:
    family: str  # as fontconfig knows it: for measuring
    size_pt: float
    style: Style = field(default_factory=Style)  # size ratios, the figure and heading sizes

    @property
    def digit_pt(self) -> float:
        return width_pt("0", self.family, self.size_pt) or self.size_pt / 2

    def unit_font(self) -> Font:
        """The size nearest this one whose digit is a whole number of pixels at 96 dpi (BIZ UD:
        10.5 pt, 7 px), for the workbook's default font: Excel rounds the digit to whole pixels
        and LibreOffice does not, so only such a size gives both the same column unit."""
        em_px = self.digit_pt / self.size_pt * EXCEL_DPI / 72
        px = max(1, round(em_px * self.size_pt))
        return replace(self, size_pt=round(px / em_px * 2) / 2)  # sizes on a half-point step

    @property
    def space_pt(self) -> float:
        return metrics(self.family).em(" ") * self.size_pt


@dataclass
class Item:
    """One rectangle of sheet cells: rows relative to its block until placed."""

    row: int
    col: int  # 1-based
    span: int
    rows: int = 1
    paragraphs: tuple[Paragraph, ...] = ()
    number: Decimal | None = None
    number_format: NumberFormat | None = None
    align: str = "left"
    vertical: bool = False
    header: bool = False
    size_pt: float = 10.0
    border: bool = True
    top: bool = True  # rules on each side
    bottom: bool = True
    indent: int = 0
    kind: str = "text"  # text, number, filler, heading

    @property
    def text(self) -> str:
        return "\n".join(paragraph_text(p) for p in self.paragraphs)


@dataclass
class Block:
    heights: list[float]
    items: list[Item] = field(default_factory=list)
    # Rows (0-based) kept on the page of the row after them: headings, table headers, section rows.
    keep: set[int] = field(default_factory=set)

    @property
    def height(self) -> float:
        return sum(self.heights)


@dataclass
class SheetLayout:
    """A worksheet: column widths in units, row heights in points, the cells on it."""

    widths: list[float]
    heights: list[float] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    print_title: tuple[int, int] | None = None  # 1-based sheet rows of the header to repeat
    row_breaks: list[int] = field(default_factory=list)  # a page ends after each of these rows
    keep: set[int] = field(default_factory=set)  # 1-based rows kept with the row after them
    charts: list[ChartPlace] = field(default_factory=list)

    def add(self, block: Block) -> int:
        """Append a block's rows; returns the first (1-based) sheet row it took."""
        first = len(self.heights) + 1
        for item in block.items:
            item.row += first
        self.heights.extend(block.heights)
        self.items.extend(block.items)
        self.keep |= {first + r for r in block.keep}
        return first

    def skip(self, height: float) -> None:
        self.heights.append(height)


@dataclass(frozen=True)
class ChartPlace:
    """A chart drawn over the sheet rows ``row``…, full width, whose series refer to the cells of
    its figures table: ``categories`` and each series' values as (column, first row, last row)."""

    chart: Chart
    row: int
    width_pt: float
    height_pt: float
    categories: tuple[int, int, int]
    names: tuple[tuple[int, int], ...]  # each series' name cell (column, row)
    values: tuple[tuple[int, int, int], ...]


# --- columns ---------------------------------------------------------------------------------

def _snap(x: Fraction, step: Fraction) -> Fraction:
    return Fraction(round(x / step)) * step


def table_edges(table: Table) -> list[Fraction]:
    """Where a table's columns end, as fractions of the sheet width, on a 1/100 step."""
    total = sum(c.width for c in table.columns)
    return [_snap(Fraction(x / total), EDGE_STEP) for x in accumulate(c.width for c in table.columns)]


def _starts(edges: Sequence[Fraction], start: Fraction = Fraction(0)) -> list[Fraction]:
    return [start, *edges[:-1]]


def nested_edges(table: Table, start: Fraction, end: Fraction, sheet_pt: float, font: Font,
                 existing: Sequence[Fraction] = ()) -> list[Fraction]:
    """A figure table's column edges inside its parent cell [start, end): each column at least
    as wide as its figures need, the rest shared in the table's proportions."""
    span_pt = float(end - start) * sheet_pt
    needs = figure_needs(table, font.family, font.size_pt, 2 * H_PAD_PT + 2, font.style.ratio)
    widths = share_width(span_pt, [c.width for c in table.columns], needs)
    total = sum(widths)
    ideal = [start + (end - start) * Fraction(x / total) for x in accumulate(widths)]
    # An edge moves onto a nearby edge the sheet already has, where the figures still fit:
    # figure tables of one shape then share their sub-columns, and the sheet has no slivers.
    pt = Fraction(1) / Fraction(sheet_pt)
    edges: list[Fraction] = []
    for i, x in enumerate(ideal[:-1]):
        prev = edges[-1] if edges else start
        after = sum(needs[i + 1:]) * pt
        near = [e for e in existing if abs(e - x) <= SHARE_STEP and e - prev >= needs[i] * pt
                and end - e >= after and e > prev]
        edges.append(min(near, key=lambda e: (abs(e - x), e)) if near else _snap(x, NESTED_STEP))
    edges.append(end)
    return edges


def _cell_spans(table: Table, edges: Sequence[Fraction], start: Fraction = Fraction(0)) -> Iterable[
        tuple[int, int, Cell, Fraction, Fraction]]:
    """(row, column, cell, left edge, right edge) of every cell of a table."""
    lefts = _starts(edges, start)
    for r, cells in enumerate(table.grid()):
        for c, item in enumerate(cells):
            if item is not None:
                yield r, c, item, lefts[c], edges[min(c + item.colspan, len(edges)) - 1]


NestedEdges = dict[tuple[int, Fraction, Fraction], list[Fraction]]


def grid_edges(tables: Sequence[Table], sheet_pt: float, font: Font) -> tuple[list[Fraction], NestedEdges]:
    """Every column edge of every table on a sheet, those of figure tables inside cells included;
    and each figure table's edges, by the table's identity and its parent cell's span."""
    edges = {Fraction(1)}
    for table in tables:
        edges |= {e for e in table_edges(table) if e > 0}
    figure_font = replace(font, size_pt=font.style.figure_pt)
    nested_map: NestedEdges = {}

    def inside(table: Table, own: list[Fraction], start: Fraction) -> None:
        for _, _, item, left, right in _cell_spans(table, own, start):
            for nested in item.tables:
                sub = nested_edges(nested, left, right, sheet_pt, figure_font, sorted(edges))
                nested_map[(id(nested), left, right)] = sub
                edges.update(sub)
                inside(nested, sub, left)  # a table in a figure table's cell, should one come

    for table in tables:
        inside(table, table_edges(table), Fraction(0))
    return sorted(e for e in edges if e > 0), nested_map


def column_of(edges: Sequence[Fraction], x: Fraction) -> int:
    """The 1-based sheet column that starts at edge ``x``."""
    if x <= 0:
        return 1
    return edges.index(x) + 2


def columns_between(edges: Sequence[Fraction], left: Fraction, right: Fraction) -> tuple[int, int]:
    """(first sheet column, how many) between two edges."""
    first = column_of(edges, left)
    last = edges.index(right) + 1
    return first, max(1, last - first + 1)


# --- text ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Measure:
    """Measures text for one sheet: fonts, column widths in points as LibreOffice lays them out."""

    font: Font
    col_pt: tuple[float, ...]  # per sheet column, at the narrower client's unit
    piece_limit: float  # the tallest a piece of text may be

    def width(self, col: int, span: int, indent: int = 0) -> float:
        inner = sum(self.col_pt[col - 1:col - 1 + span]) - 2 * H_PAD_PT
        return max(inner - indent * INDENT_LEVEL_CHARS * self.font.space_pt, 1.0)

    def size(self, p: Paragraph, base: float) -> float:
        return base * self.font.style.ratio(p.size)

    def line_pt(self, size: float) -> float:
        """One line of text at ``size`` in whichever client spaces it wider (see Line height)."""
        font = metrics(self.font.family)
        em_px = math.floor(size * EXCEL_DPI / 72 + 0.5)  # GDI asks for the font in whole pixels
        excel_px = math.floor(em_px * font.win_em + 0.5) + EXCEL_LINE_GAP_PX
        return max(size * font.hhea_em, excel_px * 72 / EXCEL_DPI)

    def lines_pt(self, p: Paragraph, width: float, base: float) -> float:
        # Each paragraph at its own size: a cell's runs differ in size only between paragraphs
        # (small notes, large figures), and each line is as tall as its own text.
        size = self.size(p, base)
        return wrapped_lines(paragraph_text(p), width, self.font.family, size) * self.line_pt(size)

    def height(self, paragraphs: Sequence[Paragraph], width: float, base: float) -> float:
        return sum(self.lines_pt(p, width, base) for p in paragraphs) + V_PAD_PT

    def vertical_height(self, paragraphs: Sequence[Paragraph], base: float) -> float:
        """Stacked characters (縦書き): one em each, plus the padding."""
        chars = max((len(paragraph_text(p)) for p in paragraphs), default=0)
        return chars * base * 1.05 + 2 * V_PAD_PT

    def pieces(self, paragraphs: Sequence[Paragraph], width: float, base: float) -> list[tuple[Paragraph, ...]]:
        """Paragraphs in pieces no taller than the limit and within Excel's cell length: cut
        between paragraphs, and inside a paragraph that alone is too tall."""
        limit = self.piece_limit - V_PAD_PT
        out: list[tuple[Paragraph, ...]] = []
        current: list[Paragraph] = []
        used, chars = 0.0, 0
        for p in paragraphs:
            for part in self._split(p, width, base, limit):
                h = self.lines_pt(part, width, base)
                n = len(paragraph_text(part)) + 1
                if current and (used + h > limit or chars + n > MAX_CELL_CHARS):
                    out.append(tuple(current))
                    current, used, chars = [], 0.0, 0
                current.append(part)
                used += h
                chars += n
        if current or not out:
            out.append(tuple(current))
        return out

    def _split(self, p: Paragraph, width: float, base: float, limit: float) -> list[Paragraph]:
        """A paragraph cut where its wrapped lines pass the limit (never inside a number)."""
        parts = []
        while self.lines_pt(p, width, base) > limit or len(paragraph_text(p)) > MAX_CELL_CHARS - 1:
            text = paragraph_text(p)
            # No more characters than the narrowest (a quarter em) would fit: a short search.
            most = int(limit / self.line_pt(base) + 1) * int(width / (base / 4) + 1)
            lo, hi = 1, min(len(text) - 1, MAX_CELL_CHARS - 1, most)
            while lo < hi:  # the longest head that fits
                mid = (lo + hi + 1) // 2
                head, _ = split_paragraph(p, mid)
                if self.lines_pt(head, width, base) <= limit:
                    lo = mid
                else:
                    hi = mid - 1
            cut = _sentence_end(text, lo)
            head, p = split_paragraph(p, cut)
            parts.append(head)
        parts.append(p)
        return parts


def _sentence_end(text: str, limit: int) -> int:
    """Where to cut ``text`` at most ``limit`` characters in: after the last 。 (or 、) in the
    second half of that stretch, so a reader finds whole sentences in each piece; else
    between two characters that are not both part of a Latin word or a number."""
    for marks in ("。．", "、，"):
        cut = max(text.rfind(m, 0, limit) for m in marks) + 1
        if cut > limit // 2:
            return cut
    cut = limit
    while cut > 1 and _word(text[cut - 1]) and _word(text[cut]):
        cut -= 1
    return cut if cut > 1 else limit


def _word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".,%")


def split_paragraph(p: Paragraph, at: int) -> tuple[Paragraph, Paragraph]:
    """A paragraph cut at a character offset of its printed text (bullet included); the tail
    continues the text, so it has no bullet."""
    runs = list(p.runs)
    if p.bullet:
        runs.insert(0, Run(f"{p.bullet} "))
    head: list[Run] = []
    tail: list[Run] = []
    pos = 0
    for r in runs:
        end = pos + len(r.text)
        if end <= at:
            head.append(r)
        elif pos >= at:
            tail.append(r)
        else:
            head.append(replace(r, text=r.text[:at - pos]))
            tail.append(replace(r, text=r.text[at - pos:]))
        pos = end
    return (Paragraph(tuple(head), align=p.align, size=p.size),
            Paragraph(tuple(tail), align=p.align, size=p.size))


# --- rows ------------------------------------------------------------------------------------

@dataclass
class _Stack:
    """A cell's pieces top to bottom: (height, items of the piece with rows relative to it,
    row heights inside the piece)."""

    pieces: list[Block]
    extendable: bool  # the last piece may be merged down (text); otherwise a filler follows
    col: int
    span: int

    @property
    def height(self) -> float:
        return sum(b.height for b in self.pieces)


class RowLayout:
    """Blocks of sheet rows for model rows, on one sheet's columns."""

    def __init__(self, measure: Measure, edges: list[Fraction], nested: NestedEdges, sheet_pt: float) -> None:
        self.measure = measure
        self.edges = edges
        self.nested = nested
        self.sheet_pt = sheet_pt
        self.figure_font = replace(measure.font, size_pt=measure.font.style.figure_pt)

    def indent(self, col: int, span: int, align: str, paragraphs: Sequence[Paragraph], base: float) -> int:
        """One indent level (three spaces) where the cell has room for it: wide text columns,
        and figures with room to spare."""
        if align == "center":
            return 0
        inner = self.measure.width(col, span)
        step = INDENT_LEVEL_CHARS * self.measure.font.space_pt
        if align == "left":
            return 1 if inner >= 12 * step else 0
        font = self.measure.font
        widest = max((width_pt(paragraph_text(p), font.family, base * font.style.ratio(p.size)) for p in paragraphs),
                     default=0.0)
        return 1 if inner - step >= widest + 2 else 0

    def cell_stack(self, item: Cell, col: int, span: int, *, header: bool, base: float, left: Fraction,
                   right: Fraction) -> _Stack:
        pieces: list[Block] = []
        m = self.measure
        align = "center" if item.vertical else item.align
        paragraphs = item.content
        if item.number is not None:
            first, paragraphs = paragraphs[:1], paragraphs[1:]
            indent = self.indent(col, span, "right", item.content, base)
            h = m.height(first, m.width(col, span, indent), base)
            pieces.append(Block([h], [Item(0, col, span, paragraphs=first, number=item.number,
                                           number_format=item.number_format, align=item.align,
                                           header=header, size_pt=base, indent=indent, kind="number")]))
        if item.vertical:
            h = m.vertical_height(paragraphs, base)
            pieces.append(Block([min(h, MAX_ROW_PT)], [Item(0, col, span, paragraphs=paragraphs, align="center",
                                                            vertical=True, header=header, size_pt=base)]))
        elif paragraphs or not pieces:
            indent = self.indent(col, span, align, item.content, base)
            width = m.width(col, span, indent)
            for i, chunk in enumerate(m.pieces(paragraphs, width, base)):
                h = m.height(chunk, width, base) if chunk else V_PAD_PT + m.line_pt(base)
                pieces.append(Block([h], [Item(0, col, span, paragraphs=chunk, align=align, header=header,
                                               size_pt=base, indent=indent, top=not pieces and i == 0)]))
        # Pieces after the first continue the cell: no rule between them.
        for a, b in pairwise(pieces):
            for it in a.items:
                it.bottom = False
            for it in b.items:
                it.top = False
        extendable = True
        for nested in item.tables:
            edges = self.nested[(id(nested), left, right)]
            header_rows = len(nested.header)
            grid = nested.grid()
            for r in range(len(grid)):
                cells = [(c, it) for c, it in enumerate(grid[r]) if it is not None]
                spans = []
                for c, it in cells:
                    lo = left if c == 0 else edges[c - 1]
                    hi = edges[min(c + it.colspan, len(edges)) - 1]
                    spans.append((it, lo, hi))
                pieces.append(self.row_block(spans, header=r < header_rows, base=self.figure_font.size_pt))
            extendable = False
        return _Stack(pieces, extendable, col, span)

    def row_block(self, cells: Sequence[tuple[Cell, Fraction, Fraction]], *, header: bool = False,
                  base: float | None = None, min_height: float = 0.0) -> Block:
        """The sheet rows of one model row: the union of its cells' piece boundaries."""
        base = base or self.measure.font.size_pt
        stacks = []
        for item, left, right in cells:
            col, span = columns_between(self.edges, left, right)
            stack = self.cell_stack(item, col, span, header=header, base=base, left=left, right=right)
            for piece in stack.pieces:
                for it in piece.items:
                    it.header = it.header or header
            stacks.append(stack)
        total = max([min_height, *(s.height for s in stacks)])
        # Boundaries of every piece row, snapped so that nearly equal ones become one.
        raw = sorted({0.0, total, *(y for s in stacks for y in _bounds(s))})
        kept = [0.0]
        for y in raw[1:]:
            if y - kept[-1] > SNAP_PT:
                kept.append(y)
        kept[-1] = max(kept[-1], total)

        def index(y: float) -> int:
            return min(range(len(kept)), key=lambda i: abs(kept[i] - y))

        items: list[Item] = []
        for s in stacks:
            y = 0.0
            placed: list[Item] = []
            last: list[Item] = []  # the items of the stack's last piece
            for piece in s.pieces:
                py = y
                last = []
                for rh, r in zip(piece.heights, range(len(piece.heights)), strict=True):
                    for it in piece.items:
                        if it.row == r:
                            top = index(py)
                            end_y = py + sum(piece.heights[r:r + it.rows])
                            bottom = max(index(end_y), top + 1)
                            last.append(replace(it, row=top, rows=bottom - top))
                            placed.append(last[-1])
                    py += rh
                y += piece.height
            if s.extendable or not placed:
                # The last piece reaches down to the end of the block (merged). Only the last:
                # its own end is no row edge (see _bounds), so it may snap onto the edge where
                # the piece before it ends, and that piece must not grow over it.
                for it in last:
                    it.rows = max(it.rows, len(kept) - 1 - it.row)
            elif index(y) < len(kept) - 1:
                start = index(y)
                placed.append(Item(start, s.col, s.span, rows=len(kept) - 1 - start, top=False, kind="filler"))
            items.extend(placed)
        heights = [b - a for a, b in pairwise(kept)]
        return Block(heights, items)


def _bounds(stack: _Stack) -> list[float]:
    """Where the rows of a cell's pieces end; not the end of a last piece that will be merged
    down to the end of the block anyway (cells of one line and of three share one row)."""
    out, y = [], 0.0
    for piece in stack.pieces:
        for h in piece.heights:
            y += h
            out.append(y)
    return out[:-1] if stack.extendable and out else out


# --- the sheet ---------------------------------------------------------------------------------

def sheet_widths(edges: Sequence[Fraction], total_units: float) -> list[float]:
    return [round(float(total_units * (e - s)), 2) for s, e in zip(_starts(edges), edges, strict=True)]


@dataclass(frozen=True)
class Page:
    width_pt: float  # printable, inside the margins
    height_pt: float


def page_breaks(heights: Sequence[float], keep: set[int], page_pt: float,
                title: tuple[int, int] | None) -> list[int]:
    """Every page break of the sheet (the row each page ends after), so that each row of
    ``keep`` is on the page of the row after it: where such a run of rows and the row after
    them would not fit under what the page already holds, the page ends before the run.
    Every page after the ``title`` rows starts with them (print titles).

    All breaks are written, not only those before a heading: a client left to break the rest
    breaks where its own row heights and print scale say (LibreOffice printed plan-budget at
    98 %, fitting more rows on a page than the sheet's heights add up to), so the pages would
    drift from those computed here and a heading could again end a page. Pages are filled to
    ``PAGE_SAFETY`` of the printable height, so that a client whose page holds a little less
    adds no break of its own."""
    page_pt *= PAGE_SAFETY
    title_pt = sum(heights[title[0] - 1:title[1]]) if title else 0.0
    breaks: list[int] = []
    used = 0.0
    n = len(heights)

    def top(row: int) -> float:  # what a page that opens with ``row`` holds before it
        return title_pt if title and row > title[1] else 0.0

    for row in range(1, n + 1):
        h = heights[row - 1]
        need = h
        if row in keep and row - 1 not in keep:
            end = row
            while end in keep and end < n:
                end += 1
            need = max(h, sum(heights[row - 1:end]))
            if top(row) + need > page_pt:  # taller than a page: kept only as far as it fits
                need = h
        if used > top(row) and used + need > page_pt:
            breaks.append(row - 1)
            used = top(row)
        used += h
    return breaks


def printable(document: Document, top_mm: float, bottom_mm: float) -> Page:
    w, h = document.page.size_mm
    margin = document.page.margin_mm
    return Page((w - 2 * margin) * 72 / 25.4, (h - top_mm - bottom_mm) * 72 / 25.4)



# --- tables, headings, paragraphs ------------------------------------------------------------

SPACER_PT = 8.0  # an empty row after a table, as the space between blocks on paper
PAGE_FILL = 0.85  # a sheet's earlier tables end on its first page when they end above this
# Pages are filled to this share of the printable height: row heights are estimates, and the
# clients round them to whole pixels.
PAGE_SAFETY = 0.98


def _empty(item: Cell) -> bool:
    return not item.text.strip() and not item.tables and item.number is None


class SheetBuilder(RowLayout):
    """Lays the blocks of one worksheet out on its columns."""

    def __init__(self, measure: Measure, edges: list[Fraction], nested: NestedEdges, sheet_pt: float,
                 units: float) -> None:
        super().__init__(measure, edges, nested, sheet_pt)
        self.sheet = SheetLayout(sheet_widths(edges, units))

    def full_width(self, paragraphs: tuple[Paragraph, ...], size: float, align: str, kind: str) -> None:
        m = self.measure
        span = len(self.edges)
        width = m.width(1, span)
        for chunk in m.pieces(paragraphs, width, size):
            h = m.height(chunk, width, size) if chunk else V_PAD_PT + m.line_pt(size)
            self.sheet.add(Block([h], [Item(0, 1, span, paragraphs=chunk, align=align, size_pt=size,
                                            border=False, kind=kind)], keep={0} if kind == "heading" else set()))

    def heading(self, level: int, text: str) -> None:
        size = self.measure.font.style.heading(level)
        self.full_width((Paragraph((Run(text, bold=True),)),), size, "center" if level == 1 else "left", "heading")

    def paragraph(self, p: Paragraph) -> None:
        self.full_width((p,), self.measure.font.size_pt, p.align, "text")

    def table(self, table: Table) -> None:
        block, header_rows = self.table_block(table)
        first = self.sheet.add(block)
        if header_rows:
            self.sheet.print_title = (first, first + header_rows - 1)
        self.sheet.skip(SPACER_PT)

    def chart(self, chart: Chart, data: Table, height_pt: float) -> None:
        """The chart's figures table (no print title: it is short), then the chart under it."""
        block, header_rows = self.table_block(data)
        first = self.sheet.add(block)
        # Each figures row is one sheet row (short cells); the cells of a model column share its
        # first sheet column.
        cols = sorted({it.col for it in block.items if it.row == first})
        rows = sorted({it.row for it in block.items if it.row >= first + header_rows})
        if len(rows) != len(chart.categories) or len(cols) != len(chart.series) + 1:
            raise ValueError(f"chart {chart.title!r}: its figures table did not lay out one cell per figure")
        top, bottom = rows[0], rows[-1]
        self.sheet.skip(SPACER_PT)
        at = len(self.sheet.heights) + 1
        self.sheet.skip(min(height_pt, MAX_ROW_PT))
        self.sheet.skip(SPACER_PT)
        self.sheet.charts.append(ChartPlace(
            chart, at, self.sheet_pt, height_pt, (cols[0], top, bottom),
            tuple((c, first) for c in cols[1:]), tuple((c, top, bottom) for c in cols[1:]),
        ))

    def table_block(self, table: Table) -> tuple[Block, int]:
        """A table's rows; the number of sheet rows its header takes."""
        own = table_edges(table)
        lefts = _starts(own)
        grid = table.grid()
        heads = len(table.header)
        # A cell spanning rows, or followed by empty joined cells (the rest of a vertical 分野
        # label's rows), becomes one merged cell over the blocks of those rows.
        spans: dict[tuple[int, int], int] = {}
        absorbed: set[tuple[int, int]] = set()
        for r, cells in enumerate(grid):
            for c, item in enumerate(cells):
                if item is None or (r, c) in absorbed:
                    continue
                k = item.rowspan
                while (r + k < len(grid) and (r + k < heads) == (r < heads)
                       and (nxt := grid[r + k][c]) is not None and nxt.joined and nxt.rowspan == 1
                       and nxt.colspan == item.colspan and _empty(nxt)):
                    absorbed.add((r + k, c))
                    k += 1
                if k > 1:
                    spans[(r, c)] = k

        def bounds(c: int, item: Cell) -> tuple[Fraction, Fraction]:
            return lefts[c], own[min(c + item.colspan, len(own)) - 1]

        def layout(r: int, min_height: float = 0.0) -> Block:
            cells = [(item, *bounds(c, item)) for c, item in enumerate(grid[r])
                     if item is not None and (r, c) not in absorbed and (r, c) not in spans]
            return self.row_block(cells, header=r < heads, min_height=min_height)

        blocks = [layout(r) for r in range(len(grid))]
        spanning: list[tuple[int, int, Item]] = []
        for (r, c), k in spans.items():
            item = grid[r][c]
            assert item is not None
            col, span = columns_between(self.edges, *bounds(c, item))
            base = self.measure.font.size_pt
            align = "center" if item.vertical else "right" if item.number is not None else item.align
            indent = self.indent(col, span, align, item.content, base)
            if item.vertical:
                need = self.measure.vertical_height(item.content, base)
            else:
                need = self.measure.height(item.content, self.measure.width(col, span, indent), base)
            need = min(need, MAX_ROW_PT * k)
            have = sum(b.height for b in blocks[r:r + k])
            if have < need:
                last = r + k - 1
                blocks[last] = layout(last, min_height=blocks[last].height + need - have)
            spanning.append((r, k, Item(0, col, span, paragraphs=item.content, number=item.number,
                                        number_format=item.number_format,
                                        align="center" if item.vertical else item.align, vertical=item.vertical,
                                        header=r < heads, size_pt=base, indent=indent,
                                        kind="number" if item.number is not None else "text")))
        # Joined cells: no rule between them and the cell above.
        for r, cells in enumerate(grid):
            for c, item in enumerate(cells):
                if item is None or not item.joined or (r, c) in absorbed or r == 0:
                    continue
                col, span = columns_between(self.edges, *bounds(c, item))
                inside = range(col, col + span)
                for it in blocks[r].items:
                    if it.row == 0 and it.col in inside:
                        it.top = False
                above = blocks[r - 1]
                for it in above.items:
                    if it.row + it.rows == len(above.heights) and it.col in inside:
                        it.bottom = False
        out = Block([])
        starts = []
        for b in blocks:
            starts.append(len(out.heights))
            for it in b.items:
                it.row += len(out.heights)
            out.items.extend(b.items)
            out.heights.extend(b.heights)
        starts.append(len(out.heights))
        for r, k, it in spanning:
            it.row = starts[r]
            it.rows = starts[r + k] - starts[r]
            out.items.append(it)
        # Keep the writer's order stable: top to bottom, left to right.
        out.items.sort(key=lambda it: (it.row, it.col))
        # The header stays with the first row; a section row with the row after it.
        out.keep = set(range(starts[heads])) | {
            y for r, row in enumerate(table.body, start=heads) if row.keep_with_next
            for y in range(starts[r], starts[r + 1])}
        return out, starts[heads]
