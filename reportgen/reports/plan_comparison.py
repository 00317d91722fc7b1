"""事業計画 新旧対照表 (seeds/001): the new year's plan beside last year's, changes underlined.

Built from two years' plan.yaml, never from a typed comparison. In the new column what is
new or changed is underlined; in the old column what was removed or changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet

from reportgen.document import Block, Cell, Column, Document, Heading, Paragraph, Row, Run, Table, para
from reportgen.load.dataset import DataSet
from reportgen.model.plan import Measure, Plan
from reportgen.reports.common import columns, context, document
from reportgen.reports.plan_pairs import pair_plans
from reportgen.templating import Template
from reportgen.textdiff import Marked, mark_paragraphs, unchanged

KIND = "plan-comparison"


def _paragraphs(marked: list[Marked], bold: AbstractSet[int] = frozenset()) -> tuple[Paragraph, ...]:
    """Runs as paragraphs; changed runs underlined, the lines in ``bold`` (headings) bold."""
    return tuple(
        Paragraph(tuple(Run(text, bold=i in bold, underline=changed) for text, changed in runs)
                  or (Run(""),))
        for i, runs in enumerate(marked)
    ) or (para(""),)


def _compare(old: Sequence[str], new: Sequence[str], mark: bool) -> tuple[list[Marked], list[Marked]]:
    if mark:
        return mark_paragraphs(old, new)
    return unchanged(old), unchanged(new)


def _measure_text(measures: Sequence[Measure]) -> tuple[list[str], set[int]]:
    """Heading and paragraphs of one or more measures, and which lines are headings."""
    lines: list[str] = []
    headings: set[int] = set()
    for m in measures:
        headings.add(len(lines))
        lines.append(m.heading)
        lines.extend(p.text for p in m.paragraphs)
    return lines, headings


def _policy(plan: Plan, template: Template, ctx: dict[str, object]) -> list[str]:
    lines = []
    if plan.basic_policy:
        lines.append(template.text("labels", "basic_policy", **ctx))
        lines.extend(f"・{p}" for p in plan.basic_policy)
    if plan.priorities:
        lines.append(template.text("labels", "priorities", **ctx))
        lines.extend(f"・{p}" for p in plan.priorities)
    return lines


def build(data: DataSet, template: Template) -> Document:
    assert data.plan is not None and data.previous is not None and data.previous.plan is not None
    new, old = data.plan, data.previous.plan
    ctx = context(data)
    mark = template.flag("mark_changes")
    header = Row((
        Cell((para(template.text("columns", "field", **ctx), bold=True),), align="center"),
        Cell((para(template.text("columns", "new", **ctx), bold=True),), align="center"),
        Cell((para(template.text("columns", "old", **ctx), bold=True),), align="center"),
    ))
    body: list[Row] = []
    old_policy, new_policy = _compare(_policy(old, template, ctx), _policy(new, template, ctx), mark)
    if old_policy or new_policy:
        body.append(Row((Cell((para(""),)), Cell(_paragraphs(new_policy)), Cell(_paragraphs(old_policy)))))
    for group in pair_plans(new, old):
        rows: list[tuple[Cell, Cell]] = []
        lead_new = list(group.new.lead) if group.new else []
        lead_old = list(group.old.lead) if group.old else []
        if lead_new or lead_old:
            o, n = _compare(lead_old, lead_new, mark)
            rows.append((Cell(_paragraphs(n)), Cell(_paragraphs(o))))
        for pair in group.pairs:
            new_lines, new_heads = _measure_text([pair.new] if pair.new else [])
            old_lines, old_heads = _measure_text(pair.old)
            o, n = _compare(old_lines, new_lines, mark)
            rows.append((Cell(_paragraphs(n, new_heads)), Cell(_paragraphs(o, old_heads))))
        field = group.new or group.old
        assert field is not None
        for i, (n_cell, o_cell) in enumerate(rows):
            # The 分野 column joins over the 分野's rows rather than spanning them: a span taller
            # than a page breaks the layout (the header is not repeated after it).
            label = Cell((para(field.heading if i == 0 else ""),), vertical=i == 0, joined=i > 0)
            body.append(Row((label, n_cell, o_cell)))
    blocks: list[Block] = [Heading(1, template.text("title", **ctx)),
                           Table(columns(template, "widths"), (header,), tuple(body),
                                 label="comparison")]
    if new.notes or old.notes:
        blocks.append(Heading(2, template.text("labels", "notes", **ctx)))
        notes_rows = []
        for i in range(max(len(new.notes), len(old.notes))):
            n_note = new.notes[i] if i < len(new.notes) else None
            o_note = old.notes[i] if i < len(old.notes) else None
            o, n = _compare([o_note.title, *o_note.paragraphs] if o_note else [],
                            [n_note.title, *n_note.paragraphs] if n_note else [], mark)
            notes_rows.append(Row((Cell(_paragraphs(n, {0})), Cell(_paragraphs(o, {0})))))
        blocks.append(Table((Column(1), Column(1)), (Row(header.cells[1:]),), tuple(notes_rows), label="notes"))
    return document(KIND, data, template, ctx, template.text("title", **ctx), blocks)
