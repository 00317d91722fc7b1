"""事業計画実施状況: one quarter's progress on the year's plan, by 取組 id."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reportgen.model.meta import Council
from reportgen.model.quantity import Quantity
from reportgen.wareki import FiscalYear

# The status marks and their legend, in the order the handouts print them.
MARKS: dict[str, str] = {
    "◎": "計画を大幅に上回る",
    "○": "計画通り",
    "△": "実施中又は計画を下回る",
    "×": "未実施",
    "－": "未到来・対象外",
}
# Written where a sheet deliberately prints no mark (a 取組 not assessed this quarter); an
# entry without `mark` is still an error, so a forgotten mark is caught.
NO_MARK = "空欄"
# Look-alike characters people type for the same marks.
MARK_VARIANTS = {"〇": "○", "◯": "○", "✕": "×", "x": "×", "X": "×", "ー": "－", "-": "－", "―": "－", "—": "－",
                 "─": "－"}

Figure = Quantity | str
Month = tuple[int, int]  # (year, month)


def period_months(period: str | None, fy: FiscalYear, quarter: int) -> tuple[Month, Month]:
    """First and last month of a period row in ``fy``, up to ``quarter``: cumulative from
    April, quarter from the quarter's first month; both to the quarter's last month."""
    q = fy.quarter(quarter)
    return (fy.month(4) if period == "cumulative" else q.first_month), q.last_month


@dataclass(frozen=True)
class FigureRow:
    label: str | None = None  # text label
    period: str | None = None  # cumulative / quarter: the label is computed
    through: int | None = None  # the last month of the period when not the quarter's last
    previous_label: str | None = None  # with a text label: what the 前年同期 figures are
    values: tuple[Figure, ...] = ()
    previous: tuple[Figure, ...] = ()  # 前年同期, in parentheses
    quarters: tuple[Figure, ...] = ()  # quarterly tables only; a quarter may be text (集計中)
    previous_total: Quantity | None = None  # quarterly: 前年同期 of the same quarters
    typed_total: Figure | None = None  # the 合計 as typed: printed only where none is computed

    @property
    def computed_total(self) -> Quantity | None:
        """合計 of the quarters; None when a quarter is text (－, 集計中)."""
        figures = [q for q in self.quarters if isinstance(q, Quantity)]
        if len(figures) < len(self.quarters):
            return None
        unit = figures[0].unit if figures else ""
        return Quantity(sum((q.value for q in figures), Decimal(0)), unit)

    @property
    def total(self) -> Figure | None:
        """合計 as printed: computed where it can be, else as typed, else none (－)."""
        computed = self.computed_total
        return computed if computed is not None else self.typed_total


@dataclass(frozen=True)
class FigureTable:
    columns: tuple[str, ...]
    rows: tuple[FigureRow, ...]
    title: str | None = None
    quarterly: bool = False
    comparison: bool = False  # 本年実績 / 前年実績 / 対比

    @property
    def has_previous(self) -> bool:
        return any(r.previous_total is not None for r in self.rows)


@dataclass(frozen=True)
class ProgressEntry:
    item: str
    mark: str
    text: tuple[str, ...]
    tables: tuple[FigureTable, ...] = ()
    kpi_marks: tuple[str, ...] = ()  # the marks printed for the 取組's KPI lines, in order
    kpi: tuple[str, ...] = ()  # progress on the KPI, printed under the plan's ■ lines


@dataclass(frozen=True)
class Progress:
    quarter: int
    entries: tuple[ProgressEntry, ...]
    council: Council | None = None  # the council the sheet goes to, when not meta.yaml's

    def by_item(self) -> dict[str, ProgressEntry]:
        return {e.item: e for e in self.entries}
