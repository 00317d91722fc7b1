"""事業計画（案）及び保険者機能強化予算（案） (seeds/002): plan and budget, new year beside old.

Each measure's budget items stand beside it; subtotals per 分野, the total per year and the
change from last year are computed from the items, never typed. Amounts print in 千円.
"""

from __future__ import annotations

from decimal import Decimal

from reportgen.document import Block, Cell, Document, Heading, NumberFormat, Paragraph, Row, Run, Table, para
from reportgen.model.dataset import DataSet
from reportgen.model.plan import Budget, BudgetItem, Measure, PlanField
from reportgen.numbers import format_number
from reportgen.reports.common import columns, context, document
from reportgen.reports.plan_pairs import pair_plans
from reportgen.templating import Template

KIND = "plan-budget"
EMPTY = Cell((para(""),))


def amount_cell(value: Decimal, bold: bool = False) -> Cell:
    return Cell((para(format_number(value), bold=bold),), align="right", number=value,
                number_format=NumberFormat(0))


def _plan_lines(measures: tuple[Measure, ...]) -> list[Paragraph]:
    lines: list[Paragraph] = []
    for m in measures:
        lines.append(Paragraph((Run(m.heading, bold=True),)))
        lines.extend(Paragraph((Run(p.text),)) for p in m.paragraphs)
    return lines


def _plan_cell(lines: list[Paragraph], row: int) -> Cell:
    """One paragraph of a measure's text; the paragraphs of one measure form one joined column,
    so a long measure breaks across pages between paragraphs."""
    return Cell((lines[row] if row < len(lines) else para(""),), joined=row > 0)


def _items(budget: Budget, field: PlanField | None, measures: set[str] | None) -> list[BudgetItem]:
    """Items of ``field`` funding one of ``measures``; with None, the items tied to no measure."""
    section = budget.section(field.id) if field else None
    if section is None:
        return []
    if measures is None:
        return [i for i in section.items if i.measure is None]
    return [i for i in section.items if i.measure in measures]


def _item_cells(items: list[BudgetItem], row: int) -> tuple[Cell, Cell]:
    if row < len(items):
        return Cell((para(items[row].title),)), amount_cell(items[row].amount_thousand_yen)
    return EMPTY, EMPTY


def build(data: DataSet, template: Template) -> Document:
    assert data.plan and data.budget and data.previous and data.previous.plan and data.previous.budget
    new_budget, old_budget = data.budget, data.previous.budget
    ctx = context(data)
    label = {key: template.text("labels", key, **ctx) for key in template.raw("labels")}
    header = (
        Row((Cell((para(label["new_year"], bold=True),), colspan=3, align="center"),
             Cell((para(label["old_year"], bold=True),), colspan=3, align="center"))),
        Row(tuple(Cell((para(label[k], bold=True),), align="center")
                  for k in ("plan", "item", "amount", "plan", "item", "amount"))),
    )
    body: list[Row] = []
    for group in pair_plans(data.plan, data.previous.plan):
        new_field = group.new.printed_heading if group.new else ""
        old_field = group.old.printed_heading if group.old else ""
        lead = (Cell((para(new_field, bold=True), *(para(t) for t in (group.new.lead if group.new else ()))),
                     colspan=3),
                Cell((para(old_field, bold=True), *(para(t) for t in (group.old.lead if group.old else ()))),
                     colspan=3))
        body.append(Row(lead, keep_with_next=True))
        for pair in group.pairs:
            new_items = _items(new_budget, group.new, {pair.new.id} if pair.new else set())
            old_items = _items(old_budget, group.old, {o.id for o in pair.old})
            new_lines = _plan_lines((pair.new,) if pair.new else ())
            old_lines = _plan_lines(pair.old)
            rows = max(1, len(new_items), len(old_items), len(new_lines), len(old_lines))
            for r in range(rows):
                # The measure's heading line stays with its first paragraph.
                body.append(Row((
                    _plan_cell(new_lines, r), *_item_cells(new_items, r),
                    _plan_cell(old_lines, r), *_item_cells(old_items, r),
                ), keep_with_next=r == 0 and rows > 1))
        loose_new, loose_old = _items(new_budget, group.new, None), _items(old_budget, group.old, None)
        for r in range(max(len(loose_new), len(loose_old))):
            body.append(Row((EMPTY, *_item_cells(loose_new, r), EMPTY, *_item_cells(loose_old, r))))
        new_sec = new_budget.section(group.new.id) if group.new else None
        old_sec = old_budget.section(group.old.id) if group.old else None
        body.append(Row((
            Cell((para(label["subtotal"], bold=True),), colspan=2, align="right"),
            amount_cell(new_sec.subtotal if new_sec else Decimal(0), bold=True),
            Cell((para(label["subtotal"], bold=True),), colspan=2, align="right"),
            amount_cell(old_sec.subtotal if old_sec else Decimal(0), bold=True),
        )))
    body.append(Row((
        Cell((para(label["total"], bold=True),), colspan=2, align="right"),
        amount_cell(new_budget.total, bold=True),
        Cell((para(label["total"], bold=True),), colspan=2, align="right"),
        amount_cell(old_budget.total, bold=True),
    )))
    body.append(Row((
        Cell((para(label["change"], bold=True),), colspan=2, align="right"),
        amount_cell(new_budget.total - old_budget.total, bold=True),
        Cell((para(""),), colspan=3),
    )))
    title = template.text("title", **ctx)
    blocks: list[Block] = [
        Heading(1, title),
        para(template.text("labels", "unit_note", **ctx), align="right", size="small"),
        Table(columns(template, "widths"), header, tuple(body), label="plan-budget"),
    ]
    return document(KIND, data, template, ctx, title, blocks)
