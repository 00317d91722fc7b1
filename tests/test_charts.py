"""Charts in every format: an Excel chart over the sheet's cells, a Word chart part with its
workbook and cached values, vector drawing with text labels in the PDF; (slow) LibreOffice
draws the DOCX and XLSX charts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

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
from reportgen.writers import WRITERS, WriterOptions
from tests.chart_checks import docx_chart_checks, libreoffice_text, pdf_chart_checks, xlsx_chart_checks
from tests.conftest import sample_document
from tests.extract import norm

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


KPI = sample_document("shizuoka", "R5", "kpi-results")


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


@pytest.mark.parametrize("doc", [SMALL, pytest.param(KPI, marks=pytest.mark.slow)], ids=["small", "kpi-results"])
def test_xlsx_chart_refers_to_the_sheet_cells(doc: Document) -> None:
    data = WRITERS["xlsx"](doc, WriterOptions()).data
    for chart in _charts(doc):
        xlsx_chart_checks(data, chart)
    assert WRITERS["xlsx"](doc, WriterOptions()).data == data  # reproducible


@pytest.mark.parametrize("doc", [SMALL, pytest.param(KPI, marks=pytest.mark.slow)], ids=["small", "kpi-results"])
def test_pdf_chart_is_vector_drawing_with_text_labels(doc: Document, tmp_path: Path) -> None:
    path = tmp_path / "chart.pdf"
    path.write_bytes(WRITERS["pdf"](doc, WriterOptions()).data)
    pdf_chart_checks(path, _charts(doc), doc.style)


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
    docx_chart_checks(data, _charts(doc))
    assert WRITERS["docx"](doc, WriterOptions()).data == data  # reproducible: no clock in the workbook


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_libreoffice_draws_the_chart(fmt: str, tmp_path: Path) -> None:
    source = tmp_path / f"chart.{fmt}"
    source.write_bytes(WRITERS[fmt](SMALL, WriterOptions()).data)
    text = libreoffice_text(source, tmp_path)
    # LibreOffice draws chart text as text: the title, axis titles, categories, legend, ticks.
    for piece in (CHART.title, CHART.x_title, CHART.y_title, *CHART.categories, "被扶養者", "2,500.0万人"):
        assert norm(piece) in text, piece
