"""What every report builder shares: the template context, page header, page setup, points."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportgen.document import Block, Column, Document, PageSetup, Paragraph, Run
from reportgen.model.dataset import DataSet
from reportgen.templating import Template

# A point that starts with one of these carries its own mark and is printed as written.
OWN_MARKS = (*tuple("・○〇●◎◇◆■□※【≪《（(ⅰⅱⅲⅳⅴⅵⅶⅷⅸⅹ①②③④⑤⑥⑦⑧⑨⑩1234567890１２３４５６７８９"), "•")
BULLET = "•"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def context(data: DataSet) -> dict[str, Any]:
    """Variables every template string may use."""
    meta = data.meta
    return {
        "branch": meta.branch.name,
        "branch_slug": meta.branch.slug,
        "council": meta.branch.council,
        "year": meta.year_label(),
        "previous_year": meta.year_label(meta.fiscal_year.previous()),
        "next_year": meta.year_label(meta.fiscal_year.next()),
        "fiscal_year": meta.fiscal_year,
        "title": meta.title or "",
    }


def header_lines(data: DataSet, template: Template) -> tuple[str, ...]:
    """機密性2 / 第5回静岡支部評議会 資料2 / 令和6年7月12日, as far as the data gives them."""
    meta = data.meta
    return ((meta.confidentiality,) if meta.confidentiality else ()) + council_lines(data, template)


def council_lines(data: DataSet, template: Template) -> tuple[str, ...]:
    """第5回静岡支部評議会 資料2 / 令和6年7月12日: the council the document is shown to."""
    council = data.meta.council
    if not council:
        return ()
    lines = [template.text("header", "council", **context(data), number=council.number,
                           material=council.material)]
    if council.date:
        lines.append(template.text("header", "date", **context(data), date=council.date))
    return tuple(lines)


def document(kind: str, data: DataSet, template: Template, ctx: dict[str, Any], title: str,
             blocks: list[Block], *, legend: str | None = None, quarter: int | None = None) -> Document:
    """The frame every report shares: page setup, page header, sheet name and metadata."""
    metadata = (("branch", data.meta.branch.slug), ("fiscal_year", data.meta.fiscal_year.short),
                *((("quarter", str(quarter)),) if quarter is not None else ()))
    return Document(
        kind=kind,
        title=title,
        blocks=tuple(blocks),
        page=page_setup(template),
        header_lines=header_lines(data, template),
        legend=legend,
        sheet_name=template.text("sheet_name", **ctx),
        metadata=metadata,
        quarter=quarter,
    )


def page_setup(template: Template) -> PageSetup:
    return PageSetup(orientation=template.choice("page", "orientation", choices=("portrait", "landscape")),  # type: ignore[arg-type]
                     margin_mm=template.number("page", "margin_mm", low=0, high=60, default=15),
                     compact="compact" in template.raw("page") and template.flag("page", "compact"),
                     body_pt=template.number("page", "font_size_pt", low=5, high=30)
                     if "font_size_pt" in template.raw("page") else None)


def column_values(template: Template, *loc: str, choices: tuple[str, ...]) -> tuple[str, ...]:
    """The ``value`` of each column spec at ``loc``, each one of ``choices``: a list of
    ``{value, header, width}`` mappings, every mistake named with its file and line."""
    specs = template.raw(*loc)
    if not isinstance(specs, list) or not specs:
        raise template.error(loc, "列のリストではありません。{value: …, header: …, width: …} を並べてください。")
    for i, spec in enumerate(specs):
        if not isinstance(spec, dict):
            raise template.error((*loc, i), "列は {value: …, header: …, width: …} で書いてください。")
    return tuple(template.choice(*loc, i, "value", choices=choices) for i in range(len(specs)))


def columns(template: Template, *loc: str) -> tuple[Column, ...]:
    """The columns of a table whose widths the template gives at ``loc`` (checked there)."""
    return tuple(Column(w) for w in template.widths(*loc))


def point(text: str, refer: Callable[[str], tuple[Run, ...]] | None = None) -> Paragraph:
    """One point of a plan or a result: bulleted unless it brings its own mark; ``refer``
    turns its page references ({page:…}) into runs (reportgen.pagerefs)."""
    bullet = None if text.lstrip().startswith(OWN_MARKS) else BULLET
    text = text.rstrip()
    return Paragraph(refer(text) if refer else (Run(text),), bullet=bullet)


def numbered(index: int, count: int, text: str) -> str:
    """①② before each of several items; a single item is not numbered."""
    return f"{CIRCLED[index]}{text}" if count > 1 else text
