"""Computed page references: {page:<施策 id>} in the data prints the page where that 施策 starts
(PDF: target-counter; DOCX: a PAGEREF field to the heading's bookmark), or the 施策's number
and title in the XLSX, which has no pages."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from reportgen.branches import get_branch
from reportgen.build import documents, load_for
from reportgen.document import Document, Heading
from reportgen.wareki import FiscalYear
from reportgen.writers import WRITERS
from reportgen.writers.docx import bookmark_name
from reportgen.writers.shared import WriterOptions
from tests.conftest import DATA
from tests.extract import libreoffice_pdf, norm, pdf_pages, xlsx_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TARGET = "regional-healthcare-advocacy"  # （6）地域の医療提供体制への働きかけや…
REFERRING = "意見発信については、"


@pytest.fixture(scope="module")
def kpi_results() -> Document:
    data = load_for(DATA, get_branch("shizuoka"), FiscalYear(2023), ("kpi-results",))
    (doc,) = documents(data, ("kpi-results",))
    return doc


def _heading(doc: Document) -> Heading:
    return next(b for b in doc.blocks if isinstance(b, Heading) and b.anchor == TARGET)


def _page_of_heading_and_reference(pages: list[str], heading: str) -> tuple[int, str]:
    """The page whose first lines hold ``heading`` (not a （続き） line) and the page number
    the referring sentence prints."""
    key = norm(heading)[:14]
    starts = [n for n, text in enumerate(pages, start=1)
              if any(norm(line).startswith(key) and "続き" not in line for line in text.splitlines())]
    referring = next(line for text in pages for line in text.splitlines() if REFERRING in line)
    printed = norm(referring).split(norm(REFERRING), 1)[1]
    assert starts, heading
    return starts[0], printed


@pytest.mark.slow
def test_the_pdf_prints_the_page_of_the_section(sample_output: Path, kpi_results: Document) -> None:
    pages = pdf_pages(sample_output / "kpi-results.pdf")
    page, printed = _page_of_heading_and_reference(pages, _heading(kpi_results).text)
    assert printed.startswith(f"P{page}に記載"), (page, printed)


def _docx_body(doc: Document) -> etree._Element:
    data = WRITERS["docx"](doc, WriterOptions()).data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def test_the_docx_has_a_pageref_field_to_a_bookmark_on_the_heading(kpi_results: Document) -> None:
    body = _docx_body(kpi_results)
    name = bookmark_name(TARGET)
    marks = body.findall(f".//{W}bookmarkStart[@{W}name='{name}']")
    assert len(marks) == 1
    heading = marks[0].getparent()
    assert heading.find(f"{W}pPr/{W}pStyle").get(f"{W}val").startswith("Heading")
    assert "".join(heading.itertext()).startswith(_heading(kpi_results).text)
    ends = heading.findall(f"{W}bookmarkEnd[@{W}id='{marks[0].get(f'{W}id')}']")
    assert len(ends) == 1
    instructions = [t.text.strip() for t in body.iter(f"{W}instrText")]
    assert f"PAGEREF {name} \\h" in instructions
    # The field sits in the referring sentence, after its 「P」.
    field = next(t for t in body.iter(f"{W}instrText") if name in t.text)
    paragraph = next(a for a in field.iterancestors(f"{W}p"))
    assert f"{REFERRING}P PAGEREF" in "".join(paragraph.itertext())


def test_the_xlsx_prints_the_section_instead(kpi_results: Document, tmp_path: Path) -> None:
    path = tmp_path / "kpi-results.xlsx"
    path.write_bytes(WRITERS["xlsx"](kpi_results, WriterOptions()).data)
    text = xlsx_text(path)
    heading = _heading(kpi_results).text
    assert f"{REFERRING}「{heading}」に記載。" in text
    assert "{page:" not in text


@pytest.mark.slow
def test_libreoffice_computes_the_docx_reference(sample_output: Path, kpi_results: Document,
                                                 tmp_path: Path) -> None:
    pages = pdf_pages(libreoffice_pdf(sample_output / "kpi-results.docx", tmp_path))
    page, printed = _page_of_heading_and_reference(pages, _heading(kpi_results).text)
    assert printed.startswith(f"P{page}に記載"), (page, printed)
