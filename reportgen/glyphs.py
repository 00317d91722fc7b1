"""Which installed font prints each character: never an empty box.

The documents name BIZ UDゴシック (IPAex as its stand-in), which lacks some characters
people write in names, such as 𠮷 (U+20BB7, the 𠮷 of 𠮷田). Noto Sans CJK JP, a gothic
from Debian's fonts-noto-cjk, has them. This module finds the installed font files with
fontconfig, reads their character maps once (fontfiles), and splits a text into runs by
the font that has each character: the document's font where it can, the fallback font
only where it must. The writers name the fallback font on those runs (DOCX ``w:rFonts``,
XLSX rich-text runs; the PDF lists it last in its font families). A character that no font
has is reported by ``validate`` and ``build`` with its file and line.
"""

from __future__ import annotations

import functools
import re
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from reportgen import fontfiles
from reportgen.document import Style
from reportgen.errors import Problem
from reportgen.load.yaml_source import Loc, Source, format_loc, load_yaml, read_text

# The Debian package of the default fallback (Style.fallback), for the messages.
FALLBACK_PACKAGE = "fonts-noto-cjk"


def font_file(family: str) -> tuple[str, int] | None:
    """The file (and index in a collection) of an installed family; None when fontconfig
    would substitute another family for it."""
    return fontfiles.locate(family)


@functools.cache
def coverage(family: str) -> frozenset[int]:
    """The code points an installed family has a glyph for (empty when not installed)."""
    font = fontfiles.read(family)
    return frozenset(font.glyph_of) if font is not None else frozenset()


def _printable(ch: str) -> bool:
    """A character that needs a glyph: not whitespace, a control or a format character."""
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")


def chain(style: Style | None = None) -> tuple[str, ...]:
    """The document's first installed gothic (the one the PDF embeds), then its fallback
    (Style.fallback; a branch's style.yaml may name others)."""
    style = style or Style()
    installed = tuple(f for f in style.gothic if font_file(f) is not None)
    return (*installed[:1], style.fallback)


def font_for(ch: str, families: tuple[str, ...]) -> str | None:
    """The first family of ``families`` that has ``ch``; None when none has it."""
    code = ord(ch)
    return next((f for f in families if code in coverage(f)), None)


def runs(text: str, style: Style | None = None) -> list[tuple[str, str | None]]:
    """``text`` cut where the font changes: (piece, None) for the document's font, (piece,
    fallback family) for characters only the fallback has. A character no font has stays
    with the document's font (it is reported by ``missing``)."""
    fonts = chain(style)
    primary = coverage(fonts[0]) if len(fonts) > 1 else frozenset()
    if all(ord(ch) in primary or not _printable(ch) for ch in text):
        return [(text, None)] if text else []
    out: list[tuple[str, str | None]] = []
    for ch in text:
        font = None if ord(ch) in primary or not _printable(ch) else font_for(ch, fonts[1:])
        if out and out[-1][1] == font:
            out[-1] = (out[-1][0] + ch, font)
        else:
            out.append((ch, font))
    return out


@functools.cache
def installed_font_has(ch: str) -> bool:
    """Whether any installed font has ``ch`` (the clients fall back to it by themselves)."""
    try:
        out = subprocess.run(["fc-list", f":charset={ord(ch):x}", "family"],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return False
    return bool(out.strip())


def missing(text: str, style: Style | None = None) -> list[str]:
    """The characters of ``text`` that no installed font has, each once, in order."""
    fonts = chain(style)
    return [ch for ch in dict.fromkeys(text)
            if _printable(ch) and font_for(ch, fonts) is None and not installed_font_has(ch)]


def _strings(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*loc, i))


_BLOCK = re.compile(r"[|>][-+]?\d*\s*(#.*)?$")


def _line(source: Source, lines: list[str], loc: Loc, value: str, index: int) -> int | None:
    """The line of ``value[index]``: the value's own line, or for a ``|`` block the line
    inside it."""
    start = source.line_of(loc)
    if start is None:
        return None
    if 0 < start <= len(lines) and _BLOCK.search(lines[start - 1].rstrip()):
        return start + 1 + value.count("\n", 0, index)
    return start


def unprintable(paths: Iterable[Path], style: Style | None = None) -> list[Problem]:
    """A warning for every character of the data files that no installed font has."""
    families = chain(style)
    problems = []
    for path in paths:
        text = read_text(path)
        # Every character a value can hold is in the file as written (or its NFC form, as
        # the loader normalises), unless an escape (\u…) spells it: when the file has
        # neither an escape nor a character no font has, no value has one, and the file need
        # not be parsed again (pure-Python YAML: half a second for a year's data; the build's
        # load reads and checks the files it needs).
        if "\\" not in text and not missing(text + unicodedata.normalize("NFC", text), style):
            continue
        source = load_yaml(path)
        lines = text.splitlines()
        for loc, value in _strings(source.data, ()):
            for ch in missing(value, style):
                problems.append(Problem(
                    source.path, _line(source, lines, loc, value, value.index(ch)), format_loc(loc),
                    f"「{ch}」(U+{ord(ch):04X}) はどのフォントにもないため、空白の四角で印刷されます。",
                    f"a character that an installed font has, such as {' or '.join(families)}",
                ))
    return problems


def docx_runs(paragraph: Any, text: str, name_font: Any, style: Style) -> list[Any]:
    """``text`` added to a python-docx paragraph as runs; a run of characters only the
    fallback has names it (``name_font(run_element, family)`` sets every slot)."""
    out = []
    for piece, fallback in runs(text, style):
        run = paragraph.add_run(piece)
        if fallback:
            name_font(run._r, fallback)
        out.append(run)
    return out


def xlsx_value(value: Any, font: Any, style: Style) -> Any:
    """A cell value whose characters all print in the cell's ``font`` (an openpyxl Font),
    or rich text whose runs carry that font, and the fallback font where it must."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    parts = value if isinstance(value, CellRichText) else [value] if isinstance(value, str) else None
    if parts is None or all(fb is None for p in parts for _, fb in runs(p if isinstance(p, str) else p.text, style)):
        return value
    out = []
    for part in parts:
        base = part.font if isinstance(part, TextBlock) else None
        for piece, fallback in runs(part if isinstance(part, str) else part.text, style):
            out.append(TextBlock(InlineFont(
                rFont=fallback or font.name, sz=font.size,
                b=(base.b if base else None) or font.b or None,
                u=(base.u if base else None) or font.u or None,
            ), piece))
    return CellRichText(*out)
