"""KPI 実績 (seeds/003): each 施策 with its group, KPIs, plan and results.

The 施策 follow one another, each kept on one page where it fits (``page_per_section: true``
in the template starts each on a page of its own); one that goes on over a page is headed
there again, 「…（続き）」.
"""

from __future__ import annotations

from collections.abc import Callable

from reportgen import pagerefs
from reportgen.document import (
    Block,
    Cell,
    Chart,
    Column,
    Document,
    Heading,
    NumberFormat,
    PageBreak,
    Row,
    Run,
    Series,
    Table,
    cell,
    para,
)
from reportgen.model.dataset import DataSet
from reportgen.model.kpi import ChartData, KpiResults, KpiSection
from reportgen.reports.common import column_values, columns, context, document, numbered, point
from reportgen.reports.kpi_common import KPI_COLUMN_KEYS, kpi_cell, statement_text
from reportgen.templating import Template

KIND = "kpi-results"
Refer = Callable[[str], tuple[Run, ...]]


def build(data: DataSet, template: Template) -> Document:
    results = data.kpi_results
    assert results is not None
    ctx = context(data)
    blocks: list[Block] = [Heading(1, template.text("title", **ctx))]
    page_per_section = template.flag("page_per_section")
    refer = _references(results, template, ctx)
    for index, section in enumerate(results.sections):
        if index and page_per_section:
            blocks.append(PageBreak())
        blocks.extend(_section(section, results, template, ctx, refer))
    return document(KIND, data, template, ctx, template.text("title", **ctx), blocks)


def _references(results: KpiResults, template: Template, ctx: dict[str, object]) -> Refer:
    """Text with {page:<施策 id>} as runs: the page of that 施策's heading (PDF, DOCX), or the
    template's section_ref, its number and title, where a format has no pages (XLSX)."""
    by_id = {s.id: s for s in results.sections}  # the loader checked every id
    pattern = template.text("labels", "page_ref", **ctx)

    def fallback(anchor: str) -> str:
        section = by_id[anchor]
        return template.text("labels", "section_ref", **ctx, number=section.number, heading=section.title)

    return lambda text: pagerefs.runs(text, fallback, pattern)


def _section(
    section: KpiSection, results: KpiResults, template: Template, ctx: dict[str, object], refer: Refer
) -> list[Block]:
    heading = f"{section.number}{section.title}"
    blocks: list[Block] = [
        Heading(3, section.field, continued=template.text("labels", "continued", **ctx, heading=heading)),
        Heading(2, heading, aside=section.group, anchor=section.id),
    ]
    count = len(section.kpis)
    if count:
        for i, kpi in enumerate(section.kpis):
            blocks.append(para(numbered(i, count, statement_text(kpi))))
            if kpi.note:
                blocks.append(para(kpi.note, size="small"))
        specs = column_values(template, "kpi_table", "columns", choices=KPI_COLUMN_KEYS)
        header = Row(tuple(
            Cell((para(template.text("kpi_table", "columns", n, "header", **ctx), bold=True),),
                 align="center")
            for n in range(len(specs))
        ))
        body = tuple(
            Row(tuple(
                kpi_cell(kpi, value, results.grading,
                         numbered(i, count, kpi.indicator if value == "indicator"
                                  else statement_text(kpi)))
                for value in specs
            ))
            for i, kpi in enumerate(section.kpis)
        )
        blocks.append(Heading(3, template.text("labels", "kpi", **ctx)))
        blocks.append(Table(columns(template, "kpi_table", "columns"), (header,), body, label="kpi"))
        blocks.extend(chart(c) for c in section.charts)  # printed next to the KPI table in the seed
    else:
        blocks.append(para(template.text("labels", "no_kpi", **ctx), bold=True))
    if section.plan or section.results:
        blocks.append(Table(
            columns(template, "plan_table", "widths"),
            (Row((
                Cell((para(template.text("labels", "plan", **ctx), bold=True),), align="center"),
                Cell((para(template.text("labels", "results", **ctx), bold=True),), align="center"),
            )),),
            (Row((
                Cell(tuple(point(p, refer) for p in section.plan) or (para(""),)),
                Cell(tuple(point(p, refer) for p in section.results) or (para(""),)),
            )),),
            label="plan-results",
        ))
    for table in section.tables:
        if table.title:
            blocks.append(Heading(3, table.title))
        blocks.append(Table(
            tuple(Column(1.0) for _ in table.columns),
            (Row(tuple(cell(c, align="center") for c in table.columns)),),
            tuple(Row(tuple(cell(v) for v in r)) for r in table.rows),
            label="extra",
        ))
    return blocks


def chart(data: ChartData) -> Chart:
    """A section's chart as a block: places as the most precise figure, the figures' unit."""
    figures = [q for _, values in data.series for q in values if q is not None]
    figures += [q for q in (data.y_min, data.y_max) if q is not None]
    number_format = NumberFormat(max((q.places for q in figures), default=0), figures[0].unit if figures else "")
    return Chart(
        kind=data.kind, title=data.title, categories=data.categories,
        series=tuple(Series(name, tuple(None if q is None else q.value for q in values))
                     for name, values in data.series),
        number_format=number_format, x_title=data.x_title, y_title=data.y_title,
        y_min=data.y_min.value if data.y_min else None, y_max=data.y_max.value if data.y_max else None,
        label=data.id,
    )
