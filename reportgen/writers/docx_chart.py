"""A native Word chart: a DrawingML chart part with its embedded workbook, drawn inline.

The ``c:chartSpace`` and the workbook are python-pptx's (``ChartXmlWriter``,
``CategoryWorkbookWriter``): the same chart Excel and PowerPoint write, so Word's
「データの編集」 opens the figures. The chart part is related from the document part, the
workbook from the chart part (``…/package``); the paragraph holds ``w:drawing`` →
``wp:inline`` → ``a:graphic`` → ``c:chart r:id``. Fonts are named for Latin and East Asian
text; the workbook carries the document's timestamp, not the time of writing.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from xml.sax.saxutils import quoteattr

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from lxml import etree
from pptx.chart.chart import Chart as PptxChart
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.chart.xmlwriter import ChartXmlWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.oxml import parse_xml as pptx_parse_xml
from pptx.util import Pt
from xlsxwriter import Workbook

from reportgen.document import Chart, Style
from reportgen.writers.shared import excel_number_format

CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EMU_PER_MM = 36_000
# c:chartSpace children in schema order (ECMA-376 Part 1, 21.2.2.29): externalData goes after txPr.
_AFTER_EXTERNAL_DATA = ("printSettings", "userShapes", "extLst")


def _data(chart: Chart) -> CategoryChartData:
    fmt = excel_number_format(chart.number_format)
    data = CategoryChartData(number_format=fmt)
    data.categories = list(chart.categories)
    for s in chart.series:
        data.add_series(s.name, [None if v is None else float(v) for v in s.values], number_format=fmt)
    return data


def workbook_blob(data: CategoryChartData, timestamp: datetime) -> bytes:
    """python-pptx's workbook, created at ``timestamp`` (xlsxwriter stamps the current time)."""
    out = io.BytesIO()
    workbook = Workbook(out, {"in_memory": True})
    workbook.set_properties({"created": timestamp.replace(tzinfo=None)})
    worksheet = workbook.add_worksheet()
    CategoryWorkbookWriter(data)._populate_worksheet(workbook, worksheet)
    workbook.close()
    return out.getvalue()


def _name_fonts(space: Any, font_name: str) -> None:
    """Every run and default run property names the font for Latin, East Asian and complex text."""
    for props in space.iter(f"{{{NS_A}}}defRPr", f"{{{NS_A}}}rPr"):
        for tag in ("latin", "ea", "cs"):
            for old in props.findall(f"{{{NS_A}}}{tag}"):
                props.remove(old)
        for tag in ("latin", "ea", "cs"):  # after the fills, as the schema orders them
            etree.SubElement(props, f"{{{NS_A}}}{tag}", typeface=font_name)


def chart_space(chart: Chart, font_name: str, workbook_rid: str, style: Style) -> bytes:
    if any(s.secondary_axis for s in chart.series):
        raise NotImplementedError("DOCX: a series on a second value axis is not drawn yet")
    kind = XL_CHART_TYPE.LINE_MARKERS if chart.kind == "line" else XL_CHART_TYPE.COLUMN_CLUSTERED
    space = pptx_parse_xml(ChartXmlWriter(kind, _data(chart)).xml.encode("utf-8"))
    view = PptxChart(space, None)
    label_pt = style.chart_label_pt
    view.font.size = Pt(label_pt)
    view.has_title = True
    view.chart_title.text_frame.text = chart.title
    title_font = view.chart_title.text_frame.paragraphs[0].runs[0].font
    title_font.size, title_font.bold = Pt(style.chart_title_pt), True
    for axis, text in ((view.category_axis, chart.x_title), (view.value_axis, chart.y_title)):
        if text:
            axis.has_title = True
            axis.axis_title.text_frame.text = text
            axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(label_pt)
    value_axis = view.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor.from_string(style.chart_grid_colour)
    value_axis.tick_labels.number_format = excel_number_format(chart.number_format)
    value_axis.tick_labels.number_format_is_linked = False
    if chart.y_min is not None:
        value_axis.minimum_scale = float(chart.y_min)
    if chart.y_max is not None:
        value_axis.maximum_scale = float(chart.y_max)
    view.has_legend = True
    view.legend.position = XL_LEGEND_POSITION.BOTTOM
    view.legend.include_in_layout = False
    for k, series in enumerate(view.plots[0].series):
        rgb = RGBColor.from_string(style.chart_colour(k))
        if chart.kind == "line":
            series.format.line.color.rgb = rgb
            series.format.line.width = Pt(style.chart_line_pt)
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = rgb
            series.marker.size = round(style.chart_marker_pt)
            series.smooth = False
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = rgb
    _name_fonts(space, font_name)
    external = etree.Element(f"{{{NS_C}}}externalData", {f"{{{NS_R}}}id": workbook_rid})
    etree.SubElement(external, f"{{{NS_C}}}autoUpdate", val="0")
    later = [child for child in space if etree.QName(child).localname in _AFTER_EXTERNAL_DATA]
    if later:
        later[0].addprevious(external)
    else:
        space.append(external)
    return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_chart(document_part: Any, chart: Chart, number: int, font_name: str, width_mm: float, style: Style,
              timestamp: datetime) -> Any:
    """Add chart ``number``'s parts; returns the ``w:drawing`` to put in a run."""
    package = document_part.package
    chart_part = Part(PackURI(f"/word/charts/chart{number}.xml"), CT_CHART, b"", package)
    workbook = Part(PackURI(f"/word/embeddings/Microsoft_Excel_Sheet{number}.xlsx"), CT_XLSX,
                    workbook_blob(_data(chart), timestamp), package)
    chart_part._blob = chart_space(chart, font_name, chart_part.relate_to(workbook, RT.PACKAGE), style)
    rid = document_part.relate_to(chart_part, RT.CHART)
    cx = round(width_mm * EMU_PER_MM)
    cy = round(style.chart_height_mm * EMU_PER_MM)
    return parse_xml(
        '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{10_000 + number}" name="Chart {number}" descr={quoteattr(chart.title)}/>'
        '<wp:cNvGraphicFramePr/>'
        f'<a:graphic xmlns:a="{NS_A}"><a:graphicData uri="{NS_C}">'
        f'<c:chart xmlns:c="{NS_C}" xmlns:r="{NS_R}" r:id="{rid}"/>'
        '</a:graphicData></a:graphic></wp:inline></w:drawing>'
    )
