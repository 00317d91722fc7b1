"""事業報告書 概要版 (seeds/004): title page, series and monthly tables, headlines, the
satisfaction table, the measures of each 分野 and the KPI 一覧 with its count line.

Every derived figure (前年度比, 計, headlines, grades, count line) comes from
``reportgen.model.annual``; this module only lays them out.

Charts: where seeds/004 has a chart, a Chart block follows its table, drawn from the
model's ``chart_data`` (the stored figures); which series, the kind and every word of it
(title, axis titles) come from the template (series_charts, monthly_charts).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from reportgen.document import (
    Block,
    Cell,
    Chart,
    ChartKind,
    Column,
    Document,
    Heading,
    NumberFormat,
    PageBreak,
    Paragraph,
    Row,
    Series,
    Table,
    para,
)
from reportgen.grading import grade
from reportgen.load.dataset import DataSet
from reportgen.model.annual import (
    AnnualKpis,
    AnnualReport,
    ChartData,
    Monthly,
    Satisfaction,
    YearSeries,
    signed_percent,
)
from reportgen.model.kpi import Kpi
from reportgen.numbers import format_number
from reportgen.reports.common import CIRCLED, columns, context, document, point
from reportgen.reports.kpi_common import value_cell
from reportgen.templating import Template
from reportgen.wareki import TILDE, to_era_date

KIND = "annual-summary"
CHART_KINDS: tuple[ChartKind, ...] = ("line", "bar", "clustered-bar")
CHART_TEXTS = ("title", "x_title", "y_title")


def western_era_date(d: date) -> str:
    """2020（令和2）年4月1日: the style of seeds/004."""
    era = to_era_date(d)
    year = "元" if era.year == 1 else str(era.year)
    return f"{d.year}（{era.era.name}{year}）年{d.month}月{d.day}日"


def period_text(data: DataSet) -> str:
    fy = data.meta.fiscal_year
    return f"{western_era_date(fy.first_day)}{TILDE}{western_era_date(fy.last_day)}"


def _header(texts: list[str]) -> Row:
    return Row(tuple(Cell((para(t, bold=True),), align="center") for t in texts))


def series_table(series: YearSeries, template: Template, ctx: dict) -> Table:
    """Years as columns; each value with its 前年度比 in parentheses under it, in one cell."""
    changes = series.changes()
    header = _header(["", *(template.text("labels", "column_year", **ctx, column_year=y) for y in series.years)])
    body = []
    for item in series.items:
        cells = [Cell((para(item.label),))]
        for year, value in zip(series.years, item.values, strict=True):
            rate = changes.loc[year, item.id]
            cells.append(Cell((para(format_number(value)),
                               para(f"({signed_percent(rate)})" if isinstance(rate, Decimal) else "")), align="right"))
        body.append(Row(tuple(cells)))
    widths = (template.number("series_widths", "label", low=0.01, high=1000),
              *[template.number("series_widths", "year", low=0.01, high=1000)] * len(series.years))
    return Table(tuple(Column(w) for w in widths), (header,), tuple(body), label="annual-series")


def monthly_table(monthly: Monthly, template: Template, ctx: dict) -> Table:
    """12 months and the computed 計; a group's part rows are indented under its total."""
    frame = monthly.frame()
    header = _header(["", *monthly.month_labels(), template.text("labels", "total", **ctx)])
    body = []
    for group in monthly.groups:
        for i, row in enumerate(group.rows):
            label = row.label if i == 0 else f"　{row.label}"
            values = frame.loc[(group.label, row.label)]
            cells = [Cell((para(label, bold=i == 0),))]
            cells.extend(Cell((para(format_number(v)),), align="right", number=v,
                              number_format=NumberFormat(1, "")) for v in values)
            body.append(Row(tuple(cells)))
    widths = (template.number("monthly_widths", "label", low=0.01, high=1000),
              *[template.number("monthly_widths", "month", low=0.01, high=1000)] * 12,
              template.number("monthly_widths", "total", low=0.01, high=1000))
    return Table(tuple(Column(w) for w in widths), (header,), tuple(body), label="annual-monthly")


def places(values: tuple[Decimal, ...]) -> int:
    """Decimal places as the data gives them: 147.0 → 1, 34895 → 0."""
    return max((max(-int(v.as_tuple().exponent), 0) for v in values), default=0)


def chart(template: Template, loc: tuple[str | int, ...], data: ChartData, label: str, ctx: dict) -> Chart:
    """A chart of stored figures: kind and wording from the template at ``loc`` (its texts may
    use {{ unit }}, the figures' unit, printed as the value axis title rather than on each tick)."""
    template.known_keys(loc, (*CHART_TEXTS, "kind", "items", "rows"))
    categories, named, unit = data
    kind = template.choice(*loc, "kind", choices=CHART_KINDS)
    spec = template.raw(*loc)
    texts = {key: template.text(*loc, key, **ctx, unit=unit) if key in spec else "" for key in CHART_TEXTS}
    if kind == "bar" and len(named) != 1:
        raise template.error((*loc, "kind"),
                             f"bar は系列が一つのグラフです（{len(named)}系列: clustered-bar にしてください）。")
    figures = tuple(v for _, values in named for v in values)
    return Chart(kind=kind, categories=categories,
                 series=tuple(Series(name, tuple(values)) for name, values in named),
                 number_format=NumberFormat(places(figures), ""), label=label, **texts)


def chart_specs(template: Template, key: str) -> range:
    """The indices of the chart settings listed at ``key``, each a mapping."""
    specs = template.raw(key)
    if not isinstance(specs, list) or not all(isinstance(s, dict) for s in specs):
        raise template.error((key,), "グラフの設定（kind, title …）の一覧で書いてください。")
    return range(len(specs))


def series_charts(series: YearSeries, template: Template, ctx: dict) -> list[Block]:
    """The multi-year charts: each names the series items it draws (one unit per chart)."""
    known = tuple(i.id for i in series.items)
    blocks: list[Block] = []
    for n in chart_specs(template, "series_charts"):
        ids = template.raw("series_charts", n).get("items")
        if not isinstance(ids, list) or not ids:
            raise template.error(("series_charts", n, "items"), "描く系列の id の一覧を書いてください。")
        for k, item_id in enumerate(ids):
            if item_id not in known:
                raise template.error(("series_charts", n, "items", k),
                                     f"系列「{item_id}」はありません。{' / '.join(known)} のどれかです。")
        try:
            data = series.chart_data(tuple(ids))
        except ValueError as exc:
            raise template.error(("series_charts", n, "items"), str(exc)) from None
        blocks.append(chart(template, ("series_charts", n), data, "annual-series-" + "-".join(ids), ctx))
    return blocks


def monthly_charts(monthly: Monthly, template: Template, ctx: dict) -> list[Block]:
    """The monthly bar charts: ``rows: totals`` draws each group's total side by side in one
    chart; ``rows: parts`` one chart per group of its parts (its texts may use {{ group }})."""
    blocks: list[Block] = []
    for n in chart_specs(template, "monthly_charts"):
        loc = ("monthly_charts", n)
        if template.choice(*loc, "rows", choices=("totals", "parts")) == "totals":
            blocks.append(chart(template, loc, monthly.totals_chart_data(), "annual-monthly-totals", ctx))
            continue
        for k, group in enumerate(monthly.groups):
            blocks.append(chart(template, loc, monthly.parts_chart_data(group), f"annual-monthly-{k + 1}",
                                ctx | {"group": group.label}))
    return blocks


def satisfaction_table(s: Satisfaction, template: Template, ctx: dict) -> Table:
    header = _header([template.text("labels", "indicator", **ctx),
                      *(template.text("labels", "column_year", **ctx, column_year=y) for y in s.years)])
    body = tuple(Row((Cell((para(r.label),)), *(value_cell(v) for v in r.values))) for r in s.rows)
    return Table(columns(template, "satisfaction_widths"), (header,), body, label="annual-satisfaction")


def _statement(kpi: Kpi, index: int, count: int) -> Cell:
    """①② before each counted KPI of a 施策 with several; a （参考） row is not numbered."""
    text = kpi.statement
    if count > 1 and not kpi.reference:
        text = f"{CIRCLED[index]} {text}"
    content = [para(text)]
    if kpi.note:
        content.append(Paragraph(para(kpi.note).runs, size="small"))
    return Cell(tuple(content))


def kpi_tables(kpis: AnnualKpis, template: Template, ctx: dict) -> list[Block]:
    specs = template.raw("kpi_columns")
    blocks: list[Block] = []
    for group in kpis.groups:
        body = []
        for measure in group.measures:
            numbered = [k for k in measure.kpis if not k.reference]
            for i, kpi in enumerate(measure.kpis):
                cells = []
                for spec in specs:
                    match spec["value"]:
                        case "measure":
                            if i == 0:
                                cells.append(Cell((para(measure.title),), rowspan=len(measure.kpis)))
                        case "statement":
                            index = numbered.index(kpi) if kpi in numbered else 0
                            cells.append(_statement(kpi, index, len(numbered)))
                        case "target":
                            cells.append(value_cell(kpi.target_value))
                        case "actual":
                            cells.append(value_cell(kpi.actual))
                        case "grade":
                            cells.append(Cell((para(str(grade(kpi, kpis.grading))),), align="center"))
                        case other:
                            raise template.error(("kpi_columns",), f"列「{other}」はありません。")
                body.append(Row(tuple(cells)))
        header = _header([template.text("kpi_columns", n, "header", **ctx) for n in range(len(specs))])
        blocks += [Heading(3, group.title),
                   Table(columns(template, "kpi_columns"), (header,), tuple(body), label="annual-kpi")]
    blocks += [Heading(3, kpis.count_title), para(kpis.count_line(), bold=True)]
    if kpis.note:
        blocks.append(para(kpis.note))
    return blocks


def build(data: DataSet, template: Template) -> Document:
    annual: AnnualReport | None = data.annual
    assert annual is not None
    ctx = context(data) | {"period": period_text(data), "report_title": annual.title,
                           "western_year": data.meta.fiscal_year.first_day.year}
    title = template.text("title", **ctx)
    blocks: list[Block] = [Heading(1, title)]
    blocks += [para(t, align="center") for t in (annual.subtitle, annual.edition) if t]
    blocks.append(para(template.text("period", **ctx), align="center"))
    if annual.lead:
        blocks.append(para(annual.lead))
    blocks.append(PageBreak())

    # １． 加入者数、事業所数、医療費等の動向
    series = annual.series
    blocks.append(Heading(2, annual.overview_title))
    if annual.headline_note:
        blocks.append(para(annual.headline_note, size="small"))
    blocks += [para(line) for line in series.headlines()]
    blocks += [Heading(3, series.title), para(series.unit_note, size="small"),
               series_table(series, template, ctx)]
    blocks += [para(n, size="small") for n in series.notes]
    # The index chart of seeds/004 (2008年10月末 = 100) waits for its data in annual.yaml.
    blocks += series_charts(series, template, ctx)
    monthly = annual.monthly
    blocks += [Heading(3, monthly.title), para(template.text("labels", "unit", **ctx, unit=monthly.unit),
                                               size="small"),
               monthly_table(monthly, template, ctx)]
    blocks += monthly_charts(monthly, template, ctx)
    if annual.medical:
        medical = annual.medical
        blocks.append(Heading(3, medical.title))
        blocks += [para(h.text()) for h in medical.headlines]
        if medical.comment:
            blocks.append(para(medical.comment))
        if medical.note:
            blocks.append(para(medical.note, size="small"))
    if annual.satisfaction:
        blocks += [Heading(3, annual.satisfaction.title), satisfaction_table(annual.satisfaction, template, ctx)]

    # ２．～５． each 分野 with its measures and 事業の実施状況
    for f in annual.fields:
        blocks += [PageBreak(), Heading(2, " ".join(t for t in (f"{f.number}{f.title}", f.chapter) if t))]
        if f.lead:
            blocks.append(para(f.lead))
        for m in f.measures:
            page = f" {template.text('labels', 'page', **ctx, page=m.page)}" if m.page else ""
            blocks.append(Heading(3, f"{m.number or ''}{m.title}{page}"))
            blocks += [point(r) for r in m.results]

    blocks += [PageBreak(), Heading(2, annual.kpi.title), *kpi_tables(annual.kpi, template, ctx)]
    return document(KIND, data, template, ctx, title, blocks)
