"""DOCX: the neutral document with python-docx.

Fonts are set in every slot, East Asian included (python-docx's ``font.name`` leaves
``w:eastAsia`` alone, and Word would then fall back to a Chinese or Latin font). Header
rows repeat on every page, the footer counts pages.

Three things Word and LibreOffice do to a table that the model does not say:
- a row marked "don't split" (``w:cantSplit``) that is taller than a page is cut at the page
  bottom and the rest of its text is lost. A row is kept whole only when its height,
  estimated from its text at its cells' widths with the font's real advance widths
  (``reportgen.textmetrics``), is well below the printable height; a taller row may split;
- two tables with nothing between them become one table (and the first one's header row
  then repeats over the second one's rows). A thin empty paragraph separates them, in the
  body and inside cells;
- a vertical 分野 label in one row's cell gets that row's height and wraps. The label and the
  empty cells that join it below become one vertically merged cell (``w:vMerge``).
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_UNDERLINE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell

from reportgen import fontfiles, glyphs, textmetrics
from reportgen.document import Cell, Chart, Document, Heading, PageBreak, Paragraph, Run, Style, Table
from reportgen.fonts import office_font
from reportgen.writers import docx_chart
from reportgen.writers import docx_oxml as ox
from reportgen.writers.figure_widths import fitted, proportional
from reportgen.writers.shared import Rendered, WriterOptions, reproducible_zip, unknown_block, vertical_chains

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
# Paragraph and page geometry, shared by the writer and the row height estimate.
HEADING_SPACE_BEFORE_PT = 6.0
HEADING_SPACE_AFTER_PT = 4.0
LINE_SPACING = 1.2  # the Normal style's line spacing, a multiple of the font's line height
NORMAL_SPACE_AFTER_PT = 2.0
BULLET_INDENT = 1.1  # a bullet's hanging indent, in em of the base size
RULE_PT = 0.5  # a row's rule
FIGURE_SLACK_PT = 2.0  # clients set a figure a little wider than its advance widths add up to
CELL_SPACE_AFTER_PT = 1.5  # after each paragraph in a cell
SEPARATOR_TWIPS = 60  # the thin paragraph between two tables: a 3 pt line
# A row is kept on one page only when its estimate is below this share of the printable
# height: the estimate is approximate (kinsoku, client line spacing), and a row that Word
# cannot fit is cut, not moved.
KEEP_TOGETHER_SHARE = 0.85
# A PAGEREF's result until the client computes it: LibreOffice lays the page out and prints
# the number itself (measured: 19 where the cached text was "?"); Word updates a field marked
# dirty when it opens the file. The writer does not paginate, so it has no number to cache.
PAGE_UNKNOWN = "?"
WRAP_SAFETY = 0.96  # wrap at a slightly narrower line than the cell's, to over-count lines
LABEL_SAFETY = 1.1  # a vertical label's estimated length is stretched by this much


def _set_fonts(rpr_owner: Any, name: str) -> None:
    """Name the font in all four slots of a style's or run's rPr."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _cell_margins(style: Style) -> tuple[int, int, int, int]:
    """Cell padding (w:tblCellMar) in twips: top, left, bottom, right."""
    vertical, horizontal = (round(pt * 20) for pt in style.cell_padding_pt)
    return (vertical, horizontal, vertical, horizontal)


def _nested_inset_mm(style: Style) -> float:
    """A figure table sits inside its cell's padding."""
    margins = _cell_margins(style)
    return (margins[1] + margins[3]) / 20 * 25.4 / 72


def _styles(doc: Any, document: Document) -> None:
    style_ = document.style
    font = office_font(style_.gothic)
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid"):
        style = doc.styles[style_name]
        _set_fonts(style.element, font)
        style.font.color.rgb = RGBColor.from_string(style_.text_colour)
    doc.styles["Normal"].font.size = Pt(style_.body_pt)
    doc.styles["Normal"].paragraph_format.space_after = Pt(NORMAL_SPACE_AFTER_PT)
    doc.styles["Normal"].paragraph_format.line_spacing = LINE_SPACING
    for level in (1, 2, 3):
        style = doc.styles[f"Heading {level}"]
        style.font.size = Pt(style_.heading(level))
        style.font.bold = True
        style.paragraph_format.space_before = Pt(HEADING_SPACE_BEFORE_PT)
        style.paragraph_format.space_after = Pt(HEADING_SPACE_AFTER_PT)
    doc.styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _page(doc: Any, document: Document) -> None:
    section = doc.sections[0]
    width, height = document.page.size_mm
    section.orientation = (
        WD_ORIENT.LANDSCAPE if document.page.orientation == "landscape" else WD_ORIENT.PORTRAIT
    )
    section.page_width, section.page_height = Mm(width), Mm(height)
    margin = Mm(document.page.margin_mm)
    section.left_margin = section.right_margin = section.bottom_margin = margin
    section.top_margin = Mm(_top_margin_mm(document))
    section.header_distance = section.footer_distance = Mm(document.style.header_distance_mm)
    header = section.header
    lines = list(document.header_lines)
    first = header.paragraphs[0]
    for i, line in enumerate(lines or [""]):
        p = first if i == 0 else header.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for run in glyphs.docx_runs(p, line, _set_fonts, document.style):
            run.font.size = Pt(document.style.page_header_pt)
    if document.legend:
        p = header.add_paragraph()
        for run in glyphs.docx_runs(p, document.legend, _set_fonts, document.style):
            run.font.size = Pt(document.style.page_header_pt)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _footer_fields(footer, document.footer, document.style.page_header_pt)


def _top_margin_mm(document: Document) -> float:
    return document.page.margin_mm + (5 if document.header_lines else 0)


def _field(paragraph: Any, instruction: str, size_pt: float, cached: str = "1", dirty: bool = False) -> list[Any]:
    """A complex field (PAGE, NUMPAGES, PAGEREF) that Word and LibreOffice update on render;
    ``cached`` is the result shown until they do, ``dirty`` asks Word to update it on opening
    (it updates PAGE in headers by itself, a PAGEREF in the body only when asked). Returns
    the field's runs."""
    runs = []
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None),
                       ("text", cached), ("end", None)):
        run = paragraph.add_run()
        runs.append(run)
        run.font.size = Pt(size_pt)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            if kind == "begin" and dirty:
                el.set(qn("w:dirty"), "true")
        run._r.append(el)
    return runs


def bookmark_name(anchor: str) -> str:
    """A heading's bookmark: hidden (a leading _), letters, digits and _ only, at most 40
    characters (Word's limits); a longer anchor is named by its hash."""
    name = "_Ref_" + anchor.replace("-", "_")
    return name if len(name) <= 40 else "_Ref_" + hashlib.sha1(anchor.encode()).hexdigest()[:16]


def _footer_fields(paragraph: Any, pattern: str, size_pt: float) -> None:
    rest = pattern
    while rest:
        head, sep, tail = rest.partition("{")
        if head:
            paragraph.add_run(head).font.size = Pt(size_pt)
        if not sep:
            break
        name, _, rest = tail.partition("}")
        _field(paragraph, {"page": "PAGE", "pages": "NUMPAGES"}[name], size_pt)


def _paragraph(p_docx: Any, p: Paragraph, base_size: float, style: Style) -> None:
    p_docx.alignment = _ALIGN[p.align]
    fmt = p_docx.paragraph_format
    fmt.space_after = Pt(CELL_SPACE_AFTER_PT)
    size = Pt(base_size * style.ratio(p.size))
    if p.bullet:
        fmt.left_indent = Pt(base_size * BULLET_INDENT)
        fmt.first_line_indent = -Pt(base_size * BULLET_INDENT)
        p_docx.add_run(p.bullet + " ").font.size = size
    for r in p.runs:
        for run in _run_pieces(p_docx, r, size.pt, style):
            run.bold = r.bold or None
            run.underline = WD_UNDERLINE.DOUBLE if r.underline == "double" else (r.underline or None)
            run.font.size = size


def _run_pieces(p_docx: Any, r: Run, size_pt: float, style: Style) -> list[Any]:
    """The runs a model run becomes: its text, or a page reference's text around a PAGEREF
    field to the heading's bookmark (its cached result, shown before the client updates
    fields, is PAGE_UNKNOWN)."""
    if r.page_ref is None:
        return glyphs.docx_runs(p_docx, r.text, _set_fonts, style)
    before, after = r.page_ref.parts()
    runs = glyphs.docx_runs(p_docx, before, _set_fonts, style) if before else []
    runs += _field(p_docx, f"PAGEREF {bookmark_name(r.page_ref.anchor)} \\h", size_pt, cached=PAGE_UNKNOWN,
                   dirty=True)
    runs += glyphs.docx_runs(p_docx, after, _set_fonts, style) if after else []
    return runs



@dataclass(frozen=True)
class _Layout:
    """What a row height estimate needs: the measuring font and the page's printable height."""

    family: str  # fontconfig's name of the document font, for textmetrics
    line_pt_per_size: float  # height of a line per point of font size, the Normal style's spacing included
    printable_pt: float  # page height less the margins (or the header and footer, when taller)
    style: Style


def _pt(mm: float) -> float:
    return mm * 72 / 25.4


@functools.cache
def _line_height_em(family: str) -> float:
    """A single-spaced line of ``family`` in em: Word's and LibreOffice's ascent plus descent
    (the larger of the hhea and Windows metrics); 1.2 when the font is not installed."""
    font = fontfiles.read(family)
    if font is None:
        return 1.2
    return max(font.hhea_units, font.win_units) / font.units_per_em


def _layout(document: Document) -> _Layout:
    family = document.style.gothic[0]
    line = _line_height_em(family) * LINE_SPACING
    height = document.page.size_mm[1]
    base = document.style.body_pt
    content_pt = _pt(document.page.content_width_mm)
    # The header's paragraphs (Normal style, a 10 pt paragraph mark even where the text is
    # 8.5 pt) start at the header distance and push the body down when they reach below the
    # top margin; likewise the footer's one line.
    header_texts = [*(document.header_lines or ("",)), *((document.legend,) if document.legend else ())]
    header_pt = sum(textmetrics.wrapped_lines(t, content_pt, family, base) * base * line + NORMAL_SPACE_AFTER_PT
                    for t in header_texts)
    footer_pt = base * line + NORMAL_SPACE_AFTER_PT
    distance = _pt(document.style.header_distance_mm)
    top = max(_pt(_top_margin_mm(document)), distance + header_pt)
    bottom = max(_pt(document.page.margin_mm), distance + footer_pt)
    return _Layout(family, line, _pt(height) - top - bottom, document.style)


def _paragraph_pt(p: Paragraph, width_pt: float, base_size: float, layout: _Layout) -> float:
    size = base_size * layout.style.ratio(p.size)
    text = p.text
    if p.bullet:  # the bullet hangs: every line is indented by its width
        width_pt -= base_size * BULLET_INDENT
        text = f"{p.bullet} {text}"
    lines = textmetrics.wrapped_lines(text, width_pt * WRAP_SAFETY, layout.family, size)
    return lines * size * layout.line_pt_per_size + CELL_SPACE_AFTER_PT


def _cell_pt(cell: Cell, width_pt: float, base_size: float, layout: _Layout) -> float:
    """Estimated height of a cell's content at ``width_pt``, padding included."""
    margins = _cell_margins(layout.style)
    padding = (margins[0] + margins[2]) / 20
    if cell.vertical:  # one character under the other: the text's advance is its height
        return padding + max(textmetrics.width_pt(p.text, layout.family, base_size) for p in cell.content)
    inner = width_pt - (margins[1] + margins[3]) / 20
    height = sum(_paragraph_pt(p, inner, base_size, layout) for p in cell.content)
    for nested in cell.tables:
        height += sum(_row_heights(nested, inner - _pt(_nested_inset_mm(layout.style)), layout.style.figure_pt,
                                   layout, figure=True))
        height += SEPARATOR_TWIPS / 20
    return padding + height


def _widths_pt(table: Table, width_pt: float, base_size: float, layout: _Layout, figure: bool) -> list[float]:
    """Column widths: the table's proportions; a figure table's columns first as wide as their
    figures need (writers/figure_widths.py), so no figure breaks inside."""
    if not figure:
        return proportional(table, width_pt)
    margins = _cell_margins(layout.style)
    pad = (margins[1] + margins[3]) / 20 + 2 * RULE_PT + FIGURE_SLACK_PT
    return fitted(table, width_pt, layout.family, base_size, pad, layout.style.ratio)


def _row_heights(table: Table, width_pt: float, base_size: float, layout: _Layout,
                 figure: bool = False) -> list[float]:
    """Estimated height of each row (header rows first). A cell spanning rows counts whole
    in each of them, so a row is thought taller, never shorter, than it is."""
    grid = table.grid()
    chains = vertical_chains(table, grid)
    widths = _widths_pt(table, width_pt, base_size, layout, figure)
    heights = [0.0] * len(grid)
    in_chain = {(r + i, c) for (r, c), n in chains.items() for i in range(n)}
    labels: list[tuple[int, int, float]] = []
    for r, cells in enumerate(grid):
        for c, item in enumerate(cells):
            if item is None:
                continue
            h = _cell_pt(item, sum(widths[c:c + item.colspan]), base_size, layout)
            if (r, c) in chains:
                labels.append((r, chains[(r, c)], h))
            elif (r, c) not in in_chain:
                for dr in range(item.rowspan):
                    heights[r + dr] = max(heights[r + dr], h)
    for r, n, h in labels:  # a merged label taller than its rows makes the last one taller
        heights[r + n - 1] += max(0.0, h - sum(heights[r:r + n]))
    return [h + RULE_PT for h in heights]


def _stacked(p: Paragraph) -> Paragraph:
    """A vertical label as a column of characters, one per line."""
    return Paragraph((Run("\n".join(p.text), bold=any(r.bold for r in p.runs)),), align="center", size=p.size)


def _fill_cell(target: _Cell, source: Cell, header: bool, base_size: float, width_mm: float,
               layout: _Layout, may_split: bool = False) -> None:
    if header:
        ox.shade(target._tc, layout.style.header_shade)
    content = source.content
    if source.vertical and not may_split:
        ox.text_direction(target._tc, "tbRlV")  # East Asian vertical text
    elif source.vertical:
        # LibreOffice never splits a row that holds a cell of vertical text: it cuts it at
        # the page bottom. A row that must split gets its label as stacked characters.
        content = tuple(_stacked(p) for p in content)
    first = target.paragraphs[0]
    for i, p in enumerate(content):
        _paragraph(first if i == 0 else target.add_paragraph(), p, base_size, layout.style)
        if p.align == "left":
            (first if i == 0 else target.paragraphs[-1]).alignment = _ALIGN[source.align]
    for nested in source.tables:
        _table(target, nested, width_mm - _nested_inset_mm(layout.style), layout.style.figure_pt,
               target.part.document.styles, layout, figure=True)
        # python-docx ends the cell with an empty paragraph after the table, as Word requires:
        # a thin one, which also keeps the next figure table from merging with this one.
        ox.separator(target._tc[-1], SEPARATOR_TWIPS)
    target.vertical_alignment = (
        WD_CELL_VERTICAL_ALIGNMENT.CENTER if header or source.align != "left"
        else WD_CELL_VERTICAL_ALIGNMENT.TOP
    )


def _table(container: Any, table: Table, width_mm: float, base_size: float, styles: Any, layout: _Layout,
           figure: bool = False) -> None:
    """``table`` at the end of ``container``: the document body, or a cell (a figure table)."""
    grid = table.grid()
    t = container.add_table(rows=len(grid), cols=len(table.columns))
    t.style = styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    ox.cell_margins(t._tbl, *_cell_margins(layout.style))
    widths_mm = [w * 25.4 / 72 for w in _widths_pt(table, _pt(width_mm), base_size, layout, figure)]
    widths = [Mm(w) for w in widths_mm]
    heights = _row_heights(table, _pt(width_mm), base_size, layout, figure)
    n_header = len(table.header)
    # Rows kept whole must fit under the header rows that repeat above them.
    room = KEEP_TOGETHER_SHARE * (layout.printable_pt - sum(heights[:n_header]))
    # The cells of the table before any merge, read once: python-docx's Table.cell() walks
    # the whole table on every call, which made a 30-page sheet take seconds. A merge only
    # removes cells inside the merged range, which the grid marks None and never visits.
    rows = t._tbl.tr_lst
    unmerged = [[_Cell(tc, t) for tc in tr.tc_lst] for tr in rows]
    keep = [h <= (KEEP_TOGETHER_SHARE * layout.printable_pt if r < n_header else room) for r, h in enumerate(heights)]
    for r, tr in enumerate(rows):
        ox.row_properties(tr, cant_split=keep[r], header=r < n_header)
        for c, width in enumerate(widths):
            unmerged[r][c].width = width
    for col, width in zip(t.columns, widths, strict=True):
        col.width = width
    for r, cells in enumerate(grid):
        for c, item in enumerate(cells):
            if item is None:
                continue
            target = unmerged[r][c]
            if item.rowspan > 1 or item.colspan > 1:
                target = target.merge(unmerged[r + item.rowspan - 1][c + item.colspan - 1])
            _fill_cell(target, item, r < n_header, base_size, sum(widths_mm[c:c + item.colspan]), layout,
                       may_split=not all(keep[r:r + item.rowspan]))
    chains = vertical_chains(table, grid)
    in_chain = {(r + i, c) for (r, c), n in chains.items() for i in range(1, n)}
    joined = [(r, c) for r, cells in enumerate(grid) for c, item in enumerate(cells)
              if item is not None and item.joined and r > 0 and (r, c) not in in_chain]
    if joined:
        merged = t._cells  # once, after the merges: a spanned position gives its merged cell
        n = len(table.columns)
        for r, c in joined:
            ox.no_rule(merged[r * n + c]._tc, "top")
            ox.no_rule(merged[(r - 1) * n + c]._tc, "bottom")
    # A vertical label and the empty cells joining it: one cell as tall as their rows.
    for (r, c), n in chains.items():
        for i in range(n):
            ox.vertical_merge(unmerged[r + i][c]._tc, restart=i == 0)
    for r, c, label in _vertical_labels(grid, n_header, widths_mm, base_size, layout):
        if not keep[r]:
            continue  # stacked beside a row that splits, which is tall anyway
        n = chains.get((r, c), 1)
        # A label longer than its rows is wrapped into two columns: the last row grows.
        if sum(heights[r:r + n]) < label:
            ox.min_height(rows[r + n - 1], round(20 * (label - sum(heights[r:r + n - 1]))))
        # A label longer than its first row needs the next rows on the same page, or it is
        # wrapped at the page bottom and continued on the next page.
        for i in range(r, r + n - 1):
            if not keep[i] or sum(heights[r:i + 1]) >= label:
                break
            ox.keep_with_next(rows[i])
    # A section row (a 分野's or a measure's heading) stays on the page of the row after it.
    for r, row in enumerate(table.body, start=n_header):
        if row.keep_with_next:
            ox.keep_with_next(rows[r])


def _vertical_labels(grid: list[list[Cell | None]], n_header: int, widths_mm: list[float], base_size: float,
                     layout: _Layout) -> list[tuple[int, int, float]]:
    """Row, column and estimated length in pt (with a safety margin) of each vertical label."""
    return [(r, c, LABEL_SAFETY * _cell_pt(item, _pt(widths_mm[c]), base_size, layout))
            for r in range(n_header, len(grid)) for c, item in enumerate(grid[r])
            if item is not None and item.vertical and item.colspan == 1 and item.rowspan == 1]


def _separate_tables(root: Any) -> None:
    """A thin paragraph between any two tables that follow each other, at every depth."""
    for tbl in list(root.iter(qn("w:tbl"))):
        following = tbl.getnext()
        if following is not None and following.tag == qn("w:tbl"):
            p = OxmlElement("w:p")
            ox.separator(p, SEPARATOR_TWIPS)
            tbl.addnext(p)


def write(document: Document, options: WriterOptions) -> Rendered:
    doc = new_docx(str(options.reference_docx)) if options.reference_docx else new_docx()
    if not options.reference_docx:  # a reference document's styles win, as pandoc's --reference-doc
        _styles(doc, document)
    _page(doc, document)
    layout = _layout(document)
    body = doc.element.body
    # The default template's empty first paragraph would print as a blank line.
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    pending_break = False
    sections = 0
    charts = 0
    bookmarks = 0
    for block in document.blocks:
        if isinstance(block, PageBreak):
            pending_break = True
            continue
        if isinstance(block, Heading):
            # Word keeps no section of paragraphs and tables together: each starts a page.
            sections += bool(block.continued)
            pending_break |= bool(block.continued) and sections > 1
            p = doc.add_heading(level=block.level)
            p.paragraph_format.keep_with_next = True  # a heading stays with what it heads
            glyphs.docx_runs(p, block.text, _set_fonts, document.style)
            if block.anchor:  # the target of PAGEREF fields: the heading's text
                bookmarks += 1
                ox.bookmark(p._p, bookmark_name(block.anchor), bookmarks)
            if block.aside:
                # The owning group sits at the right end of the heading line, as printed.
                p.paragraph_format.tab_stops.add_tab_stop(
                    Mm(document.page.content_width_mm), WD_TAB_ALIGNMENT.RIGHT
                )
                p.add_run("\t" + block.aside).font.size = Pt(document.style.body_pt)
        elif isinstance(block, Paragraph):
            p = doc.add_paragraph()
            _paragraph(p, block, document.style.body_pt, document.style)
        elif isinstance(block, Chart):
            charts += 1
            p = doc.add_paragraph()
            p.paragraph_format.keep_together = True
            p.add_run()._r.append(docx_chart.add_chart(
                doc.part, block, charts, office_font(document.style.gothic), document.page.content_width_mm,
                document.style, options.timestamp))
        elif isinstance(block, Table):
            if pending_break:
                doc.add_paragraph().paragraph_format.page_break_before = True
                pending_break = False
            _table(doc, block, document.page.content_width_mm, document.style.body_pt, doc.styles, layout)
            continue
        else:
            raise unknown_block("DOCX", block)
        if pending_break:
            p.paragraph_format.page_break_before = True
            pending_break = False
    _separate_tables(body)
    props = doc.core_properties
    props.title = document.title
    props.author = props.last_modified_by = "reportgen"
    props.created = props.modified = options.timestamp.replace(tzinfo=None)
    props.revision = 1
    props.keywords = " ".join(f"{k}={v}" for k, v in document.metadata)
    out = io.BytesIO()
    doc.save(out)
    return Rendered(reproducible_zip(out.getvalue(), options.timestamp))
