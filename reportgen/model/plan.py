"""事業計画: one year's plan as that year wrote it, and its 保険者機能強化予算."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class PlanParagraph:
    text: str
    id: str | None = None  # set where another file (progress) refers to this 取組


@dataclass(frozen=True)
class Measure:
    """施策: matched across years by ``id``, never by number or title."""

    id: str
    number: str
    title: str
    tags: tuple[str, ...] = ()
    paragraphs: tuple[PlanParagraph, ...] = ()
    absorbs: tuple[str, ...] = ()  # last year's measures folded into this one

    @property
    def heading(self) -> str:
        """(5) 効果的なレセプト内容点検の推進【困難度：高】"""
        return f"{self.number} {self.title}".strip() + "".join(f"【{t}】" for t in self.tags)


@dataclass(frozen=True)
class PlanField:
    """分野: 1. 基盤的保険者機能関係."""

    id: str
    number: str
    title: str
    lead: tuple[str, ...] = ()
    measures: tuple[Measure, ...] = ()
    printed: str | None = None  # the heading as the plan prints it, where not number and title

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def printed_heading(self) -> str:
        return self.heading if self.printed is None else self.printed


@dataclass(frozen=True)
class PlanNote:
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    title: str | None
    basic_policy: tuple[str, ...]
    priorities: tuple[str, ...]
    fields: tuple[PlanField, ...]
    notes: tuple[PlanNote, ...] = ()

    def measures(self) -> dict[str, tuple[PlanField, Measure]]:
        return {m.id: (f, m) for f in self.fields for m in f.measures}


@dataclass(frozen=True)
class BudgetItem:
    title: str
    amount_thousand_yen: Decimal  # converted from the entered unit, rounded half up
    measure: str | None = None


@dataclass(frozen=True)
class BudgetSection:
    field: str
    items: tuple[BudgetItem, ...]

    @property
    def subtotal(self) -> Decimal:
        return sum((i.amount_thousand_yen for i in self.items), Decimal(0))


@dataclass(frozen=True)
class Budget:
    unit: str  # as entered: 円 or 千円
    sections: tuple[BudgetSection, ...]

    @property
    def total(self) -> Decimal:
        return sum((s.subtotal for s in self.sections), Decimal(0))

    def section(self, field: str) -> BudgetSection | None:
        return next((s for s in self.sections if s.field == field), None)
