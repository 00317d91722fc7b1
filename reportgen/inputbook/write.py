"""A data set → its input workbook, every value prefilled, ready for the next correction.

The workbook is written from the YAML as typed (not from the model), so what comes back on
import is what was there: 円 amounts stay 円, 79.60％（速報値） stays text, and a figure is a
number whose cell format shows its unit and its places (89.00％).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.branches import Branch
from reportgen.load.dataset import (
    BUDGET_FILE,
    KPI_RESULTS_FILE,
    META_FILE,
    PLAN_FILE,
    data_directory,
    existing_directory,
    latest_quarter,
    load_dataset,
    progress_file,
)
from reportgen.load.yaml_source import load_yaml
from reportgen.model.quantity import Quantity, QuantityError, parse_quantity
from reportgen.reports import REPORTS
from reportgen.textmetrics import wrapped_lines
from reportgen.wareki import FiscalYear, parse_date

from . import layout as L

FONT = "BIZ UDゴシック"
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_CONTEXT_FILL = PatternFill("solid", fgColor="F2F2F2")
_FORMULA_LIKE = ("=", "+", "-", "@")
Row = dict[str, Any]


def default_name(branch: Branch, fy: FiscalYear) -> str:
    return f"{branch.slug}-{fy.short}-input.xlsx"


def number_format(q: Quantity) -> str:
    """The cell format that prints ``q`` as the data wrote it: places kept, unit shown, ▲."""
    body = "#,##0" + ("." + "0" * q.places if q.places else "")
    unit = f'"{q.unit}"' if q.unit else ""
    return f'{body}{unit};"▲"{body}{unit}'


def parts_for(data_root: Path, branch: Branch, fy: FiscalYear, kinds: Iterable[str] | None,
              quarter: int | None) -> tuple[list[str], int | None]:
    """The parts (data files) the workbook holds, and the quarter of its progress sheet."""
    directory = existing_directory(data_root, branch, fy)
    kinds = list(kinds or [])
    if kinds:
        parts = {f for k in kinds for f in REPORTS[k].requires}
        if any(REPORTS[k].quarterly for k in kinds):
            quarter = quarter or latest_quarter(directory) or 1
    else:
        parts = {f for f in (KPI_RESULTS_FILE, PLAN_FILE, BUDGET_FILE) if (directory / f).is_file()}
        quarter = quarter or latest_quarter(directory)
    if quarter is not None:
        parts |= {PLAN_FILE, L.PROGRESS}
    parts.add(META_FILE)
    return [p for p in L.PARTS if p in parts], quarter


def write_workbook(data_root: Path, branch: Branch, fy: FiscalYear, kinds: Iterable[str] | None = None,
                   quarter: int | None = None) -> bytes:
    parts, quarter = parts_for(data_root, branch, fy, kinds, quarter)
    directory = data_directory(data_root, branch, fy)
    has_quarter = quarter is not None and (directory / progress_file(quarter)).is_file()
    load_dataset(data_root, branch, fy, quarter=quarter if has_quarter else None)  # only valid data is offered
    raw = {name: _raw(directory / name) for name in (META_FILE, KPI_RESULTS_FILE, PLAN_FILE, BUDGET_FILE)}
    raw[L.PROGRESS] = _raw(directory / progress_file(quarter)) if quarter else {}

    book = Workbook()
    guide = book.active
    guide.title = L.GUIDE_SHEET
    _guide(guide, branch, fy, quarter, parts)
    _settings(book.create_sheet(L.META_SHEET), raw, parts, branch, fy, quarter)
    rows_of = {
        PLAN_FILE: lambda: _plan_rows(raw[PLAN_FILE]),
        KPI_RESULTS_FILE: lambda: _kpi_rows(raw[KPI_RESULTS_FILE]),
        BUDGET_FILE: lambda: {L.BUDGET.name: _budget_rows(raw[BUDGET_FILE])},
        L.PROGRESS: lambda: _progress_rows(raw[L.PROGRESS], raw[PLAN_FILE]),
    }
    choices = _choices(raw)
    for part in parts:
        if part == META_FILE:
            continue
        rows = rows_of[part]()
        for sheet in L.PART_SHEETS[part]:
            _record_sheet(book.create_sheet(sheet.name), sheet, rows.get(sheet.name, []), choices)
    _info(book.create_sheet(L.INFO_SHEET), branch, fy, quarter, parts)
    book.properties.creator = "reportgen"
    # Fixed dates: the same data gives the same workbook.
    book.properties.created = book.properties.modified = datetime(2000, 1, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _raw(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    data = load_yaml(path).data
    return data if isinstance(data, dict) else {}


# ---------------------------------------------------------------------------- rows per part

def _lines(values: list[str] | None) -> str | None:
    return "\n\n".join(values) if values else None


def _plan_rows(plan: dict[str, Any]) -> dict[str, list[Row]]:
    policy: list[Row] = [{"kind": "基本方針", "text": t} for t in plan.get("basic_policy") or []]
    policy += [{"kind": "重点施策", "text": t} for t in plan.get("priorities") or []]
    for note in plan.get("notes") or []:
        paragraphs = note.get("paragraphs") or [None]
        policy += [{"kind": "参考", "title": note["title"], "text": p} for p in paragraphs]
    fields, measures, text = [], [], []
    for f in plan.get("fields") or []:
        printed = f.get("printed")
        fields.append({"id": f["id"], "number": f.get("number"), "title": f["title"],
                       "printed": L.NO_HEADING if printed == "" else printed})
        text += [{"field": f["id"], "text": t} for t in f.get("lead") or []]
        for m in f.get("measures") or []:
            measures.append({"field": f["id"], "id": m["id"], "number": m.get("number"), "title": m["title"],
                             "tags": "、".join(m.get("tags") or []) or None,
                             "absorbs": ", ".join(m.get("absorbs") or []) or None})
            for p in m.get("paragraphs") or []:
                text.append({"field": f["id"], "measure": m["id"], **(
                    {"text": p} if isinstance(p, str) else {"id": p["id"], "text": p["text"]})})
    return {L.PLAN_POLICY.name: policy, L.PLAN_FIELDS.name: fields, L.PLAN_MEASURES.name: measures,
            L.PLAN_TEXT.name: text}


def _kpi_rows(kpi: dict[str, Any]) -> dict[str, list[Row]]:
    sections, kpis, text, tables, charts = [], [], [], [], []
    kinds = {v: k for k, v in L.KPI_TEXT_KINDS.items()}
    for s in kpi.get("sections") or []:
        sections.append({k: s.get(k) for k in ("id", "field", "number", "title", "summary_title", "group")})
        kpis += [{"section": s["id"], **k} for k in s.get("kpis") or []]
        for key in ("plan", "results"):
            text += [{"section": s["id"], "kind": kinds[key], "text": t} for t in s.get(key) or []]
        for n, t in enumerate(s.get("tables") or [], 1):
            tables.append({"section": s["id"], "table": n, "kind": L.HEADING, "title": t.get("title"),
                           **_spread("v", t.get("columns"))})
            tables += [{"section": s["id"], "table": n, "kind": L.ROW, **_spread("v", r)} for r in t["rows"]]
        for c in s.get("charts") or []:
            head = {"section": s["id"], "chart": c["id"]}
            charts.append({**head, "kind": L.HEADING, "type": c.get("kind"),
                           **{k: c.get(k) for k in ("title", "x_title", "y_title", "y_min", "y_max")}})
            charts.append({**head, "kind": L.CATEGORIES, **_spread("v", c.get("categories"))})
            charts += [{**head, "kind": L.SERIES, "title": r.get("name"), **_spread("v", r.get("values"))}
                       for r in c.get("series") or []]
    return {L.KPI_SECTIONS.name: sections, L.KPIS.name: kpis, L.KPI_TEXT.name: text, L.KPI_TABLES.name: tables,
            L.KPI_CHARTS.name: charts}


def _spread(prefix: str, values: list[str] | str | None) -> Row:
    if isinstance(values, str):
        values = [values]
    return {f"{prefix}{i}": v for i, v in enumerate(values or [], 1)}


def _budget_rows(budget: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for s in budget.get("sections") or []:
        items = s.get("items") or []
        rows += [{"field": s["field"], **i} for i in items] or [{"field": s["field"]}]
    return rows


def _progress_rows(progress: dict[str, Any], plan: dict[str, Any]) -> dict[str, list[Row]]:
    """One row per 取組 of the plan, in plan order, whether it has progress yet or not."""
    entries = {e["item"]: e for e in progress.get("entries") or []}
    rows, figures = [], []
    for f in plan.get("fields") or []:
        for m in f.get("measures") or []:
            for p in m.get("paragraphs") or []:
                if isinstance(p, str):
                    continue
                e = entries.pop(p["id"], {})
                marks = e.get("kpi_mark")
                marks = [marks] if isinstance(marks, str) else list(marks or [])
                rows.append({"item": p["id"], "measure": f"{m.get('number', '')} {m['title']}".strip(),
                             "plan": p["text"], "mark": e.get("mark"), "kpi_mark": marks[0] if marks else None,
                             "kpi_mark2": marks[1] if len(marks) > 1 else None,
                             "text": _lines(e.get("text")), "kpi": _lines(e.get("kpi"))})
                figures += _figure_rows(p["id"], e.get("tables") or [])
    return {L.PROGRESS_ENTRIES.name: rows, L.PROGRESS_FIGURES.name: figures}


def _figure_rows(item: str, tables: list[dict[str, Any]]) -> list[Row]:
    kinds = {v: k for k, v in L.TABLE_KINDS.items()}
    periods = {v: k for k, v in L.PERIODS.items()}
    rows: list[Row] = []
    for n, t in enumerate(tables, 1):
        kind = "quarterly" if t.get("quarterly") == "true" else "comparison" if t.get("comparison") == "true" else ""
        rows.append({"item": item, "table": n, "kind": L.HEADING, "type": kinds[kind], "label": t.get("title"),
                     **_spread("v", t.get("columns"))})
        for r in t["rows"]:
            rows.append({"item": item, "table": n, "kind": L.ROW, "label": r.get("label"),
                         "period": periods.get(r.get("period") or ""), "through": r.get("through"),
                         "previous_label": r.get("previous_label"), "total": r.get("total"),
                         **_spread("v", r.get("quarters") if kind == "quarterly" else r.get("values")),
                         **_spread("p", r.get("previous"))})
    return rows


# ---------------------------------------------------------------------------- sheets

def _choices(raw: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Drop-down lists that come from the data: 分野 names and ids."""
    plan_fields = raw[PLAN_FILE].get("fields") or []
    names = [f["title"] for f in plan_fields]
    names += [s["field"] for s in raw[KPI_RESULTS_FILE].get("sections") or [] if s["field"] not in names]
    return {"分野": tuple(names), "分野ID": tuple(f["id"] for f in plan_fields)}


def _style(cell: Cell, *, bold: bool = False, wrap: bool = False, locked: bool = True) -> None:
    font, alignment, protection = _styles(bold, wrap, locked)
    cell.font, cell.alignment, cell.protection = font, alignment, protection


@cache
def _styles(bold: bool, wrap: bool, locked: bool) -> tuple[Font, Alignment, Protection]:
    """Made once: openpyxl's style objects are slow to build, and a book has thousands of cells."""
    return Font(name=FONT, bold=bold), Alignment(wrap_text=wrap, vertical="top"), Protection(locked=locked)


def _value(cell: Cell, value: Any, figure: bool) -> None:
    """Put ``value`` in ``cell``: a figure as a number with its unit format, the rest as text."""
    if value is None or value == "":
        return
    if figure and isinstance(value, str):
        try:
            q = parse_quantity(value)
        except QuantityError:
            q = None
        if q is not None:
            cell.value = int(q.value) if q.places == 0 else float(q.value)
            cell.number_format = number_format(q)
            return
    if isinstance(value, int | date):
        cell.value = value
        return
    cell.value = str(value)
    if cell.value.startswith(_FORMULA_LIKE):  # text, never a formula
        cell.data_type = "s"
        cell.quotePrefix = True
    elif not figure:  # text stays text (Excel would read 1-2 as a date); a figure cell may become a number
        cell.number_format = "@"


def _protect(ws: Worksheet) -> None:
    """Headers and reference columns locked; rows may be inserted, deleted and resized.
    Printed (to check on paper) landscape, as wide as the page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    p = ws.protection
    p.sheet = True
    p.insertRows = p.deleteRows = p.formatRows = p.formatColumns = p.formatCells = False
    p.autoFilter = p.sort = False


def _dropdown(ws: Worksheet, column: int, first: int, last: int, choices: tuple[str, ...], strict: bool) -> None:
    listed = '"' + ",".join(c for c in choices if "," not in c and '"' not in c) + '"'
    # Excel refuses to open a workbook whose in-cell list is longer than 255 characters.
    if not choices or len(listed) > 255:
        return
    dv = DataValidation(type="list", formula1=listed, allow_blank=True)
    dv.errorStyle = "stop" if strict else "warning"
    dv.showErrorMessage = True
    dv.errorTitle = "選べない値です"
    dv.error = "一覧から選んでください: " + "、".join(choices)
    letter = get_column_letter(column)
    dv.add(f"{letter}{first}:{letter}{last}")
    ws.add_data_validation(dv)


def _record_sheet(ws: Worksheet, sheet: L.Sheet, rows: list[Row], choices: dict[str, tuple[str, ...]]) -> None:
    ws["A1"] = sheet.title
    _style(ws["A1"], bold=True)
    for c, column in enumerate(sheet.columns, 1):
        cell = ws.cell(L.HEADER_ROW, c, column.header)
        _style(cell, bold=True, wrap=True)
        cell.fill = _HEADER_FILL
        ws.column_dimensions[get_column_letter(c)].width = column.width
    first = L.HEADER_ROW + 1
    last = first + len(rows) + L.SPARE_ROWS - 1
    for r in range(first, last + 1):
        row = rows[r - first] if r - first < len(rows) else {}
        for c, column in enumerate(sheet.columns, 1):
            cell = ws.cell(r, c)
            _style(cell, wrap=column.wrap, locked=column.context)
            if column.context:
                cell.fill = _CONTEXT_FILL
            _value(cell, row.get(column.key), column.figure)
        _fit_height(ws, r, sheet, row)
    for c, column in enumerate(sheet.columns, 1):
        listed = column.choices or choices.get(column.header, ())
        _dropdown(ws, c, first, last, listed, strict=not column.open and bool(column.choices))
    ws.freeze_panes = ws.cell(first, 1)
    ws.print_title_rows = f"{L.HEADER_ROW}:{L.HEADER_ROW}"
    _protect(ws)


# Excel's column width unit is about one digit of the default font: 5.25 pt at 11 pt.
_WIDTH_UNIT_PT = 5.25
_LINE_PT = 15.0
_FONT_PT = 11.0
_MAX_ROW_PT = 409.5  # Excel's limit


def _fit_height(ws: Worksheet, r: int, sheet: L.Sheet, row: Row) -> None:
    """Rows as tall as their wrapped text (neither Excel nor LibreOffice fits them on opening)."""
    lines = 1
    for column in sheet.columns:
        value = row.get(column.key)
        if column.wrap and isinstance(value, str):
            width = column.width * _WIDTH_UNIT_PT - 6  # less the cell's padding
            lines = max(lines, wrapped_lines(value, width, FONT, _FONT_PT))
    if lines > 1:
        ws.row_dimensions[r].height = min(lines * _LINE_PT + 3, _MAX_ROW_PT)


def _settings(ws: Worksheet, raw: dict[str, Any], parts: list[str], branch: Branch, fy: FiscalYear,
              quarter: int | None) -> None:
    ws["A1"] = "支部・年度と、各資料に共通の設定。値の列だけを入力します。"
    _style(ws["A1"], bold=True)
    for c, (text, width) in enumerate((("項目", 20), ("値", 36), ("説明", 44)), 1):
        cell = ws.cell(L.HEADER_ROW, c, text)
        _style(cell, bold=True)
        cell.fill = _HEADER_FILL
        ws.column_dimensions[get_column_letter(c)].width = width
    r = L.HEADER_ROW + 1
    info = [("支部", branch.name), ("年度", fy.label()), ("四半期", f"第{quarter}四半期" if quarter else "")]
    for label, value in info:  # for the reader's eyes: the hidden sheet is what import trusts
        for c, v in enumerate((label, value, "このブックの対象（変更できません）"), 1):
            _style(ws.cell(r, c, v))
            ws.cell(r, c).fill = _CONTEXT_FILL
        r += 1
    for s in L.SETTINGS:
        if s.part not in parts:
            continue
        value: Any = raw[s.part]
        for key in s.path:
            value = value.get(key) if isinstance(value, dict) else None
        if s.path == ("era_policy", "heisei31"):
            value = L.YES if value == "true" else None  # blank is the default, いいえ
        elif s.path == ("council", "date") and value:  # ISO, or 和暦 as meta.yaml may have it
            value = date.fromisoformat(value) if value[:1].isdigit() else parse_date(value)
        elif s.path[-1] in ("number", "material") and value:
            value = int(value)
        _style(ws.cell(r, 1, s.label))
        _style(ws.cell(r, 3, s.note))
        cell = ws.cell(r, 2)
        _style(cell, locked=False)
        _value(cell, value, False)
        if isinstance(value, date):
            cell.number_format = "yyyy/m/d"
        _dropdown(ws, 2, r, r, s.choices, strict=True)
        r += 1
    ws.freeze_panes = "A3"
    _protect(ws)


def _info(ws: Worksheet, branch: Branch, fy: FiscalYear, quarter: int | None, parts: list[str]) -> None:
    rows = (("format", L.FORMAT), ("version", L.VERSION), ("branch", branch.slug), ("year", fy.short),
            ("quarter", quarter or ""), ("parts", ",".join(parts)))
    for r, (key, value) in enumerate(rows, 1):
        ws.cell(r, 1, key)
        ws.cell(r, 2, value)
    ws.sheet_state = "hidden"
    _protect(ws)


GUIDE = """\
このブックは reportgen のデータ（{branch} {year}{quarter}）を入力・修正するためのものです。
入力が終わったら `reportgen import このファイル.xlsx` で取り込みます。誤りがあれば、シート名とセル（KPI!E12 など）
を示してすべて一覧にし、データは一切変更しません。誤りがなければ data/ の YAML を置き換えます。

・白いセルに入力します。見出しの行と灰色の列（参考表示）は変更できません。行の追加・削除はできます。
・記号・方向・区分などはセルの一覧から選びます（◎ 計画を大幅に上回る ○ 計画通り
  △ 実施中又は計画を下回る × 未実施 － 未到来・対象外、空欄 は記号を印刷しない）。
・数値は単位を表示する書式になっています。表示されている桁数がそのままデータになります（89.00％ は 89.00％）。
  文字で「98.6％」「6,615円」と入力しても構いません（全角数字も可）。
・一つのセルに複数の段落を書くときは、段落の間を空行で区切ります（Alt+Enter を二回）。
・日付は日付として、または「令和6年7月12日」「R6.7.12」のように和暦の文字で入力できます。
・数式、#REF! などのエラー値、複数の項目にまたがる結合セルは使えません。同じ値の行を縦に結合するのは構いません。
・ID（分野ID・施策ID・取組ID・KPI ID）は英小文字・数字・ハイフンです。年度をまたいで同じものには同じIDを使います。
・合計・対比・達成状況・①②の番号は自動で計算されるので入力しません。
・KPI（計画の文言）の {{target}} には目標の欄の数値が入ります（数値は一か所にだけ入力します）。
・隠しシート「_reportgen」はこのブックの支部・年度・形式を示します。変更しないでください。
"""


def _guide(ws: Worksheet, branch: Branch, fy: FiscalYear, quarter: int | None, parts: list[str]) -> None:
    text = GUIDE.format(branch=branch.name, year=fy.label(), quarter=f" 第{quarter}四半期" if quarter else "")
    ws.column_dimensions["A"].width = 120
    ws["A1"] = "入力用ブックの使い方"
    _style(ws["A1"], bold=True)
    r = 3
    for line in text.splitlines():
        ws.cell(r, 1, line)
        _style(ws.cell(r, 1), wrap=True)
        r += 1
    r += 1
    ws.cell(r, 1, "シート: " + "、".join(
        [L.META_SHEET] + [s.name for p in parts for s in L.PART_SHEETS[p]]))
    _style(ws.cell(r, 1), wrap=True)
    _protect(ws)
