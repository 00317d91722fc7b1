"""One Style for every writer, resolved from templates/style.yaml and the branch's override;
template mistakes are exit 4 with file and line; every writer handles every block type."""

from __future__ import annotations

import io
import json
import re
import typing
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from reportgen.document import (
    Block,
    Chart,
    Document,
    Heading,
    NumberFormat,
    PageBreak,
    Series,
    Style,
    Table,
    cell,
    para,
    to_json,
)
from reportgen.document import Column as Col
from reportgen.document import Row as R
from reportgen.errors import RenderError
from reportgen.style import load_style
from reportgen.writers import FORMATS, WRITERS, WriterOptions
from reportgen.writers.pdf import to_html
from tests.conftest import ROOT, invoke
from tests.extract import pdf_fonts

WRITERS_DIR = ROOT / "reportgen" / "writers"
WRITER_FILES = sorted(set(WRITERS_DIR.rglob("*.py")) - {WRITERS_DIR / "__init__.py", WRITERS_DIR / "model_json.py"})
HTML_FILES = sorted((ROOT / "reportgen" / "templates" / "html").glob("*"))
FONT_NAMES = ("BIZ", "IPA", "Noto", "Gothic", "Mincho", "ゴシック", "明朝", "Calibri", "Meiryo", "MS ")


def test_the_package_style_file_holds_the_code_defaults() -> None:
    assert load_style(None) == Style()


def test_the_model_json_shows_the_style() -> None:
    model = json.loads(to_json(Document("k", "t", (para("x"),))))
    assert model["style"]["gothic"] == ["BIZ UDGothic", "IPAexGothic"]
    assert model["style"]["header_shade"] == "E8EDF3"


@pytest.mark.parametrize("path", WRITER_FILES, ids=lambda p: p.name)
def test_no_writer_module_keeps_a_font_size_or_colour(path: Path) -> None:
    # Comments and docstrings may name fonts and sizes; code may not.
    code = "\n".join(line.split("#")[0] for line in path.read_text(encoding="utf-8").splitlines())
    code = re.sub(r'"""(.|\n)*?"""', "", code)
    assert not re.findall(r"[\"'][0-9A-Fa-f]{6}[\"']", code), "colour literal"
    assert not re.findall(r"\bPt\(\s*[0-9]", code), "Pt(<number>)"
    assert not re.findall(r"\bsize\s*=\s*[0-9]", code), "size = <number>"
    assert not re.findall(r"\bRGBColor\(\s*[0-9]", code), "RGBColor(<number>, …)"
    for name in FONT_NAMES:
        assert name not in code, name


@pytest.mark.parametrize("path", HTML_FILES, ids=lambda p: p.name)
def test_the_pdf_css_takes_sizes_and_colours_from_the_style(path: Path) -> None:
    text = re.sub(r"/\*(.|\n)*?\*/", "", path.read_text(encoding="utf-8"))
    assert not re.findall(r"#[0-9A-Fa-f]{3,6}\b", text)
    assert not re.findall(r"font-size:\s*[0-9]", text)
    for name in FONT_NAMES:
        assert name not in text, name


# --- template and style mistakes: exit 4 with the file and line -----------------------------

SUMMARY = "shizuoka/templates/kpi-summary.yaml"
STYLE = "shizuoka/templates/style.yaml"
MISTAKES = [
    (SUMMARY, "columns:\n  - {value: measure, header: 施策}\n", 2, "columns[0].width がありません"),
    (SUMMARY, "columns:\n  - {value: bogus, header: 施策, width: 10}\n", 2, "columns[0].value: 「bogus」は使えません"),
    (SUMMARY, "columns:\n  - {value: measure, header: 施策, width: wide}\n", 2, "columns[0].width: 「wide」"),
    (SUMMARY, "page:\n  orientation: sideways\n", 2, "page.orientation: 「sideways」は使えません"),
    (SUMMARY, "columns: 3\n", 1, "columns: 列のリストではありません"),
    (SUMMARY, "columns:\n  - measure\n", 2, "columns[0]: 列は"),
    ("shizuoka/templates/kpi-results.yaml", "kpi_table:\n  columns:\n    - {value: x, header: a, width: 1}\n", 3,
     "kpi_table.columns[0].value: 「x」は使えません"),
    (STYLE, "# house style\nheader_shade: red\n", 2, "header_shade: 「red」は色ではありません"),
    (STYLE, "header_shade: E8EDF\n", 1, "header_shade: 「E8EDF」は色ではありません"),
    (STYLE, "body_pt: 大きめ\n", 1, "body_pt: 「大きめ」は 4 以上 72 以下の数"),
    (STYLE, "gothic: []\n", 1, "gothic: フォント名のリスト"),
    (STYLE, "gothic: [\"a\\nb\"]\n", 1, "gothic[0]:"),
    (STYLE, "heading_pt: [15, 12]\n", 1, "heading_pt: 3 個の数のリスト"),
    (STYLE, "header_shade: \"FFCC00\"\nbody_size: 11\n", 2, "「body_size」という設定はありません"),
]


@pytest.mark.parametrize(("file", "text", "line", "message"), MISTAKES, ids=[m[3][:24] for m in MISTAKES])
def test_a_template_or_style_mistake_is_exit_4_with_file_and_line(
        file: str, text: str, line: int, message: str, data_copy: Path, tmp_path: Path) -> None:
    path = data_copy / file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    result = invoke("build", "-b", "shizuoka", "-y", "R5", "-f", "model-json", "--data", str(data_copy),
                    "--output", str(tmp_path / "out"))
    assert result.exit_code == 4, result.output
    assert f"{file}:{line}" in result.output, result.output
    assert message in result.output
    assert "Traceback" not in result.output


# --- every writer handles every block type, and refuses an unknown one ----------------------

BLOCKS: dict[type, Block] = {
    Heading: Heading(2, "見出し", aside="グループ"),
    type(para("x")): para("本文"),
    Table: Table((Col(1), Col(2)), (R((cell("項目"), cell("値"))),), (R((cell("a"), cell("1"))),)),
    PageBreak: PageBreak(),
    Chart: Chart("line", "推移", ("4月", "5月"), (Series("割合", (Decimal("80.1"), Decimal("81.2"))),),
                 NumberFormat(1, "％")),
}


def test_the_cases_cover_the_block_union() -> None:
    assert set(BLOCKS) == set(typing.get_args(Block))


def _fast_formats() -> list[str]:
    return [f for f in FORMATS if f != "pdf"]


@pytest.mark.parametrize("fmt", _fast_formats())
@pytest.mark.parametrize("kind", list(BLOCKS), ids=lambda t: t.__name__)
def test_every_writer_renders_every_block_type(fmt: str, kind: type) -> None:
    document = Document("test", "テスト", (para("前"), BLOCKS[kind], para("後")))
    assert WRITERS[fmt](document, WriterOptions()).data
    if fmt == "docx":
        assert "前" in to_html(document)  # the PDF's HTML, without the slow layout


@pytest.mark.slow
def test_the_pdf_writer_renders_every_block_type() -> None:
    document = Document("test", "テスト", tuple(BLOCKS.values()))
    assert WRITERS["pdf"](document, WriterOptions()).data.startswith(b"%PDF")


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_block_is_a_render_error_naming_it(fmt: str) -> None:
    class Chart:
        pass

    document = Document("test", "テスト", (para("x"), Chart()))  # type: ignore[arg-type]
    if fmt == "model-json":  # the model dump names any dataclass; a plain object is refused
        with pytest.raises(TypeError):
            WRITERS[fmt](document, WriterOptions())
        return
    with pytest.raises(RenderError) as caught:
        WRITERS[fmt](document, WriterOptions())
    assert "Chart" in str(caught.value) + caught.value.detail
    assert fmt.upper() in str(caught.value)


# --- a branch restyles all three formats without code --------------------------------------

RESTYLE = 'gothic: [IPAexGothic]\nheader_shade: "FFCC00"\n'
WIDTHS = (
    "columns:\n"
    "  - {value: measure, header: 具体的施策, width: 22}\n"
    "  - {value: statement, header: ＫＰＩ, width: 29}\n"  # 47 in the default
    "  - {value: actual, header: 実績, width: 10}\n"
    "  - {value: grade, header: 達成状況, width: 7}\n"
    "  - {value: previous, header: \"＜参考＞{{ previous_year }}実績\", width: 14}\n"
)


def _build(data: Path, out: Path) -> Path:
    result = invoke("build", "-b", "shizuoka", "-y", "R5", "-r", "kpi-summary", "--data", str(data),
                    "--output", str(out))
    assert result.exit_code == 0, result.output
    return out / "shizuoka" / "R5"


def _docx_grid(path: Path) -> list[int]:
    table = docx.Document(str(path)).tables[0]._tbl
    return [int(c.get(qn("w:w"))) for c in table.tblGrid.iter(qn("w:gridCol"))]


@pytest.mark.slow
def test_a_branch_style_and_column_width_change_all_three_formats(data_copy: Path, tmp_path: Path) -> None:
    before = _build(data_copy, tmp_path / "before")
    templates = data_copy / "shizuoka" / "templates"
    templates.mkdir()
    (templates / "style.yaml").write_text(RESTYLE, encoding="utf-8")
    (templates / "kpi-summary.yaml").write_text(WIDTHS, encoding="utf-8")
    after = _build(data_copy, tmp_path / "after")

    # DOCX: the styles' font, the header cells' shading, the grid.
    styles = zipfile.ZipFile(after / "kpi-summary.docx").read("word/styles.xml").decode()
    assert 'w:eastAsia="IPAexゴシック"' in styles and "BIZ UDゴシック" not in styles
    document = zipfile.ZipFile(after / "kpi-summary.docx").read("word/document.xml").decode()
    assert 'w:fill="FFCC00"' in document and "E8EDF3" not in document
    assert _docx_grid(after / "kpi-summary.docx")[1] < _docx_grid(before / "kpi-summary.docx")[1]

    # XLSX: the cells' font, the header fill, the column widths.
    def sheet(folder: Path) -> typing.Any:
        return openpyxl.load_workbook(folder / "kpi-summary.xlsx").active

    ws, ws_before = sheet(after), sheet(before)
    fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value}
    assert fonts == {"IPAexゴシック"}
    fills = {c.fill.fgColor.rgb for row in ws.iter_rows() for c in row if c.fill.fill_type == "solid"}
    assert fills == {"00FFCC00"}
    widths = [d.width for _, d in sorted(ws.column_dimensions.items())]
    assert widths != [d.width for _, d in sorted(ws_before.column_dimensions.items())]

    # PDF: the embedded font, the header fill colour, the column rules.
    assert "IPAexGothic" in pdf_fonts(after / "kpi-summary.pdf")
    assert "BIZ-UDGothic" not in pdf_fonts(after / "kpi-summary.pdf").replace(" ", "-")
    import pdfplumber

    def page(folder: Path) -> typing.Any:
        return pdfplumber.open(folder / "kpi-summary.pdf").pages[0]

    colours = {tuple(round(v, 2) for v in r["non_stroking_color"]) for r in page(after).rects
               if r.get("fill") and r["non_stroking_color"]}
    assert (1.0, 0.8, 0.0) in colours
    def header_x(folder: Path, text: str) -> float:  # the header row is the highest occurrence
        return min((w["top"], w["x0"]) for w in page(folder).extract_words() if w["text"] == text)[1]

    # The narrower ＫＰＩ column moves the columns after it left.
    assert header_x(after, "達成状況") < header_x(before, "達成状況") - 20


@pytest.mark.slow
def test_a_branch_reference_docx_and_css_are_used(data_copy: Path, tmp_path: Path) -> None:
    templates = data_copy / "shizuoka" / "templates"
    templates.mkdir()
    reference = docx.Document()
    reference.styles["Normal"].font.name = "Reference Font"
    buffer = io.BytesIO()
    reference.save(buffer)
    (templates / "reference.docx").write_bytes(buffer.getvalue())
    (templates / "document.css").write_text("h1 { color: #00ff00; }\n", encoding="utf-8")
    folder = _build(data_copy, tmp_path / "out")
    styles = zipfile.ZipFile(folder / "kpi-summary.docx").read("word/styles.xml").decode()
    assert "Reference Font" in styles
    import pdfplumber

    chars = pdfplumber.open(folder / "kpi-summary.pdf").pages[0].chars
    assert any(tuple(round(v, 2) for v in c["non_stroking_color"] or ()) == (0.0, 1.0, 0.0) for c in chars)


def test_the_pdf_html_escapes_data_text_wherever_it_lands() -> None:
    hostile = "<b>&</b>"
    table = Table((Col(1),), (), (R((cell(hostile, vertical=True),)), R((cell("x"),))), label=hostile)
    document = Document("test", hostile, (para(hostile, bullet=hostile), table, Heading(2, hostile, aside=hostile)),
                        header_lines=(hostile,), legend=hostile)
    html = to_html(document)
    body = html.split("</style>", 1)[1]
    assert "<b>&" not in body and "&lt;b&gt;&amp;" in body
    assert "&lt;" in body.split('data-label="', 1)[1][:20]
