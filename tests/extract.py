"""Text out of generated files, the way a reader (or a copy-paste) would get it."""

from __future__ import annotations

import html
import itertools
import re
import subprocess
import unicodedata
import zipfile
from dataclasses import dataclass
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
    return "\n".join([*parts, *chart_texts(path, "word/charts/")])


def chart_texts(path: Path, folder: str) -> list[str]:
    """The texts a chart shows: its title and axis titles (a:t), its categories and series names
    (c:v of the caches, in a Word chart; an Excel chart's are the sheet's cells)."""
    out: list[str] = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(n for n in z.namelist() if n.startswith(folder) and n.endswith(".xml")):
            xml = z.read(name).decode()
            out.extend(html.unescape(t) for t in re.findall(r"<(?:a:)?t>([^<]*)</(?:a:)?t>", xml))
            out.extend(html.unescape(t) for t in re.findall(r"<c:v>([^<]*)</c:v>", xml))
    return out


def xlsx_rows(path: Path, shown: bool = False, collapse: bool = False) -> list[list[Any]]:
    """Cell values row by row, the sheets one after the other; a merged range gives its value to
    every cell it covers. With ``shown``, every cell as Excel shows it (numbers through their
    number format); with ``collapse``, a range merged across columns is one cell, as the table
    it comes from has."""
    wb = openpyxl.load_workbook(path, rich_text=not shown)
    out: list[list[Any]] = []
    for ws in wb.worksheets:
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
        out.extend(values)
    return out


def xlsx_text(path: Path) -> str:
    """Every cell of every sheet as Excel shows it (figures through their number format)."""
    wb = openpyxl.load_workbook(path)
    cells = [xlsx_shown(c.value, c.number_format) for ws in wb.worksheets for row in ws.iter_rows()
             for c in row if c.value is not None]
    return "\n".join([*cells, *chart_texts(path, "xl/charts/")])


def _cells(ws: Any) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """Every cell a person sees: (row, column) of its top left → (rows, columns, last row, last column)."""
    out = {}
    covered = set()
    for m in ws.merged_cells.ranges:
        out[(m.min_row, m.min_col)] = (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1, m.max_row, m.max_col)
        covered |= {(r, c) for r in range(m.min_row, m.max_row + 1) for c in range(m.min_col, m.max_col + 1)}
    for r in range(1, ws.max_row + 1):
        for c in range(1, ws.max_column + 1):
            if (r, c) not in covered:
                out[(r, c)] = (1, 1, r, c)
    return out


def _column_spans(ws: Any, cells: dict[tuple[int, int], tuple[int, int, int, int]]) -> tuple[int, list[
        tuple[int, int]]]:
    """The last header row of a sheet's print title and the (first, last) sheet columns of each
    column of the table under it."""
    first, last = (int(x) for x in ws.print_title_rows.replace("$", "").split(":"))
    spans = sorted((c, spec[3]) for (r, c), spec in cells.items() if r == first)
    return last, spans


def _shown(ws: Any, r: int, c: int) -> str:
    cell = ws.cell(row=r, column=c)
    return xlsx_shown(cell.value, cell.number_format)


def xlsx_table_rows(path: Path, key: int) -> list[list[str]]:
    """The rows of every sheet's titled table as the model has them: a row's sheet rows (which
    start where column ``key`` has a cell) read back into one text per table column, pieces and
    figure-table rows on lines of their own, a figure row's cells joined with a full-width space."""
    wb = openpyxl.load_workbook(path)
    rows: list[list[str]] = []
    for ws in wb.worksheets:
        if not ws.print_title_rows:
            continue
        cells = _cells(ws)
        head, spans = _column_spans(ws, cells)
        key_first = spans[key][0]
        starts = [r for r in range(head + 1, ws.max_row + 1) if (r, key_first) in cells
                  and ws.cell(row=r, column=key_first).border.top.style]
        for a, b in zip(starts, [*starts[1:], ws.max_row + 1], strict=True):
            row = []
            for lo, hi in spans:
                lines = []
                for r in range(a, b):
                    parts = [_shown(ws, r, c) for (rr, c), spec in sorted(cells.items())
                             if rr == r and lo <= c <= hi and spec[3] <= hi]
                    if any(parts):
                        lines.append("\u3000".join(parts))
                row.append("\n".join(lines))
            rows.append(row)
    return rows


def xlsx_figure_rows(path: Path) -> list[str]:
    """Rows of the figure tables inside the cells of every sheet's titled table, one line each as
    docx_figure_rows gives them: cells joined with a full-width space, a cell's lines run together
    (a figure and the previous year's figure under it)."""
    wb = openpyxl.load_workbook(path)
    lines: list[str] = []
    for ws in wb.worksheets:
        if not ws.print_title_rows:
            continue
        cells = _cells(ws)
        head, spans = _column_spans(ws, cells)
        for lo, hi in spans:
            inside = {k: v for k, v in cells.items() if k[0] > head and lo <= k[1] and v[3] <= hi
                      and not (k[1] == lo and v[3] == hi)}
            r = head + 1
            while r <= ws.max_row:
                # A figure row: sheet rows held together by a cell merged down over them.
                end = r
                for (rr, _), spec in inside.items():
                    if rr == r:
                        end = max(end, spec[2])
                buckets: dict[tuple[int, int], str] = {}
                for (rr, c), spec in sorted(inside.items()):
                    if r <= rr <= end:
                        buckets[(c, spec[3])] = buckets.get((c, spec[3]), "") + _shown(ws, rr, c).replace("\n", "")
                if len(buckets) > 1:
                    lines.append("\u3000".join(v for _, v in sorted(buckets.items())))
                r = end + 1
    return lines


_FORMAT = re.compile(r'^(?P<digits>[#,0]+)(?:\.(?P<places>0+))?(?:"(?P<unit>[^"]*)")?')


def xlsx_shown(value: Any, number_format: str) -> str:
    """A cell as Excel shows it, for the formats reportgen writes: 84.12 with 0.00"％" → 84.12％."""
    if value is None:
        return ""
    if not isinstance(value, int | float | Decimal):
        return str(value)
    if number_format == "General":
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


def pdf_marked_after(path: Path, title: str) -> Marked:
    """Every character from the line ``title`` to the end of the document, underlined or
    not, in the order drawn."""
    out: Marked = []
    found = False
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            top = 0.0
            if not found:
                line = next((ln for ln in page.extract_text_lines() if norm(ln["text"]) == norm(title)), None)
                if line is None:
                    continue
                found, top = True, line["top"]
            rules = _underline_rules(page)
            out.extend((c["text"], _underlined(c, rules)) for c in page.chars if c["top"] >= top)
    assert found, f"{title!r} is not in {path}"
    return out


def pdf_lines(path: Path) -> list[list[tuple[str, float]]]:
    """Each page's text lines, top to bottom, as laid out: (text, largest font size)."""
    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            lines = page.extract_text_lines(return_chars=True, layout=False)
            pages.append([(line["text"], max(c["size"] for c in line["chars"])) for line in lines])
    return pages


@dataclass(frozen=True)
class PrintedCell:
    """A ruled cell of a PDF table: its box and its lines of text, top to bottom, each as
    (top, bottom, size) of its characters."""

    page: int
    box: tuple[float, float, float, float]  # left, right, top rule, bottom rule
    lines: tuple[tuple[float, float, float], ...]


def _grey(colour: Any, level: float) -> bool:
    values = colour if isinstance(colour, tuple | list) else (colour,)
    return all(isinstance(v, int | float) and abs(v - level) < 0.02 for v in values)


def pdf_ruled_cells(path: Path, rule_grey: float, shades: tuple[tuple[float, ...], ...] = ()) -> list[PrintedCell]:
    """The body cells of the tables LibreOffice printed: told apart by the table rules (lines of
    grey ``rule_grey``; underlines are black), header cells (filled with one of ``shades``)
    left out: a cell merged over a page break leaves its clipped characters under the repeated
    header. Each character belongs to the cell between the nearest rules around its middle."""
    out: list[PrintedCell] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            rules = [e for e in page.edges if e["object_type"] == "line" and _grey(e.get("stroking_color"), rule_grey)]
            across = [e for e in rules if e["orientation"] == "h"]
            down = [e for e in rules if e["orientation"] == "v"]
            shaded = [r for r in page.rects if any(
                all(abs(a - b) < 0.01 for a, b in zip(r.get("non_stroking_color") or (), shade, strict=False))
                and len(r.get("non_stroking_color") or ()) == len(shade) for shade in shades)]
            cells: dict[tuple[float, float, float, float], list[dict[str, Any]]] = {}
            for c in page.chars:
                if not c["text"].strip() or not c.get("upright", True):
                    continue
                x, y = (c["x0"] + c["x1"]) / 2, c["top"] + 0.3 * c["size"]
                lefts = [v["x0"] for v in down if v["x0"] <= x and v["top"] <= y <= v["bottom"]]
                rights = [v["x0"] for v in down if v["x0"] > x and v["top"] <= y <= v["bottom"]]
                ups = [h["top"] for h in across if h["x0"] <= x <= h["x1"] and h["top"] <= y]
                downs = [h["top"] for h in across if h["x0"] <= x <= h["x1"] and h["top"] > y]
                if not (lefts and rights and ups and downs):
                    continue
                box = (max(lefts), min(rights), max(ups), min(downs))
                mid_x, mid_y = (box[0] + box[1]) / 2, (box[2] + box[3]) / 2
                if any(r["x0"] <= mid_x <= r["x1"] and r["top"] <= mid_y <= r["bottom"] for r in shaded):
                    continue
                cells.setdefault(box, []).append(c)
            for box, chars in cells.items():
                lines: list[list[dict[str, Any]]] = []
                for c in sorted(chars, key=lambda c: c["top"]):
                    # one line: characters whose tops lie within a third of the size (mixed sizes
                    # and half-width marks sit a little lower on the same baseline)
                    if lines and c["top"] - lines[-1][0]["top"] < 0.3 * c["size"]:
                        lines[-1].append(c)
                    else:
                        lines.append([c])
                out.append(PrintedCell(number, box, tuple(
                    (min(c["top"] for c in line), max(c["bottom"] for c in line), max(c["size"] for c in line))
                    for line in lines)))
    return out


def libreoffice_pdf(path: Path, outdir: Path, *, profile: Path | None = None, timeout: int = 180) -> Path:
    """``path`` (DOCX, XLSX) printed to PDF by LibreOffice, as a user's client would, with a
    profile of its own in ``outdir`` (sessions running side by side do not share one) unless
    ``profile`` names one that several calls reuse (a warm start)."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile or outdir / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(outdir), str(path)],
                   check=True, capture_output=True, timeout=timeout)
    return outdir / f"{path.stem}.pdf"
