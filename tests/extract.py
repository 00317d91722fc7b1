"""Text out of generated files, the way a reader (or a copy-paste) would get it."""

from __future__ import annotations

import itertools
import re
import subprocess
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pdfplumber


def norm(text: str) -> str:
    """Compare text as a reader does: NFKC (％ = %), no whitespace or line breaks."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def pdf_text(path: Path, layout: bool = True) -> str:
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdf_pages(path: Path) -> list[str]:
    return pdf_text(path).split("\f")[:-1]


def pdf_tables(path: Path) -> list[list[list[str]]]:
    """Every ruled table on every page: rows of cell texts (None for spanned cells → '')."""
    tables = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                tables.append([[c or "" for c in row] for row in table])
    return tables


def pdf_fonts(path: Path) -> str:
    return subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout


def docx_tables(path: Path) -> list[list[list[str]]]:
    document = docx.Document(str(path))
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


def _table_texts(table: Any) -> list[str]:
    """Cell texts of a DOCX table, figure tables inside its cells included."""
    out = []
    for row in table.rows:
        for c in row.cells:
            out.append(c.text)
            for nested in c.tables:
                out.extend(_table_texts(nested))
    return out


def docx_figure_rows(path: Path) -> list[str]:
    """Rows of the tables nested in DOCX cells, one line each as the XLSX prints them:
    cells joined with a full-width space, a cell's paragraphs run together."""
    lines: list[str] = []

    def walk(table: Any, nested: bool) -> None:
        for row in table.rows:
            if nested:
                lines.append("\u3000".join(c.text.replace("\n", "") for c in row.cells))
            for c in row.cells:
                for inner in c.tables:
                    walk(inner, True)

    for table in docx.Document(str(path)).tables:
        walk(table, False)
    return lines


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(_table_texts(table))
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
    return "\n".join(parts)


def xlsx_rows(path: Path, shown: bool = False, collapse: bool = False) -> list[list[Any]]:
    """Cell values row by row; a merged range gives its value to every cell it covers. With
    ``shown``, every cell as Excel shows it (numbers through their number format); with
    ``collapse``, a range merged across columns is one cell, as the table it comes from has."""
    wb = openpyxl.load_workbook(path, rich_text=not shown)
    ws = wb.active
    assert ws is not None
    values = [[xlsx_shown(c.value, c.number_format) if shown else c.value for c in row]
              for row in ws.iter_rows()]
    for merged in ws.merged_cells.ranges:
        top = values[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                values[r - 1][c - 1] = top
    if collapse:
        covered = {(r, c) for m in ws.merged_cells.ranges for r in range(m.min_row, m.max_row + 1)
                   for c in range(m.min_col + 1, m.max_col + 1)}
        values = [[v for c, v in enumerate(row, start=1) if (r, c) not in covered]
                  for r, row in enumerate(values, start=1)]
    return values


def xlsx_text(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws is not None
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


_FORMAT = re.compile(r'^(?P<digits>[#,0]+)(?:\.(?P<places>0+))?(?:"(?P<unit>[^"]*)")?')


def xlsx_shown(value: Any, number_format: str) -> str:
    """A cell as Excel shows it, for the formats reportgen writes: 84.12 with 0.00"％" → 84.12％."""
    if value is None:
        return ""
    if not isinstance(value, int | float | Decimal):
        return str(value)
    m = _FORMAT.match(number_format.split(";")[0])
    assert m, number_format
    places = len(m["places"] or "")
    text = f"{abs(Decimal(str(value))):{',' if ',' in m['digits'] else ''}.{places}f}"
    return ("▲" if value < 0 else "") + text + (m["unit"] or "")


def pdf_underlined(path: Path, needle: str) -> list[bool]:
    """For each character of the first occurrence of ``needle`` in the PDF: is a rule drawn
    under it (an underline: a thin horizontal stroke just below the glyph)?"""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = page.chars
            text = "".join(c["text"] for c in chars)
            start = text.find(needle)
            if start < 0:
                continue
            strokes = [s for s in (*page.lines, *page.rects) if s["height"] < 2]
            return [
                any(s["x0"] <= c["x0"] + 1 and s["x1"] >= c["x1"] - 1 and c["bottom"] - 3 <= s["top"] <= c["bottom"] + 3
                    for s in strokes)
                for c in chars[start:start + len(needle)]
            ]
    raise AssertionError(f"{needle!r} is not in {path}")


Marked = list[tuple[str, bool]]


def _split_paragraphs(runs: Marked) -> list[Marked]:
    paragraphs: list[Marked] = [[]]
    for text, marked in runs:
        for i, part in enumerate(text.split("\n")):
            if i:
                paragraphs.append([])
            if part:
                paragraphs[-1].append((part, marked))
    return paragraphs


def docx_marked_cells(path: Path, column: int, table: int = 0) -> list[list[Marked]]:
    """Cells of one column of a DOCX table below its header: paragraphs of (text, underlined)
    runs, from the run properties (single or double underline)."""
    t = docx.Document(str(path)).tables[table]
    return [[[(r.text, bool(r.underline)) for r in p.runs] for p in row.cells[column].paragraphs]
            for row in t.rows[1:]]


def xlsx_marked_cells(path: Path, heading: str, stop: str) -> list[list[Marked]]:
    """Cells below the header cell ``heading`` until a row whose first cell is ``stop``:
    paragraphs of (text, underlined) runs, from rich text blocks or the cell font."""
    ws = openpyxl.load_workbook(path, rich_text=True).active
    assert ws is not None
    top, col = next((c.row, c.column) for row in ws.iter_rows() for c in row if c.value == heading)
    cells = []
    for r in range(top + 1, ws.max_row + 1):
        if ws.cell(r, 1).value == stop:
            break
        cell = ws.cell(r, col)
        if cell.value is None:
            continue
        if isinstance(cell.value, str):
            runs = [(cell.value, bool(cell.font.u))]
        else:
            runs = [(b, bool(cell.font.u)) if isinstance(b, str) else (b.text, bool(b.font.u)) for b in cell.value]
        cells.append(_split_paragraphs(runs))
    return cells


def _underline_rules(page: Any) -> list[dict[str, Any]]:
    """Underlines as drawn: horizontal black rules thicker than the 0.6 pt table borders."""
    return [s for s in page.lines if abs(s["top"] - s["bottom"]) < 0.5 and s.get("linewidth", 0) > 0.7]


def _underlined(c: dict[str, Any], rules: list[dict[str, Any]]) -> bool:
    return any(s["x0"] <= c["x0"] + 1 and s["x1"] >= c["x1"] - 1 and c["bottom"] - 4 <= s["top"] <= c["bottom"] + 3
               for s in rules)


def pdf_marked_cells(path: Path, heading: str, stop: str | None = None) -> list[list[Marked]]:
    """Cells of the column headed ``heading`` on every page (the header repeats), until the
    line ``stop``: each cell one paragraph of its characters, underlined or not (a rule drawn
    under the glyph). Cells are told apart by the table's horizontal rules."""
    cells: list[list[Marked]] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            lines = page.extract_text_lines()
            limit = next((ln["top"] for ln in lines if stop and norm(ln["text"]) == norm(stop)), page.height)
            head = next((ln for ln in lines if norm(heading) in norm(ln["text"])), None)
            if head is not None and head["top"] < limit:
                start = norm(head["text"]).index(norm(heading))
                first = [c for c in head["chars"] if not c["text"].isspace()][start]
                box = next(r for r in page.rects if r["x0"] <= first["x0"] <= r["x1"]
                           and r["top"] <= first["top"] <= r["bottom"])
                x0, x1, top = box["x0"], box["x1"], box["bottom"]
                rows = sorted({round(s["top"], 1) for s in page.lines if abs(s["top"] - s["bottom"]) < 0.5
                               and s.get("linewidth", 0) <= 0.7 and s["x0"] <= x0 + 1 and s["x1"] >= x1 - 1
                               and top - 1 < s["top"] < limit} | {round(top, 1), limit})
                rules = _underline_rules(page)
                chars = [c for c in page.chars if x0 <= c["x0"] and c["x1"] <= x1 and top < c["top"] < limit]
                for upper, lower in itertools.pairwise(rows):
                    inside = [(c["text"], _underlined(c, rules)) for c in chars if upper <= c["top"] < lower]
                    if inside:
                        cells.append([inside])
            if limit < page.height:
                break
    return cells
