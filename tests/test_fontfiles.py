"""fontfiles reads the raw tables as fontTools decompiles them."""

from __future__ import annotations

import io
import struct

import pytest
from fontTools.ttLib import TTFont

from reportgen import fontfiles

FAMILIES = ("BIZ UDGothic", "IPAexGothic", "Noto Sans CJK JP", "DejaVu Sans")


def _installed(family: str) -> tuple[fontfiles.FontFile, TTFont]:
    """The family as fontfiles reads it and as fontTools does (glyphs named g0, g1, …)."""
    font = fontfiles.read(family)
    if font is None:
        pytest.skip(f"{family} is not installed")
    tt = TTFont(font.path, lazy=True, fontNumber=font.index)
    tt.setGlyphOrder([f"g{i}" for i in range(tt["maxp"].numGlyphs)])
    return font, tt


@pytest.mark.parametrize("family", FAMILIES)
def test_the_character_map_and_advances_are_fonttools(family: str) -> None:
    font, tt = _installed(family)
    assert font.glyph_of == {code: int(name[1:]) for code, name in tt.getBestCmap().items()}
    hmtx = tt["hmtx"].metrics
    assert all(font.advance_em(code) == hmtx[f"g{g}"][0] / tt["head"].unitsPerEm for code, g in font.glyph_of.items())
    hhea, os2 = tt["hhea"], tt["OS/2"]
    assert font.hhea_units == hhea.ascent - hhea.descent + hhea.lineGap
    assert font.win_units == os2.usWinAscent + os2.usWinDescent
    assert font.identity.startswith(f"{tt['head'].checkSumAdjustment:08x} ")


@pytest.mark.parametrize("family", FAMILIES)
def test_format_4_maps_the_basic_plane_as_fonttools(family: str) -> None:
    _, tt = _installed(family)
    table = tt.getTableData("cmap")
    subtable = next((t for t in tt["cmap"].tables if t.format == 4 and t.isUnicode()), None)
    if subtable is None:
        pytest.skip("no format 4 subtable")
    offsets = [struct.unpack_from(">HHI", table, 4 + 8 * i) for i in range(struct.unpack_from(">H", table, 2)[0])]
    offset = next(o for p, e, o in offsets if (p, e) == (subtable.platformID, subtable.platEncID))
    assert fontfiles._format4(table, offset) == {code: int(name[1:]) for code, name in subtable.cmap.items()}


def test_a_file_that_is_no_font_is_refused() -> None:
    with pytest.raises(fontfiles.FontFileError, match="not an OpenType"):
        fontfiles._read(io.BytesIO(b"%PDF-1.7\n" + bytes(100)), "x.pdf", 0)
    assert fontfiles.read("No Such Family") is None
