"""An input workbook → one located source per data file, for the checks the YAML goes through.

Every value the workbook gives becomes the text the YAML would hold (a number cell becomes
``89.00％`` by its cell format, a date ``2024-07-12``), placed in the shape of the YAML file
and remembered with its cell, so ``load.dataset`` checks it as it checks YAML and names
``KPI!E12`` where it would name ``kpi_results.yaml:42``. What only a workbook can get
wrong (a missing sheet or header row, a formula, an error value, a cell merged across two
fields) is found here, all of it before anything is checked or written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.branches import Branch, get_branch
from reportgen.errors import DataError, Problem, ReportgenError
from reportgen.load.dataset import BUDGET_FILE, KPI_RESULTS_FILE, META_FILE, PLAN_FILE, progress_file
from reportgen.load.yaml_source import Loc, Source
from reportgen.wareki import FiscalYear, parse_date, parse_fiscal_year

from . import layout as L

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NUMBER_KEYS = {"table", "through"}  # not 番号 (number): （1） is printed as typed


@dataclass
class CellSource(Source):
    """Located values whose places are cells: ``KPI!E12`` and the column's header."""

    cells: dict[Loc, tuple[str, str]] = field(default_factory=dict)

    def put(self, loc: Loc, cell: Cell) -> None:
        self.cells[loc] = (cell.ref, cell.label)

    def _cell(self, loc: Loc) -> tuple[str, str]:
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.cells:
                return self.cells[loc[:end]]
        return str(self.path), ""

    def line_of(self, loc: Loc) -> int | None:
        return None

    def problem(self, loc: Loc, message: str, expected: str = "") -> Problem:
        ref, label = self._cell(loc)
        return Problem(ref, None, label, message, expected)

    def place(self, loc: Loc) -> str:
        return self._cell(loc)[0]


@dataclass(frozen=True)
class Cell:
    text: str | None  # what the YAML would hold; None for a blank cell
    ref: str  # KPI!E12
    label: str  # the column's header


Row = dict[str, Cell]


@dataclass
class Book:
    branch: Branch
    fy: FiscalYear
    quarter: int | None
    parts: list[str]
    sources: dict[str, CellSource]  # data file name → its values
    problems: list[Problem]


def _where(ws: Worksheet | str, coordinate: str) -> str:
    return f"{ws if isinstance(ws, str) else ws.title}!{coordinate}"


# A number format section, token by token: "quoted text", \\x (one escaped character, as
# LibreOffice writes 件 and ％), [colour or locale], _x (padding), *x (fill), or one character.
_FORMAT_TOKEN = re.compile(r'"([^"]*)"|\\(.)|\[[^\]]*\]|_.|\*.|(.)', re.S)
_CODE = set("#0?,.%")


def _format_parts(section: str) -> tuple[str, str]:
    """The digit codes of a format section and the text it prints beside them (its unit)."""
    code, text = [], []
    for m in _FORMAT_TOKEN.finditer(section):
        quoted, escaped, char = m.groups()
        if quoted is not None or escaped is not None:
            text.append(quoted if quoted is not None else escaped)
        elif char is not None and char in _CODE:
            code.append(char)
        elif char is not None and not char.isspace():
            text.append(char)
    return "".join(code), "".join(text)


def number_text(value: float | int, number_format: str) -> str:
    """The figure a number cell shows: places and unit from its format (``0.00"％"`` → 89.00％)."""
    section = (number_format or "General").split(";")[0]
    code, unit = ("", "") if section.lower() == "general" else _format_parts(section)
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if "%" in code:  # Excel's own percent style: 0.986 shows 98.6%
        d, unit = d * 100, "％" + unit
    if not re.search(r"[0#?]", code):
        # No places in the format: the number as typed (98.6, 5).
        d = d.quantize(Decimal(1)) if d == d.to_integral() else d.normalize()
    else:
        decimals = re.search(r"\.([0#?]+)", code)
        d = d.quantize(Decimal(1).scaleb(-(len(decimals.group(1)) if decimals else 0)), rounding=ROUND_HALF_UP)
    shown = f"{abs(d):,}" if "," in code else f"{abs(d)}"
    sign = "▲" if d < 0 else ""
    return f"{sign}{shown}{unit.strip()}"


def _text(ws: Worksheet, cell: Any, key: str, problems: list[Problem], label: str = "") -> str | None:
    """A cell's value as the YAML would write it; problems for what no YAML can hold."""
    where = _where(ws, cell.coordinate)
    value = cell.value
    if value is None:
        return None
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=") and cell.data_type != "s"):
        problems.append(Problem(where, None, label, f"数式「{value}」は使えません。", "a value typed in the cell"))
        return None
    if cell.data_type == "e":
        problems.append(Problem(where, None, label, f"エラー値「{value}」が入っています。",
                                "a value typed in the cell, not an error such as #REF!"))
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return number_text(value, cell.number_format)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip(" \n\t")
    found = _CONTROL.search(text)
    if found:
        problems.append(Problem(where, None, label, f"制御文字 U+{ord(found.group()):04X} が含まれています。",
                                "printable text"))
        return None
    if "ID" in label or key in _NUMBER_KEYS:  # ids and numbers typed full-width are the same
        text = unicodedata.normalize("NFKC", text)
    return text or None


def _normal(header: object) -> str:
    return unicodedata.normalize("NFKC", str(header or "")).replace("\n", "").replace(" ", "").strip("*＊")


def _header_row(ws: Worksheet, sheet: L.Sheet, problems: list[Problem]) -> dict[str, int] | None:
    """The columns by key, found by their header texts in the first rows of the sheet."""
    wanted = {_normal(c.header): c.key for c in sheet.columns}
    best: tuple[int, dict[str, int]] = (0, {})
    for r in range(1, min(ws.max_row, 10) + 1):
        found = {}
        for c in range(1, ws.max_column + 1):
            key = wanted.get(_normal(ws.cell(r, c).value))
            if key and key not in found:
                found[key] = c
        if len(found) > len(best[1]):
            best = (r, found)
    row, found = best
    needed = [c for c in sheet.columns if not c.context]
    if len(found) * 2 < len(needed):
        problems.append(Problem(_where(ws, f"A{L.HEADER_ROW}"), None, "", "見出しの行がありません。",
                                "a row with the headers " + ", ".join(c.header for c in needed)))
        return None
    missing = [c for c in needed if c.key not in found]
    for c in missing:
        problems.append(Problem(_where(ws, f"A{row}"), None, "", f"見出し「{c.header}」の列がありません。",
                                "the header row as the workbook was generated"))
    if missing:
        return None
    found["__row__"] = row
    return found


def read_rows(ws: Worksheet, sheet: L.Sheet, problems: list[Problem]) -> list[Row] | None:
    """The filled rows under the header row, each cell as text with its place."""
    columns = _header_row(ws, sheet, problems)
    if columns is None:
        return None
    header = columns.pop("__row__")
    by_column = {c: key for key, c in columns.items()}
    labels = {c.key: c.header for c in sheet.columns}
    context = {c.key for c in sheet.columns if c.context}
    filled: dict[tuple[int, int], tuple[int, int]] = {}  # a merged cell → its top-left cell
    for merged in ws.merged_cells.ranges:
        if merged.max_row <= header:
            continue
        keys = {by_column[c] for c in range(merged.min_col, merged.max_col + 1) if c in by_column}
        if len(keys) > 1:
            problems.append(Problem(_where(ws, merged.coord), None, "",
                                    "セルが複数の項目（" + "・".join(labels[k] for k in sorted(keys)) +
                                    "）にまたがって結合されています。",
                                    "one cell per field; cells may be merged down a column"))
            continue
        # Merged down a column: the value holds for every row of the range.
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                filled[(r, c)] = (merged.min_row, merged.min_col)
    rows = []
    for r in range(header + 1, ws.max_row + 1):
        row: Row = {}
        for key, c in columns.items():
            source = ws.cell(*filled.get((r, c), (r, c)))
            text = None if key in context else _text(ws, source, key, problems, labels[key])
            row[key] = Cell(text, _where(ws, f"{get_column_letter(c)}{r}"), labels[key])
        if any(cell.text is not None for key, cell in row.items() if key not in context):
            rows.append(row)
    return rows


def _put(data: dict[str, Any], src: CellSource, loc: Loc, row: Row, keys: tuple[str, ...]) -> None:
    """Copy the filled cells of ``keys`` into ``data`` (blank ones stay out, as in YAML) and
    remember every cell, blank or not, so a missing value is named by its cell."""
    for key in keys:
        src.put((*loc, key), row[key])
        if row[key].text is not None:
            data[key] = row[key].text


def _split(text: str | None, pattern: str) -> list[str]:
    return [p.strip() for p in re.split(pattern, text or "") if p.strip()]


# ---------------------------------------------------------------------------- the parts

def _plan(rows: dict[str, list[Row]], src: CellSource, problems: list[Problem]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    notes: list[dict[str, Any]] = []
    for row in rows[L.PLAN_POLICY.name]:
        kind, text = row["kind"], row["text"]
        if kind.text in ("基本方針", "重点施策"):
            key = "basic_policy" if kind.text == "基本方針" else "priorities"
            items = data.setdefault(key, [])
            src.put((key, len(items)), text)
            items.append(text.text or "")
        elif kind.text == "参考":
            if not notes or notes[-1]["title"] != row["title"].text:
                src.put(("notes", len(notes)), row["title"])
                src.put(("notes", len(notes), "title"), row["title"])
                notes.append({"title": row["title"].text, "paragraphs": []})
            if text.text is not None:
                src.put(("notes", len(notes) - 1, "paragraphs", len(notes[-1]["paragraphs"])), text)
                notes[-1]["paragraphs"].append(text.text)
        else:
            problems.append(Problem(kind.ref, None, kind.label, f"区分「{kind.text or ''}」は使えません。",
                                    ", ".join(L.POLICY_KINDS)))
    fields, field_at = _owners(rows[L.PLAN_FIELDS.name], "fields", ("id", "number", "title", "printed"), src)
    for f in fields:
        if f.get("printed") == L.NO_HEADING:
            f["printed"] = ""
    measure_at: dict[str, tuple[int, int]] = {}
    for row in rows[L.PLAN_MEASURES.name]:
        found = _attach(row["field"], field_at, fields, ("fields", "measures"), "計画_分野", problems)
        if found is None:
            continue
        measures, loc = found
        src.put(loc, row["id"])
        m: dict[str, Any] = {}
        _put(m, src, loc, row, ("id", "number", "title"))
        for key, pattern in (("tags", r"[、，,]"), ("absorbs", r"[、，,\s]+")):
            src.put((*loc, key), row[key])
            if row[key].text:
                m[key] = _split(row[key].text, pattern)
        measure_at.setdefault(m.get("id", ""), (int(loc[1]), len(measures)))
        measures.append(m)
    for row in rows[L.PLAN_TEXT.name]:
        if row["measure"].text is None:
            i = _parent(row["field"], field_at, "計画_分野", problems)
            if i is not None:
                lead = fields[i].setdefault("lead", [])
                src.put(("fields", i, "lead", len(lead)), row["text"])
                lead.append(row["text"].text or "")
            continue
        at = _parent(row["measure"], measure_at, "計画_施策", problems)
        if at is None:
            continue
        i, j = at
        paragraphs = fields[i]["measures"][j].setdefault("paragraphs", [])
        loc = ("fields", i, "measures", j, "paragraphs", len(paragraphs))
        src.put(loc, row["text"])
        if row["id"].text is None:
            paragraphs.append(row["text"].text or "")
        else:
            paragraph: dict[str, Any] = {}
            _put(paragraph, src, loc, row, ("id", "text"))
            paragraphs.append(paragraph)
    if fields:
        data["fields"] = fields
    if notes:
        data["notes"] = [n if n["paragraphs"] else {"title": n["title"]} for n in notes]
    return data


def _parent(cell: Cell, at: dict[str, Any], sheet: str, problems: list[Problem]) -> Any:
    """The index of the row ``cell`` refers to by id on another sheet."""
    if cell.text in at:
        return at[cell.text]
    what = f"「{cell.text}」は{sheet}シートにありません。" if cell.text else "空です。"
    problems.append(Problem(cell.ref, None, cell.label, what, f"an id listed on the sheet {sheet}"))
    return None


def _attach(cell: Cell, at: dict[str, int], owners: list[dict[str, Any]], keys: tuple[str, str], sheet: str,
            problems: list[Problem]) -> tuple[list[Any], Loc] | None:
    """The list (measures, kpis) of the row ``cell`` names by id, and the place of its next item."""
    i = _parent(cell, at, sheet, problems)
    if i is None:
        return None
    items: list[Any] = owners[i].setdefault(keys[1], [])
    return items, (keys[0], i, keys[1], len(items))


def _owners(rows: list[Row], key: str, fields: tuple[str, ...],
            src: CellSource) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The records that other sheets' rows attach to (分野, KPI 施策), and where each id is:
    the first of a duplicated id, whose duplicate the shared checks report."""
    records: list[dict[str, Any]] = []
    at: dict[str, int] = {}
    for row in rows:
        loc: Loc = (key, len(records))
        src.put(loc, row["id"])
        record: dict[str, Any] = {}
        _put(record, src, loc, row, fields)
        at.setdefault(record.get("id", ""), len(records))
        records.append(record)
    return records, at


def _kpi_results(rows: dict[str, list[Row]], src: CellSource, problems: list[Problem]) -> dict[str, Any]:
    sections, at = _owners(rows[L.KPI_SECTIONS.name], "sections",
                           ("id", "field", "number", "title", "summary_title", "group"), src)
    for row in rows[L.KPIS.name]:
        found = _attach(row["section"], at, sections, ("sections", "kpis"), "KPI_施策", problems)
        if found is None:
            continue
        kpis, loc = found
        src.put(loc, row["id"])
        k: dict[str, Any] = {}
        _put(k, src, loc, row, ("id", "statement", "note", "indicator", "target", "direction", "better",
                                "actual", "previous"))
        kpis.append(k)
    for row in rows[L.KPI_TEXT.name]:
        i = _parent(row["section"], at, "KPI_施策", problems)
        key = L.KPI_TEXT_KINDS.get(row["kind"].text or "")
        if key is None:
            problems.append(Problem(row["kind"].ref, None, row["kind"].label,
                                    f"区分「{row['kind'].text or ''}」は使えません。", ", ".join(L.KPI_TEXT_KINDS)))
        if i is None or key is None:
            continue
        items = sections[i].setdefault(key, [])
        src.put(("sections", i, key, len(items)), row["text"])
        items.append(row["text"].text or "")
    for i, tables in _tables(rows[L.KPI_TABLES.name], "section", at, "KPI_施策", problems):
        out = sections[i].setdefault("tables", [])
        for head, body in tables:
            loc = ("sections", i, "tables", len(out))
            src.put(loc, head["kind"])
            t: dict[str, Any] = {}
            _put(t, src, loc, head, ("title",))
            columns = _cells(head, "v")
            t["columns"] = [c.text for c in columns]
            for n, c in enumerate(columns):
                src.put((*loc, "columns", n), c)
            t["rows"] = []
            for r, row in enumerate(body):
                cells = _cells(row, "v", len(columns))
                src.put((*loc, "rows", r), row["kind"])
                for n, c in enumerate(cells):
                    src.put((*loc, "rows", r, n), c)
                t["rows"].append([c.text or "" for c in cells])
            out.append(t)
    _kpi_charts(rows[L.KPI_CHARTS.name], sections, at, src, problems)
    return {"sections": sections} if sections else {}


def _kpi_charts(rows: list[Row], sections: list[dict[str, Any]], at: dict[str, int], src: CellSource,
                problems: list[Problem]) -> None:
    """KPI_グラフ: per chart a 見出し row, a 項目 row (the categories), a 系列 row per series."""
    charts: dict[tuple[int, str], dict[str, Any]] = {}
    for row in rows:
        i = _parent(row["section"], at, "KPI_施策", problems)
        if i is None:
            continue
        chart_id, kind = row["chart"].text or "", row["kind"].text
        chart = charts.get((i, chart_id))
        if kind == L.HEADING and chart is None:
            out = sections[i].setdefault("charts", [])
            loc: Loc = ("sections", i, "charts", len(out))
            chart = charts[(i, chart_id)] = {"id": chart_id, "_loc": loc}
            src.put(loc, row["kind"])
            src.put((*loc, "id"), row["chart"])
            _put(chart, src, loc, row, ("title", "x_title", "y_title", "y_min", "y_max"))
            src.put((*loc, "kind"), row["type"])
            if row["type"].text is not None:
                chart["kind"] = row["type"].text
            out.append(chart)
        elif kind == L.HEADING:
            problems.append(Problem(row["kind"].ref, None, row["kind"].label,
                                    f"グラフ「{chart_id}」の見出し行が二つあります。", "one 見出し row per chart"))
        elif kind in (L.CATEGORIES, L.SERIES) and chart is not None:
            loc = chart["_loc"]
            cells = [row[f"v{n}"] for n in range(1, L.CHART_VALUES + 1)]
            if kind == L.CATEGORIES:
                last = max([n + 1 for n, c in enumerate(cells) if c.text is not None] + [0])
                chart["categories"] = [c.text for c in cells[:last]]
                for n, c in enumerate(cells[:last]):
                    src.put((*loc, "categories", n), c)
            else:
                series = chart.setdefault("series", [])
                sloc = (*loc, "series", len(series))
                src.put(sloc, row["kind"])
                entry: dict[str, Any] = {}
                _put(entry, src, sloc, row, ("title",))
                entry = {"name": entry["title"]} if "title" in entry else {}
                src.put((*sloc, "name"), row["title"])
                count = max(len(chart.get("categories") or []),
                            max([n + 1 for n, c in enumerate(cells) if c.text is not None] + [0]))
                entry["values"] = [c.text for c in cells[:count]]
                for n, c in enumerate(cells[:count]):
                    src.put((*sloc, "values", n), c)
                series.append(entry)
        else:
            problems.append(Problem(row["kind"].ref, None, row["kind"].label,
                                    f"グラフ「{chart_id}」の見出し行（区分「{L.HEADING}」）がこの行より前にありません。"
                                    if kind in (L.CATEGORIES, L.SERIES) else f"区分「{kind or ''}」は使えません。",
                                    f"{L.HEADING}, {L.CATEGORIES}, {L.SERIES}"))
    for chart in charts.values():
        del chart["_loc"]


def _cells(row: Row, prefix: str, at_least: int = 0) -> list[Cell]:
    """The cells v1, v2, … up to the last filled one (at least ``at_least``)."""
    cells = [row[f"{prefix}{i}"] for i in range(1, L.VALUES + 1)]
    last = max([n + 1 for n, c in enumerate(cells) if c.text is not None] + [at_least])
    return cells[:last]


def _tables(rows: list[Row], parent: str, at: dict[str, Any], sheet: str,
            problems: list[Problem]) -> list[tuple[Any, list[tuple[Row, list[Row]]]]]:
    """Rows of table sheets grouped: per parent, its tables, each a 見出し row and its rows."""
    grouped: dict[Any, dict[str, tuple[Row, list[Row]]]] = {}
    for row in rows:
        i = _parent(row[parent], at, sheet, problems)
        if i is None:
            continue
        tables = grouped.setdefault(i, {})
        number = row["table"].text or ""
        kind = row["kind"].text
        if kind == L.HEADING:
            if number in tables:
                problems.append(Problem(row["kind"].ref, None, row["kind"].label,
                                        f"表「{number}」の見出し行が二つあります。", "one 見出し row per table"))
            else:
                tables[number] = (row, [])
        elif kind == L.ROW and number in tables:
            tables[number][1].append(row)
        elif kind == L.ROW:
            problems.append(Problem(row["table"].ref, None, row["table"].label,
                                    f"表「{number}」の見出し行（区分「{L.HEADING}」）がこの行より前にありません。",
                                    "a 見出し row first, then the table's 行 rows"))
        else:
            problems.append(Problem(row["kind"].ref, None, row["kind"].label,
                                    f"区分「{kind or ''}」は使えません。", f"{L.HEADING} or {L.ROW}"))
    return [(i, list(t.values())) for i, t in grouped.items()]


def _budget(rows: dict[str, list[Row]], src: CellSource) -> dict[str, Any]:
    sections: list[dict[str, Any]] = []
    at: dict[str | None, int] = {}
    for row in rows[L.BUDGET.name]:
        key = row["field"].text
        if key not in at:
            at[key] = len(sections)
            src.put(("sections", len(sections)), row["field"])
            section: dict[str, Any] = {}
            _put(section, src, ("sections", len(sections)), row, ("field",))
            sections.append(section)
        i = at[key]
        if row["title"].text is None and row["amount"].text is None and row["measure"].text is None:
            continue  # a 分野 without items
        items = sections[i].setdefault("items", [])
        loc: Loc = ("sections", i, "items", len(items))
        src.put(loc, row["title"])
        item: dict[str, Any] = {}
        _put(item, src, loc, row, ("title", "amount", "measure"))
        items.append(item)
    return {"sections": sections} if sections else {}


def _progress(rows: dict[str, list[Row]], quarter: int, src: CellSource,
              problems: list[Problem]) -> dict[str, Any]:
    entries: list[dict[str, Any]] = []
    at: dict[str, int] = {}
    filled = ("mark", "kpi_mark", "kpi_mark2", "text", "kpi")
    with_tables = {row["item"].text for row in rows[L.PROGRESS_FIGURES.name]}
    for row in rows[L.PROGRESS_ENTRIES.name]:
        # A 取組 listed without any progress is not reported on this quarter.
        if all(row[k].text is None for k in filled) and row["item"].text not in with_tables:
            continue
        loc: Loc = ("entries", len(entries))
        src.put(loc, row["item"])
        e: dict[str, Any] = {}
        _put(e, src, loc, row, ("item", "mark"))
        marks = [row[k] for k in ("kpi_mark", "kpi_mark2") if row[k].text is not None]
        src.put((*loc, "kpi_mark"), row["kpi_mark"])
        for n, c in enumerate(marks):
            src.put((*loc, "kpi_mark", n), c)
        if marks:
            e["kpi_mark"] = marks[0].text if len(marks) == 1 else [c.text for c in marks]
        for key in ("text", "kpi"):
            src.put((*loc, key), row[key])
            if row[key].text is not None:
                e[key] = _split(row[key].text, r"\n\s*\n")
        if e.get("item") is not None and e["item"] not in at:
            at[e["item"]] = len(entries)
        entries.append(e)
    for i, tables in _tables(rows[L.PROGRESS_FIGURES.name], "item", at, "実施状況", problems):
        out = entries[i].setdefault("tables", [])
        for head, body in tables:
            loc = ("entries", i, "tables", len(out))
            src.put(loc, head["kind"])
            out.append(_figure_table(head, body, loc, src, problems))
    return {"quarter": str(quarter), "entries": entries}


def _figure_table(head: Row, body: list[Row], loc: Loc, src: CellSource, problems: list[Problem]) -> dict[str, Any]:
    t: dict[str, Any] = {}
    if head["label"].text is not None:
        t["title"] = head["label"].text
        src.put((*loc, "title"), head["label"])
    kind = L.TABLE_KINDS.get(head["type"].text or "通常")
    if kind is None:
        problems.append(Problem(head["type"].ref, None, head["type"].label,
                                f"種類「{head['type'].text}」は使えません。", ", ".join(L.TABLE_KINDS)))
    columns = _cells(head, "v")
    if columns:
        t["columns"] = [c.text or "" for c in columns]
        for n, c in enumerate(columns):
            src.put((*loc, "columns", n), c)
    if kind:
        t[kind] = "true"
        src.put((*loc, kind), head["type"])
    t["rows"] = []
    for r, row in enumerate(body):
        rloc: Loc = (*loc, "rows", r)
        src.put(rloc, row["label"])
        out: dict[str, Any] = {}
        _put(out, src, rloc, row, ("label",))
        src.put((*rloc, "period"), row["period"])
        if row["period"].text is not None:
            out["period"] = L.PERIODS.get(row["period"].text, row["period"].text)
        _put(out, src, rloc, row, ("through", "previous_label"))
        # A row of a table with columns has a cell per column (a blank one is ""), as typed.
        width = 0 if kind == "quarterly" else len(columns)
        values = _cells(row, "v", width)
        previous = _cells(row, "p", len(values) if _cells(row, "p") else 0)
        key = "quarters" if kind == "quarterly" else "values"
        src.put((*rloc, key), values[0] if values else row["v1"])
        if values:
            out[key] = [c.text or "" for c in values]
            for n, c in enumerate(values):
                src.put((*rloc, key, n), c)
        src.put((*rloc, "previous"), previous[0] if previous else row["p1"])
        if previous:
            out["previous"] = previous[0].text if kind == "quarterly" and len(previous) == 1 else [
                c.text or "" for c in previous]
            for n, c in enumerate(previous):
                src.put((*rloc, "previous", n), c)
        _put(out, src, rloc, row, ("total",))
        t["rows"].append(out)
    return t


def _settings(ws: Worksheet, parts: list[str], problems: list[Problem]) -> dict[str, tuple[dict[str, Any], CellSource]]:
    """The 基本情報 sheet: label in column A, value in column B, wherever the row now is."""
    out = {p: ({}, CellSource(Path(L.META_SHEET), None)) for p in parts}
    rows = {_normal(ws.cell(r, 1).value): r for r in range(1, ws.max_row + 1)}
    for s in L.SETTINGS:
        if s.part not in out:
            continue
        data, src = out[s.part]
        r = rows.get(_normal(s.label))
        if r is None:
            problems.append(Problem(_where(ws, "A3"), None, "", f"行「{s.label}」がありません。",
                                    "the rows of the sheet as the workbook was generated"))
            continue
        cell = Cell(_text(ws, ws.cell(r, 2), s.path[-1], problems, s.label), _where(ws, f"B{r}"), s.label)
        src.put(s.path, cell)
        if len(s.path) > 1:
            src.cells.setdefault(s.path[:1], (cell.ref, cell.label))
        text = cell.text
        if text is None:
            continue
        if s.path == ("era_policy", "heisei31"):
            text = {L.YES: "true", L.NO: "false"}.get(text, text)
        elif s.path == ("council", "date") and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:  # a date typed as text in 和暦 is read as one (令和6年7月12日, R6.7.12)
                text = parse_date(text).isoformat()
            except ReportgenError as exc:
                problems.append(Problem(cell.ref, None, cell.label, exc.message, exc.detail))
                continue
        elif s.path[-1] in ("number", "material"):  # 第５回 and 資料２ read as 5 and 2
            text = re.sub(r"^(第|資料)|回$", "", unicodedata.normalize("NFKC", text).strip())
        target = data
        for key in s.path[:-1]:
            target = target.setdefault(key, {})
        target[s.path[-1]] = text
    return out


def _info(book: Any, path: Path) -> tuple[Branch, FiscalYear, int | None, list[str]]:
    """Branch, year, quarter and parts: from the hidden sheet, or for a workbook typed by hand
    in the same shape (without it), from the 支部 / 年度 / 四半期 rows of 基本情報."""
    if L.INFO_SHEET in book.sheetnames:
        ws = book[L.INFO_SHEET]
        rows = {str(ws.cell(r, 1).value): (ws.cell(r, 2).value, f"B{r}") for r in range(1, ws.max_row + 1)}
        keys = {"branch": "branch", "year": "year", "quarter": "quarter"}
    elif L.META_SHEET in book.sheetnames:
        ws = book[L.META_SHEET]
        rows = {_normal(ws.cell(r, 1).value): (ws.cell(r, 2).value, f"B{r}") for r in range(1, ws.max_row + 1)}
        keys = {"branch": "支部", "year": "年度", "quarter": "四半期"}
    else:
        raise DataError([Problem(f"{path.name}: {L.INFO_SHEET}!A1", None, "",
                                 "reportgen workbook で作った入力用ブックではありません"
                                 "（隠しシートも基本情報シートもありません）。",
                                 f"a workbook written by reportgen workbook (hidden sheet {L.INFO_SHEET})")])

    def get(key: str) -> tuple[str, str]:
        value, where = rows.get(keys.get(key, key), (None, "A1"))
        return ("" if value is None else unicodedata.normalize("NFKC", str(value))), _where(ws, where)

    problems = []
    if ws.title == L.INFO_SHEET and (get("format")[0], get("version")[0]) != (L.FORMAT, str(L.VERSION)):
        problems.append(Problem(get("version")[1], None, "",
                                f"入力用ブックの形式「{get('format')[0]} {get('version')[0]}」は読めません。",
                                f"{L.FORMAT} version {L.VERSION}"))
    try:
        branch = get_branch(get("branch")[0])
    except ReportgenError as exc:
        problems.append(Problem(get("branch")[1], None, "支部", exc.message, "the branch the workbook holds"))
    try:
        fy = parse_fiscal_year(get("year")[0])
    except ReportgenError as exc:
        problems.append(Problem(get("year")[1], None, "年度", exc.message, "the year the workbook holds"))
    digits = re.sub(r"\D", "", get("quarter")[0])
    quarter = int(digits) if digits in ("1", "2", "3", "4") else None
    if ws.title == L.INFO_SHEET:
        parts = [p for p in get("parts")[0].split(",") if p in L.PART_SHEETS]
    else:  # the parts whose sheets are there
        parts = [p for p, sheets in L.PART_SHEETS.items()
                 if all(s.name in book.sheetnames for s in sheets) and (p != L.PROGRESS or quarter)]
    if problems:
        raise DataError(problems)
    return branch, fy, quarter, parts


def read_workbook(path: Path) -> Book:
    """Every part of the workbook as located YAML-shaped values; problems of the workbook itself."""
    try:
        book = load_workbook(path, data_only=False)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise DataError([Problem(str(path), None, "", "Excel のブック（.xlsx）として読めません。",
                                 f"an .xlsx file ({type(exc).__name__}: {exc})")]) from None
    branch, fy, quarter, parts = _info(book, path)
    problems: list[Problem] = []
    if L.PROGRESS in parts and quarter is None:
        problems.append(Problem(_where(L.INFO_SHEET, "B5"), None, "", "四半期が書かれていません。", "1 to 4"))
    settings: dict[str, tuple[dict[str, Any], CellSource]] = {}
    if L.META_SHEET in book.sheetnames:
        settings = _settings(book[L.META_SHEET], parts, problems)
    else:
        problems.append(Problem(_where(L.META_SHEET, "A1"), None, "", f"シート「{L.META_SHEET}」がありません。",
                                "the sheets as the workbook was generated"))
    sources: dict[str, CellSource] = {}
    for part in parts:
        rows: dict[str, list[Row]] = {}
        for sheet in L.PART_SHEETS[part]:
            if sheet.name not in book.sheetnames:
                problems.append(Problem(_where(sheet.name, "A1"), None, "", f"シート「{sheet.name}」がありません。",
                                        "the sheets as the workbook was generated"))
                continue
            found = read_rows(book[sheet.name], sheet, problems)
            if found is not None:
                rows[sheet.name] = found
        if any(s.name not in rows for s in L.PART_SHEETS[part]):
            continue
        first = L.PART_SHEETS[part][0].name if L.PART_SHEETS[part] else L.META_SHEET
        data, src = settings.get(part, ({}, CellSource(Path(first), None)))
        src.cells.setdefault((), (_where(first, "A1"), ""))
        if part == META_FILE:
            if not data:
                continue  # nothing typed: no meta.yaml (defaults hold)
        elif part == PLAN_FILE:
            data = {**data, **_plan(rows, src, problems)}
        elif part == KPI_RESULTS_FILE:
            data = {**data, **_kpi_results(rows, src, problems)}
        elif part == BUDGET_FILE:
            data = {**data, **_budget(rows, src)}
        elif part == L.PROGRESS and quarter is not None:
            data = _progress(rows, quarter, src, problems)
        if not data or (part == L.PROGRESS and not data.get("entries")):
            continue  # nothing typed for this part yet: no file is written, an existing one is kept
        for top in ("sections", "fields", "entries"):
            src.cells.setdefault((top,), (_where(first, f"A{L.HEADER_ROW + 1}"), "データの行"))
        src.data = data
        name = progress_file(quarter) if part == L.PROGRESS and quarter else part
        sources[name] = src
    return Book(branch, fy, quarter, parts, sources, problems)


KEY_ORDER: dict[str, tuple[str, ...]] = {
    META_FILE: ("title", "confidentiality", "council", "era_policy"),
    KPI_RESULTS_FILE: ("grading", "sections"),
    PLAN_FILE: ("title", "basic_policy", "priorities", "fields", "notes"),
    BUDGET_FILE: ("unit", "sections"),
}


def ordered(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """Top-level keys in the order of the samples (the settings sheet gives its keys first)."""
    order = KEY_ORDER.get(name, ())
    return {k: data[k] for k in sorted(data, key=lambda k: order.index(k) if k in order else len(order))}
