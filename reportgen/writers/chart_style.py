"""What the chart writers share: a figure as a chart prints it and the figures table a
spreadsheet chart refers to. How charts look (sizes, colours) is the document's Style.
"""

from __future__ import annotations

import functools
from decimal import Decimal

from reportgen.document import Cell, Chart, Column, Row, Table, cell, para
from reportgen.numbers import format_number


def value_text(chart: Chart, value: Decimal) -> str:
    """A figure as the chart prints it: the chart's places and unit (84.2％)."""
    return format_number(value, chart.number_format.places, grouping=chart.number_format.grouping) + chart.unit


@functools.lru_cache(maxsize=64)
def data_table(chart: Chart) -> Table:
    """The chart's figures as a table: a row per category, a column per series (the cells a
    spreadsheet chart refers to). One table per chart (cached): the XLSX lays out its columns
    and then writes it, the same object both times."""
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
