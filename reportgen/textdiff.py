"""Change marking for 新旧対照表: what changed between two Japanese texts.

Japanese has no spaces between words, so a word diff has nothing to split on and a plain
character diff scatters single characters (の, を) over a rewritten sentence. This diffs
characters (diff-match-patch), then applies its semantic clean-up, which folds short
unchanged stretches inside a change into the change, so a reader sees whole changed
phrases; and a number is marked whole when any digit of it changed (96.5% → 98.6%, not 6.5).
Paragraphs are diffed as one text, so an inserted or removed paragraph is marked whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from diff_match_patch import diff_match_patch

Marked = list[tuple[str, bool]]  # runs of (text, changed)

_NUMBER = re.compile(r"[0-9０-９][0-9０-９,，.．]*[%％]?")
_DMP = diff_match_patch()
_DMP.Diff_Timeout = 0  # deterministic: never stop early on a time budget


def _runs(flags: list[tuple[str, bool]]) -> Marked:
    out: Marked = []
    for ch, changed in flags:
        if out and out[-1][1] == changed:
            out[-1] = (out[-1][0] + ch, changed)
        else:
            out.append((ch, changed))
    return out


def _widen_numbers(flags: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    text = "".join(ch for ch, _ in flags)
    flags = list(flags)
    for m in _NUMBER.finditer(text):
        if any(flags[i][1] for i in range(m.start(), m.end())):
            for i in range(m.start(), m.end()):
                flags[i] = (flags[i][0], True)
    return flags


def mark_changes(old: str, new: str) -> tuple[Marked, Marked]:
    """(old runs, new runs): in the old text what was removed or changed, in the new text what
    is new or changed."""
    diffs = _DMP.diff_main(old, new, False)
    _DMP.diff_cleanupSemantic(diffs)
    old_flags: list[tuple[str, bool]] = []
    new_flags: list[tuple[str, bool]] = []
    for op, text in diffs:
        if op == 0:
            old_flags.extend((ch, False) for ch in text)
            new_flags.extend((ch, False) for ch in text)
        elif op < 0:
            old_flags.extend((ch, True) for ch in text)
        else:
            new_flags.extend((ch, True) for ch in text)
    return _runs(_widen_numbers(old_flags)), _runs(_widen_numbers(new_flags))


def split_lines(marked: Marked) -> list[Marked]:
    """Runs of a text joined with newlines, split back into one list of runs per line."""
    lines: list[Marked] = [[]]
    for text, changed in marked:
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append([])
            if part:
                lines[-1].append((part, changed))
    return lines


def mark_paragraphs(old: Sequence[str], new: Sequence[str]) -> tuple[list[Marked], list[Marked]]:
    """Per paragraph runs for two lists of paragraphs."""
    o, n = mark_changes("\n".join(old), "\n".join(new))
    return (split_lines(o) if old else []), (split_lines(n) if new else [])


def unchanged(paragraphs: Sequence[str]) -> list[Marked]:
    return [[(p, False)] for p in paragraphs]
