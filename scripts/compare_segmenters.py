"""How close each segmenter's marks come to the real handout (seeds/001).

Run as ``./run python scripts/compare_segmenters.py``. Builds the 埼玉 R5 新旧対照表 model
in the branch's house style once per segmenter and scores its old column against the 42
passages seeds/001 underlines (``tests/seed_marks.py``): passages with at least 80％ of
their characters marked, fragments (marked stretches of a paragraph), marks as a reader
sees them (a stretch of a cell, over paragraph breaks), junk fragments (only whitespace,
punctuation or a lone particle), and the share of marked characters inside seed passages.
fugashi (+ unidic-lite) and SudachiPy (+ sudachidict_core) are optional
(``pip install -e '.[segmenters]'``); a segmenter that is not installed is skipped.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportgen import textdiff
from reportgen.branches import get_branch
from reportgen.build import documents, load_for
from reportgen.document import Table
from reportgen.wareki import parse_fiscal_year
from tests.conftest import DATA
from tests.seed_marks import score


def main() -> None:
    data = load_for(DATA, get_branch("saitama"), parse_fiscal_year("R5"), ["plan-comparison"])
    for name in textdiff.SEGMENTERS:
        textdiff.DEFAULT_SEGMENTER = name
        try:
            start = time.perf_counter()
            document = documents(data, ["plan-comparison"])[0]
        except ImportError as exc:
            print(f"{name:8} not installed ({exc.name})")
            continue
        seconds = time.perf_counter() - start
        table = next(b for b in document.blocks if isinstance(b, Table) and b.label == "comparison")
        cells = [[[(r.text, bool(r.underline)) for r in p.runs] for p in row.cells[2].content] for row in table.body]
        print(f"{name:8} {score(cells)}; {seconds:.1f} s")


if __name__ == "__main__":
    main()
