"""事業計画実施状況（第N四半期） (seeds/000): the plan, item by item, with this quarter's progress.

Plan text and KPI come from plan.yaml; progress text, marks and figure tables from
progress/Q<N>.yaml by 取組 id. Figure tables' 合計 and 対比 are computed. A cover (council,
date, title) and the plan's 基本方針 and 重点施策 come first; then a summary of the marks per
分野 opens the sheet, on whose every page the legend prints.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from reportgen.document import (
    Block,
    Cell,
    Column,
    Document,
    Heading,
    NumberFormat,
    PageBreak,
    Paragraph,
    Row,
    Run,
    Table,
    cell,
    para,
)
from reportgen.model.dataset import DataSet
from reportgen.model.plan import Measure, PlanField
from reportgen.model.progress import MARKS, FigureRow, FigureTable, Progress, ProgressEntry, period_months
from reportgen.model.quantity import Quantity
from reportgen.numbers import format_percent, round_half_up
from reportgen.reports.common import CIRCLED, columns, context, council_lines, document
from reportgen.reports.kpi_common import value_cell
from reportgen.templating import Template
from reportgen.wareki import FiscalYear, Quarter, month_range

KIND = "progress"
COUNT = NumberFormat(0)  # a count of marks
KPI_MARK = "■"  # a plan line that states a KPI
QUARTER_COLUMNS = ("４～６月", "７～９月", "１０～１２月", "１～３月")


def period_label(row: FigureRow, quarter: Quarter, fy: FiscalYear, keep_old_era: bool) -> str:
    """cumulative → 令和2年4月～12月; quarter → 令和2年10月～12月 (for ``fy``'s months, so the
    前年同期 of the same row reads 平成31年4月～12月); ``through`` ends the range earlier."""
    first, last = period_months(row.period, fy, quarter.number)
    return month_range(first, fy.month(row.through) if row.through else last, keep_old_era=keep_old_era)


def _figure_cell(value: object, previous: object = None) -> Cell:
    base = value_cell(value)  # type: ignore[arg-type]
    if previous is None:
        return base
    shown = previous.format() if hasattr(previous, "format") else str(previous)
    return Cell((*base.content, para(f"（{shown}）")), align=base.align, number=base.number,
                number_format=base.number_format)


def _percent(part: Decimal, whole: Decimal) -> str:
    return format_percent(round_half_up(part / whole * 100, 1))


def _ratio(row: FigureRow) -> str:
    total = row.total
    if not isinstance(total, Quantity) or row.previous_total is None or row.previous_total.value == 0:
        return "－"
    return _percent(total.value, row.previous_total.value)


def _comparison_ratio(value: object, previous: object) -> str:
    """本年 ÷ 前年 for counts and amounts of one unit; a ratio of rates means nothing here."""
    if not (isinstance(value, Quantity) and isinstance(previous, Quantity)):
        return ""
    if value.unit != previous.unit or value.is_percent or previous.value == 0:
        return ""
    return _percent(value.value, previous.value)


def _row_label(row: FigureRow, quarter: Quarter, keep_old_era: bool, *, with_previous: bool) -> Cell:
    fy = quarter.fiscal_year
    lines = [row.label or period_label(row, quarter, fy, keep_old_era)]
    if with_previous:
        previous = row.previous_label if row.label else period_label(row, quarter, fy.previous(), keep_old_era)
        if previous:
            lines.append(f"（{previous}）")
    return Cell(tuple(para(t) for t in lines))


def figure_table(table: FigureTable, quarter: Quarter, labels: dict[str, str], keep_old_era: bool) -> Table:
    corner = table.title or ""
    if table.quarterly:
        extra = (labels["previous"], labels["ratio"]) if table.has_previous else ()
        header = (corner, *QUARTER_COLUMNS, labels["total"], *extra)
        body = []
        for row in table.rows:
            quarters = [value_cell(q) for q in row.quarters]
            quarters += [cell("", align="center") for _ in range(4 - len(quarters))]
            tail = (value_cell(row.previous_total), cell(_ratio(row), align="right")) if extra else ()
            body.append(Row((_row_label(row, quarter, keep_old_era, with_previous=False), *quarters,
                             value_cell(row.total), *tail)))
        widths: tuple[float, ...] = (1.6, 1, 1, 1.1, 1, 1.1, *((1.1, 0.9) if extra else ()))
    elif table.comparison:
        header = (corner, labels["this_year"], labels["last_year"], labels["ratio"])
        body = []
        for row in table.rows:
            value = row.values[0] if row.values else ""
            previous = row.previous[0] if row.previous else ""
            body.append(Row((_row_label(row, quarter, keep_old_era, with_previous=False), value_cell(value),
                             value_cell(previous), cell(_comparison_ratio(value, previous), align="right"))))
        widths = (1.6, 1.2, 1.2, 0.9)
    else:
        width = len(table.columns) or max(len(r.values) for r in table.rows)
        header = (corner, *table.columns) if table.columns or corner else ()
        body = []
        for row in table.rows:
            cells = [_figure_cell(v, row.previous[i] if i < len(row.previous) else None)
                     for i, v in enumerate(row.values)]
            cells += [cell("") for _ in range(width - len(cells))]
            body.append(Row((_row_label(row, quarter, keep_old_era, with_previous=bool(row.previous)), *cells)))
        widths = (1.6, *([1.0] * width))
        if not table.columns and corner:  # a title over a table without columns spans it
            return Table(tuple(Column(w) for w in widths),
                         (Row((Cell((para(corner),), align="center", colspan=len(widths)),)),),
                         tuple(body), label="figure")
    head = (Row(tuple(cell(h, align="center") for h in header)),) if header else ()
    return Table(tuple(Column(w) for w in widths), head, tuple(body), label="figure")


def mark_counts(progress: Progress, fields: tuple[PlanField, ...]) -> dict[str, Counter[str]]:
    """Marks printed per 分野 (a 取組's mark and its KPI mark), in plan order."""
    entries = progress.by_item()
    counts: dict[str, Counter[str]] = {}
    for field in fields:
        counter: Counter[str] = Counter()
        for m in field.measures:
            for p in m.paragraphs:
                entry = entries.get(p.id or "")
                if entry:
                    counter.update(m for m in (entry.mark, *entry.kpi_marks) if m)
        counts[field.heading] = counter
    return counts


def _summary(progress: Progress, fields: tuple[PlanField, ...], labels: dict[str, str]) -> Table:
    counts = mark_counts(progress, fields)
    total: Counter[str] = Counter()
    for c in counts.values():
        total.update(c)
    rows = [Row((cell(name), *(Cell((para(str(c[m])),), align="center", number=Decimal(c[m]),
                                    number_format=COUNT)
                               for m in MARKS)))
            for name, c in (*counts.items(), (labels["all"], total))]
    header = Row((cell(labels["field"], align="center"), *(cell(m, align="center") for m in MARKS)))
    return Table((Column(4), *(Column(1) for _ in MARKS)), (header,), tuple(rows), label="mark-summary")


def _item_number(text: str) -> tuple[str, str]:
    """'① 適切な…' → ('①', '適切な…'): the 項目 column shows the mark, the text the rest."""
    if text[:1] in CIRCLED:
        return text[0], text[1:].lstrip()
    return "", text


def build(data: DataSet, template: Template) -> Document:
    assert data.plan is not None and data.progress is not None
    plan, progress = data.plan, data.progress
    quarter = data.meta.fiscal_year.quarter(progress.quarter)
    ctx = {**context(data), "quarter": quarter.label}
    labels = {key: template.text("labels", key, **ctx) for key in template.raw("labels")}
    entries = progress.by_item()
    # The cover (seeds/000): the council and its date, the sheet's title and quarter.
    council = council_lines(data, template)  # the date first, as the seed prints it
    blocks: list[Block] = [
        *(para(line, align="right", size="large") for line in (*council[1:], *council[:1])),
        Heading(1, template.text("cover", "title", **ctx)),
        para(template.text("cover", "subtitle", **ctx), align="center", size="large"),
        PageBreak(ends="cover"),
        Heading(1, template.text("cover_title", **ctx)),
    ]
    for key, lines in (("basic_policy", plan.basic_policy), ("priorities", plan.priorities)):
        if lines:
            blocks.append(Heading(2, labels[key]))
            blocks.extend(Paragraph((Run(line),), bullet="・", size="large") for line in lines)
    title = template.text("title", **ctx)
    blocks += [PageBreak(ends="front"), Heading(1, title), Heading(3, labels["summary"]),
               _summary(progress, plan.fields, labels), PageBreak()]
    header = Row(tuple(Cell((para(labels[k], bold=True),), align="center")
                       for k in ("field", "item", "plan", "progress", "mark")))
    body: list[Row] = []
    for field in plan.fields:
        for measure in field.measures:
            # The 分野 is printed again beside each 施策, so that nearly every page shows it, as
            # the handout (one table per page) does; the rows below it join it without a rule.
            for i, row_cells in enumerate(_measure_rows(measure, entries, quarter, labels,
                                                        data.meta.keep_heisei31)):
                label = Cell((para(field.heading if i == 0 else ""),), vertical=i == 0, joined=i > 0)
                body.append(Row((label, *row_cells)))
    blocks.append(Table(columns(template, "widths"), (header,), tuple(body),
                        label="progress"))
    return document(KIND, data, template, ctx, title, blocks, legend=template.text("legend", **ctx),
                    quarter=progress.quarter)


def _measure_rows(measure: Measure, entries: dict[str, ProgressEntry], quarter: Quarter,
                  labels: dict[str, str], keep_old_era: bool) -> list[tuple[Cell, ...]]:
    """One row per 取組; the measure's heading opens the plan cell of its first row (a row of
    its own would be short, and the vertical 分野 label needs a tall first row)."""
    heading = para(measure.heading, bold=True)
    rows: list[tuple[Cell, ...]] = []
    for p in measure.paragraphs or ():
        number, text = _item_number(p.text)
        entry = entries.get(p.id or "")
        lines = text.split("\n")
        plan_cell = Cell((heading, *map(para, lines)) if not rows else tuple(map(para, lines)))
        if entry is None:
            rows.append((cell(number, align="center"), plan_cell, cell(""), cell("")))
            continue
        # The progress column repeats the plan's KPI line(s) above the progress on them.
        kpi_lines = [line for line in lines if line.startswith(KPI_MARK)]
        texts = (*entry.text, *kpi_lines, *entry.kpi)
        progress_cell = Cell(tuple(para(t) for t in texts) or (para(""),),
                             tables=tuple(figure_table(t, quarter, labels, keep_old_era) for t in entry.tables))
        marks = tuple(para(m, size="large") for m in (entry.mark, *entry.kpi_marks))
        rows.append((cell(number, align="center"), plan_cell, progress_cell, Cell(marks, align="center")))
    return rows or [(cell(""), Cell((heading,)), cell(""), cell(""))]
