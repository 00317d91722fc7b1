"""What a chart must be in each written file, checked against the Chart it was drawn from (or
one made from a seed's printed figures): the XLSX chart's series refer to cells holding the
figures; the DOCX chart part caches them and embeds a workbook; the PDF draws it as vector
shapes with its texts in the text layer; LibreOffice's rendering shows its texts."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl

from reportgen.document import Chart, Style
from tests.extract import libreoffice_pdf, norm, pdf_pages, pdf_text

D = Decimal
PT_PER_MM = 72 / 25.4


def xlsx_chart_checks(data: bytes, chart: Chart) -> None:
    """The chart named by its title exists and each series (and the categories) refer to sheet
    cells that hold the chart's figures."""
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
        if chart.unit:
            assert all(c.number_format.endswith(f'"{chart.unit}"') for c in cells if c.value is not None)
    sheet, ref = cats[0].rsplit("!", 1)
    assert tuple(c.value for (c,) in wb[sheet.strip("'")][ref.replace("$", "")]) == chart.categories


def docx_chart_checks(data: bytes, charts: list[Chart]) -> None:
    """Chart part n is the document's nth chart: related from the body, typed, its cached
    values and categories the chart's, its embedded workbook holding the same figures."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        types = z.read("[Content_Types].xml").decode()
        document_xml = z.read("word/document.xml").decode()
        document_rels = z.read("word/_rels/document.xml.rels").decode()
        for n, chart in enumerate(charts, start=1):
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
            for k, series in enumerate(chart.series, start=2):
                cells = [ws.cell(row=r + 2, column=k) for r in range(len(chart.categories))]
                assert [None if c.value is None else D(str(c.value)) for c in cells] == list(series.values)
        assert len([n for n in names if n.startswith("word/charts/chart")]) == len(charts)


def _rgb(hex_colour: str) -> tuple[float, ...]:
    return tuple(round(int(hex_colour[i:i + 2], 16) / 255, 2) for i in (0, 2, 4))


def _coloured(objects: list[dict], key: str, hex_colour: str) -> list[dict]:
    want = _rgb(hex_colour)
    return [o for o in objects if o.get(key) and tuple(round(c, 2) for c in o[key]) == want]


def pdf_chart_checks(path: Path, charts: list[Chart], style: Style) -> None:
    """Each chart is drawn in the region under its title (a page may hold two): its texts in
    the text layer, a marker per figure of a line, a bar per figure (and a legend key per
    series) of a bar chart, in the Style's series colours."""
    import pdfplumber

    pages = pdf_pages(path)  # pdftotext: the rotated value-axis title reads as written
    with pdfplumber.open(path) as pdf:
        for chart in charts:
            number = next(i for i, t in enumerate(pages) if norm(chart.title) in norm(t))
            page = pdf.pages[number]
            (hit,) = [h for h in page.search(chart.title) if h["text"] == chart.title]
            region = page.crop((0, hit["top"] - 20, page.width,
                                min(page.height, hit["top"] - 20 + style.chart_height_mm * PT_PER_MM)))
            text = norm(region.extract_text())
            for piece in (chart.title, chart.x_title, *chart.categories, *(s.name for s in chart.series)):
                assert norm(piece) in text, piece
            assert norm(chart.y_title) in norm(pages[number]), chart.y_title
            if chart.kind == "line":
                for k, series in enumerate(chart.series):
                    marks = _coloured(region.curves, "non_stroking_color", style.chart_colour(k))
                    assert len(marks) == len([v for v in series.values if v is not None])
                    assert _coloured(region.curves + region.lines, "stroking_color", style.chart_colour(k))
            else:
                for k, series in enumerate(chart.series):
                    bars = _coloured(region.rects, "non_stroking_color", style.chart_colour(k))
                    assert len(bars) == len([v for v in series.values if v is not None]) + 1  # + legend key


def libreoffice_text(source: Path, tmp_path: Path) -> str:
    """LibreOffice's PDF rendering of a DOCX or XLSX, as normalised text (charts draw their
    title, axis titles, categories, legend and ticks as text)."""
    return norm(pdf_text(libreoffice_pdf(source, tmp_path / source.suffix.lstrip("."), profile=tmp_path / "lo")))
