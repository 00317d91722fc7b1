"""What a data set says about itself: titles, council, confidentiality, era policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportgen.branches import Branch
from reportgen.wareki import FiscalYear


@dataclass(frozen=True)
class Council:
    number: int  # 第5回
    material: int | None  # 資料2
    date: date | None  # meeting date


@dataclass(frozen=True)
class Meta:
    branch: Branch
    fiscal_year: FiscalYear
    title: str | None = None
    confidentiality: str | None = None
    council: Council | None = None
    keep_heisei31: bool = False

    @property
    def as_of(self) -> date | None:
        """The date the documents speak from, for the 平成31年度 / 令和元年度 choice."""
        return self.council.date if self.council and self.council.date else None

    def year_label(self, fy: FiscalYear | None = None) -> str:
        """令和5年度, named per the data set's era policy."""
        return (fy or self.fiscal_year).label(keep_old_era=self.keep_heisei31, as_of=self.as_of)
