"""Raw WordprocessingML that python-docx has no API for, in the spirit of its ``oxml`` layer.

Each property element is put where the schema orders it among its siblings (one tag
sequence per parent, as python-docx declares them): Word refuses a file whose ``w:tcPr``
children are out of order, LibreOffice silently ignores what it does not expect.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# CT_TcPr, CT_PPr, CT_TblPr children in schema order (ECMA-376 Part 1, 17.4.70, 17.3.1.26, 17.4.60).
TC_PR = ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap",
         "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
P_PR = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
        "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
        "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
        "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
        "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
        "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
TBL_PR = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
          "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
          "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
# CT_TrPr is a choice: any order is valid; this is the order Word writes.
TR_PR = ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter", "w:cantSplit",
         "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")


def element(tag: str, **attrs: str) -> Any:
    el = OxmlElement(tag)
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), value)
    return el


def put(parent: Any, child: Any, order: tuple[str, ...]) -> Any:
    """Insert ``child`` into ``parent`` in schema order, replacing an element of its tag."""
    tag = child.tag
    old = parent.find(tag)
    if old is not None:
        old.addprevious(child)
        parent.remove(old)
        return child
    later = {qn(t) for t in order[order.index(_prefixed(tag)) + 1:]}
    successor = next((el for el in parent if el.tag in later), None)
    if successor is not None:
        successor.addprevious(child)
    else:
        parent.append(child)
    return child


def _prefixed(tag: str) -> str:
    return "w:" + tag.rpartition("}")[2]


def cell_margins(tbl: Any, top: int, left: int, bottom: int, right: int) -> None:
    """Inner padding of every cell of a table, in twips (w:tblCellMar)."""
    margins = element("w:tblCellMar")
    for side, twips in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        margins.append(element(f"w:{side}", w=str(twips), type="dxa"))
    put(tbl.tblPr, margins, TBL_PR)


def shade(tc: Any, fill: str) -> None:
    put(tc.get_or_add_tcPr(), element("w:shd", val="clear", color="auto", fill=fill), TC_PR)


def text_direction(tc: Any, value: str) -> None:
    put(tc.get_or_add_tcPr(), element("w:textDirection", val=value), TC_PR)


def vertical_merge(tc: Any, restart: bool) -> None:
    """The first cell of a vertically merged cell (restart) or one it covers (continue)."""
    put(tc.get_or_add_tcPr(), element("w:vMerge", **({"val": "restart"} if restart else {})), TC_PR)


def no_rule(tc: Any, side: str) -> None:
    """No rule on one side of a cell (top before bottom in w:tcBorders, as the schema orders them)."""
    tcpr = tc.get_or_add_tcPr()
    borders = tcpr.find(qn("w:tcBorders"))
    if borders is None:
        borders = put(tcpr, element("w:tcBorders"), TC_PR)
    borders.append(element(f"w:{side}", val="nil"))


def row_properties(tr: Any, cant_split: bool, header: bool) -> None:
    """Keep a row on one page (only when it fits one) and repeat it at the top of every page."""
    trpr = tr.get_or_add_trPr()
    if cant_split:
        put(trpr, element("w:cantSplit"), TR_PR)
    if header:
        put(trpr, element("w:tblHeader"), TR_PR)


def min_height(tr: Any, twips: int) -> None:
    """A row at least ``twips`` high (it grows with its content)."""
    put(tr.get_or_add_trPr(), element("w:trHeight", val=str(twips), hRule="atLeast"), TR_PR)


def keep_with_next(tr: Any) -> None:
    """Keep a row on the page of the row after it (Word and LibreOffice read it from the
    paragraphs of the row's cells)."""
    for tc in tr.iterchildren(qn("w:tc")):
        for p in tc.iterchildren(qn("w:p")):
            put(p.get_or_add_pPr(), element("w:keepNext"), P_PR)


def separator(p: Any, line_twips: int) -> None:
    """Make ``p`` (empty) a thin spacer: no spacing, an exact line of ``line_twips``, a 1 pt
    paragraph mark. Between two tables it keeps Word and LibreOffice from merging them."""
    ppr = p.get_or_add_pPr()
    put(ppr, element("w:spacing", before="0", after="0", line=str(line_twips), lineRule="exact"), P_PR)
    rpr = put(ppr, element("w:rPr"), P_PR)
    rpr.append(element("w:sz", val="2"))
    rpr.append(element("w:szCs", val="2"))


def bookmark(p: Any, name: str, number: int) -> None:
    """A bookmark ``name`` around the runs of paragraph ``p`` (a PAGEREF field's target)."""
    start = element("w:bookmarkStart", id=str(number), name=name)
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(element("w:bookmarkEnd", id=str(number)))
