"""Change marking for 新旧対照表: what changed between two Japanese texts, as whole phrases.

Japanese has no spaces between words, so a character diff scatters single characters (の,
を, a digit, a space) over a rewritten sentence, and a reader cannot trust such marks. Here:

1. Each text is cut into tokens: numbers whole (96.5％), runs of whitespace, punctuation one
   by one, and the rest into phrases (文節) by a segmenter: BudouX's Japanese model by
   default (as close to the real handout seeds/001 as SudachiPy, closer than fugashi or
   plain characters: README, scripts/compare_segmenters.py).
2. The token sequences are diffed (difflib, no junk heuristic: deterministic); of two
   changed phrases, a side that only gained characters marks just those, a side that lost or
   gained only punctuation marks nothing (``_inside``).
3. Unchanged text shorter than a phrase between two marks joins them; a clause (up to 、 or
   。) mostly marked is marked whole, and so is a sentence mostly marked, the way a drafter
   marks a rewritten sentence rather than its surviving particles.
4. A mark never starts or ends on whitespace nor starts on 、 or 。, never consists only of punctuation,
   whitespace or a lone particle; a paragraph's own number or bullet (①, (3), ・) is never
   marked, even on a paragraph added or removed whole (as in seeds/001: 「・<u>事業所を…</u>」);
   a measure's heading, number included, is the report's business.

Paragraphs are diffed as one text joined by newlines, so an inserted or removed paragraph is
marked whole; a mark never crosses a newline; a paragraph that only moved (or was only
renumbered) is not marked.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache

Marked = list[tuple[str, bool]]  # runs of (text, changed)

NUMBER = r"[0-9０-９][0-9０-９,，.．]*[%％]?"
PUNCT = "、。，．,.・:：;；!！?？()（）「」『』【】[]［］〔〕〈〉《》≪≫{}｛｝/／～〜…‥■□◆◇●○◎※＊*＜＞<>=＝+＋-－―—"
_NUMBER = re.compile(NUMBER)
_TOKEN = re.compile(rf"(?P<num>{NUMBER})|(?P<space>\s+)|(?P<punct>[{re.escape(PUNCT)}①-⑳])")
# A paragraph's own number or bullet: ① / (3) / （3） / 3. / ・ / ■, with the space after it.
MARKER = re.compile(r"^\s*(?:[①-⑳]|[(（][0-9０-９]+[)）]|[0-9０-９]+[.．]|[・■□◆●○※])\s*")
# What is never marked alone: particles and the little words that glue phrases together.
PARTICLES = frozenset(
    "の を に は が へ と で も や か て し から まで より など 等 する とする として について に係る "
    "及び 並びに 又は または および ならびに".split()
)
CLAUSE_END = "、。\n"
LEADING_CUT = "、。，．,"  # a mark does not open on the end of the clause before it
SENTENCE_END = "。\n"
CLAUSE_SHARE = 0.5  # a clause at least this much changed is marked whole
SENTENCE_SHARE = 0.3  # and a sentence (a drafter marks a sentence whole once a third of it changed)
LONE_CHANGE = 8  # a single change shorter than this (a number, a word) never widens alone
MOVED = 4  # a paragraph at least this long (「内容点検」) found unchanged on the other side moved (not marked)
JOIN_GAP = 2  # unchanged text of at most this many characters between two marks joins them


# --- segmenters: text without spaces, numbers or punctuation → phrases ----------------------

@cache
def _budoux() -> Callable[[str], list[str]]:
    import budoux

    parser = budoux.load_default_japanese_parser()
    return lambda text: parser.parse(text)


_ATTACHED = ("助詞", "助動詞", "接尾辞", "補助記号")


@cache
def _fugashi() -> Callable[[str], list[str]]:
    import fugashi

    tagger = fugashi.Tagger()

    def split(text: str) -> list[str]:
        return _bunsetsu((w.surface, w.feature.pos1, w.feature.pos2 == "非自立可能") for w in tagger(text))

    return split


@cache
def _sudachi() -> Callable[[str], list[str]]:
    from sudachipy import dictionary, tokenizer

    tok = dictionary.Dictionary(dict="core").tokenizer()
    mode = tokenizer.Tokenizer.SplitMode.C

    def split(text: str) -> list[str]:
        return _bunsetsu((m.surface(), m.part_of_speech()[0], m.part_of_speech()[1] == "非自立可能")
                         for m in tok.tokenize(text, mode))

    return split


def _bunsetsu(words: Iterable[tuple[str, str, bool]]) -> list[str]:
    """Morphemes grouped into phrases: particles, auxiliaries, suffixes and dependent verbs
    join the word before them, a prefix the word after it."""
    out: list[str] = []
    prefix = False
    for surface, pos, dependent in words:
        if out and (prefix or pos in _ATTACHED or (dependent and pos == "動詞")):
            out[-1] += surface
        else:
            out.append(surface)
        prefix = pos == "接頭辞"
    return out


def _chars() -> Callable[[str], list[str]]:
    return list


SEGMENTERS: dict[str, Callable[[], Callable[[str], list[str]]]] = {
    "budoux": _budoux, "fugashi": _fugashi, "sudachi": _sudachi, "char": _chars,
}
DEFAULT_SEGMENTER = "budoux"


def tokens(text: str, segmenter: str | None = None) -> list[str]:
    """Numbers, whitespace runs, punctuation marks and phrases, in order; joined they are
    ``text``."""
    split = SEGMENTERS[segmenter or DEFAULT_SEGMENTER]()
    out: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            out.extend(_phrases(text[pos:m.start()], split))
        out.append(m.group())
        pos = m.end()
    if pos < len(text):
        out.extend(_phrases(text[pos:], split))
    return out


def _phrases(text: str, split: Callable[[str], list[str]]) -> list[str]:
    parts = [p for p in split(text) if p]
    return parts if "".join(parts) == text else [text]  # a segmenter that rewrote text: keep it whole


# --- marking ---------------------------------------------------------------------------------

def _is_content(ch: str) -> bool:
    return not (ch.isspace() or ch in PUNCT or "①" <= ch <= "⑳")


def _is_junk(text: str) -> bool:
    core = "".join(ch for ch in text if _is_content(ch))
    return not core or core in PARTICLES


def _spans(text: str, ends: str) -> list[tuple[int, int]]:
    """[start, end) of each clause or sentence, its closing mark included."""
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch in ends:
            spans.append((start, i + 1))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _widen(text: str, flags: list[bool], ends: str, share: float, skip: set[int]) -> None:
    for start, end in _spans(text, ends):
        content = [i for i in range(start, end) if _is_content(text[i]) and i not in skip]
        if not content:
            continue
        changed = sum(flags[i] for i in content)
        pieces = sum(1 for k, i in enumerate(content) if flags[i] and (k == 0 or not flags[content[k - 1]]))
        # A lone short change (a number, a word) stays as it is unless it is most of the span.
        lone_word = pieces == 1 and changed < LONE_CHANGE and changed < 0.5 * len(content)
        if changed and changed >= share * len(content) and not lone_word:
            for i in range(start, end):
                if text[i] != "\n" and i not in skip:
                    flags[i] = True


def _markers(text: str) -> set[int]:
    """Positions of each paragraph's own number or bullet (never widened into)."""
    out: set[int] = set()
    offset = 0
    for line in text.split("\n"):
        m = MARKER.match(line)
        if m:
            out.update(range(offset, offset + m.end()))
        offset += len(line) + 1
    return out


def _join_gaps(text: str, flags: list[bool], toks: list[tuple[int, int]]) -> None:
    """Unchanged text shorter than a phrase between two marks of one line joins them."""
    marked = [i for i, f in enumerate(flags) if f]
    for a, b in itertools.pairwise(marked):
        if b - a <= 1:
            continue
        gap = text[a + 1:b]
        if "\n" in gap:
            continue
        content = sum(_is_content(ch) for ch in gap)
        in_one_token = any(s <= a + 1 and b <= e for s, e in toks)
        if content <= JOIN_GAP or in_one_token:
            for i in range(a + 1, b):
                flags[i] = True


def _clean(text: str, flags: list[bool]) -> None:
    """No mark starts or ends on whitespace or starts on 、 or 。; no mark of only punctuation
    or a particle."""
    i = 0
    while i < len(text):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < len(text) and flags[j] and text[j] != "\n":
            j += 1
        start, end = i, j
        while start < end and (text[start].isspace() or text[start] in LEADING_CUT):
            flags[start] = False
            start += 1
        while end > start and text[end - 1].isspace():
            flags[end - 1] = False
            end -= 1
        if _is_junk(text[start:end]):
            for k in range(start, end):
                flags[k] = False
        i = max(j, i + 1)


def _flags(text: str, toks: list[str], flags: list[bool]) -> list[bool]:
    """Per character marks, from the diff's per character changes, widened and cleaned."""
    bounds: list[tuple[int, int]] = []
    pos = 0
    for tok in toks:
        bounds.append((pos, pos + len(tok)))
        pos += len(tok)
    skip = _markers(text)
    _join_gaps(text, flags, bounds)
    _widen(text, flags, CLAUSE_END, CLAUSE_SHARE, skip)
    _widen(text, flags, SENTENCE_END, SENTENCE_SHARE, skip)
    _join_gaps(text, flags, bounds)
    for i in skip:  # a paragraph's number or bullet is its place, not its text: never marked
        flags[i] = False
    _clean(text, flags)
    return flags


def _runs(text: str, flags: list[bool]) -> Marked:
    out: Marked = []
    for ch, changed in zip(text, flags, strict=True):
        if out and out[-1][1] == changed:
            out[-1] = (out[-1][0] + ch, changed)
        else:
            out.append((ch, changed))
    return out


def mark_changes(old: str, new: str, segmenter: str | None = None) -> tuple[Marked, Marked]:
    """(old runs, new runs): in the old text what was removed or changed, in the new text what
    is new or changed."""
    a, b = tokens(old, segmenter), tokens(new, segmenter)
    old_flags: list[bool] = []
    new_flags: list[bool] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        ta, tb = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            old_flags.extend([False] * len(ta))
            new_flags.extend([False] * len(tb))
        elif op == "replace" and not any(_NUMBER.fullmatch(t) for t in (*a[i1:i2], *b[j1:j2])):
            o, n = _inside(ta, tb)
            old_flags.extend(o)
            new_flags.extend(n)
        else:
            old_flags.extend([True] * len(ta))
            new_flags.extend([True] * len(tb))
    return (_runs(old, _flags(old, a, old_flags)), _runs(new, _flags(new, b, new_flags)))


def _inside(old: str, new: str) -> tuple[list[bool], list[bool]]:
    """Marks of two changed phrases. A side that lost (or gained) only punctuation or spaces
    keeps no mark: 健診機関、 → 引き続き健診機関・ marks nothing in the old text. Where one side
    only gained characters, just those are marked: 点検の → 内容点検の marks 内容 in the new
    text and nothing in the old one. Otherwise each phrase is marked whole."""
    lost, gained = [True] * len(old), [True] * len(new)  # characters not in the other phrase
    for i, j, size in difflib.SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks():
        lost[i:i + size] = [False] * size
        gained[j:j + size] = [False] * size

    def marks(text: str, changed: list[bool], other_changed: list[bool]) -> list[bool]:
        if not any(c and _is_content(ch) for ch, c in zip(text, changed, strict=True)):
            return [False] * len(text)
        return changed if not any(other_changed) else [True] * len(text)

    return marks(old, lost, gained), marks(new, gained, lost)


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


def mark_paragraphs(old: Sequence[str], new: Sequence[str],
                    segmenter: str | None = None) -> tuple[list[Marked], list[Marked]]:
    """Per paragraph runs for two lists of paragraphs. A paragraph found word for word on
    the other side (its own number aside) moved, and is not marked: the diff of the joined
    text can align only one of two paragraphs that swapped places."""
    old_text, new_text = "\n".join(old), "\n".join(new)
    o, n = mark_changes(old_text, new_text, segmenter)
    # Lines, not paragraphs: a paragraph may hold a line break of its own.
    old_lines, new_lines = (old_text.split("\n") if old else []), (new_text.split("\n") if new else [])
    old_bodies, new_bodies = {body(p) for p in old_lines}, {body(p) for p in new_lines}
    o_runs = [unchanged([p])[0] if body(p) in new_bodies and len(body(p)) >= MOVED else r
              for p, r in zip(old_lines, split_lines(o) if old else [], strict=True)]
    n_runs = [unchanged([p])[0] if body(p) in old_bodies and len(body(p)) >= MOVED else r
              for p, r in zip(new_lines, split_lines(n) if new else [], strict=True)]
    return o_runs, n_runs


def body(paragraph: str) -> str:
    """A paragraph without its own number or bullet, and without spaces: what two paragraphs
    must share to be the same paragraph moved or renumbered."""
    return "".join(paragraph[m.end() if (m := MARKER.match(paragraph)) else 0:].split())


def unchanged(paragraphs: Sequence[str]) -> list[Marked]:
    return [[(p, False)] for p in paragraphs]


def fragments(runs: Marked) -> list[str]:
    """The marked stretches of one paragraph's runs (adjacent marked runs are one)."""
    out: list[str] = []
    previous = False
    for text, changed in runs:
        if changed:
            if previous:
                out[-1] += text
            else:
                out.append(text)
        previous = changed
    return out


def is_junk(fragment: str) -> bool:
    """A mark a reader cannot use: only whitespace or punctuation, or a lone particle."""
    return _is_junk(fragment)
