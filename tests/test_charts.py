"""Charts in every format: an Excel chart over the sheet's cells, a Word chart part with its
workbook and cached values, vector drawing with text labels in the PDF; (slow) LibreOffice
draws the DOCX and XLSX charts."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from reportgen.branches import get_branch
from reportgen.build import documents, load_for
from reportgen.document import (
    Chart,
    Column,
    Document,
    Heading,
    NumberFormat,
    Row,
    Series,
    Style,
    Table,
    cell,
    plain_text,
    to_json,
)
from reportgen.wareki import parse_fiscal_year
from reportgen.writers import WRITERS, WriterOptions

DATA = Path(__file__).resolve().parent.parent / "data"
D = Decimal
CHART = Chart(
    kind="clustered-bar",
    title="加入者数の推移",
    categories=("2018年度", "2019年度", "2020年度"),
    series=(Series("被保険者", (D("2440.1"), D("2479.0"), None)),
            Series("被扶養者", (D("1500.5"), D("1476.2"), D("1452.3")))),
    number_format=NumberFormat(1, "万人"),
    x_title="年度",
    y_title="人数",
    y_min=D(0),
    label="members",
)
SMALL = Document(
    kind="chart-test", title="グラフの試験",
    blocks=(Heading(1, "グラフの試験"),
            Table((Column(1.0), Column(1.0)), (Row((cell("項目"), cell("値"))),), (Row((cell("a"), cell("b"))),)),
            CHART),
)


def _kpi_results() -> Document:
    data = load_for(DATA, get_branch("shizuoka"), parse_fiscal_year("R5"), ("kpi-results",))
    (doc,) = documents(data, ("kpi-results",))
    return doc


KPI = _kpi_results()


def _charts(doc: Document) -> list[Chart]:
    return [b for b in doc.blocks if isinstance(b, Chart)]


def test_model_carries_the_chart() -> None:
    (chart,) = _charts(KPI)
    assert chart.title == "ジェネリック医薬品使用割合の推移"
    assert chart.categories[-1] == "令和6年3月"
    assert chart.series[0].values[-2:] == (D("82.4"), D("84.2"))
    assert chart.unit == "％" and chart.y_min == D("81.0") and chart.y_max == D("85.0")
    assert "ジェネリック医薬品使用割合の推移" in plain_text(KPI)
    assert '"type": "Chart"' in to_json(SMALL)
    with pytest.raises(ValueError, match="values"):
        Chart("line", "x", ("a", "b"), (Series("s", (D(1),)),), NumberFormat(0))


def _xlsx_chart_checks(data: bytes, chart: Chart) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        xmls = [z.read(n).decode() for n in parts]
    xml = next(x for x in xmls if chart.title in x)
    assert "BIZ UDゴシック" in xml
    formulas = re.findall(r"<(?:c:)?val><(?:c:)?numRef><(?:c:)?f>([^<]+)</", xml)
    assert len(formulas) == len(chart.series)
    cats = re.findall(r"<(?:c:)?cat><(?:c:)?strRef><(?:c:)?f>([^<]+)</", xml)
    assert len(cats) == len(chart.series)
    for formula, series in zip(formulas, chart.series, strict=True):
        sheet, ref = formula.rsplit("!", 1)
        ws = wb[sheet.strip("'")]
        cells = [c for (c,) in ws[ref.replace("$", "")]]
        assert [None if c.value is None else D(str(c.value)) for c in cells] == list(series.values)
        assert all(c.number_format.endswith(f'"{chart.unit}"') for c in cells if c.value is not None)
    sheet, ref = cats[0].rsplit("!", 1)
    assert tuple(c.value for (c,) in wb[sheet.strip("'")][ref.replace("$", "")]) == chart.categories


@pytest.mark.parametrize("doc", [SMALL, pytest.param(KPI, marks=pytest.mark.slow)], ids=["small", "kpi-results"])
def test_xlsx_chart_refers_to_the_sheet_cells(doc: Document) -> None:
    data = WRITERS["xlsx"](doc, WriterOptions()).data
    for chart in _charts(doc):
        _xlsx_chart_checks(data, chart)
    assert WRITERS["xlsx"](doc, WriterOptions()).data == data  # reproducible


def _rgb(hex_colour: str) -> tuple[float, ...]:
    return tuple(round(int(hex_colour[i:i + 2], 16) / 255, 2) for i in (0, 2, 4))


def _coloured(objects: list[dict], key: str, hex_colour: str) -> list[dict]:
    want = _rgb(hex_colour)
    return [o for o in objects if o.get(key) and tuple(round(c, 2) for c in o[key]) == want]


@pytest.mark.parametrize("doc", [SMALL, pytest.param(KPI, marks=pytest.mark.slow)], ids=["small", "kpi-results"])
def test_pdf_chart_is_vector_drawing_with_text_labels(doc: Document, tmp_path: Path) -> None:
    import pdfplumber

    colour = doc.style.chart_colour
    from tests.extract import norm, pdf_pages

    path = tmp_path / "chart.pdf"
    path.write_bytes(WRITERS["pdf"](doc, WriterOptions()).data)
    pages = pdf_pages(path)  # pdftotext: the rotated value-axis title reads as written
    with pdfplumber.open(path) as pdf:
        for chart in _charts(doc):
            number = next(i for i, t in enumerate(pages) if chart.title in t)
            page, text = pdf.pages[number], norm(pages[number])
            for piece in (chart.title, chart.x_title, chart.y_title, *chart.categories,
                          *(s.name for s in chart.series)):
                assert norm(piece) in text, piece
            drawn = [v for s in chart.series for v in s.values if v is not None]
            if chart.kind == "line":
                # A marker (a curve) per figure in the series colour, and the line through them.
                marks = _coloured(page.curves, "non_stroking_color", colour(0))
                assert len(marks) == len([v for v in chart.series[0].values if v is not None])
                assert _coloured(page.curves + page.lines, "stroking_color", colour(0))
            else:
                bars = [r for k in range(len(chart.series)) for r in _coloured(page.rects, "non_stroking_color",
                                                                                colour(k))]
                assert len(bars) == len(drawn) + len(chart.series)  # the bars and the legend keys


def test_svg_escapes_every_string() -> None:
    from reportgen.writers.chart_svg import to_svg

    hostile = Chart("line", "<script>&", ("a<b", "c&d"), (Series('"x"</svg>', (D(1), D(2))),), NumberFormat(0, "<u>"),
                    x_title="</text>", y_title="'")
    svg = to_svg(hostile, 180, 'BIZ UDGothic", evil', Style())
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<script>&" in texts and "a<b" in texts and '"x"</svg>' in texts and "</text>" in texts


@pytest.mark.parametrize("doc", [SMALL, pytest.param(KPI, marks=pytest.mark.slow)], ids=["small", "kpi-results"])
def test_docx_chart_part_caches_the_figures_and_embeds_a_workbook(doc: Document) -> None:
    data = WRITERS["docx"](doc, WriterOptions()).data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        types = z.read("[Content_Types].xml").decode()
        document_xml = z.read("word/document.xml").decode()
        document_rels = z.read("word/_rels/document.xml.rels").decode()
        for n, chart in enumerate(_charts(doc), start=1):
            part = f"word/charts/chart{n}.xml"
            xml = z.read(part).decode()
            assert chart.title in xml and "BIZ UDゴシック" in xml and '<a:ea typeface="BIZ UDゴシック"/>' in xml
            chart_type = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
            assert f'PartName="/{part}" ContentType="{chart_type}"' in types
            rid = re.search(rf'Id="(rId\d+)" Type="[^"]+/chart" Target="charts/chart{n}.xml"', document_rels)
            assert rid and '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"' in document_xml
            assert f'r:id="{rid[1]}"' in document_xml
            rels = z.read(f"word/charts/_rels/chart{n}.xml.rels").decode()
            assert f'relationships/package" Target="../embeddings/Microsoft_Excel_Sheet{n}.xlsx"' in rels
            assert "<c:externalData" in xml
            caches = re.findall(r"<c:val>.*?</c:val>", xml, re.S)
            assert len(caches) == len(chart.series)
            for cache, series in zip(caches, chart.series, strict=True):
                points = dict(re.findall(r'<c:pt idx="(\d+)">\s*<c:v>([^<]+)</c:v>', cache))
                assert {int(i): D(v) for i, v in points.items()} == {
                    i: v for i, v in enumerate(series.values) if v is not None}
            cats = re.search(r"<c:cat>.*?</c:cat>", xml, re.S)
            assert cats and re.findall(r"<c:v>([^<]+)</c:v>", cats[0]) == list(chart.categories)
            embedded = z.read(f"word/embeddings/Microsoft_Excel_Sheet{n}.xlsx")
            with zipfile.ZipFile(io.BytesIO(embedded)) as inner:  # the document's time, not the clock's
                assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2000-01-01T00:00:00Z" in inner.read(
                    "docProps/core.xml").decode()
            book = openpyxl.load_workbook(io.BytesIO(embedded))
            ws = book.active
            assert ws is not None
            assert [ws.cell(row=r + 2, column=1).value for r in range(len(chart.categories))] == list(chart.categories)
            assert [None if c.value is None else D(str(c.value)) for c in ws["B"][1:len(chart.categories) + 1]] \
                == list(chart.series[0].values)
        assert len([n for n in names if n.startswith("word/charts/chart")]) == len(_charts(doc))
    assert WRITERS["docx"](doc, WriterOptions()).data == data  # reproducible: no clock in the workbook


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_libreoffice_draws_the_chart(fmt: str, tmp_path: Path) -> None:
    source = tmp_path / f"chart.{fmt}"
    source.write_bytes(WRITERS[fmt](SMALL, WriterOptions()).data)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    from tests.extract import norm, pdf_text

    text = norm(pdf_text(tmp_path / "chart.pdf"))
    # LibreOffice draws chart text as text: the title, axis titles, categories, legend, ticks.
    for piece in (CHART.title, CHART.x_title, CHART.y_title, *CHART.categories, "被扶養者", "2,500.0万人"):
        assert norm(piece) in text, piece
