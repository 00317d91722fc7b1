"""Pages a council officer prints as they are: what fits on a page, what goes on, headings."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest

from reportgen.branches import get_branch
from reportgen.build import documents, load_for
from reportgen.document import Document, Heading, PageBreak, Table
from reportgen.phrases import LONGEST_KEPT, phrases
from reportgen.wareki import FiscalYear
from reportgen.writers import WRITERS
from reportgen.writers import pdf as pdf_writer
from reportgen.writers.shared import WriterOptions
from tests.conftest import DATA
from tests.extract import libreoffice_pdf, norm, pdf_lines
from tests.pdf_checks import grafted_and_laid_out

# Every test here lays out whole sample PDFs.
pytestmark = pytest.mark.slow

# Every sample document: (branch, year, kind, quarter).
SAMPLES = (
    ("shizuoka", 2023, "kpi-results", None),
    ("shizuoka", 2023, "kpi-summary", None),
    ("saitama", 2023, "plan-comparison", None),
    ("gunma", 2021, "plan-budget", None),
    ("saitama", 2020, "progress", 3),
)


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory, sample_output: Path) -> dict[str, tuple[Document, Path]]:
    """Each sample document's model and its PDF (shizuoka's from the session's build)."""
    out = tmp_path_factory.mktemp("pdf")
    found = {}
    for branch, year, kind, quarter in SAMPLES:
        (doc,) = documents(load_for(DATA, get_branch(branch), FiscalYear(year), (kind,), quarter), (kind,))
        path = sample_output / f"{kind}.pdf" if branch == "shizuoka" else out / f"{kind}.pdf"
        if not path.exists():
            path.write_bytes(WRITERS["pdf"](doc, WriterOptions()).data)
        found[kind] = (doc, path)
    return found

# kpi-results.pdf of the sample had one 施策 per page: 27 pages.
ONE_PER_PAGE = 27


def test_kpi_results_flow_and_head_a_measure_going_on(sample_output: Path) -> None:
    results = load_for(DATA, get_branch("shizuoka"), FiscalYear(2023), ("kpi-results",)).kpi_results
    assert results is not None
    sections = results.sections
    headings = [norm(f"{s.number}{s.title}") for s in sections]
    fields = {norm(s.field) for s in sections}
    pages = pdf_lines(sample_output / "kpi-results.pdf")
    assert len(pages) <= ONE_PER_PAGE - 5
    going_on = None  # the 施策 the previous page ended in
    for number, lines in enumerate(pages, start=1):
        texts = [norm(t) for t, _ in lines]
        if number > 1:
            opens = texts[0] in fields and any(texts[1].startswith(h[:12]) for h in headings)
            assert opens or texts[0] == f"{going_on}(続き)", (number, texts[:2])
        for text in texts:
            going_on = next((h for h in headings if text.startswith(h[:12])), going_on)
    assert any("(続き)" in norm(t) for lines in pages for t, _ in lines)


def test_one_measure_per_page_when_the_template_says_so(data_copy: Path) -> None:
    (data_copy / "shizuoka/templates").mkdir()
    (data_copy / "shizuoka/templates/kpi-results.yaml").write_text("page_per_section: true\n", encoding="utf-8")
    data = load_for(data_copy, get_branch("shizuoka"), FiscalYear(2023), ("kpi-results",))
    assert data.kpi_results is not None
    (doc,) = documents(data, ("kpi-results",))
    breaks = sum(isinstance(b, PageBreak) for b in doc.blocks)
    assert breaks == len(data.kpi_results.sections) - 1


def _heading_texts(doc: Document) -> list[str]:
    """Headings, their asides, and every cell of a section row: what must not end a page."""
    texts = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            texts += [block.text, block.aside or ""]
        elif isinstance(block, Table):
            texts += [t for row in block.body if row.keep_with_next for c in row.cells for t in c.texts()]
    return [norm(t) for t in texts if norm(t)]


@pytest.mark.parametrize("kind", [s[2] for s in SAMPLES])
def test_no_page_ends_with_a_heading(samples: dict[str, tuple[Document, Path]], kind: str) -> None:
    doc, path = samples[kind]
    assert pages_ending_with_a_heading(doc, path) == []


def pages_ending_with_a_heading(doc: Document, path: Path) -> list[tuple[int, str]]:
    """Pages (number, last line) of a laid-out PDF whose last line is a heading or section row
    (or a wrapped piece of one): a line set bold or larger than the body whose every piece
    comes from a heading."""
    headings = _heading_texts(doc)
    # A page before a title (a forced break: the cover, the 基本方針) ends where its part ends.
    titles = [norm(b.text) for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    furniture = [norm(t) for t in (*doc.header_lines, doc.legend or "") if t]

    def body(line: dict[str, Any]) -> bool:  # not the page header, legend or footer
        text = norm(line["text"])
        for piece in furniture:
            text = text.replace(piece, "")
        return bool(text) and "ページ" not in text

    found = []
    with pdfplumber.open(path) as pdf:
        pages = [[line for line in page.extract_text_lines(return_chars=True) if body(line)] for page in pdf.pages]
        for number, (lines, following) in enumerate(itertools.pairwise(pages), start=1):
            if not lines or (following and any(norm(following[0]["text"]).startswith(t) for t in titles)):
                continue
            last = lines[-1]
            first = last["chars"][0]
            emphasised = "Bold" in first["fontname"] or first["size"] > doc.style.body_pt + 0.1
            pieces = [norm(p) for p in last["text"].split()]
            if emphasised and all(any(p in h for h in headings) for p in pieces):
                found.append((number, last["text"]))
    return found


def test_docx_headings_keep_with_next(sample_output: Path) -> None:
    document = docx.Document(str(sample_output / "kpi-results.docx"))
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings
    assert all(p.paragraph_format.keep_with_next for p in headings)


def _kept_whole(doc: Document) -> set[str]:
    """Texts printed phrase by phrase: column headers, headings and figures."""
    texts: set[str] = set()

    def walk(table: Table) -> None:
        texts.update(t for row in table.header for c in row.cells for t in c.texts())
        for row in table.body:
            for c in row.cells:
                if c.number is not None or c.align == "right":
                    texts.update(p.text for p in c.content)
                for inner in c.tables:
                    walk(inner)

    for block in doc.blocks:
        if isinstance(block, Heading):
            texts.update((block.text, block.aside or ""))
        elif isinstance(block, Table):
            walk(block)
    return {t for t in texts if t.strip()}


@pytest.mark.parametrize("kind", [s[2] for s in SAMPLES])
def test_headers_headings_and_figures_break_between_phrases_only(
        samples: dict[str, tuple[Document, Path]], kind: str) -> None:
    doc, path = samples[kind]
    lines = "\n".join(norm(text) for page in pdf_lines(path) for text, _ in page)
    broken = {(text, piece) for text in _kept_whole(doc) for phrase in phrases(text)
              for piece in phrase.split() if len(phrase) <= LONGEST_KEPT and norm(piece) not in lines}
    assert not broken
    whole = {"plan-budget": ["予算（千円）"], "kpi-summary": ["＜参考＞令和4年度実績"],
             "progress": ["１０～１２月", "112.5％"]}
    for text in whole.get(kind, []):
        assert norm(text) in lines, text


def test_plan_budget_has_its_council_and_the_unit_at_the_top_right(
        samples: dict[str, tuple[Document, Path]]) -> None:
    """seeds/002: 「資料２ 令和3年1月15日 第4回群馬支部評議会」 on the page, 「（単位：千円）」 over
    the table's right end."""
    _, path = samples["plan-budget"]
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            text = norm(page.extract_text())
            assert norm("第4回群馬支部評議会 資料２") in text and "令和3年1月15日" in text
        first = pdf.pages[0]
        lines = first.extract_text_lines()
        unit = next(line for line in lines if norm(line["text"]) == norm("（単位：千円）"))
        head = next(line for line in lines if norm(line["text"]) == "令和3年度令和2年度")  # the table's
        table_right = max(r["x1"] for r in first.rects)
        assert unit["bottom"] < head["top"]
        assert table_right - unit["x1"] < 10


def test_a_heading_beside_its_group_prints_as_one_run_of_text(sample_output: Path) -> None:
    """The 施策 heading and its group badge share a line: the heading's phrases are not
    spread over it (each phrase a flex item)."""
    results = load_for(DATA, get_branch("shizuoka"), FiscalYear(2023), ("kpi-results",)).kpi_results
    assert results is not None
    with pdfplumber.open(sample_output / "kpi-results.pdf") as pdf:
        lines = [line["text"] for page in pdf.pages for line in page.extract_text_lines()]
    for s in results.sections:
        heading = f"{s.number}{s.title}"
        if len(heading) <= 25:
            assert any(line.startswith(heading) and line.endswith(s.group) for line in lines), heading


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["progress", "plan-comparison"])
def test_a_field_going_on_is_labelled_again_at_the_page_top(samples: dict[str, tuple[Document, Path]],
                                                            kind: str, tmp_path: Path) -> None:
    """The vertical 分野 column of a page on which a 分野 goes on opens with 「…（続き）」, the
    label of the 分野 the page before ended in, also where the page opens with the rest of a
    row split over the break; a page that opens with a new 分野 has no such label."""
    doc, _ = samples[kind]
    rendered = pdf_writer.render(doc, WriterOptions())
    split, before = set(), set()
    for number, page in enumerate(rendered.pages, start=1):
        rows = [box.element.get("data-row") for box in page._page_box.descendants()
                if getattr(box, "element_tag", "") == "tr" and box.element.get("data-row")]
        if rows and rows[0] in before:
            split.add(number)
        before = set(rows)
    path = tmp_path / f"{kind}.pdf"
    rendered.write_pdf(path)
    labels = [norm(c.text) for b in doc.blocks if isinstance(b, Table) for row in b.body for c in row.cells
              if c.vertical]
    assert labels
    current, continued, rests = None, 0, 0
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            heads = sorted((w for w in page.extract_words() if norm(w["text"]) == "分野"), key=lambda w: w["top"])
            if not heads:
                continue  # the cover and 基本方針
            column = [c for c in page.chars if c["x0"] < heads[0]["x1"] + 2 and c["top"] > heads[0]["bottom"]]
            text = norm("".join(c["text"] for c in sorted(column, key=lambda c: (c["top"], c["x0"]))))
            opens_new = any(text.startswith(lb) and not text.startswith(f"{lb}(続き)") for lb in labels)
            if current is not None and not opens_new:
                # Where the page holds little of the 分野, only 「（続き）」 fits.
                assert text.startswith((f"{current}(続き)", "(続き)")), (number, text[:30], current)
                continued += 1
                rests += number in split
            # Only at the top: never in the middle of a page.
            assert "(続き)" not in text[len(current or "") + 4:], (number, text)
            for label in labels:  # the 分野 the page ends in: the last label begun on it
                if label in text.replace(f"{label}(続き)", ""):
                    current = label
    assert continued
    if kind == "plan-comparison":  # saitama R5 p8 opens with the rest of a split row
        assert rests


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["progress", "plan-comparison"])
def test_the_labels_printed_again_are_the_bytes_of_a_layout_with_them(
        samples: dict[str, tuple[Document, Path]], kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample laid out once with its labels grafted is the PDF of a layout with them."""
    grafted, laid_out, labels = grafted_and_laid_out(samples[kind][0], monkeypatch)
    assert len(labels) >= 5
    assert grafted == laid_out


def _header_fonts(path: Path, lines: tuple[str, ...]) -> list[set[str]]:
    """Per page, the fonts of the page header's lines (empty where the page has none: a cover)."""
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            top = [line for line in page.extract_text_lines(return_chars=True) if line["top"] < page.height / 8]
            found = [line for line in top if any(norm(h) in norm(line["text"]) for h in lines)]
            out.append({c["fontname"].split("+")[-1] for line in found for c in line["chars"]})
    return out


@pytest.mark.slow
@pytest.mark.parametrize("kind", [s[2] for s in SAMPLES])
def test_page_headers_are_set_in_the_body_font(samples: dict[str, tuple[Document, Path]], kind: str,
                                               tmp_path: Path) -> None:
    """Every page header in BIZ UDゴシック, and `&` printed as `&` (the sample's council with an
    ampersand put into its header lines)."""
    doc, path = samples[kind]
    if not doc.header_lines and kind != "kpi-summary":
        pytest.skip("the sample names no council: no page header (kpi-summary is laid out with one)")
    if not doc.header_lines:  # shizuoka's documents name no council: kpi-summary with one
        doc = replace(doc, header_lines=("機密性2", "第5回静岡支部評議会 資料2"))
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(WRITERS["pdf"](doc, WriterOptions()).data)
    fonts = _header_fonts(path, doc.header_lines)
    assert sum(bool(f) for f in fonts) >= len(fonts) - 1  # the progress sheet's cover has none
    assert all(f <= {"BIZ-UDGothic"} for f in fonts), fonts
    if kind == "kpi-summary":  # one page: quick to lay out again
        amp = replace(doc, header_lines=("R&D 第5回静岡支部評議会 資料2",), legend="A & B <c>")
        out = tmp_path / "amp.pdf"
        out.write_bytes(WRITERS["pdf"](amp, WriterOptions()).data)
        with pdfplumber.open(out) as pdf:
            text = pdf.pages[0].extract_text()
        assert "R&D" in text and "A & B <c>" in text and "&amp;" not in text


@pytest.mark.slow
@pytest.mark.parametrize("kind", [s[2] for s in SAMPLES])
def test_libreoffice_prints_no_docx_page_ending_with_a_heading(samples: dict[str, tuple[Document, Path]],
                                                               kind: str, tmp_path: Path) -> None:
    """Headings (keep_with_next) and section rows (keepNext in every paragraph of the row)."""
    doc, _ = samples[kind]
    path = tmp_path / f"{kind}.docx"
    path.write_bytes(WRITERS["docx"](doc, WriterOptions()).data)
    assert pages_ending_with_a_heading(doc, libreoffice_pdf(path, tmp_path)) == []
