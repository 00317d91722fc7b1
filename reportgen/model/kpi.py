"""KPI 実績: 施策 sections with their KPIs, as one branch reports one year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reportgen.model.quantity import Quantity

Direction = Literal["以上", "以下", "とする", "実施"]
DIRECTIONS: tuple[Direction, ...] = ("以上", "以下", "とする", "実施")
PREVIOUS_YEAR_BASES = ("前年度", "前年度末")
DONE = "実施"
NOT_DONE = "未実施"
GradingPolicy = Literal["2段階", "3段階"]


@dataclass(frozen=True)
class Kpi:
    id: str
    statement: str  # may contain {target}
    indicator: str
    direction: Direction
    actual: Quantity | str  # str only for qualitative KPIs (実施 / 未実施)
    previous: Quantity | str | None
    target_value: Quantity | None = None  # None for qualitative KPIs
    target_basis: str | None = None  # 前年度 / 前年度末: the target is last year's actual
    qualitative_target: str | None = None  # 意見発信の実施
    higher_is_better: bool = True
    note: str | None = None
    reference: bool = False  # （参考）: printed with its grade, not counted

    @property
    def is_qualitative(self) -> bool:
        return self.direction == "実施"


@dataclass(frozen=True)
class TableBlock:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str | None = None


@dataclass(frozen=True)
class ChartData:
    """A chart printed in a section: its figures, one value (or None) per category and series."""

    id: str
    kind: Literal["line", "bar", "clustered-bar"]
    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[Quantity | None, ...]], ...]  # (name, values)
    x_title: str = ""
    y_title: str = ""
    y_min: Quantity | None = None
    y_max: Quantity | None = None


@dataclass(frozen=True)
class KpiSection:
    id: str
    field: str  # 分野
    number: str  # （1）
    title: str
    summary_title: str
    group: str
    kpis: tuple[Kpi, ...]
    plan: tuple[str, ...]
    results: tuple[str, ...]
    tables: tuple[TableBlock, ...] = ()
    charts: tuple[ChartData, ...] = ()


@dataclass(frozen=True)
class KpiResults:
    grading: GradingPolicy
    sections: tuple[KpiSection, ...]
