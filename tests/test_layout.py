"""Pages a council officer prints as they are: what fits on a page, what goes on, headings."""

from __future__ import annotations

from pathlib import Path

from reportgen.branches import get_branch
from reportgen.build import load_for
from reportgen.wareki import FiscalYear
from tests.conftest import DATA, invoke
from tests.extract import norm, pdf_lines

# kpi-results.pdf of the sample had one 施策 per page: 27 pages.
ONE_PER_PAGE = 27


def test_kpi_results_flow_and_head_a_measure_going_on(sample_output: Path) -> None:
    sections = load_for(DATA, get_branch("shizuoka"), FiscalYear(2023), ("kpi-results",)).kpi_results.sections
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


def test_one_measure_per_page_when_the_template_says_so(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "shizuoka/templates").mkdir()
    (data_copy / "shizuoka/templates/kpi-results.yaml").write_text("page_per_section: true\n", encoding="utf-8")
    result = invoke("build", "-b", "shizuoka", "-y", "R5", "--data", str(data_copy), "--output",
                    str(tmp_path), "--report", "kpi-results", "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert len(pdf_lines(tmp_path / "shizuoka/R5/kpi-results.pdf")) >= ONE_PER_PAGE
