"""How charts look, for every writer in one place (to move into the writers' Style later).

The model's ``Chart`` is data only; these are the sizes, colours and the figures table that
the writers share.
"""

from __future__ import annotations

from decimal import Decimal

from reportgen.document import Cell, Chart, Column, Row, Table, cell, para
from reportgen.numbers import format_number

CHART_STYLE = {
    "height_mm": 75.0,  # the chart's height; its width is the page's printable width
    "title_pt": 11.0,
    "label_pt": 8.0,  # axis titles, tick labels, legend
    "colours": ("1F4E79", "C55A11", "548235", "7F6000", "7030A0"),  # one per series, hex RGB
    "grid_colour": "BFBFBF",
    "axis_colour": "404040",
    "line_width_pt": 2.0,
    "marker_size": 6,
}


def colour(index: int) -> str:
    colours = CHART_STYLE["colours"]
    assert isinstance(colours, tuple)
    return str(colours[index % len(colours)])


def value_text(chart: Chart, value: Decimal) -> str:
    """A figure as the chart prints it: the chart's places and unit (84.2％)."""
    return format_number(value, chart.number_format.places, grouping=chart.number_format.grouping) + chart.unit


def data_table(chart: Chart) -> Table:
    """The chart's figures as a table: a row per category, a column per series (the cells a
    spreadsheet chart refers to)."""
    header = Row((cell(chart.x_title, align="center"), *(cell(s.name, align="center") for s in chart.series)))
    body = tuple(
        Row((cell(category), *(
            Cell((para(value_text(chart, v) if v is not None else ""),), align="right", number=v,
                 number_format=chart.number_format if v is not None else None)
            for v in (s.values[i] for s in chart.series)
        )))
        for i, category in enumerate(chart.categories)
    )
    return Table((Column(2.0), *(Column(1.0) for _ in chart.series)), (header,), body,
                 label=f"{chart.label or 'chart'}-data")
