"""One branch's data set for one fiscal year: ``data/<branch>/<year>/*.yaml`` → model."""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from reportgen import pagerefs
from reportgen.branches import Branch
from reportgen.errors import DataError, Problem, WarekiError
from reportgen.load.schema import (
    BudgetIn,
    ChartIn,
    CouncilIn,
    FigureTableIn,
    KpiIn,
    KpiResultsIn,
    MetaIn,
    PlanIn,
    ProgressIn,
    validate,
)
from reportgen.load.yaml_source import Loc, Source, display_path, load_yaml
from reportgen.model.dataset import DataSet, Part
from reportgen.model.kpi import (
    DONE,
    NOT_DONE,
    PREVIOUS_YEAR_BASES,
    ChartData,
    Kpi,
    KpiResults,
    KpiSection,
    TableBlock,
)
from reportgen.model.meta import Council, Meta
from reportgen.model.plan import (
    Budget,
    BudgetItem,
    BudgetSection,
    Measure,
    Plan,
    PlanField,
    PlanNote,
    PlanParagraph,
)
from reportgen.model.progress import (
    MARK_VARIANTS,
    MARKS,
    NO_MARK,
    FigureRow,
    FigureTable,
    Progress,
    ProgressEntry,
    period_months,
)
from reportgen.model.quantity import EXAMPLE, Quantity, QuantityError, parse_quantity
from reportgen.numbers import round_half_up, yen_to_thousand
from reportgen.wareki import FiscalYear, parse_fiscal_year, to_era_date

META_FILE = "meta.yaml"
KPI_RESULTS_FILE = "kpi_results.yaml"
PLAN_FILE = "plan.yaml"
BUDGET_FILE = "budget.yaml"
ANNUAL_FILE = "annual.yaml"  # 本部 only: its models are imported where one is read
PROGRESS_DIR = "progress"
# plan.yaml before budget.yaml: a budget refers to the plan's ids.
DATA_FILES = (META_FILE, KPI_RESULTS_FILE, PLAN_FILE, BUDGET_FILE, ANNUAL_FILE)
# Where the YAML source keeps each part of the data set (model/dataset.py's PARTS).
PART_FILES: dict[Part, str] = {"kpi_results": KPI_RESULTS_FILE, "plan": PLAN_FILE, "budget": BUDGET_FILE,
                               "annual": ANNUAL_FILE}


def files_for(parts: Iterable[Part]) -> tuple[str, ...]:
    """The YAML files that hold the data set ``parts`` a report kind asks for, each once and
    sorted: the same order in every process (input hashes are made from it)."""
    return tuple(sorted({PART_FILES[part] for part in parts}))


def progress_file(quarter: int) -> str:
    return f"{PROGRESS_DIR}/Q{quarter}.yaml"


def quarters(directory: Path) -> list[int]:
    """The quarters with a progress file."""
    return [q for q in (1, 2, 3, 4) if (directory / progress_file(q)).is_file()]


def latest_quarter(directory: Path) -> int | None:
    """The last quarter with a progress file: the default sheet to build."""
    found = quarters(directory)
    return found[-1] if found else None


def data_directory(root: Path, branch: Branch, fy: FiscalYear) -> Path:
    return root / branch.slug / fy.short


def existing_directory(root: Path, branch: Branch, fy: FiscalYear) -> Path:
    """The data folder of a branch and year; a clear error when there is none."""
    directory = data_directory(root, branch, fy)
    if not directory.is_dir():
        raise DataError([Problem(
            display_path(directory), None, "",
            f"{branch.name} {fy.label()} のデータのフォルダがありません。",
            f"a folder {branch.slug}/{fy.short}/ under {display_path(root)}",
        )])
    return directory


def load_dataset(
    root: Path,
    branch: Branch,
    fy: FiscalYear,
    required: Iterable[str] = (),
    previous_required: Iterable[str] = (),
    quarter: int | None = None,
) -> DataSet:
    """Read and check every file of the data set (and of last year's, when a report compares
    the two); report all problems of all files at once."""
    problems: list[Problem] = []
    previous = None
    if previous_required:
        try:
            previous = load_dataset(root, branch, fy.previous(), previous_required)
        except DataError as exc:
            problems.extend(exc.problems)
    try:
        directory = existing_directory(root, branch, fy)
    except DataError as exc:
        raise DataError(problems + exc.problems) from None
    meta = Meta(branch, fy)
    kpi_results = plan = budget = annual = None
    for name in DATA_FILES:
        path = directory / name
        if not path.exists():
            if name in required:
                problems.append(Problem(display_path(path), None, "",
                                        "ファイルがありません（作成する資料に必要です）。",
                                        f"{name} beside the other data files, as docs/data-format.md describes"))
            continue
        try:
            source = load_yaml(path)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        if name == META_FILE:
            meta = _meta(source, branch, fy, problems) or meta
        elif name == KPI_RESULTS_FILE:
            kpi_results = _kpi_results(source, problems)
        elif name == PLAN_FILE:
            plan = _plan(source, previous.plan if previous else None, problems)
        elif name == BUDGET_FILE:
            budget = _budget(source, plan, problems)
        elif name == ANNUAL_FILE:
            from reportgen.load.annual import load_annual

            annual = load_annual(source, problems)
    progress = None
    if quarter is not None:
        path = directory / progress_file(quarter)
        if not path.is_file():
            problems.append(Problem(display_path(path), None, "",
                                    f"第{quarter}四半期の実施状況のファイルがありません。",
                                    f"{progress_file(quarter)} beside {PLAN_FILE}"))
        else:
            try:
                progress = _progress(load_yaml(path), fy, quarter, plan, problems)
            except DataError as exc:
                problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    return DataSet(directory, _quarter_council(meta, progress), kpi_results, plan, budget, previous, progress,
                   annual)


def _quarter_council(meta: Meta, progress: Progress | None) -> Meta:
    """A quarter's sheet goes to its own council where its file names one: old quarters keep
    theirs when meta.yaml moves on to the next meeting."""
    if progress is not None and progress.council is not None:
        return replace(meta, council=progress.council)
    return meta


def _meta(source: Source, branch: Branch, fy: FiscalYear, problems: list[Problem]) -> Meta | None:
    parsed, found = validate(MetaIn, source)
    problems.extend(found)
    if parsed is None:
        return None
    if _bad_council_date(parsed.council, source, problems):
        return None
    return Meta(
        branch=branch,
        fiscal_year=fy,
        title=parsed.title,
        confidentiality=parsed.confidentiality,
        council=_council(parsed.council),
        keep_heisei31=parsed.era_policy.heisei31,
    )


def _council(council: CouncilIn | None) -> Council | None:
    return Council(council.number, council.material, council.date) if council else None


def _bad_council_date(council: CouncilIn | None, source: Source, problems: list[Problem]) -> bool:
    """A meeting date before 明治6年 has no 和暦 to print: a problem at council.date."""
    if council and council.date:
        try:
            to_era_date(council.date)
        except WarekiError as exc:
            problems.append(source.problem(("council", "date"), exc.message, "a date from 1873-01-01 (明治6年) on"))
            return True
    return False


def _kpi_results(source: Source, problems: list[Problem]) -> KpiResults | None:
    before = len(problems)  # shape problems included: the rest is checked, never used
    parsed, found = validate(KpiResultsIn, source)
    problems.extend(found)
    if parsed is None:
        return None
    seen_sections: dict[str, str] = {}
    seen_kpis: dict[str, str] = {}
    sections = []
    for i, s in enumerate(parsed.sections):
        loc: Loc = ("sections", i)
        _unique(s.id, (*loc, "id"), seen_sections, source, problems)
        kpis = []
        for j, k in enumerate(s.kpis):
            kloc: Loc = (*loc, "kpis", j)
            _unique(k.id, (*kloc, "id"), seen_kpis, source, problems)
            kpi = _kpi(k, kloc, source, problems)
            if kpi is not None:
                kpis.append(kpi)
        tables = []
        for t_index, t in enumerate(s.tables):
            for r_index, row in enumerate(t.rows):
                if len(row) != len(t.columns):
                    problems.append(source.problem(
                        (*loc, "tables", t_index, "rows", r_index),
                        f"列の数が {len(row)} です。", f"{len(t.columns)} cells, one per column",
                    ))
            tables.append(TableBlock(tuple(t.columns), tuple(tuple(r) for r in t.rows), t.title))
        charts = [c for k, chart in enumerate(s.charts)
                  if (c := _chart(chart, (*loc, "charts", k), source, problems)) is not None]
        sections.append(KpiSection(
            id=s.id, field=s.field, number=s.number, title=s.title,
            summary_title=s.summary_title or s.title, group=s.group, kpis=tuple(kpis),
            plan=tuple(s.plan), results=tuple(s.results), tables=tuple(tables), charts=tuple(charts),
        ))
    _page_refs(parsed, source, problems)
    if len(problems) > before:
        return None
    return KpiResults(parsed.grading, tuple(sections))


def _chart(chart: ChartIn, loc: Loc, source: Source, out: list[Problem]) -> ChartData | None:
    """A section's chart: every value a figure (or null), one per category, all in one unit."""
    before = len(out)
    series = []
    units: set[str] = set()
    for i, s in enumerate(chart.series):
        sloc: Loc = (*loc, "series", i, "values")
        if len(s.values) != len(chart.categories):
            out.append(source.problem(sloc, f"値の数が {len(s.values)} です。",
                                      f"{len(chart.categories)} values, one per category (null for none)"))
        values = []
        for j, text in enumerate(s.values):
            q = None if text is None else _quantity(text, (*sloc, j), source, out)
            if q is not None:
                units.add(q.unit)
            values.append(q)
        series.append((s.name, tuple(values)))
    bounds = []
    for key in ("y_min", "y_max"):
        text = getattr(chart, key)
        q = None if text is None else _quantity(text, (*loc, key), source, out)
        if q is not None:
            units.add(q.unit)
        bounds.append(q)
    if len(units) > 1:
        out.append(source.problem((*loc, "series"), f"単位がそろっていません（{'・'.join(sorted(units))}）。",
                                  "every value and axis bound in one unit"))
    if chart.kind == "bar" and len(series) != 1:
        out.append(source.problem((*loc, "kind"), "bar のグラフの系列は一つです。",
                                  "clustered-bar for several series"))
    if len(out) > before:
        return None
    return ChartData(chart.id, chart.kind, chart.title, tuple(chart.categories), tuple(series),
                     chart.x_title, chart.y_title, bounds[0], bounds[1])


def _page_refs(parsed: KpiResultsIn, source: Source, problems: list[Problem]) -> None:
    """Every {page:…} in a 施策's plan or results names a 施策 of the file."""
    ids = [s.id for s in parsed.sections]
    for i, s in enumerate(parsed.sections):
        for key, texts in (("plan", s.plan), ("results", s.results)):
            for k, text in enumerate(texts):
                for target in pagerefs.targets(text):
                    if target not in ids:
                        problems.append(source.problem(
                            ("sections", i, key, k),
                            f"ページ参照「{{page:{target}}}」の施策 id がこのファイルにありません。",
                            "{page:<id>} with the id of a 施策 in this file: " + ", ".join(ids[:6])
                            + (", …" if len(ids) > 6 else ""),
                        ))


def _unique(value: str, loc: Loc, seen: dict[str, str], source: Source, out: list[Problem]) -> None:
    if value in seen:
        out.append(source.problem(loc, f"id「{value}」が重複しています（{seen[value]}と同じ）。",
                                  "an id used once in the file"))
    else:
        seen[value] = source.place(loc)


def _quantity(text: str, loc: Loc, source: Source, out: list[Problem]) -> Quantity | None:
    try:
        return parse_quantity(text)
    except QuantityError as exc:
        out.append(source.problem(loc, str(exc), EXAMPLE))
        return None


def _kpi(k: KpiIn, loc: Loc, source: Source, out: list[Problem]) -> Kpi | None:
    before = len(out)
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(k.statement) if name is not None}
    except ValueError:  # an unclosed or stray brace
        out.append(source.problem((*loc, "statement"), "{ } の組が閉じられていません。",
                                  "{target} where the target goes, or {{ and }} for braces as text"))
        fields = set()
    if fields - {"target"}:
        out.append(source.problem((*loc, "statement"),
                                  f"差し込み {sorted(fields - {'target'})} は使えません。",
                                  "only {target}"))
    if k.better is not None and k.direction != "とする":
        out.append(source.problem((*loc, "better"), "better は direction が「とする」のときだけ使えます。",
                                  "no better with 以上 / 以下 / 実施"))
    if k.direction == "実施":
        for name, value in (("actual", k.actual), ("previous", k.previous)):
            if value is not None and value not in (DONE, NOT_DONE):
                out.append(source.problem((*loc, name), f"「{value}」は使えません。",
                                          f"{DONE} or {NOT_DONE} for a qualitative KPI"))
        if len(out) > before:
            return None
        return Kpi(k.id, k.statement, k.indicator, k.direction, k.actual, k.previous,
                   qualitative_target=k.target, note=k.note)

    actual = _quantity(k.actual, (*loc, "actual"), source, out)
    previous = _quantity(k.previous, (*loc, "previous"), source, out) if k.previous else None
    basis = k.target if k.target in PREVIOUS_YEAR_BASES else None
    target = None
    if basis is None:
        target = _quantity(k.target, (*loc, "target"), source, out)
    elif k.previous is None:
        out.append(source.problem((*loc, "previous"),
                                  f"目標が「{basis}」なので前年度実績が必要です。", "previous: a figure"))
    if k.direction == "とする" and basis is not None:
        out.append(source.problem((*loc, "direction"),
                                  f"「{basis}」の目標には以上か以下が必要です。", "以上 or 以下"))
    units = {name: q.unit for name, q in (("target", target), ("actual", actual),
                                           ("previous", previous)) if q is not None}
    if len(set(units.values())) > 1:
        shown = "、".join(f"{n}={u or '（単位なし）'}" for n, u in units.items())
        out.append(source.problem(loc, f"単位がそろっていません（{shown}）。", "one unit for the KPI"))
    if len(out) > before or actual is None:
        return None
    return Kpi(
        k.id, k.statement, k.indicator, k.direction, actual, previous,
        target_value=target if basis is None else previous,
        target_basis=basis,
        higher_is_better=k.direction == "以上" or (k.direction == "とする" and k.better != "低い"),
        note=k.note,
    )


def _plan(source: Source, previous: Plan | None, problems: list[Problem]) -> Plan | None:
    before = len(problems)  # shape problems included: the rest is checked, never used
    parsed, found = validate(PlanIn, source)
    problems.extend(found)
    if parsed is None:
        return None
    field_ids: dict[str, str] = {}
    measure_ids: dict[str, str] = {}
    paragraph_ids: dict[str, str] = {}
    earlier = previous.measures() if previous else None
    fields = []
    for i, f in enumerate(parsed.fields):
        _unique(f.id, ("fields", i, "id"), field_ids, source, problems)
        measures = []
        for j, m in enumerate(f.measures):
            loc: Loc = ("fields", i, "measures", j)
            _unique(m.id, (*loc, "id"), measure_ids, source, problems)
            paragraphs = []
            for k, p in enumerate(m.paragraphs):
                if isinstance(p, str):
                    paragraphs.append(PlanParagraph(p))
                else:
                    _unique(p.id, (*loc, "paragraphs", k, "id"), paragraph_ids, source, problems)
                    paragraphs.append(PlanParagraph(p.text, p.id))
            if earlier is not None:
                for k, absorbed in enumerate(m.absorbs):
                    if absorbed not in earlier:
                        problems.append(source.problem(
                            (*loc, "absorbs", k), f"前年度の計画に施策「{absorbed}」がありません。",
                            "the id of a measure in last year's plan.yaml"))
            measures.append(Measure(m.id, m.number, m.title, tuple(m.tags), tuple(paragraphs),
                                    tuple(m.absorbs)))
        fields.append(PlanField(f.id, f.number, f.title, tuple(f.lead), tuple(measures), f.printed))
    if len(problems) > before:
        return None
    notes = tuple(PlanNote(n.title, tuple(n.paragraphs)) for n in parsed.notes)
    return Plan(parsed.title, tuple(parsed.basic_policy), tuple(parsed.priorities), tuple(fields), notes)


def _budget(source: Source, plan: Plan | None, problems: list[Problem]) -> Budget | None:
    before = len(problems)  # shape problems included: the rest is checked, never used
    parsed, found = validate(BudgetIn, source)
    problems.extend(found)
    if parsed is None:
        return None
    if plan is None:
        problems.append(source.problem((), "予算は同じ年度の plan.yaml を参照しますが、読めませんでした。",
                                       f"a valid {PLAN_FILE} beside {BUDGET_FILE}"))
        return None
    fields = {f.id for f in plan.fields}
    measures = plan.measures()
    sections = []
    for i, sec in enumerate(parsed.sections):
        if sec.field not in fields:
            problems.append(source.problem(("sections", i, "field"), f"分野「{sec.field}」は計画にありません。",
                                           f"one of {', '.join(sorted(fields))}"))
        items = []
        for j, item in enumerate(sec.items):
            loc: Loc = ("sections", i, "items", j)
            if item.measure is not None and item.measure not in measures:
                problems.append(source.problem((*loc, "measure"), f"施策「{item.measure}」は計画にありません。",
                                               "the id of a measure in plan.yaml"))
            amount = _quantity(item.amount, (*loc, "amount"), source, problems)
            if amount is None:
                continue
            if amount.unit not in ("", parsed.unit):
                problems.append(source.problem((*loc, "amount"), f"単位「{amount.unit}」は使えません。",
                                               f"an amount in {parsed.unit}, the unit of this file"))
            elif amount.value < 0:
                problems.append(source.problem((*loc, "amount"), f"金額「{item.amount}」が負の数です。",
                                               "an amount of 0 or more"))
            else:
                thousand = (yen_to_thousand(amount.value) if parsed.unit == "円"
                            else round_half_up(amount.value, 0))
                items.append(BudgetItem(item.title, thousand, item.measure))
        sections.append(BudgetSection(sec.field, tuple(items)))
    if len(problems) > before:
        return None
    return Budget(parsed.unit, tuple(sections))


def _mark(text: str | None, loc: Loc, source: Source, problems: list[Problem], *,
          blank_allowed: bool = False) -> str | None:
    if text is None:
        return None
    if blank_allowed and text.strip() == NO_MARK:
        return ""
    mark = MARK_VARIANTS.get(text.strip(), text.strip())
    if mark not in MARKS:
        problems.append(source.problem(loc, f"実施状況の記号「{text}」は使えません。",
                                       "◎, ○, △, × or －" + (f", or {NO_MARK} for no mark" if blank_allowed else "")))
    return mark


def _figure(text: str) -> Quantity | str:
    """A figure where it reads as one; otherwise the text as printed (ー, 集計中)."""
    try:
        return parse_quantity(text)
    except QuantityError:
        return text


def _figure_table(t: FigureTableIn, fy: FiscalYear, quarter: int, loc: Loc, source: Source,
                  problems: list[Problem]) -> FigureTable:
    rows = []
    if t.quarterly and t.comparison:
        problems.append(source.problem((*loc, "comparison"), "四半期の表と前年比較の表は同時に指定できません。",
                                       "quarterly: true or comparison: true, not both"))
    for r_index, row in enumerate(t.rows):
        rloc: Loc = (*loc, "rows", r_index)
        if (row.label is None) == (row.period is None):
            problems.append(source.problem(rloc, "行の見出しは label か period のどちらか一つです。",
                                           "label: text, or period: cumulative / quarter"))
        _through(row.through, row.period, fy, quarter, (*rloc, "through"), source, problems)
        if row.previous_label is not None and row.label is None:
            problems.append(source.problem((*rloc, "previous_label"),
                                           "previous_label は label の行にだけ書けます（period の行は自動）。",
                                           "label: text with previous_label: text"))
        previous = [row.previous] if isinstance(row.previous, str) else list(row.previous or [])
        if not t.quarterly:
            columns = 1 if t.comparison else len(t.columns)
            # Short rows are padded with blank cells; a table without columns has no header.
            if len(row.values) > columns and (t.comparison or t.columns):
                problems.append(source.problem((*rloc, "values"), f"値が {len(row.values)} 個あります。",
                                               f"{columns}, one per column"
                                               f"{'' if t.comparison else ' (' + ' / '.join(t.columns) + ')'}"))
            if previous and len(previous) != len(row.values):
                problems.append(source.problem((*rloc, "previous"),
                                               f"前年同期の数が {len(previous)} です。",
                                               f"{len(row.values)} values, one per value"))
            rows.append(FigureRow(row.label, row.period, row.through, row.previous_label,
                                  tuple(_figure(v) for v in row.values), tuple(_figure(v) for v in previous)))
            continue
        # A row of a past year (平成31年度) has all four quarters; this year's, those reached.
        reached = 4 if _past_year(row.label, fy) else quarter
        if len(row.quarters) > reached or not row.quarters:
            problems.append(source.problem((*rloc, "quarters"),
                                           f"四半期の値が {len(row.quarters)} 個あります。",
                                           f"1 to {reached} values, from 第1四半期"))
        quarters = tuple(_figure(q) for q in row.quarters)  # a cell may be text (－, 集計中)
        prev_total = _quantity(previous[0], (*rloc, "previous"), source, problems) if previous else None
        units = {q.unit for q in quarters if isinstance(q, Quantity)}
        if len(units) > 1:
            problems.append(source.problem((*rloc, "quarters"),
                                           f"四半期の値の単位がそろっていません（{'・'.join(sorted(units))}）。",
                                           "one unit for the row, such as 件"))
        figure = FigureRow(row.label, row.period, row.through, row.previous_label, quarters=quarters,
                           previous_total=prev_total, typed_total=_figure(row.total) if row.total else None)
        if row.total is not None and figure.computed_total is not None:
            typed = _quantity(row.total, (*rloc, "total"), source, problems)
            if typed is not None and typed.value != figure.computed_total.value:
                problems.append(source.problem(
                    (*rloc, "total"),
                    f"合計「{row.total}」が四半期の値の合計 {figure.computed_total} と一致しません。",
                    "the sum of the quarters, or no total (it is computed)"))
        rows.append(figure)
    return FigureTable(tuple(t.columns), tuple(rows), t.title, t.quarterly, t.comparison)


def _past_year(label: str | None, fy: FiscalYear) -> bool:
    """A row label that names an earlier fiscal year (平成31年度, 令和元年度)."""
    if not label:
        return False
    try:
        return parse_fiscal_year(label).start_year < fy.start_year
    except WarekiError:
        return False


def _through(month: int | None, period: str | None, fy: FiscalYear, quarter: int, loc: Loc, source: Source,
             problems: list[Problem]) -> None:
    """``through`` must fall inside the period the row names, up to the quarter's last month."""
    if month is None:
        return
    first, last = period_months(period, fy, quarter)
    if period is None or not first <= fy.month(month) <= last:
        problems.append(source.problem(loc, f"{month}月は第{quarter}四半期までの期間に入りません。",
                                       f"a month from {first[1]} to {last[1]}, on a row with period"))


def _progress(source: Source, fy: FiscalYear, quarter: int, plan: Plan | None,
              problems: list[Problem]) -> Progress | None:
    before = len(problems)  # shape problems included: the rest is checked, never used
    parsed, found = validate(ProgressIn, source)
    problems.extend(found)
    if parsed is None:
        return None
    if parsed.quarter != quarter:
        problems.append(source.problem(("quarter",), f"第{parsed.quarter}四半期と書かれています。",
                                       f"{quarter}, as the file name Q{quarter}.yaml says"))
    items = {p.id for f in (plan.fields if plan else ()) for m in f.measures for p in m.paragraphs if p.id}
    seen: dict[str, str] = {}
    entries = []
    for i, e in enumerate(parsed.entries):
        loc: Loc = ("entries", i)
        _unique(e.item, (*loc, "item"), seen, source, problems)
        if plan is not None and e.item not in items:
            problems.append(source.problem((*loc, "item"), f"取組「{e.item}」は計画にありません。",
                                           "the id of a paragraph (取組) in plan.yaml"))
        mark = _mark(e.mark, (*loc, "mark"), source, problems, blank_allowed=True)
        kpi_given = [e.kpi_mark] if isinstance(e.kpi_mark, str) else list(e.kpi_mark or [])
        kpi_marks = tuple(_mark(m, (*loc, "kpi_mark", *((k,) if not isinstance(e.kpi_mark, str) else ())),
                                source, problems) or "" for k, m in enumerate(kpi_given))
        tables = tuple(_figure_table(t, fy, quarter, (*loc, "tables", j), source, problems)
                       for j, t in enumerate(e.tables))
        entries.append(ProgressEntry(e.item, mark or "", tuple(e.text), tables, kpi_marks, tuple(e.kpi)))
    if plan is None:
        problems.append(source.problem((), "実施状況は同じ年度の plan.yaml を参照しますが、読めませんでした。",
                                       f"a valid {PLAN_FILE}"))
    _bad_council_date(parsed.council, source, problems)
    if len(problems) > before:
        return None
    return Progress(quarter, tuple(entries), _council(parsed.council))


def dataset_from_sources(directory: Path, branch: Branch, fy: FiscalYear, sources: dict[str, Source],
                         previous_plan: Plan | None = None) -> DataSet:
    """The checks of ``load_dataset`` on sources that are not read from YAML files (an input
    workbook): ``sources`` maps a data file name (plan.yaml, progress/Q3.yaml) to its values,
    each located where it was typed. All problems of all sources are reported together."""
    problems: list[Problem] = []
    meta = Meta(branch, fy)
    if META_FILE in sources:
        meta = _meta(sources[META_FILE], branch, fy, problems) or meta
    kpi_results = _kpi_results(sources[KPI_RESULTS_FILE], problems) if KPI_RESULTS_FILE in sources else None
    plan = _plan(sources[PLAN_FILE], previous_plan, problems) if PLAN_FILE in sources else None
    budget = _budget(sources[BUDGET_FILE], plan, problems) if BUDGET_FILE in sources else None
    progress = None
    for q in (1, 2, 3, 4):
        if progress_file(q) in sources:
            progress = _progress(sources[progress_file(q)], fy, q, plan, problems)
    if problems:
        raise DataError(problems)
    return DataSet(directory, _quarter_council(meta, progress), kpi_results, plan, budget, None, progress)
