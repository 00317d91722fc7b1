"""The installed font files the documents name, and what is read from them.

One place for the questions every writer and check asks of a font: which file fontconfig
picks for a family (``locate``), which code points it has a glyph for and how wide they are
(``read``), its line heights, and an identity of its contents for the input hash.

The tables are read raw (the sfnt table directory, cmap format 12 or 4, hmtx, head, hhea,
OS/2) with ``struct`` and ``array``. fontTools' ``getBestCmap`` builds a dictionary of glyph
names for every code point: for BIZ UD and Noto Sans CJK that was a tenth of a second of
every process that checked or measured text; the raw groups take a few milliseconds.
"""

from __future__ import annotations

import functools
import os
import struct
import subprocess
import sys
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO, TypeVar

# The cmap subtables a font maps Unicode with, best first: the full repertoire (format 12),
# then the Basic Multilingual Plane (format 4).
_CMAP_PREFERENCE = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3))


class FontFileError(ValueError):
    """A font file this module cannot read (truncated, or not an OpenType/TrueType font)."""


@functools.cache
def locate(family: str) -> tuple[str, int] | None:
    """The file (and index in a collection) fontconfig picks for ``family``; None when it is
    not installed (fc-match always answers with some font: only an exact family match is
    this one)."""
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}\n%{index}\n%{family}", family],
                             capture_output=True, text=True, check=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, index, families = ([*out.split("\n"), "", ""])[:3]
    if family.casefold() not in (f.strip().casefold() for f in families.split(",")) or not path:
        return None
    return path, int(index or 0)


@dataclass(frozen=True)
class FontFile:
    """What is read from one font: its character map, advances and vertical metrics."""

    path: str
    index: int
    units_per_em: int
    glyph_of: dict[int, int]  # code point → glyph id
    advance_units: tuple[int, ...] = field(repr=False)  # per glyph id
    hhea_units: int  # ascender - descender + lineGap (LibreOffice's line)
    win_units: int  # usWinAscent + usWinDescent (Excel's and Word's)
    # head.checkSumAdjustment (a checksum of the whole file, written by the font's tools),
    # fontRevision and modified, with the file's size: the font's contents, for the input hash.
    identity: str

    def advance_em(self, code: int) -> float | None:
        glyph = self.glyph_of.get(code)
        return None if glyph is None else self._advance_em(glyph)

    def advances_em(self) -> dict[int, float]:
        """Every mapped code point's advance width in em."""
        return {code: self._advance_em(glyph) for code, glyph in self.glyph_of.items()}

    def _advance_em(self, glyph: int) -> float:
        # Glyphs after the last hmtx entry take its advance (the table's monospaced tail).
        units = self.advance_units
        return (units[glyph] if glyph < len(units) else units[-1]) / self.units_per_em


T = TypeVar("T")


def _with_file(family: str, reader: Callable[[BinaryIO, str, int], T]) -> T | None:
    """``reader`` on the open file of ``family`` (its path and index); None when the family is
    not installed or its file cannot be read as a font."""
    found = locate(family)
    if found is None:
        return None
    path, index = found
    try:
        with open(path, "rb") as f:
            return reader(f, path, index)
    except (OSError, struct.error, FontFileError):
        return None


@functools.cache
def read(family: str) -> FontFile | None:
    """The installed font of ``family``, read once per process; None when not installed."""
    return _with_file(family, _read)


@functools.cache
def identity(family: str) -> str | None:
    """The installed font's identity (FontFile.identity) without reading its character
    map: for the input hash of every build."""
    return _with_file(family, lambda f, path, index: _identity(f, _tables(f, path, index)))


def _tables(f: BinaryIO, path: str, index: int) -> Callable[[bytes], bytes]:
    """The font's tables, each read when asked for by its tag."""
    directory = _table_directory(f, index)

    def table(tag: bytes) -> bytes:
        if tag not in directory:
            raise FontFileError(f"{path}: no {tag.decode()} table")
        offset, length = directory[tag]
        f.seek(offset)
        data = f.read(length)
        if len(data) < length:
            raise FontFileError(f"{path}: {tag.decode()} table cut short")
        return data

    return table


def _identity(f: BinaryIO, table: Callable[[bytes], bytes]) -> str:
    head = table(b"head")
    revision, checksum = struct.unpack_from(">iI", head, 4)
    (modified,) = struct.unpack_from(">q", head, 28)
    return f"{checksum:08x} {revision} {modified} {os.fstat(f.fileno()).st_size}"


def _read(f: BinaryIO, path: str, index: int) -> FontFile:
    table = _tables(f, path, index)
    (upm,) = struct.unpack_from(">H", table(b"head"), 18)
    hhea = table(b"hhea")
    ascent, descent, gap = struct.unpack_from(">hhh", hhea, 4)
    (metric_count,) = struct.unpack_from(">H", hhea, 34)
    try:
        win = sum(struct.unpack_from(">HH", table(b"OS/2"), 74))
    except FontFileError:  # no OS/2 table: Windows takes the hhea metrics
        win = ascent - descent
    advances = _big_endian("H", table(b"hmtx")[:4 * metric_count])[0::2]
    return FontFile(path=path, index=index, units_per_em=upm, glyph_of=_cmap(table(b"cmap"), path),
                    advance_units=tuple(advances), hhea_units=ascent - descent + gap, win_units=win,
                    identity=_identity(f, table))


def _big_endian(kind: str, data: bytes) -> array:
    values = array(kind)
    values.frombytes(data[:len(data) - len(data) % values.itemsize])
    if sys.byteorder == "little":
        values.byteswap()
    return values


def _table_directory(f: BinaryIO, index: int) -> dict[bytes, tuple[int, int]]:
    """Tag → (offset, length) of the font's tables (the ``index``-th font of a collection)."""
    header = f.read(12)
    start = 0
    if header[:4] == b"ttcf":
        (count,) = struct.unpack_from(">I", header, 8)
        if index >= count:
            raise FontFileError(f"font {index} of a collection of {count}")
        f.seek(12 + 4 * index)
        (start,) = struct.unpack(">I", f.read(4))
        f.seek(start)
        header = f.read(12)
    elif index:
        raise FontFileError(f"font {index} of a single font")
    if header[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        raise FontFileError("not an OpenType or TrueType font")
    (count,) = struct.unpack_from(">H", header, 4)
    records = f.read(16 * count)
    return {records[i:i + 4]: struct.unpack_from(">II", records, i + 8) for i in range(0, len(records), 16)}


def _cmap(data: bytes, path: str) -> dict[int, int]:
    """Code point → glyph id, from the best Unicode subtable (format 12 or 4)."""
    (count,) = struct.unpack_from(">H", data, 2)
    subtables = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, 4 + 8 * i)
        subtables.setdefault((platform, encoding), offset)
    for key in _CMAP_PREFERENCE:
        if key not in subtables:
            continue
        offset = subtables[key]
        (kind,) = struct.unpack_from(">H", data, offset)
        if kind == 12:
            return _format12(data, offset)
        if kind == 4:
            return _format4(data, offset)
    raise FontFileError(f"{path}: no Unicode character map of format 12 or 4")


def _format12(data: bytes, offset: int) -> dict[int, int]:
    (groups,) = struct.unpack_from(">I", data, offset + 12)
    triples = _big_endian("I", data[offset + 16:offset + 16 + 12 * groups])
    out: dict[int, int] = {}
    for start, end, glyph in zip(triples[0::3], triples[1::3], triples[2::3], strict=True):
        out.update(zip(range(start, end + 1), range(glyph, glyph + end - start + 1), strict=True))
    return out


def _format4(data: bytes, offset: int) -> dict[int, int]:
    length, _, doubled = struct.unpack_from(">HHH", data, offset + 2)
    segments = doubled // 2
    words = _big_endian("H", data[offset + 14:offset + length])
    ends = words[0:segments]
    starts = words[segments + 1:2 * segments + 1]  # after the reserved pad
    deltas = words[2 * segments + 1:3 * segments + 1]
    range_offsets = words[3 * segments + 1:4 * segments + 1]
    out: dict[int, int] = {}
    for s in range(segments):
        start, end, delta, range_offset = starts[s], ends[s], deltas[s], range_offsets[s]
        if start == 0xFFFF:
            continue
        for code in range(start, end + 1):
            if range_offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                # idRangeOffset counts bytes from its own place in the array to the glyph id.
                at = 3 * segments + 1 + s + range_offset // 2 + (code - start)
                glyph = words[at] if at < len(words) else 0
                if glyph:
                    glyph = (glyph + delta) & 0xFFFF
            if glyph:
                out[code] = glyph
    return out
