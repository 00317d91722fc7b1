"""事業計画 新旧対照表 (seeds/001): the new year's plan beside last year's, changes marked.

Built from two years' plan.yaml, never from a typed comparison. What changed is marked as
whole phrases (``reportgen.textdiff``); how, and where, is the branch's house style, set in
the template (``marks``): the column that carries the marks (old, new or both), the mark
(underline, double underline, bold), the parts that are marked, paragraphs never marked
(the KPI lines of the seed), and whether a 備考 column names each change, unchanged
paragraphs are shortened to （略）, and a change summary closes the document.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from reportgen.document import Block, Cell, Column, Document, Heading, Paragraph, Row, Run, Table, para
from reportgen.model.dataset import DataSet
from reportgen.model.plan import Measure, Plan
from reportgen.reports.common import context, document
from reportgen.reports.plan_pairs import FieldGroup, Pair, pair_plans
from reportgen.templating import Template
from reportgen.textdiff import Marked, body, mark_paragraphs, unchanged

KIND = "plan-comparison"
SIDES = ("old", "new", "both")
MARKS = ("underline", "double", "bold")
SECTIONS = ("policy", "measures", "notes")
KINDS = ("new", "removed", "merged", "renamed", "moved", "changed", "added", "deleted")


@dataclass(frozen=True)
class Style:
    """The branch's house style for marking changes, read and checked from the template."""

    mark: bool
    side: str
    style: str
    sections: AbstractSet[str]
    unmarked: tuple[re.Pattern[str], ...]
    renumbered_heading_whole: bool
    remarks: bool
    omit_unchanged: bool
    summary: bool

    def marks(self, section: str) -> bool:
        return self.mark and section in self.sections

    def run(self, text: str, changed: bool, bold: bool) -> Run:
        if not changed:
            return Run(text, bold=bold)
        if self.style == "bold":
            return Run(text, bold=True)
        return Run(text, bold=bold, underline="double" if self.style == "double" else True)


def read_style(template: Template) -> Style:
    marks = ("marks",)
    template.known_keys(marks, ("side", "style", "sections", "unmarked", "renumbered_heading_whole"))
    template.known_keys(("remarks",), ("show", "width", "kinds"))
    template.known_keys(("summary",), ("show", "heading", "none", "widths", "columns", "kinds"))
    patterns = []
    raw = template.raw(*marks, "unmarked")
    if not isinstance(raw, list):
        raise template.error((*marks, "unmarked"), "正規表現の一覧で書いてください。")
    for i, source in enumerate(raw):
        try:
            patterns.append(re.compile(str(source)))
        except re.error as exc:
            raise template.error((*marks, "unmarked", i), f"正規表現「{source}」が読めません: {exc}") from None
    return Style(
        mark=template.flag("mark_changes"),
        side=template.choice(*marks, "side", choices=SIDES),
        style=template.choice(*marks, "style", choices=MARKS),
        sections=frozenset(template.choices(*marks, "sections", choices=SECTIONS)),
        unmarked=tuple(patterns),
        renumbered_heading_whole=template.flag(*marks, "renumbered_heading_whole"),
        remarks=template.flag("remarks", "show"),
        omit_unchanged=template.flag("omit_unchanged"),
        summary=template.flag("summary", "show"),
    )


# --- marking ---------------------------------------------------------------------------------

def _compare(old: Sequence[str], new: Sequence[str], style: Style, section: str) -> tuple[list[Marked], list[Marked]]:
    if not style.marks(section):
        return unchanged(old), unchanged(new)
    o, n = mark_paragraphs(old, new)
    o, n = [_unmark(m, style) for m in o], [_unmark(m, style) for m in n]
    if style.side == "old":
        n = unchanged(new)
    elif style.side == "new":
        o = unchanged(old)
    return o, n


def _unmark(runs: Marked, style: Style) -> Marked:
    text = "".join(t for t, _ in runs)
    if any(p.search(text) for p in style.unmarked):
        return [(text, False)] if text else []
    return runs


def _whole(runs: Marked) -> Marked:
    text = "".join(t for t, _ in runs)
    return [(text, True)] if text else []


def _paragraphs(marked: list[Marked], style: Style, bold: AbstractSet[int] = frozenset()) -> tuple[Paragraph, ...]:
    """Runs as paragraphs in the house style; the lines in ``bold`` (headings) bold."""
    return tuple(
        Paragraph(tuple(style.run(text, changed, i in bold) for text, changed in runs) or (Run(""),))
        for i, runs in enumerate(marked)
    ) or (para(""),)


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


def _number(measure: Measure) -> str:
    return re.sub(r"\D", "", measure.number.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


# --- what changed, measure by measure --------------------------------------------------------

@dataclass(frozen=True)
class Change:
    kind: str  # one of KINDS
    new: Measure | None
    old: tuple[Measure, ...]


def _moved(new: Plan, old: Plan) -> set[str]:
    """Ids of measures kept in both years whose 分野 or place among the others changed."""
    old_field = {m.id: f.id for f in old.fields for m in f.measures}
    new_field = {m.id: f.id for f in new.fields for m in f.measures}
    common = [i for i in new_field if i in old_field]
    old_order = [i for i in old_field if i in new_field]
    kept: set[str] = set()
    for block in difflib.SequenceMatcher(None, old_order, common, autojunk=False).get_matching_blocks():
        kept.update(old_order[block.a:block.a + block.size])
    return {i for i in common if i not in kept or old_field[i] != new_field[i]}


def measure_changes(pair: Pair, moved: AbstractSet[str]) -> list[Change]:
    """The kinds of change of one row: 新設, 削除, 統合, 名称変更, 移動, 変更."""
    if pair.new is None:
        return [Change("removed", None, pair.old)]
    if not pair.old:
        return [Change("new", pair.new, ())]
    out = []
    absorbed = tuple(m for m in pair.old if m.id != pair.new.id)
    if absorbed:
        out.append(Change("merged", pair.new, absorbed))
    same = next((m for m in pair.old if m.id == pair.new.id), None)
    if same is not None and same.title != pair.new.title:
        out.append(Change("renamed", pair.new, (same,)))
    if pair.new.id in moved:
        out.append(Change("moved", pair.new, tuple(m for m in pair.old if m.id == pair.new.id)))
    if not out and [p.text for m in pair.old for p in m.paragraphs] != [p.text for p in pair.new.paragraphs]:
        out.append(Change("changed", pair.new, pair.old))
    return out


def _paragraph_changes(old: Sequence[str], new: Sequence[str]) -> list[tuple[str, str]]:
    """(kind, label) of each paragraph added, deleted, changed or moved: 追加, 削除, 変更, 移動.
    Paragraphs are compared without their numbers, as the marks are (``textdiff.body``): ③ →
    ④ with the same text is no change, and the same text elsewhere in the measure a move."""
    old_bodies, new_bodies = [body(p) for p in old], [body(p) for p in new]
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old_bodies, new_bodies, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        out.extend(("moved", _label(new[j], j)) for j in range(j1, j2) if new_bodies[j] in old_bodies)
        olds = [i for i in range(i1, i2) if old_bodies[i] not in new_bodies]
        news = [j for j in range(j1, j2) if new_bodies[j] not in old_bodies]
        pairs = min(len(olds), len(news)) if op == "replace" else 0
        out.extend(("changed", _label(new[j], j)) for j in news[:pairs])
        out.extend(("added", _label(new[j], j)) for j in news[pairs:])
        out.extend(("deleted", "旧" + _label(old[i], i)) for i in olds[pairs:])
    return out


_OWN_NUMBER = re.compile(r"^\s*([①-⑳]|[(（][0-9０-９]+[)）]|■\s*KPI|■)")


def _label(text: str, index: int) -> str:
    m = _OWN_NUMBER.match(text)
    return m.group(1) if m else f"第{index + 1}段落"


def _remarks(pair: Pair, changes: list[Change], template: Template, ctx: dict[str, object]) -> list[str]:
    kinds = lambda kind: template.text("remarks", "kinds", kind, **ctx)  # noqa: E731
    lines = []
    for change in changes:
        if change.kind == "merged":
            lines.append(kinds("merged") + "・".join(m.heading for m in change.old))
        elif change.kind == "renamed":
            lines.append(kinds("renamed") + "旧 " + change.old[0].heading)
        else:
            lines.append(kinds(change.kind))
    if pair.new is not None and pair.old:
        old_paragraphs = [p.text for m in pair.old for p in m.paragraphs]
        for kind, label in _paragraph_changes(old_paragraphs, [p.text for p in pair.new.paragraphs]):
            lines.append(f"{label}{kinds(kind)}")
    return lines


# --- (略) ------------------------------------------------------------------------------------

def _omit_unchanged(old: list[Marked], new: list[Marked], old_lines: list[str], new_lines: list[str],
                    old_heads: set[int], new_heads: set[int], omitted: str
                    ) -> tuple[list[Marked], list[Marked], set[int], set[int]]:
    """Runs of paragraphs the same in both years become one （略） line on each side."""
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    o_out: list[Marked] = []
    n_out: list[Marked] = []
    o_heads: set[int] = set()
    n_heads: set[int] = set()
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        keep_o = [i for i in range(i1, i2) if i in old_heads]
        keep_n = [j for j in range(j1, j2) if j in new_heads]
        if op == "equal" and i2 - i1 > len(keep_o):
            for i in keep_o:
                o_heads.add(len(o_out))
                o_out.append(old[i])
            for j in keep_n:
                n_heads.add(len(n_out))
                n_out.append(new[j])
            o_out.append([(omitted, False)])
            n_out.append([(omitted, False)])
            continue
        for i in range(i1, i2):
            if i in old_heads:
                o_heads.add(len(o_out))
            o_out.append(old[i])
        for j in range(j1, j2):
            if j in new_heads:
                n_heads.add(len(n_out))
            n_out.append(new[j])
    return o_out, n_out, o_heads, n_heads


# --- the document ----------------------------------------------------------------------------

def build(data: DataSet, template: Template) -> Document:
    assert data.plan is not None and data.previous is not None and data.previous.plan is not None
    new, old = data.plan, data.previous.plan
    ctx = context(data)
    style = read_style(template)
    widths = list(template.widths("widths"))
    headings = [template.text("columns", key, **ctx) for key in ("field", "new", "old")]
    if style.remarks:
        widths.append(template.number("remarks", "width", low=0.01, high=1000))
        headings.append(template.text("columns", "remarks", **ctx))
    header = Row(tuple(Cell((para(h, bold=True),), align="center") for h in headings))
    omitted = template.text("omitted", **ctx)
    body: list[Row] = []
    old_policy, new_policy = _compare(_policy(old, template, ctx), _policy(new, template, ctx), style, "policy")
    if old_policy or new_policy:
        extra = (Cell((para(""),)),) if style.remarks else ()
        body.append(Row((Cell((para(""),)), Cell(_paragraphs(new_policy, style)),
                         Cell(_paragraphs(old_policy, style)), *extra)))
    moved = _moved(new, old)
    summary: list[Change] = []
    groups = pair_plans(new, old)
    for group in groups:
        body.extend(_group_rows(group, moved, style, template, ctx, omitted, summary))
    blocks: list[Block] = [Heading(1, template.text("title", **ctx)),
                           Table(tuple(Column(w) for w in widths), (header,), tuple(body), label="comparison")]
    if new.notes or old.notes:
        blocks.append(Heading(2, template.text("labels", "notes", **ctx)))
        notes_rows = []
        for i in range(max(len(new.notes), len(old.notes))):
            n_note = new.notes[i] if i < len(new.notes) else None
            o_note = old.notes[i] if i < len(old.notes) else None
            o, n = _compare([o_note.title, *o_note.paragraphs] if o_note else [],
                            [n_note.title, *n_note.paragraphs] if n_note else [], style, "notes")
            notes_rows.append(Row((Cell(_paragraphs(n, style, {0})), Cell(_paragraphs(o, style, {0})))))
        blocks.append(Table((Column(1), Column(1)), (Row(header.cells[1:3]),), tuple(notes_rows), label="notes"))
    if style.summary:
        blocks.extend(_summary(summary, template, ctx))
    return document(KIND, data, template, ctx, template.text("title", **ctx), blocks)


def _whole_headings(pair: Pair, old: list[Marked], new: list[Marked], old_heads: set[int], new_heads: set[int],
                    style: Style) -> tuple[list[Marked], list[Marked]]:
    """Headings marked whole, number included (the text marks leave every paragraph's number
    unmarked): a measure added or removed (seeds/001: 「<u>（5）その他保健事業</u>」), and, if the
    house style says so, one whose number changed (「<u>（6）広報の有効活用…</u>」); a heading
    whose number stayed keeps its number unmarked (「（2）<u>保健指導の拡充…</u>」)."""
    def whole(measure: Measure, others: Sequence[Measure]) -> bool:
        return not others or (style.renumbered_heading_whole and any(_number(m) != _number(measure) for m in others))

    if style.side != "new":
        heads = dict(zip(sorted(old_heads), pair.old, strict=True))
        others = [pair.new] if pair.new else []
        old = [_whole(r) if i in heads and whole(heads[i], others) else r for i, r in enumerate(old)]
    if style.side != "old" and pair.new is not None:
        same = [m for m in pair.old if m.id == pair.new.id] or list(pair.old)
        new = [_whole(r) if i in new_heads and whole(pair.new, same) else r for i, r in enumerate(new)]
    return old, new


def _group_rows(group: FieldGroup, moved: AbstractSet[str], style: Style, template: Template,
                ctx: dict[str, object], omitted: str, summary: list[Change]) -> list[Row]:
    rows: list[tuple[Cell, ...]] = []
    lead_new = list(group.new.lead) if group.new else []
    lead_old = list(group.old.lead) if group.old else []
    if lead_new or lead_old:
        o, n = _compare(lead_old, lead_new, style, "measures")
        rows.append((Cell(_paragraphs(n, style)), Cell(_paragraphs(o, style)),
                     *((Cell((para(""),)),) if style.remarks else ())))
    for pair in group.pairs:
        new_lines, new_heads = _measure_text([pair.new] if pair.new else [])
        old_lines, old_heads = _measure_text(pair.old)
        o, n = _compare(old_lines, new_lines, style, "measures")
        if style.marks("measures"):
            o, n = _whole_headings(pair, o, n, old_heads, new_heads, style)
        if style.omit_unchanged:
            o, n, old_heads, new_heads = _omit_unchanged(o, n, old_lines, new_lines, old_heads, new_heads, omitted)
        changes = measure_changes(pair, moved)
        summary.extend(changes)
        cells: tuple[Cell, ...] = (Cell(_paragraphs(n, style, new_heads)), Cell(_paragraphs(o, style, old_heads)))
        if style.remarks:
            lines = _remarks(pair, changes, template, ctx)
            cells = (*cells, Cell(tuple(para(t, size="small") for t in lines) or (para(""),)))
        rows.append(cells)
    field = group.new or group.old
    assert field is not None
    out = []
    for i, cells in enumerate(rows):
        # The 分野 column joins over the 分野's rows rather than spanning them: a span taller
        # than a page breaks the layout (the header is not repeated after it).
        label = Cell((para(field.heading if i == 0 else ""),), vertical=i == 0, joined=i > 0)
        out.append(Row((label, *cells)))
    return out


def _summary(changes: list[Change], template: Template, ctx: dict[str, object]) -> list[Block]:
    """The closing table the office checks the alignment with: every measure added, removed,
    merged, renamed or moved, with its id."""
    order = ("new", "removed", "merged", "renamed", "moved")
    listed = sorted((c for c in changes if c.kind in order), key=lambda c: order.index(c.kind))
    rows = []
    for c in listed:
        ids = [c.new.id] if c.new else []
        ids += [m.id for m in c.old if m.id not in ids]
        rows.append(Row((
            Cell((para(template.text("summary", "kinds", c.kind, **ctx)),)),
            Cell((para(c.new.heading if c.new else ""),)),
            Cell(tuple(para(m.heading) for m in c.old) or (para(""),)),
            Cell((para(", ".join(ids)),)),
        )))
    if not rows:
        rows.append(Row((Cell((para(template.text("summary", "none", **ctx)),), colspan=4),)))
    header = Row(tuple(Cell((para(template.text("summary", "columns", key, **ctx), bold=True),), align="center")
                       for key in ("kind", "new", "old", "id")))
    widths = list(template.widths("summary", "widths"))
    return [Heading(2, template.text("summary", "heading", **ctx)),
            Table(tuple(Column(w) for w in widths), (header,), tuple(rows), label="summary")]
