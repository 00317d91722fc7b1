"""事業報告書 概要版 (seeds/004): series, monthly tables, headlines, measures and KPI 一覧.

Series are kept once, as values per year or month; what the handout prints beside them
(前年度比, 増減, 計, 「4,031万2千人（14万8千人減少）」) is computed here, with pandas on
Decimal values (object dtype), so no figure goes through binary floating point.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from reportgen.grading import Grade, count_line, counted, grade
from reportgen.model.kpi import GradingPolicy, Kpi
from reportgen.model.quantity import Quantity
from reportgen.numbers import TRIANGLE, format_number, round_half_up

if TYPE_CHECKING:
    import pandas as pd

FISCAL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
CHANGE_PLACES = 1  # 前年度比 as seeds/004 prints it: (2.6%), (▲0.4%)


def signed_percent(value: Decimal, places: int = CHANGE_PLACES) -> str:
    """A rate of change as seeds/004 prints it in its series table: 2.6%, ▲0.4%, and ▲0.0%
    for a fall that rounds to zero (290,592円 → 290,516円): the sign is the fall's."""
    rounded = round_half_up(value.copy_abs(), places)
    return (TRIANGLE if value < 0 else "") + f"{rounded:f}%"


def in_man(thousands: Decimal, unit: str) -> str:
    """A count in thousands as the headlines write it: 40,312 → 4,031万2千人; 2 → 2千人."""
    n = int(round_half_up(thousands.copy_abs(), 0))
    man, sen = divmod(n, 10)
    text = (f"{man:,}万" if man else "") + (f"{sen}千" if sen or not man else "")
    return text + unit


def change_words(delta: Decimal, text: str) -> str:
    """14万8千人減少 / 8万3千人増加 / 76円減少."""
    if delta == 0:
        return "増減なし"
    return text + ("減少" if delta < 0 else "増加")


# What a chart of a series needs: categories (2011年度 …), named series and their unit.
ChartData = tuple[tuple[str, ...], tuple[tuple[str, tuple[Decimal, ...]], ...], str]


@dataclass(frozen=True)
class SeriesItem:
    id: str
    label: str
    unit: str  # 千人, 千事業所 (counts in thousands) or 円
    values: tuple[Decimal, ...]
    first_change: Decimal | None  # 前年度比 (％) of the first year, as printed: its base is not in the data
    headline: str | None = None  # "●加入者数：{value}（{change}）"

    @property
    def in_thousands(self) -> bool:
        return self.unit.startswith("千")


@dataclass(frozen=True)
class YearSeries:
    title: str
    unit_note: str
    first_year: int
    notes: tuple[str, ...]
    items: tuple[SeriesItem, ...]
    headline_order: tuple[str, ...]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.first_year + len(self.items[0].values)))

    def frame(self) -> pd.DataFrame:
        """One column per item, one row per 年度, Decimal values."""
        import pandas as pd  # on first use: the CLI's quick commands load the data model, not pandas

        return pd.DataFrame({i.id: pd.Series(i.values, index=self.years, dtype=object) for i in self.items})

    def changes(self) -> pd.DataFrame:
        """前年度比 in percent (unrounded Decimal); the first year's as the data gives it
        (None when it does not: no rate is printed)."""
        frame = self.frame()
        rates = frame.diff() / frame.shift(1) * 100
        for item in self.items:
            rates.loc[self.first_year, item.id] = item.first_change
        return rates

    def differences(self) -> pd.DataFrame:
        """増減 from the year before (the first year has none)."""
        return self.frame().diff()

    def item(self, item_id: str) -> SeriesItem:
        return next(i for i in self.items if i.id == item_id)

    def headlines(self) -> list[str]:
        """●加入者数：4,031万2千人（14万8千人減少）, for the last year, in headline_order."""
        last = self.years[-1]
        lines = []
        for item_id in self.headline_order:
            item = self.item(item_id)
            if item.headline is None:
                continue
            value = item.values[-1]
            delta = self.differences().loc[last, item_id]
            if item.in_thousands:
                unit = item.unit[1:]
                shown, change = in_man(value, unit), change_words(delta, in_man(delta, unit))
            else:
                shown = format_number(value) + item.unit
                change = change_words(delta, format_number(abs(delta)) + item.unit)
            lines.append(item.headline.format(value=shown, change=change))
        return lines

    def chart_data(self, item_ids: tuple[str, ...]) -> ChartData:
        """What a line or bar chart of these items needs: categories (2011年度 …), named
        series and their unit (one axis: the items must share it)."""
        items = [self.item(i) for i in item_ids]
        if len({i.unit for i in items}) > 1:
            named = "、".join(f"{i.label}（{i.unit}）" for i in items)
            raise ValueError(f"{named} は単位が違うので一つのグラフにできません。")
        return (tuple(f"{y}年度" for y in self.years),
                tuple((i.label, i.values) for i in items), items[0].unit)


@dataclass(frozen=True)
class MonthlyRow:
    label: str
    values: tuple[Decimal, ...]  # April to March


@dataclass(frozen=True)
class MonthlyGroup:
    label: str
    rows: tuple[MonthlyRow, ...]  # the first is the group's total, then its parts


@dataclass(frozen=True)
class Monthly:
    title: str
    unit: str
    groups: tuple[MonthlyGroup, ...]

    @staticmethod
    def month_labels() -> tuple[str, ...]:
        return tuple(f"{m}月" for m in FISCAL_MONTHS)

    def frame(self) -> pd.DataFrame:
        """Rows (group, label) × months, Decimal values, with the computed 計 column."""
        import pandas as pd

        index = pd.MultiIndex.from_tuples([(g.label, r.label) for g in self.groups for r in g.rows])
        frame = pd.DataFrame([r.values for g in self.groups for r in g.rows], index=index,
                             columns=list(self.month_labels()), dtype=object)
        frame["計"] = frame.sum(axis=1)
        return frame

    def totals_chart_data(self) -> ChartData:
        """Each group's total month by month (新規加入者数 beside 資格喪失者数)."""
        return self.month_labels(), tuple((g.label, g.rows[0].values) for g in self.groups), self.unit

    def parts_chart_data(self, group: MonthlyGroup) -> ChartData:
        """A group's parts month by month (its 被保険者数 beside its 被扶養者数)."""
        return self.month_labels(), tuple((r.label, r.values) for r in group.rows[1:]), self.unit


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    change: Quantity  # as printed: the previous year's figure is not in the data

    def text(self) -> str:
        rate = format_number(abs(self.change.value)) + self.change.unit
        word = "減少" if self.change.value < 0 else "増加"
        return f"●{self.label}：{self.value}（{rate}{word}）"


@dataclass(frozen=True)
class Medical:
    title: str
    note: str | None
    headlines: tuple[Headline, ...]
    comment: str | None


@dataclass(frozen=True)
class SatisfactionRow:
    label: str
    values: tuple[Quantity, ...]


@dataclass(frozen=True)
class Satisfaction:
    title: str
    years: tuple[int, ...]
    rows: tuple[SatisfactionRow, ...]


@dataclass(frozen=True)
class AnnualMeasure:
    number: str | None
    title: str
    page: str | None
    results: tuple[str, ...]


@dataclass(frozen=True)
class AnnualField:
    id: str
    number: str
    title: str
    chapter: str | None
    lead: str | None
    measures: tuple[AnnualMeasure, ...]


@dataclass(frozen=True)
class KpiMeasure:
    title: str
    kpis: tuple[Kpi, ...]


@dataclass(frozen=True)
class KpiGroup:
    title: str
    measures: tuple[KpiMeasure, ...]


@dataclass(frozen=True)
class AnnualKpis:
    title: str
    count_title: str
    grading: GradingPolicy
    note: str | None
    groups: tuple[KpiGroup, ...]

    def all(self) -> list[Kpi]:
        return [k for g in self.groups for m in g.measures for k in m.kpis]

    def grades(self) -> list[Grade]:
        return [grade(k, self.grading) for k in self.all()]

    def count_line(self) -> str:
        return count_line((grade(k, self.grading) for k in counted(self.all())), self.grading)


@dataclass(frozen=True)
class AnnualReport:
    title: str
    subtitle: str | None
    edition: str | None
    lead: str | None
    overview_title: str
    headline_note: str | None
    series: YearSeries
    monthly: Monthly
    medical: Medical | None
    satisfaction: Satisfaction | None
    fields: tuple[AnnualField, ...]
    kpi: AnnualKpis
