"""PDF: the neutral document as HTML (templates/html), laid out by WeasyPrint.

Fonts are embedded and subset (HarfBuzz when libharfbuzz-subset is installed).
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import jinja2

from reportgen import glyphs
from reportgen.document import Document
from reportgen.templating import TEMPLATE_DIR
from reportgen.writers.shared import Rendered, WriterOptions

HTML_DIR = TEMPLATE_DIR / "html"
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HTML_DIR), undefined=jinja2.StrictUndefined, autoescape=False
)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def footer_css(pattern: str) -> str:
    """'{page} / {pages} ページ' → counter(page) " / " counter(pages) " ページ"."""
    parts: list[str] = []
    rest = pattern
    while rest:
        head, sep, tail = rest.partition("{")
        if head:
            parts.append(_css_string(head))
        if not sep:
            break
        name, _, rest = tail.partition("}")
        parts.append(f"counter({name})")
    return " ".join(parts) or '""'


def to_html(document: Document, html_dir: Path = HTML_DIR, breakable: frozenset[str] = frozenset()) -> str:
    # The fallback last: Pango takes a character from it only where the fonts before lack it.
    families = (*document.fonts.gothic, glyphs.FALLBACK, "sans-serif")
    return _ENV.get_template("document.html.j2").render(
        doc=document,
        breakable=breakable,
        css=(html_dir / "document.css").read_text(encoding="utf-8"),
        font_css=", ".join(f'"{f}"' if f != "sans-serif" else f for f in families),
        footer_css=footer_css(document.footer),
    )


# Each pass can only move rows later, and few rows are that tall: two passes settle a sheet.
MAX_PASSES = 3


def rows_without_header(pages: list[Any]) -> frozenset[str]:
    """Rows that open a page on which their table's repeated header is missing.

    WeasyPrint drops the header when a row that must not break fits a page only without it
    (Kozea/WeasyPrint#2679). Reads the laid-out boxes: ``data-row`` and ``data-head`` are
    written by the HTML template on the rows and headers of top-level tables.
    """
    found = set()
    for page in pages:
        heads: set[str] = set()
        first: dict[str, str] = {}
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or getattr(box, "element_tag", "") not in ("thead", "tr"):
                continue
            if head := element.get("data-head"):
                heads.add(head)
            elif row := element.get("data-row"):
                first.setdefault(row.split("-")[0], row)
        found |= {row for table, row in first.items() if table not in heads}
    return frozenset(found)


def write(document: Document, options: WriterOptions) -> Rendered:
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    breakable: frozenset[str] = frozenset()
    for _ in range(MAX_PASSES):
        rendered = HTML(string=to_html(document, breakable=breakable), base_url=str(HTML_DIR)).render()
        headless = rows_without_header(rendered.pages)
        if not headless - breakable:
            break
        breakable |= headless
    out = io.BytesIO()
    rendered.write_pdf(out)
    return Rendered(out.getvalue(), pages=len(rendered.pages))
