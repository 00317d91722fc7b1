"""DOCX: the neutral document with python-docx.

Fonts are set in every slot, East Asian included (python-docx's ``font.name`` leaves
``w:eastAsia`` alone, and Word would then fall back to a Chinese or Latin font). Header
rows repeat on every page, rows do not split across pages, the footer counts pages.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell

from reportgen import glyphs
from reportgen.document import Cell, Document, Heading, PageBreak, Paragraph, Table
from reportgen.writers.shared import Rendered, WriterOptions, office_font, reproducible_zip

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
_SIZES = {"normal": 1.0, "small": 0.85, "large": 1.2}
_HEADING_SIZES = {1: 15.0, 2: 12.0, 3: 10.5}
HEADER_SHADE = "E8EDF3"


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


def _styles(doc: Any, document: Document) -> None:
    font = office_font(document.fonts.gothic)
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid"):
        style = doc.styles[style_name]
        _set_fonts(style.element, font)
        style.font.color.rgb = RGBColor(0, 0, 0)
    doc.styles["Normal"].font.size = Pt(document.fonts.size_pt)
    doc.styles["Normal"].paragraph_format.space_after = Pt(2)
    doc.styles["Normal"].paragraph_format.line_spacing = 1.2
    for level, size in _HEADING_SIZES.items():
        style = doc.styles[f"Heading {level}"]
        style.font.size = Pt(size)
        style.font.bold = True
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(4)
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
    section.top_margin = Mm(document.page.margin_mm + (5 if document.header_lines else 0))
    section.header_distance = section.footer_distance = Mm(7)
    header = section.header
    lines = list(document.header_lines)
    first = header.paragraphs[0]
    for i, line in enumerate(lines or [""]):
        p = first if i == 0 else header.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for run in glyphs.docx_runs(p, line, _set_fonts):
            run.font.size = Pt(8.5)
    if document.legend:
        p = header.add_paragraph()
        p.add_run(document.legend).font.size = Pt(8.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _footer_fields(footer, document.footer)


def _field(paragraph: Any, instruction: str) -> None:
    """A complex field (PAGE, NUMPAGES) that Word and LibreOffice update on render."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None),
                       ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(8.5)
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
        run._r.append(el)


def _footer_fields(paragraph: Any, pattern: str) -> None:
    rest = pattern
    while rest:
        head, sep, tail = rest.partition("{")
        if head:
            paragraph.add_run(head).font.size = Pt(8.5)
        if not sep:
            break
        name, _, rest = tail.partition("}")
        _field(paragraph, {"page": "PAGE", "pages": "NUMPAGES"}[name])


def _paragraph(p_docx: Any, p: Paragraph, base_size: float) -> None:
    p_docx.alignment = _ALIGN[p.align]
    fmt = p_docx.paragraph_format
    fmt.space_after = Pt(1.5)
    size = Pt(base_size * _SIZES[p.size])
    if p.bullet:
        fmt.left_indent = Pt(base_size * 1.1)
        fmt.first_line_indent = -Pt(base_size * 1.1)
        p_docx.add_run(p.bullet + " ").font.size = size
    for r in p.runs:
        for run in glyphs.docx_runs(p_docx, r.text, _set_fonts):
            run.bold = r.bold or None
            run.underline = r.underline or None
            run.font.size = size


def _shade(cell: _Cell, color: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), color)
    cell._tc.get_or_add_tcPr().append(shd)


_AFTER_BORDERS = ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def _no_rule(cell: _Cell, side: str) -> None:
    """Remove the rule on one side of a cell (a joined cell continues the one above)."""
    tcpr = cell._tc.get_or_add_tcPr()
    borders = tcpr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        successor = next((el for el in tcpr if el.tag in {qn(t) for t in _AFTER_BORDERS}), None)
        if successor is not None:
            successor.addprevious(borders)
        else:
            tcpr.append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "nil")
    borders.append(edge)  # top before bottom: callers set top first, as the schema orders them


def _row_properties(row: Any, header: bool) -> None:
    trpr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    trpr.append(cant_split)
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def _fill_cell(target: _Cell, source: Cell, header: bool, base_size: float, width_mm: float) -> None:
    # tcPr children have a fixed order in the schema: shd, textDirection, vAlign.
    if header:
        _shade(target, HEADER_SHADE)
    if source.vertical:
        direction = OxmlElement("w:textDirection")
        direction.set(qn("w:val"), "tbRlV")  # East Asian vertical text
        target._tc.get_or_add_tcPr().append(direction)
    first = target.paragraphs[0]
    for i, p in enumerate(source.content):
        _paragraph(first if i == 0 else target.add_paragraph(), p, base_size)
        if p.align == "left":
            (first if i == 0 else target.paragraphs[-1]).alignment = _ALIGN[source.align]
    for nested in source.tables:
        _table(target, nested, width_mm - 3, base_size * 0.85, styles=target.part.document.styles)
    target.vertical_alignment = (
        WD_CELL_VERTICAL_ALIGNMENT.CENTER if header or source.align != "left"
        else WD_CELL_VERTICAL_ALIGNMENT.TOP
    )


def _table(container: Any, table: Table, width_mm: float, base_size: float, styles: Any) -> None:
    """``table`` at the end of ``container``: the document body, or a cell (a figure table)."""
    grid = table.grid()
    t = container.add_table(rows=len(grid), cols=len(table.columns))
    t.style = styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("top", 40), ("left", 85), ("bottom", 40), ("right", 85)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    look = t._tbl.tblPr.find(qn("w:tblLook"))  # tblCellMar must precede tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        t._tbl.tblPr.append(margins)
    total = sum(c.width for c in table.columns)
    widths_mm = [width_mm * c.width / total for c in table.columns]
    widths = [Mm(w) for w in widths_mm]
    # The cells of the table before any merge, read once: python-docx's Table.cell() walks
    # the whole table on every call, which made a 30-page sheet take seconds. A merge only
    # removes cells inside the merged range, which the grid marks None and never visits.
    unmerged = [[_Cell(tc, t) for tc in tr.tc_lst] for tr in t._tbl.tr_lst]
    for r, row in enumerate(t.rows):
        _row_properties(row, header=r < len(table.header))
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
            _fill_cell(target, item, r < len(table.header), base_size,
                       sum(widths_mm[c:c + item.colspan]))
    joined = [(r, c) for r, cells in enumerate(grid) for c, item in enumerate(cells)
              if item is not None and item.joined and r > 0]
    if joined:
        merged = t._cells  # once, after the merges: a spanned position gives its merged cell
        n = len(table.columns)
        for r, c in joined:
            _no_rule(merged[r * n + c], "top")
            _no_rule(merged[(r - 1) * n + c], "bottom")


def write(document: Document, options: WriterOptions) -> Rendered:
    doc = new_docx(str(options.reference_docx)) if options.reference_docx else new_docx()
    _styles(doc, document)
    _page(doc, document)
    body = doc.element.body
    # The default template's empty first paragraph would print as a blank line.
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    pending_break = False
    for block in document.blocks:
        if isinstance(block, PageBreak):
            pending_break = True
            continue
        if isinstance(block, Heading):
            p = doc.add_heading(level=block.level)
            glyphs.docx_runs(p, block.text, _set_fonts)
            if block.aside:
                # The owning group sits at the right end of the heading line, as printed.
                p.paragraph_format.tab_stops.add_tab_stop(
                    Mm(document.page.content_width_mm), WD_TAB_ALIGNMENT.RIGHT
                )
                p.add_run("\t" + block.aside).font.size = Pt(10)
        elif isinstance(block, Paragraph):
            p = doc.add_paragraph()
            _paragraph(p, block, document.fonts.size_pt)
        else:
            if pending_break:
                doc.add_paragraph().paragraph_format.page_break_before = True
                pending_break = False
            _table(doc, block, document.page.content_width_mm, document.fonts.size_pt, doc.styles)
            continue
        if pending_break:
            p.paragraph_format.page_break_before = True
            pending_break = False
    props = doc.core_properties
    props.title = document.title
    props.author = props.last_modified_by = "reportgen"
    props.created = props.modified = options.timestamp.replace(tzinfo=None)
    props.revision = 1
    props.keywords = " ".join(f"{k}={v}" for k, v in document.metadata)
    out = io.BytesIO()
    doc.save(out)
    return Rendered(reproducible_zip(out.getvalue(), options.timestamp))
