"""annual-summary built by the CLI for 本部 R2, read back from the PDF, XLSX and DOCX: every
figure of seeds/004's series, monthly, satisfaction and KPI tables is there, in one row of
each format, with 前年度比, 計, headlines and the count line computed and equal to the seed
(the seed's own inconsistencies excepted: see annual_seed.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reportgen.reports.annual_summary import western_era_date
from tests.annual_seed import (
    COUNT_LINE,
    HEADLINE_LINES,
    KPI_LINES,
    MONTHLY_LINES,
    MONTHLY_MISMATCHES,
    SATISFACTION_LINES,
    SERIES_LINES,
    SERIES_MISMATCHES,
    figures,
    kpi_row,
    line,
)
from tests.extract import docx_tables, docx_text, norm, pdf_text, xlsx_rows, xlsx_text

pytestmark = pytest.mark.slow
FIGURE = re.compile(r"▲?\d[\d,]*(?:\.\d+)?%?")
YEARS = range(2011, 2021)


@pytest.fixture
def built(annual_output: Path) -> Path:
    return annual_output


def expected_rows() -> list[list[str]]:
    """Each seed table row as its figures in reading order (a series value, then its 前年度比)."""
    rows = []
    for item_id, (values_line, rates_line) in SERIES_LINES.items():
        rates = [SERIES_MISMATCHES.get((item_id, y), (r, r))[1] for y, r in zip(YEARS, figures(rates_line),
                                                                                   strict=True)]
        rows.append([f for pair in zip(figures(values_line)[-10:], rates, strict=True) for f in pair])
    for key, number in MONTHLY_LINES.items():
        *months, total = figures(number)
        rows.append([*months, MONTHLY_MISMATCHES.get(key, (total, total))[1]])
    for number in SATISFACTION_LINES:
        rows.append(figures(number))
    for number in KPI_LINES:
        target, result, status = kpi_row(number)
        rows.append([*FIGURE.findall(target), *FIGURE.findall(result), status])
    return rows


def row_figures(cells: list) -> list[str]:
    text = " ".join(norm(str(c)).replace("(", " ").replace(")", " ") for c in cells if c is not None)
    found = FIGURE.findall(text)
    last = norm(str(cells[-1] or ""))
    return found + ([last] if last in ("達成", "概ね達成", "未達成") else [])


def assert_each_row_found(rows: list[list]) -> None:
    have = [row_figures(r) for r in rows]
    missing = []
    for want in expected_rows():
        # a KPI row's statement may carry figures of its own (92％以上): compare the row's end
        if not any(h[-len(want):] == want for h in have):
            missing.append(want)
    assert not missing


def test_pdf_has_every_figure_and_line(built: Path) -> None:
    text = pdf_text(built / "annual-summary.pdf")
    flat = norm(text)
    for item_id, (values_line, rates_line) in SERIES_LINES.items():
        assert norm("".join(figures(values_line)[-10:])) in flat
        rates = [SERIES_MISMATCHES.get((item_id, y), (r, r))[1] for y, r in zip(YEARS, figures(rates_line),
                                                                                   strict=True)]
        assert norm("".join(f"({r})" for r in rates)) in flat
    for key, number in MONTHLY_LINES.items():
        *months, total = figures(number)
        assert norm("".join([*months, MONTHLY_MISMATCHES.get(key, (total, total))[1]])) in flat
    for number in SATISFACTION_LINES:
        assert norm(line(number)) in flat
    for number in KPI_LINES:
        assert norm("".join(kpi_row(number))) in flat
    for number in HEADLINE_LINES:
        for headline in re.findall(r"[●（]?[^●（：]+：[^（]+（[^）]+）+", line(number)):
            assert norm(headline) in flat, headline
    assert norm("事業期間：2020（令和2）年4月1日～2021（令和3）年3月31日") in flat
    assert norm(line(COUNT_LINE)) in flat
    assert norm("※「概ね達成」は達成度95％以上としている。") in flat


def test_xlsx_has_each_row(built: Path) -> None:
    assert_each_row_found(xlsx_rows(built / "annual-summary.xlsx", shown=True, collapse=True))
    text = norm(" ".join(str(c) for r in xlsx_rows(built / "annual-summary.xlsx", shown=True) for c in r if c))
    assert norm(line(COUNT_LINE)) in text


def test_docx_has_each_row(built: Path) -> None:
    rows = [r for t in docx_tables(built / "annual-summary.docx") for r in t]
    assert_each_row_found(rows)


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_count_line_and_its_note_in_docx_and_xlsx(built: Path, fmt: str) -> None:
    text = norm(docx_text(built / "annual-summary.docx") if fmt == "docx" else xlsx_text(built / "annual-summary.xlsx"))
    assert norm(line(COUNT_LINE)) in text
    assert norm("※「概ね達成」は達成度95％以上としている。") in text


def test_kpi_grades_are_in_their_rows(built: Path) -> None:
    """Each KPI row of the DOCX ends with target, result and the computed grade of the seed."""
    rows = [r for t in docx_tables(built / "annual-summary.docx") for r in t if len(r) == 5][1:]
    body = [r for r in rows if r[-1] in ("達成", "概ね達成", "未達成")]
    assert [(norm(r[2]), norm(r[3]), r[4]) for r in body] == [
        tuple(norm(x) for x in kpi_row(n)) for n in KPI_LINES]


def test_period_is_computed_from_the_fiscal_year() -> None:
    from datetime import date
    assert western_era_date(date(2020, 4, 1)) == "2020（令和2）年4月1日"
    assert western_era_date(date(2019, 5, 1)) == "2019（令和元）年5月1日"
