"""The marks of seeds/001 (令和5年度 埼玉支部 新旧対照表) and how close a generated column comes.

The seed marks 42 passages, all in the 令和4年度（旧） column (``<u>…</u>`` in the extracted
text). A passage counts as matched when at least 80％ of its characters are marked in the
generated column; a fragment is a marked stretch of one paragraph; a mark, as a reader
sees it, is a marked stretch of one cell (a paragraph break inside it does not end it: a
removed measure, heading and paragraphs, is one mark); a junk fragment is one that is only
whitespace or punctuation, or a lone particle.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportgen.textdiff import MARKER, Marked, fragments, is_junk
from tests.conftest import ROOT
from tests.extract import norm

SEED = ROOT / "tests" / "seeds" / "001_aa04d10430b33ff0.txt"
SHARE = 0.8


def passages() -> list[str]:
    """The underlined passages in the order printed (a stray nested <u> dropped)."""
    text = SEED.read_text(encoding="utf-8").replace("、<u>弁護士", "、弁護士")
    return [norm(p) for p in re.findall(r"<u>(.*?)</u>", text, flags=re.S)]


@dataclass
class Score:
    matched: int = 0
    missed: list[tuple[str, float]] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)
    marks: int = 0
    marked_chars: int = 0
    marked_in_passages: int = 0

    @property
    def junk(self) -> list[str]:
        return [f for f in self.fragments if is_junk(f)]

    def __str__(self) -> str:
        precision = self.marked_in_passages / self.marked_chars if self.marked_chars else 1.0
        return (f"matched {self.matched} of 42, fragments {len(self.fragments)} (marks {self.marks}), "
                f"junk {len(self.junk)}, "
                f"marked characters inside seed passages {precision:.0%}")


def score(cells: Sequence[Sequence[Marked]]) -> Score:
    """Score the cells of one column (each a list of marked paragraphs), in reading order,
    against the seed."""
    chars: list[str] = []
    marks: list[bool] = []
    result = Score()
    for paragraphs in cells:
        open_mark = False
        for runs in paragraphs:
            result.fragments.extend(f for f in fragments(runs) if f)
            for text, changed in runs:
                n = norm(text)
                if not n or (not changed and MARKER.fullmatch(text)):
                    continue  # whitespace, or the number of a paragraph inside a mark
                if changed and not open_mark:
                    result.marks += 1
                open_mark = changed
                chars.append(n)
                marks.extend([changed] * len(n))
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
