"""How much room a text takes in a font: widths and wrapped line counts from real metrics.

The DOCX and XLSX writers must decide things that only a renderer knows: whether a table
row fits on a page (Word cuts a ``cantSplit`` row that does not), and how tall a sheet row
must be for its wrapped text (Excel clips a row that is too low and refuses one above
409.5 pt). Guessing "two units per CJK character" was off by a factor of two to three; the
advance widths of the installed font (read once: fontfiles) are what the clients use.

Line breaking is approximated the way the clients do it for Japanese: a line may break
after any CJK character; Latin words and figures are kept whole when they fit a line.
Callers add their own safety margin: clients differ by a few percent in line spacing and
in where kinsoku moves a character.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from reportgen import fontfiles

# When no font file can be found, CJK is one em and everything else half an em: the
# proportions of a Japanese gothic, so estimates stay usable (and a little generous).
_FALLBACK_WIDE = 1.0
_FALLBACK_NARROW = 0.5
# A run of characters that is kept on one line when it fits: Latin words, figures with
# their separators and unit signs (1,234.5％ must not wrap inside the number). A hyphen before
# a letter ends a run: both clients break after it (cash-|benefit-|review, as LibreOffice
# printed an id list), but not before a figure (-12.5, 4-6).
_UNBREAKABLE = re.compile(r"(?:[0-9A-Za-z.,%％()+/:'’&]|-(?![A-Za-z]))+-?|.", re.DOTALL)


@dataclass(frozen=True)
class FontMetrics:
    """Advance widths in em of one font's characters (missing ones estimated by width class), and
    the font's line height in em as each client takes it."""

    advances: dict[int, float]
    # LibreOffice (FreeType) spaces lines by hhea ascender - descender + lineGap: measured with
    # IPAexGothic, whose hhea says 1.0 em and OS/2 win 1.076 em, it set lines 1.00 em apart.
    hhea_em: float = 1.0
    # Excel (GDI) takes the OS/2 win ascent + descent (tmHeight). BIZ UD: both 1.0 em.
    win_em: float = 1.0

    def em(self, ch: str) -> float:
        code = ord(ch)
        if code in self.advances:
            return self.advances[code]
        return _FALLBACK_WIDE if _is_wide(ch) else _FALLBACK_NARROW

    def width_em(self, text: str) -> float:
        return sum(self.em(ch) for ch in text)


def _is_wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in ("W", "F", "A")


@functools.cache
def metrics(family: str) -> FontMetrics:
    """Metrics of an installed family, read once per process."""
    font = fontfiles.read(family)
    if font is None:
        return FontMetrics({})
    upm = font.units_per_em
    return FontMetrics(font.advances_em(), hhea_em=font.hhea_units / upm, win_em=font.win_units / upm)


def unbreakable(text: str) -> list[str]:
    """The pieces a line never breaks inside: Latin words and figures, single other characters."""
    return _UNBREAKABLE.findall(text)


def width_pt(text: str, family: str, size_pt: float) -> float:
    return metrics(family).width_em(text) * size_pt


def wrapped_lines(text: str, width_pt: float, family: str, size_pt: float) -> int:
    """Lines ``text`` takes when wrapped at ``width_pt`` (explicit line feeds included)."""
    font = metrics(family)
    limit = max(width_pt / size_pt, 1.0)  # line width in em
    total = 0
    for line in text.split("\n"):
        lines, used = 1, 0.0
        for token in unbreakable(line):
            w = font.width_em(token)
            if used + w <= limit:
                used += w
                continue
            if w <= limit:  # the token starts the next line
                lines += 1
                used = w
                continue
            for ch in token:  # longer than a line: breaks anywhere, as the clients do
                cw = font.em(ch)
                if used + cw > limit and used > 0:
                    lines += 1
                    used = 0.0
                used += cw
        total += lines
    return total
