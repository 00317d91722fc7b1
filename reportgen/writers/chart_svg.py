"""A chart as inline SVG for the PDF: axes, gridlines, lines or bars, text labels.

Vector drawing that WeasyPrint lays out with the document's fonts, so the labels are text in
the PDF. Every string from the data is XML-escaped (``_text``, ``_attr``); nothing is fetched.
"""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from reportgen.document import Chart, Style
from reportgen.writers.chart_style import value_text

PT_PER_MM = 72 / 25.4
# The plot area's margins inside the drawing, in pt: room for tick labels, titles, legend.
MARGIN = {"left": 74.0, "right": 14.0, "top": 30.0, "bottom": 58.0}


def nice_range(low: Decimal, high: Decimal, ticks: int = 5) -> tuple[Decimal, Decimal, Decimal]:
    """(start, end, step) of a value axis covering low…high with a round step (1, 2, 2.5, 5 × 10ⁿ)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / ticks
    exponent = raw.adjusted()
    base = Decimal(10) ** exponent
    step = next(m * base for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
                if m * base >= raw)
    start = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    end = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    return start, end, step


def axis_range(chart: Chart) -> tuple[Decimal, Decimal, Decimal]:
    values = [v for s in chart.series for v in s.values if v is not None] or [Decimal(0)]
    low = min(values) if chart.kind == "line" else min(Decimal(0), *values)
    start, end, step = nice_range(chart.y_min if chart.y_min is not None else low,
                                  chart.y_max if chart.y_max is not None else max(values))
    if chart.y_min is not None:
        start = chart.y_min
    if chart.y_max is not None:
        end = chart.y_max
    return start, end, step


def _n(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, size: float, anchor: str = "middle", extra: str = "") -> str:
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}"{extra}>'
            f"{escape(text)}</text>")


def to_svg(chart: Chart, width_mm: float, font_family: str, style: Style) -> str:
    if any(s.secondary_axis for s in chart.series):
        raise NotImplementedError("PDF: a series on a second value axis is not drawn yet")
    width = width_mm * PT_PER_MM
    height = style.chart_height_mm * PT_PER_MM
    title_pt, label_pt = style.chart_title_pt, style.chart_label_pt
    left, top = MARGIN["left"], MARGIN["top"]
    plot_w, plot_h = width - left - MARGIN["right"], height - top - MARGIN["bottom"]
    start, end, step = axis_range(chart)
    span = float(end - start) or 1.0

    def y_of(v: Decimal) -> float:
        return top + plot_h * (1 - (float(v) - float(start)) / span)

    n = len(chart.categories)
    slot = plot_w / max(n, 1)
    grid, axis = "#" + style.chart_grid_colour, "#" + style.chart_axis_colour
    label = quoteattr(chart.title)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{_n(width)}pt" height="{_n(height)}pt" '
           f'viewBox="0 0 {_n(width)} {_n(height)}" font-family={quoteattr(font_family)} role="img" '
           f'aria-label={label}>',
           _text(width / 2, 18, chart.title, title_pt, extra=' font-weight="bold"')]
    # Gridlines and tick labels of the value axis.
    v = start
    while v <= end:
        y = y_of(v)
        out.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(left + plot_w)}" y2="{_n(y)}" stroke="{grid}" '
                   f'stroke-width="0.5"/>')
        out.append(_text(left - 4, y + label_pt * 0.35, value_text(chart, v), label_pt, "end"))
        v += step
    out.append(f'<line x1="{_n(left)}" y1="{_n(top)}" x2="{_n(left)}" y2="{_n(top + plot_h)}" stroke="{axis}" '
               f'stroke-width="0.75"/>')
    out.append(f'<line x1="{_n(left)}" y1="{_n(top + plot_h)}" x2="{_n(left + plot_w)}" y2="{_n(top + plot_h)}" '
               f'stroke="{axis}" stroke-width="0.75"/>')
    for i, category in enumerate(chart.categories):
        out.append(_text(left + slot * (i + 0.5), top + plot_h + label_pt + 4, category, label_pt))
    if chart.x_title:
        out.append(_text(left + plot_w / 2, top + plot_h + 2 * label_pt + 10, chart.x_title, label_pt,
                         extra=' font-weight="bold"'))
    if chart.y_title:
        cx, cy = 10.0, top + plot_h / 2
        out.append(_text(cx, cy, chart.y_title, label_pt,
                         extra=f' font-weight="bold" transform="rotate(-90 {_n(cx)} {_n(cy)})"'))
    # The series.
    bars = len(chart.series)
    bar_w = slot * 0.7 / max(bars, 1)
    base_y = y_of(max(start, min(Decimal(0), end)))
    for k, series in enumerate(chart.series):
        fill = "#" + style.chart_colour(k)
        points = [(left + slot * (i + 0.5), y_of(v)) if v is not None else None for i, v in enumerate(series.values)]
        if chart.kind == "line":
            run: list[tuple[float, float]] = []
            for p in [*points, None]:
                if p is not None:
                    run.append(p)
                    continue
                if len(run) > 1:
                    out.append(f'<polyline points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in run)}" fill="none" '
                               f'stroke="{fill}" stroke-width="{_n(style.chart_line_pt)}"/>')
                run = []
            for p in points:
                if p is not None:
                    out.append(f'<circle cx="{_n(p[0])}" cy="{_n(p[1])}" r="2.5" fill="{fill}"/>')
        else:
            for i, v in enumerate(series.values):
                if v is None:
                    continue
                x = left + slot * i + slot * 0.15 + bar_w * k
                y = y_of(v)
                out.append(f'<rect x="{_n(x)}" y="{_n(min(y, base_y))}" width="{_n(bar_w)}" '
                           f'height="{_n(abs(base_y - y))}" fill="{fill}"/>')
    # Legend, centred under the x title.
    legend_y = height - 8
    entry_w = [14 + label_pt * len(s.name) + 12 for s in chart.series]
    x = (width - sum(entry_w)) / 2
    for k, (series, w) in enumerate(zip(chart.series, entry_w, strict=True)):
        out.append(f'<rect x="{_n(x)}" y="{_n(legend_y - label_pt * 0.8)}" width="10" height="{_n(label_pt * 0.8)}" '
                   f'fill="#{style.chart_colour(k)}"/>')
        out.append(_text(x + 14, legend_y, series.name, label_pt, "start"))
        x += w
    out.append("</svg>")
    return "".join(out)
