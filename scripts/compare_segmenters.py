"""How close each segmenter's marks come to the real handout (seeds/001), in the built files.

Run as ``./run python scripts/compare_segmenters.py [--keep DIR]``. For each segmenter it
builds the 埼玉 R5 新旧対照表 in the branch's house style (the seed's: old column marked) as
DOCX, XLSX and PDF, reads the marks back from each file (DOCX run properties, XLSX rich
text, the rules the PDF draws under the glyphs) and scores the old column against the 42
passages seeds/001 underlines (``tests/seed_marks.py``): passages with at least 80％ of their
characters marked, fragments (underlined stretches as a reader counts them, per cell; and
per paragraph where the format has paragraphs), junk fragments (only whitespace,
punctuation or a lone particle), the share of marked characters inside seed passages, the
same on the seed pages whose underlines survived extraction (where an unmarked passage is
known to be unmarked), and marks in the 参考 part and after it (there should be none).

fugashi (+ unidic-lite) and SudachiPy (+ sudachidict-core) are optional and not product
dependencies (``.venv/bin/pip install -e '.[segmenters]'``); one that is not installed is
skipped.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportgen import textdiff
from tests.conftest import DATA, invoke
from tests.extract import norm
from tests.seed_marks import FORMATS, OLD, SEED, Score, column, marked_after, passages, score


def seed_rows_with_marks() -> str:
    """The old column's text on the seed's pages whose underlines survived extraction (its
    table rows in HTML): there, a stretch the seed does not underline is known not to be
    marked in the real handout. Elsewhere (plain text lines) the seed tells nothing."""
    rows = [line.split("\t")[-1] for line in SEED.read_text(encoding="utf-8").splitlines()
            if "<p>" in line and "\t" in line]
    return norm(re.sub(r"<[^>]+>", "", "".join(rows)))


def known(s: Score) -> str:
    """Of the stretches on those pages, how many the seed underlines too."""
    truth, seed = seed_rows_with_marks(), passages()
    there = [f for f in s.fragments if f in truth]
    agreed = [f for f in there if any(p in f or f in p for p in seed)]
    return f"on seed pages with underlines: {len(agreed)} of {len(there)} stretches underlined in the seed"


def measure(segmenter: str, out: Path) -> None:
    textdiff.DEFAULT_SEGMENTER = segmenter
    try:
        textdiff.tokens("試し", segmenter)
    except ImportError as exc:
        print(f"{segmenter:8} not installed ({exc.name})")
        return
    start = time.perf_counter()
    result = invoke("build", "-b", "saitama", "-y", "R5", "--report", "plan-comparison", "--data", str(DATA),
                    "--output", str(out))
    assert result.exit_code == 0, result.output
    seconds = time.perf_counter() - start
    folder = out / "saitama" / "R5"
    for fmt in FORMATS:
        s = score(column(folder, fmt, OLD))
        notes = marked_after(folder, fmt)
        print(f"{segmenter:8} {fmt:4} {s}; marks from 参考 on: {len(notes)}; {known(s)}")
        for passage, share in s.missed:
            print(f"{'':14}missed ({share:.0%}): {passage}")
    print(f"{segmenter:8} build {seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build into this folder (one subfolder per segmenter)")
    parser.add_argument("segmenters", nargs="*", default=list(textdiff.SEGMENTERS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.segmenters:
            measure(name, (args.keep or Path(tmp)) / name)


if __name__ == "__main__":
    main()
