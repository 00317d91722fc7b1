"""annual.yaml (事業報告書 概要版): its shape (pydantic) and its meaning, every problem located.

Figures are read as text (YAML scalars stay strings in our loader), so 147.0 keeps its
one decimal place; a figure that is not a number is reported at its line.
"""

from __future__ import annotations

import dataclasses
import string
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from reportgen.errors import Problem
from reportgen.load.schema import NFKC, Id, KpiIn, Strict, Text, validate
from reportgen.load.yaml_source import Loc, Source
from reportgen.model.annual import (
    AnnualField,
    AnnualKpis,
    AnnualMeasure,
    AnnualReport,
    Headline,
    KpiGroup,
    KpiMeasure,
    Medical,
    Monthly,
    MonthlyGroup,
    MonthlyRow,
    Satisfaction,
    SatisfactionRow,
    SeriesItem,
    YearSeries,
)
from reportgen.model.quantity import EXAMPLE, Quantity, QuantityError, parse_quantity

MONTHS = 12


class SeriesItemIn(Strict):
    id: Id
    label: Text
    unit: Text
    values: list[Text] = Field(min_length=2)
    first_change: Text | None = None
    headline: Text | None = None


class SeriesIn(Strict):
    title: Text
    unit_note: Text
    first_year: int = Field(ge=1900, le=9998)
    notes: list[Text] = Field(default_factory=list)
    items: list[SeriesItemIn] = Field(min_length=1)
    headline_order: list[Id] = Field(default_factory=list)


class MonthlyRowIn(Strict):
    label: Text
    values: list[Text] = Field(min_length=MONTHS, max_length=MONTHS)


class MonthlyGroupIn(Strict):
    label: Text
    rows: list[MonthlyRowIn] = Field(min_length=1)


class MonthlyIn(Strict):
    title: Text
    unit: Text
    groups: list[MonthlyGroupIn] = Field(min_length=1)


class HeadlineIn(Strict):
    label: Text
    value: Text
    change: Text


class MedicalIn(Strict):
    title: Text
    note: Text | None = None
    headlines: list[HeadlineIn] = Field(default_factory=list)
    comment: Text | None = None


class SatisfactionRowIn(Strict):
    label: Text
    values: list[Text]


class SatisfactionIn(Strict):
    title: Text
    years: list[int] = Field(min_length=1)
    rows: list[SatisfactionRowIn] = Field(min_length=1)


class AnnualMeasureIn(Strict):
    number: Text | None = None
    title: Text
    page: Text | None = None
    results: list[Text] = Field(default_factory=list)


class AnnualFieldIn(Strict):
    id: Id
    number: Text
    title: Text
    chapter: Text | None = None
    lead: Text | None = None
    measures: list[AnnualMeasureIn] = Field(min_length=1)


class AnnualKpiIn(KpiIn):
    reference: bool = False  # （参考）: graded and printed, not counted


class KpiMeasureIn(Strict):
    title: Text
    kpis: list[AnnualKpiIn] = Field(min_length=1)


class KpiGroupIn(Strict):
    title: Text
    measures: list[KpiMeasureIn] = Field(min_length=1)


class AnnualKpisIn(Strict):
    title: Text
    count_title: Text
    grading: Annotated[Literal["2段階", "3段階"], NFKC] = "3段階"
    note: Text | None = None
    groups: list[KpiGroupIn] = Field(min_length=1)


class AnnualIn(Strict):
    title: Text
    subtitle: Text | None = None
    edition: Text | None = None
    lead: Text | None = None
    overview_title: Text
    headline_note: Text | None = None
    series: SeriesIn
    monthly: MonthlyIn
    medical: MedicalIn | None = None
    satisfaction: SatisfactionIn | None = None
    fields: list[AnnualFieldIn] = Field(min_length=1)
    kpi: AnnualKpisIn


def _number(text: str, loc: Loc, source: Source, out: list[Problem], unit: str = "") -> Decimal | None:
    """A figure without a unit (or with the expected one)."""
    try:
        q = parse_quantity(text)
    except QuantityError as exc:
        out.append(source.problem(loc, str(exc), "a number such as 40,312 or 147.0"))
        return None
    if q.unit not in ("", unit):
        out.append(source.problem(loc, f"「{text}」に単位は書けません。", "the number alone: the unit is given once"))
        return None
    return q.value


def _percent(text: str, loc: Loc, source: Source, out: list[Problem]) -> Quantity | None:
    try:
        q = parse_quantity(text)
    except QuantityError as exc:
        out.append(source.problem(loc, str(exc), EXAMPLE))
        return None
    if not q.is_percent:
        out.append(source.problem(loc, f"「{text}」は率ではありません。", "a rate such as 0.1% or ▲12.8%"))
        return None
    return q


def _series(s: SeriesIn, source: Source, out: list[Problem]) -> YearSeries:
    items = []
    ids: set[str] = set()
    length = len(s.items[0].values)
    for i, item in enumerate(s.items):
        loc: Loc = ("series", "items", i)
        if item.id in ids:
            out.append(source.problem((*loc, "id"), f"id「{item.id}」が重複しています。", "an id used once"))
        ids.add(item.id)
        if len(item.values) != length:
            out.append(source.problem((*loc, "values"), f"値が {len(item.values)} 個あります。",
                                      f"{length} values, one per year from {s.first_year}年度"))
        values = [_number(v, (*loc, "values", j), source, out) for j, v in enumerate(item.values)]
        first = _percent(item.first_change, (*loc, "first_change"), source, out) if item.first_change else None
        if item.headline is not None:
            _placeholders(item.headline, {"value", "change"}, (*loc, "headline"), source, out)
        items.append(SeriesItem(item.id, item.label, item.unit,
                                tuple(v if v is not None else Decimal(0) for v in values),
                                first.value if first else None, item.headline))
    for j, item_id in enumerate(s.headline_order):
        if item_id not in ids:
            out.append(source.problem(("series", "headline_order", j), f"系列「{item_id}」がありません。",
                                      f"one of {', '.join(sorted(ids))}"))
    return YearSeries(s.title, s.unit_note, s.first_year, tuple(s.notes), tuple(items),
                      tuple(s.headline_order))


def _placeholders(text: str, allowed: set[str], loc: Loc, source: Source, out: list[Problem]) -> None:
    try:
        names = {n for _, n, _, _ in string.Formatter().parse(text) if n is not None}
    except ValueError:
        out.append(source.problem(loc, "{ } の組が閉じられていません。", "{value} and {change}"))
        return
    if names - allowed:
        out.append(source.problem(loc, f"差し込み {sorted(names - allowed)} は使えません。",
                                  " and ".join(f"{{{n}}}" for n in sorted(allowed))))


def _monthly(m: MonthlyIn, source: Source, out: list[Problem]) -> Monthly:
    groups = []
    for i, g in enumerate(m.groups):
        rows = []
        for j, r in enumerate(g.rows):
            loc: Loc = ("monthly", "groups", i, "rows", j, "values")
            values = [_number(v, (*loc, k), source, out) for k, v in enumerate(r.values)]
            rows.append(MonthlyRow(r.label, tuple(v if v is not None else Decimal(0) for v in values)))
        groups.append(MonthlyGroup(g.label, tuple(rows)))
    return Monthly(m.title, m.unit, tuple(groups))


def _medical(m: MedicalIn, source: Source, out: list[Problem]) -> Medical:
    headlines = []
    for i, h in enumerate(m.headlines):
        change = _percent(h.change, ("medical", "headlines", i, "change"), source, out)
        if change is not None:
            headlines.append(Headline(h.label, h.value, change))
    return Medical(m.title, m.note, tuple(headlines), m.comment)


def _satisfaction(s: SatisfactionIn, source: Source, out: list[Problem]) -> Satisfaction:
    rows = []
    for i, r in enumerate(s.rows):
        loc: Loc = ("satisfaction", "rows", i, "values")
        if len(r.values) != len(s.years):
            out.append(source.problem(loc, f"値が {len(r.values)} 個あります。",
                                      f"{len(s.years)}, one per year ({', '.join(map(str, s.years))})"))
        values = [_percent(v, (*loc, j), source, out) for j, v in enumerate(r.values)]
        rows.append(SatisfactionRow(r.label, tuple(v for v in values if v is not None)))
    return Satisfaction(s.title, tuple(s.years), tuple(rows))


def _kpis(k: AnnualKpisIn, source: Source, out: list[Problem]) -> AnnualKpis:
    from reportgen.load.dataset import _kpi, _unique  # the KPI rules of kpi_results.yaml

    seen: dict[str, str] = {}
    groups = []
    for i, g in enumerate(k.groups):
        measures = []
        for j, m in enumerate(g.measures):
            kpis = []
            for n, kpi_in in enumerate(m.kpis):
                loc: Loc = ("kpi", "groups", i, "measures", j, "kpis", n)
                _unique(kpi_in.id, (*loc, "id"), seen, source, out)
                kpi = _kpi(kpi_in, loc, source, out)
                if kpi is not None:
                    kpis.append(dataclasses.replace(kpi, reference=kpi_in.reference))
            measures.append(KpiMeasure(m.title, tuple(kpis)))
        groups.append(KpiGroup(g.title, tuple(measures)))
    return AnnualKpis(k.title, k.count_title, k.grading, k.note, tuple(groups))


def load_annual(source: Source, problems: list[Problem]) -> AnnualReport | None:
    before = len(problems)  # shape problems included: the rest is checked, never used
    parsed, found = validate(AnnualIn, source)
    problems.extend(found)
    if parsed is None:
        return None
    series = _series(parsed.series, source, problems)
    monthly = _monthly(parsed.monthly, source, problems)
    medical = _medical(parsed.medical, source, problems) if parsed.medical else None
    satisfaction = _satisfaction(parsed.satisfaction, source, problems) if parsed.satisfaction else None
    fields = tuple(
        AnnualField(f.id, f.number, f.title, f.chapter, f.lead,
                    tuple(AnnualMeasure(m.number, m.title, m.page, tuple(m.results)) for m in f.measures))
        for f in parsed.fields
    )
    kpis = _kpis(parsed.kpi, source, problems)
    if len(problems) > before:
        return None
    return AnnualReport(parsed.title, parsed.subtitle, parsed.edition, parsed.lead, parsed.overview_title,
                        parsed.headline_note, series, monthly, medical, satisfaction, fields, kpis)
