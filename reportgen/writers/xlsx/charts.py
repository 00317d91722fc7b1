"""An Excel chart (openpyxl.chart) over the figures table the layout put on the sheet.

The series refer to the cells (``Sheet!$B$5:$B$10``), so editing a figure redraws the chart.
Titles and labels name the document's font for Latin and East Asian text alike.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.axis import ChartLines
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import CharacterProperties, Font, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.document import Style
from reportgen.writers.shared import excel_number_format
from reportgen.writers.xlsx.layout import ChartPlace

CM_PER_PT = 2.54 / 72


def _props(font_name: str, size_pt: float, bold: bool = False) -> CharacterProperties:
    face = Font(typeface=font_name)
    return CharacterProperties(latin=face, ea=face, cs=face, sz=round(size_pt * 100), b=bold)


def _title(text: str, font_name: str, size_pt: float) -> Title:
    props = _props(font_name, size_pt, bold=True)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _text_props(font_name: str, size_pt: float) -> RichText:
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=_props(font_name, size_pt)), r=[])])


def add_chart(ws: Worksheet, place: ChartPlace, font_name: str, style: Style) -> None:
    chart = place.chart
    label_pt = style.chart_label_pt
    if chart.kind == "line":
        xl = LineChart()
    else:
        xl = BarChart()
        xl.type = "col"
        xl.grouping = "clustered"
        xl.overlap = 0
    if any(s.secondary_axis for s in chart.series):
        raise NotImplementedError("XLSX: a series on a second value axis is not drawn yet")
    for i, (name_at, (col, top, bottom)) in enumerate(zip(place.names, place.values, strict=True)):
        values = Reference(ws, min_col=col, min_row=top, max_row=bottom)
        xl.add_data(values, titles_from_data=False)
        series = xl.series[-1]
        name_cell = f"{quote_sheetname(ws.title)}!${get_column_letter(name_at[0])}${name_at[1]}"
        series.tx = SeriesLabel(strRef=StrRef(name_cell))
        line = LineProperties(solidFill=style.chart_colour(i), w=round(style.chart_line_pt * 12700))
        if chart.kind == "line":
            series.graphicalProperties = GraphicalProperties(ln=line)
            series.marker.symbol = "circle"
            series.marker.size = round(style.chart_marker_pt)
            series.marker.graphicalProperties = GraphicalProperties(solidFill=style.chart_colour(i), ln=LineProperties(
                solidFill=style.chart_colour(i)))
            series.smooth = False
        else:
            series.graphicalProperties = GraphicalProperties(solidFill=style.chart_colour(i))
    col, top, bottom = place.categories
    letter = get_column_letter(col)
    categories = f"{quote_sheetname(ws.title)}!${letter}${top}:${letter}${bottom}"
    for series in xl.series:
        series.cat = AxDataSource(strRef=StrRef(categories))  # text: a strRef, not openpyxl's numRef
    xl.title = _title(chart.title, font_name, style.chart_title_pt)
    if chart.x_title:
        xl.x_axis.title = _title(chart.x_title, font_name, label_pt)
    if chart.y_title:
        xl.y_axis.title = _title(chart.y_title, font_name, label_pt)
    xl.y_axis.number_format = excel_number_format(chart.number_format)
    xl.y_axis.majorGridlines = ChartLines(spPr=GraphicalProperties(ln=LineProperties(
        solidFill=style.chart_grid_colour)))
    if chart.y_min is not None:
        xl.y_axis.scaling.min = float(chart.y_min)
    if chart.y_max is not None:
        xl.y_axis.scaling.max = float(chart.y_max)
    for axis in (xl.x_axis, xl.y_axis):
        axis.delete = False  # openpyxl 3.1 hides axes unless told otherwise
        axis.txPr = _text_props(font_name, label_pt)
    xl.x_axis.axPos = "b"
    xl.legend.position = "b"
    xl.legend.txPr = _text_props(font_name, label_pt)
    xl.display_blanks = "gap"
    xl.width = place.width_pt * CM_PER_PT
    xl.height = place.height_pt * CM_PER_PT
    ws.add_chart(xl, f"A{place.row}")

