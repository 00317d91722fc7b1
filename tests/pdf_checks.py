"""The PDF writer's output against a layout made another way."""

from __future__ import annotations

import io

import pytest

from reportgen.document import Document
from reportgen.writers import WRITERS, WriterOptions
from reportgen.writers import pdf as pdf_writer


def grafted_and_laid_out(document: Document, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, bytes, dict]:
    """The writer's PDF (labels grafted) and the PDF of one layout with the labels in its HTML.
    The labels of a split row's rest are left out of both: HTML cannot place them."""
    from weasyprint import HTML

    monkeypatch.setattr(pdf_writer, "LABEL_SPLIT_RESTS", False)
    seen: dict = {}
    to_html = pdf_writer.to_html

    def html_of(doc: Document, **kw: object) -> str:
        if doc is document:
            seen.update(kw)
        return to_html(doc, **kw)

    monkeypatch.setattr(pdf_writer, "to_html", html_of)
    graft = pdf_writer.graft_labels
    monkeypatch.setattr(pdf_writer, "graft_labels", lambda r, d, labels, f: seen.update(labels=labels)
                        or graft(r, d, labels, f))
    grafted = WRITERS["pdf"](document, WriterOptions()).data
    # Each row opens one page at most when no rest is labelled: keyed by row, as in the HTML.
    by_row = {row: label for (_, row), label in seen["labels"].items()}
    assert len(by_row) == len(seen["labels"])
    html = to_html(document, breakable=seen["breakable"], continued=by_row)
    out = io.BytesIO()
    HTML(string=html, base_url=str(pdf_writer.HTML_DIR), url_fetcher=pdf_writer._url_fetcher()).write_pdf(out)
    return grafted, out.getvalue(), seen["labels"]
