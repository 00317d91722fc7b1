"""ＫＰＩ実績一覧表 (end of seeds/003): every KPI of the year with its computed grade.

Built from the same sections as the KPI 実績 report, never kept as a second copy:
consecutive sections that share a ``summary_title`` form one 施策 row group, and the
KPIs of a group are numbered ①② across it.
"""

from __future__ import annotations

from itertools import groupby

from reportgen.document import Block, Cell, Document, Heading, Row, Table, para
from reportgen.grading import count_line, grade
from reportgen.model.dataset import DataSet
from reportgen.model.kpi import Kpi, KpiResults
from reportgen.reports.common import column_values, columns, context, document, numbered
from reportgen.reports.kpi_common import KPI_COLUMN_KEYS, kpi_cell, statement_text
from reportgen.templating import Template

KIND = "kpi-summary"


def measures(results: KpiResults) -> list[tuple[str, list[Kpi]]]:
    """(施策 name, its KPIs) in document order, sections without KPIs left out."""
    groups = groupby((s for s in results.sections if s.kpis), key=lambda s: s.summary_title)
    return [(title, [k for s in sections for k in s.kpis]) for title, sections in groups]


def build(data: DataSet, template: Template) -> Document:
    results = data.kpi_results
    assert results is not None
    ctx = context(data)
    specs = column_values(template, "columns", choices=("measure", *KPI_COLUMN_KEYS))
    header = Row(tuple(
        Cell((para(template.text("columns", n, "header", **ctx), bold=True),), align="center")
        for n in range(len(specs))
    ))
    body: list[Row] = []
    for title, kpis in measures(results):
        for i, kpi in enumerate(kpis):
            cells = []
            for value in specs:
                if value == "measure":
                    if i == 0:
                        cells.append(Cell((para(title),), rowspan=len(kpis)))
                    continue
                label = statement_text(kpi) if value == "statement" else kpi.indicator
                cells.append(kpi_cell(kpi, value, results.grading,
                                      numbered(i, len(kpis), label)))
            body.append(Row(tuple(cells)))
    grades = [grade(k, results.grading) for _, kpis in measures(results) for k in kpis]
    title = template.text("title", **ctx)
    blocks: list[Block] = [
        Heading(1, title),
        Table(columns(template, "columns"), (header,), tuple(body), label="kpi-summary"),
        para(template.text("count_line", **ctx, counts=count_line(grades, results.grading)),
             align="right"),
    ]
    return document(KIND, data, template, ctx, title, blocks)
