"""The marks of seeds/001 (令和5年度 埼玉支部 新旧対照表) and how close a generated column comes.

The seed marks 42 passages, all in the 令和4年度（旧） column (``<u>…</u>`` in the extracted
text). A passage counts as matched when at least 80％ of its characters are marked in the
generated column.

A fragment is what a reader counts as one underlined stretch: a maximal run of marked
characters in a cell, read in order. Only what is printed counts: whitespace and the break
between two lines or paragraphs are not characters, so they neither carry a mark nor end one;
any printed unmarked character ends it, a paragraph's own number (③) included. A removed
measure underlined whole, heading and paragraphs, is one fragment; 「① [text]」 under
「[text]」 is two. DOCX, XLSX and PDF give the same count (a PDF does not tell a wrapped line
from a new paragraph, so no count may depend on that). Per paragraph (DOCX, XLSX only), the
same marks are also counted paragraph by paragraph, as ``paragraph_fragments``.
A junk fragment is one that is only whitespace or punctuation, or a lone particle.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl
from openpyxl.cell.rich_text import CellRichText

from reportgen.textdiff import Marked, fragments, is_junk
from tests.conftest import ROOT
from tests.extract import docx_marked_cells, docx_tables, norm, pdf_marked_after, pdf_marked_cells, xlsx_marked_cells

SEED = ROOT / "tests" / "seeds" / "001_aa04d10430b33ff0.txt"
SHARE = 0.8
PASSAGES = 42


def passages() -> list[str]:
    """The underlined passages in the order printed (a stray nested <u> dropped)."""
    text = SEED.read_text(encoding="utf-8").replace("、<u>弁護士", "、弁護士")
    return [norm(p) for p in re.findall(r"<u>(.*?)</u>", text, flags=re.S)]


@dataclass
class Score:
    matched: int = 0
    missed: list[tuple[str, float]] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)  # per cell, as a reader counts them
    paragraph_fragments: list[str] = field(default_factory=list)
    marked_chars: int = 0
    marked_in_passages: int = 0

    @property
    def junk(self) -> list[str]:
        return [f for f in (*self.fragments, *self.paragraph_fragments) if is_junk(f)]

    @property
    def precision(self) -> float:
        """The share of marked characters that lie inside a seed passage."""
        return self.marked_in_passages / self.marked_chars if self.marked_chars else 1.0

    def __str__(self) -> str:
        return (f"matched {self.matched} of {PASSAGES}, fragments {len(self.fragments)} "
                f"(per paragraph {len(self.paragraph_fragments)}), junk {len(self.junk)}, "
                f"marked characters inside seed passages {self.precision:.0%}")


def score(cells: Sequence[Sequence[Marked]]) -> Score:
    """Score the cells of one column (each a list of marked paragraphs), in reading order,
    against the seed."""
    chars: list[str] = []
    marks: list[bool] = []
    result = Score()
    for paragraphs in cells:
        printed: Marked = []  # the cell's printed characters, whitespace and breaks left out
        for runs in paragraphs:
            result.paragraph_fragments.extend(f for f in fragments(runs) if norm(f))
            printed.extend((norm(text), changed) for text, changed in runs if norm(text))
        result.fragments.extend(fragments(printed))
        for text, changed in printed:
            chars.append(text)
            marks.extend([changed] * len(text))
    text = "".join(chars)
    inside = [False] * len(text)
    after = 0
    for passage in passages():
        # In reading order: the first occurrence after the previous passage, else anywhere.
        start = text.find(passage, after)
        if start < 0:
            start = text.find(passage)
        if start >= 0:
            after = start + len(passage)
            inside[start:after] = [True] * len(passage)
        share = sum(marks[start:start + len(passage)]) / len(passage) if start >= 0 else 0.0
        if share >= SHARE:
            result.matched += 1
        else:
            result.missed.append((passage, share))
    result.marked_chars = sum(marks)
    result.marked_in_passages = sum(m and i for m, i in zip(marks, inside, strict=True))
    return result


# --- the generated files' columns -------------------------------------------------------------

OLD = "具体的施策等 令和4年度（旧）"
NEW = "具体的施策等 令和5年度（新）"
NOTES = "参考"
FORMATS = ("docx", "xlsx", "pdf")


def column(folder: Path, fmt: str, heading: str) -> list[list[Marked]]:
    """The comparison table's column ``heading`` in plan-comparison.<fmt>, marks as written."""
    if fmt == "docx":
        index = docx_tables(folder / "plan-comparison.docx")[0][0].index(heading)
        return docx_marked_cells(folder / "plan-comparison.docx", index)
    if fmt == "xlsx":
        return xlsx_marked_cells(folder / "plan-comparison.xlsx", heading, NOTES)
    return pdf_marked_cells(folder / "plan-comparison.pdf", heading, NOTES)


def marked_after(folder: Path, fmt: str, title: str = NOTES) -> list[str]:
    """Every marked stretch from the line ``title`` (参考) to the end of the document."""
    path = folder / f"plan-comparison.{fmt}"
    if fmt == "docx":
        document = docx.Document(str(path))
        body = [p.text for p in document.paragraphs]
        assert title in body, title
        tables = document.tables[1:]  # the comparison table comes before 参考
        runs = [[(r.text, bool(r.underline)) for r in p.runs]
                for t in tables for row in t.rows for c in row.cells for p in c.paragraphs]
    elif fmt == "xlsx":
        book = openpyxl.load_workbook(path, rich_text=True)
        every = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        start = next(i for i, c in enumerate(every) if c.value == title)
        runs = [[(b, bool(c.font.u)) if isinstance(b, str) else (b.text, bool(b.font.u)) for b in c.value]
                if isinstance(c.value, CellRichText) else [(str(c.value), bool(c.font.u))] for c in every[start:]]
    else:
        runs = [pdf_marked_after(path, title)]
    return [f for r in runs for f in fragments(r) if norm(f)]
