"""Every character prints as a glyph: the document font where it has one, the fallback font
(Noto Sans CJK JP) where only it has one, and a warning naming file and line where none has."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from reportgen import glyphs
from reportgen.document import Column, Document, Heading, Paragraph, Row, Run, Style, Table, cell
from reportgen.writers import WRITERS, WriterOptions
from tests.conftest import invoke

FALLBACK = Style().fallback  # Noto Sans CJK JP

STRESS = Path(__file__).resolve().parent / "data" / "stress"
YOSHI = "𠮷"  # U+20BB7: neither BIZ UD nor IPAex has it
NOWHERE = ("\ue000", "\U0002a6d6")  # a private-use code point; a CJK Extension B character


def fc_has(ch: str) -> list[str]:
    """The installed fonts fontconfig says have ``ch``."""
    out = subprocess.run(["fc-list", f":charset={ord(ch):x}", "family"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.strip()]


def test_the_document_font_lacks_yoshi_and_the_fallback_has_it() -> None:
    assert glyphs.font_file("BIZ UDGothic") is not None
    assert glyphs.font_file(FALLBACK) is not None, f"install {glyphs.FALLBACK_PACKAGE} (./run does)"
    assert ord(YOSHI) not in glyphs.coverage("BIZ UDGothic")
    assert ord(YOSHI) in glyphs.coverage(FALLBACK)
    assert glyphs.font_file("No Such Family") is None
    assert glyphs.coverage("No Such Family") == frozenset()


def test_text_is_split_only_where_the_document_font_lacks_a_character() -> None:
    assert glyphs.runs("髙﨑㈱①㉑〜～ｶﾅ") == [("髙﨑㈱①㉑〜～ｶﾅ", None)]
    assert glyphs.runs(f"{YOSHI}田㈱の{YOSHI}{YOSHI}さん") == [
        (YOSHI, FALLBACK), ("田㈱の", None), (YOSHI * 2, FALLBACK), ("さん", None)]
    assert glyphs.runs("") == []
    assert glyphs.missing(f"{YOSHI}田 \n") == []


def test_no_installed_font_has_the_unprintable_examples() -> None:
    for ch in NOWHERE:
        assert fc_has(ch) == [], (ch, fc_has(ch))
        assert glyphs.missing(f"a{ch}b{ch}") == [ch]
        assert glyphs.runs(ch) == [(ch, None)]  # left in the document font, and reported


def test_unprintable_characters_are_warned_with_file_line_and_code_point(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(STRESS, data)
    path = data / "nagano" / "R2" / "kpi_results.yaml"
    text = path.read_text(encoding="utf-8")
    old = "- 受診勧奨を行った。"
    assert text.count(old) == 1
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, f"- 受診勧奨を行った{NOWHERE[1]}。"), encoding="utf-8")
    for command in (["validate"], ["build", "--report", "kpi-summary", "--format", "model-json",
                                   "--output", str(tmp_path / "out")]):
        result = invoke(*command, "--branch", "nagano", "--year", "R2", "--data", str(data))
        assert result.exit_code == 0, result.output
        assert "警告" in result.output
        assert f"kpi_results.yaml:{line}: sections[2].results[0]:" in result.output
        assert f"「{NOWHERE[1]}」(U+2A6D6)" in result.output
        assert YOSHI not in result.output  # printable with the fallback font: no warning


def test_the_line_inside_a_block_is_named(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(f"fields:\n  - title: |-\n      一行目\n      二行目{NOWHERE[0]}\n    id: x\n", encoding="utf-8")
    [problem] = glyphs.unprintable([path])
    assert (problem.line, problem.field) == (4, "fields[0].title")
    assert "U+E000" in problem.message


def test_a_character_written_as_an_escape_is_warned_too(tmp_path: Path) -> None:
    # The check skips the YAML parse when the file's text has no character that no font has;
    # an escape in a double-quoted string spells one that the text does not show.
    path = tmp_path / "plan.yaml"
    path.write_text(f'fields:\n  - title: "一行目\\u{ord(NOWHERE[0]):04X}"\n    id: x\n', encoding="utf-8")
    [problem] = glyphs.unprintable([path])
    assert (problem.line, problem.field) == (2, "fields[0].title")
    path.write_text('fields:\n  - title: "一行目\\u3042"\n    id: x\n', encoding="utf-8")  # あ: printable
    assert glyphs.unprintable([path]) == []


def _document() -> Document:
    table = Table((Column(1), Column(2)), (Row((cell("氏名"), cell("備考"))),),
                  (Row((cell(f"{YOSHI}田 髙橋"), cell("山﨑"))),))
    return Document("k", f"{YOSHI}田㈱", (
        Heading(2, f"{YOSHI}田の施策"),
        Paragraph((Run("前"), Run(f"{YOSHI}田", underline=True), Run("後"))),
        table,
    ))


def test_docx_names_the_fallback_font_on_the_runs_that_need_it() -> None:
    data = WRITERS["docx"](_document(), WriterOptions()).data
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    fonts = f'w:ascii="{FALLBACK}" w:hAnsi="{FALLBACK}" w:eastAsia="{FALLBACK}"'
    runs = re.findall(r"<w:r>(.*?)</w:r>", xml)
    with_yoshi = [r for r in runs if YOSHI in r]
    assert len(with_yoshi) == 3, with_yoshi
    for r in with_yoshi:
        assert fonts in r and re.search(rf"<w:t[^>]*>{YOSHI}</w:t>", r), r
    assert all(FALLBACK not in r for r in runs if YOSHI not in r)
    assert "<w:u " in with_yoshi[1]  # the underline stays on the split run


def test_xlsx_names_the_fallback_font_on_the_rich_text_runs_that_need_it() -> None:
    import openpyxl

    data = WRITERS["xlsx"](_document(), WriterOptions()).data
    ws = openpyxl.load_workbook(io.BytesIO(data), rich_text=True).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None and YOSHI in str(c.value)]
    assert len(values) == 3
    for value in values:
        blocks = [b for b in value if not isinstance(b, str)]
        assert all(b.font.rFont == (FALLBACK if b.text == YOSHI else "BIZ UDゴシック") for b in blocks), value
        assert any(b.text == YOSHI for b in blocks)
    heading = next(v for v in values if "の施策" in str(v))
    assert {b.font.sz for b in heading if not isinstance(b, str)} == {12}  # the heading's size
    assert all(b.font.b for b in heading if not isinstance(b, str))


@pytest.mark.slow
def test_the_pdf_embeds_the_fallback_only_for_the_characters_that_need_it(tmp_path: Path) -> None:
    import pdfplumber

    path = tmp_path / "doc.pdf"
    path.write_bytes(WRITERS["pdf"](_document(), WriterOptions()).data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-JP" in fonts and "BIZ-UDGothic" in fonts, fonts
    with pdfplumber.open(path) as pdf:
        used = {(c["fontname"].split("+")[-1], c["text"]) for p in pdf.pages for c in p.chars}
    assert {t for f, t in used if "Noto" in f} == {YOSHI}, used


def test_the_warning_example_in_the_readme_is_what_the_tool_prints(data_copy: Path) -> None:
    path = data_copy / "shizuoka/R5/kpi_results.yaml"
    old = "郵送化率は98.7％でKPIを達成した。"
    path.write_text(path.read_text(encoding="utf-8").replace(old, old[:-1] + NOWHERE[0] + "。", 1),
                    encoding="utf-8")
    result = invoke("validate", "-b", "shizuoka", "-y", "R5", "--data", str(data_copy))
    shown = result.output.replace(str(data_copy) + "/", "data/")
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("```\n警告:", 1)[1].split("```", 1)[0]
    assert "警告:" + example.rstrip("\n") in shown


def test_a_branch_style_names_its_own_fallback_in_docx_and_xlsx() -> None:
    """glyphs follows the document's Style: ♞ (U+265E), which neither BIZ UD nor Noto has,
    prints in DejaVu Sans where a branch names it as its fallback, in the DOCX and the XLSX."""
    import openpyxl

    style = Style(fallback="DejaVu Sans")
    if glyphs.font_file("DejaVu Sans") is None:
        pytest.skip("DejaVu Sans is not installed")
    assert glyphs.runs("駒♞", style) == [("駒", None), ("♞", "DejaVu Sans")]
    assert glyphs.missing("♞", style) == []
    document = Document("t", "テスト", (Table((Column(1),), (Row((cell("項目"),)),), (Row((cell("駒♞"),)),)),),
                        style=style)
    docx_xml = zipfile.ZipFile(io.BytesIO(WRITERS["docx"](document, WriterOptions()).data)).read("word/document.xml")
    assert b'w:ascii="DejaVu Sans"' in docx_xml
    ws = openpyxl.load_workbook(io.BytesIO(WRITERS["xlsx"](document, WriterOptions()).data), rich_text=True).active
    assert ws is not None
    blocks = next(c.value for row in ws.iter_rows() for c in row if "♞" in str(c.value))
    assert [(b.text, b.font.rFont) for b in blocks if b.text == "♞"] == [("♞", "DejaVu Sans")]
