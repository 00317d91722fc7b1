"""PDF: the neutral document as HTML (templates/html), laid out by WeasyPrint.

Fonts are embedded and subset (HarfBuzz when libharfbuzz-subset is installed).
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import jinja2

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


def to_html(document: Document, html_dir: Path = HTML_DIR) -> str:
    families = (*document.fonts.gothic, "sans-serif")
    return _ENV.get_template("document.html.j2").render(
        doc=document,
        css=(html_dir / "document.css").read_text(encoding="utf-8"),
        font_css=", ".join(f'"{f}"' if f != "sans-serif" else f for f in families),
        footer_css=footer_css(document.footer),
    )


def write(document: Document, options: WriterOptions) -> Rendered:
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    rendered = HTML(string=to_html(document), base_url=str(HTML_DIR)).render()
    out = io.BytesIO()
    rendered.write_pdf(out)
    return Rendered(out.getvalue(), pages=len(rendered.pages))
