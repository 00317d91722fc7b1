"""Keep-with-next in the XLSX: the writer places every page break of a sheet, so that no page
ends with a heading or a section row; read back from the sheets (row breaks, row heights,
print titles) and, slow, from LibreOffice's printing of every sample."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from reportgen.branches import get_branch
from reportgen.build import documents, load_for
from reportgen.document import Document, Heading, Table
from reportgen.wareki import FiscalYear
from reportgen.writers import WRITERS
from reportgen.writers.shared import WriterOptions
from reportgen.writers.xlsx import _setup
from reportgen.writers.xlsx.layout import PAGE_SAFETY, page_breaks
from tests.conftest import DATA
from tests.extract import libreoffice_pdf, norm
from tests.test_layout import SAMPLES, pages_ending_with_a_heading


def test_a_heading_that_would_end_a_page_starts_the_next_one() -> None:
    heights = [100.0] * 4 + [20.0, 100.0, 100.0]  # rows 1-4, a heading (5), its content (6)
    assert page_breaks(heights, {5}, 500.0 / PAGE_SAFETY, None) == [4]
    # Without the heading kept, the page ends after it.
    assert page_breaks(heights, set(), 500.0 / PAGE_SAFETY, None) == [5]
    # Every page after the print titles (row 1) starts with them.
    assert page_breaks([50.0] * 10, set(), 200.0 / PAGE_SAFETY, (1, 1)) == [4, 7]


def _sample(kind: str) -> Document:
    branch, year, _, quarter = next(s for s in SAMPLES if s[2] == kind)
    (doc,) = documents(load_for(DATA, get_branch(branch), FiscalYear(year), (kind,), quarter), (kind,))
    return doc


def _heading_texts(doc: Document) -> set[str]:
    texts = {norm(b.text) for b in doc.blocks if isinstance(b, Heading)}
    texts |= {norm(t) for b in doc.blocks if isinstance(b, Table) for row in b.body if row.keep_with_next
              for c in row.cells for t in c.texts() if norm(t)}
    return texts


@pytest.mark.parametrize("kind", ["kpi-results", "plan-budget"])
def test_no_sheet_page_ends_with_a_heading_read_back(kind: str) -> None:
    doc = _sample(kind)
    book = openpyxl.load_workbook(io.BytesIO(WRITERS["xlsx"](doc, WriterOptions()).data))
    page_pt = _setup(doc).page.height_pt
    headings = _heading_texts(doc)
    found = 0
    for ws in book.worksheets:
        last = ws.max_row
        heights = [ws.row_dimensions[r].height or 15.0 for r in range(1, last + 1)]
        title = None
        if ws.print_title_rows:
            first, _, end = ws.print_title_rows.replace("$", "").partition(":")
            title = (int(first), int(end))
        ends = sorted(b.id for b in ws.row_breaks.brk)
        found += len(ends)
        start = 1
        for end in [*ends, last]:
            repeated = sum(heights[title[0] - 1:title[1]]) if title and start > title[1] else 0.0
            # Each page fits: the client adds no break of its own.
            assert repeated + sum(heights[start - 1:end]) <= page_pt, (ws.title, start, end)
            if end < last:  # the page's last row with text (a spacer row may follow it)
                row = next(r for r in range(end, start - 1, -1) if any(c.value is not None for c in ws[r]))
                texts = [norm(str(c.value)) for c in ws[row] if c.value is not None]
                assert not all(t in headings for t in texts), (ws.title, row, texts)
            start = end + 1
    assert found


@pytest.mark.slow
@pytest.mark.parametrize("kind", [s[2] for s in SAMPLES])
def test_libreoffice_prints_no_sheet_page_ending_with_a_heading(kind: str, tmp_path: Path) -> None:
    doc = _sample(kind)
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(WRITERS["xlsx"](doc, WriterOptions()).data)
    printed = libreoffice_pdf(path, tmp_path)
    assert pages_ending_with_a_heading(doc, printed) == []
    # Every page is one the writer made: LibreOffice added none of its own.
    import pdfplumber

    book = openpyxl.load_workbook(path)
    with pdfplumber.open(printed) as pdf:
        assert len(pdf.pages) == sum(len(ws.row_breaks.brk) + 1 for ws in book.worksheets)
