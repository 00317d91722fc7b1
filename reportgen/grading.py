"""KPI grades, computed from target and result; never typed.

達成度 = actual ÷ target where higher is better, target ÷ actual where lower is better.
A KPI is 達成 when it meets its target in its direction; under the 3段階 policy a KPI that
misses it with 達成度 ≥ 95％ is 概ね達成 (as the annual summary grades them), except a
target set 「対前年度以上／以下」 (last year's actual), which is 達成 or 未達成 only
(seeds/004: 54.11％ → 53.40％ is 未達成 at 98.7％). A （参考） KPI is printed with its grade
but left out of the count line (seeds/004: 22 rows, 21 counted).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from reportgen.model.kpi import DONE, GradingPolicy, Kpi
from reportgen.model.quantity import Quantity

NEARLY_THRESHOLD = Decimal("0.95")


class Grade(StrEnum):
    ACHIEVED = "達成"
    NEARLY = "概ね達成"
    NOT_ACHIEVED = "未達成"


GRADES_BY_POLICY: dict[GradingPolicy, tuple[Grade, ...]] = {
    "2段階": (Grade.ACHIEVED, Grade.NOT_ACHIEVED),
    "3段階": (Grade.ACHIEVED, Grade.NEARLY, Grade.NOT_ACHIEVED),
}


def achievement_rate(kpi: Kpi) -> Decimal | None:
    """達成度 as a fraction (1 = exactly on target); None for a qualitative KPI."""
    if kpi.is_qualitative or kpi.target_value is None:
        return None
    assert isinstance(kpi.actual, Quantity)
    target, actual = kpi.target_value.value, kpi.actual.value
    numerator, denominator = (actual, target) if kpi.higher_is_better else (target, actual)
    if denominator == 0:
        return Decimal("Infinity") if numerator >= 0 else Decimal(0)
    return numerator / denominator


def meets_target(kpi: Kpi) -> bool:
    if kpi.is_qualitative:
        return kpi.actual == DONE
    assert isinstance(kpi.actual, Quantity) and kpi.target_value is not None
    if kpi.higher_is_better:
        return kpi.actual.value >= kpi.target_value.value
    return kpi.actual.value <= kpi.target_value.value


def grade(kpi: Kpi, policy: GradingPolicy = "2段階") -> Grade:
    if meets_target(kpi):
        return Grade.ACHIEVED
    rate = achievement_rate(kpi)
    if kpi.target_basis is not None:  # 対前年度以上／以下: met or not, never 概ね達成
        return Grade.NOT_ACHIEVED
    if policy == "3段階" and rate is not None and rate >= NEARLY_THRESHOLD:
        return Grade.NEARLY
    return Grade.NOT_ACHIEVED


def count_line(grades: Iterable[Grade], policy: GradingPolicy = "2段階") -> str:
    """達成 6 概ね達成 5 未達成 10: every grade of the policy, zero counts included."""
    counts = Counter(grades)
    return " ".join(f"{g} {counts[g]}" for g in GRADES_BY_POLICY[policy])


def counted(kpis: Iterable[Kpi]) -> list[Kpi]:
    """The KPIs the count line counts: every one but the （参考） rows."""
    return [k for k in kpis if not k.reference]
