"""KPI grades are computed from target, result and direction, never typed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reportgen.grading import Grade, achievement_rate, count_line, grade
from reportgen.model.kpi import Kpi
from reportgen.model.quantity import parse_quantity


def kpi(direction: str, target: str | None, actual: str, previous: str | None = None,
        basis: str | None = None, higher: bool = True) -> Kpi:
    q = parse_quantity
    if direction == "実施":
        return Kpi("k", "s", "i", "実施", actual, previous, qualitative_target=target)
    return Kpi("k", "s", "i", direction, q(actual), q(previous) if previous else None,  # type: ignore[arg-type]
               target_value=q(previous) if basis else q(target or ""), target_basis=basis,
               higher_is_better=higher)


@pytest.mark.parametrize(("k", "expected"), [
    (kpi("以上", "98.6％", "98.7％"), Grade.ACHIEVED),
    (kpi("以上", "98.6％", "98.6％"), Grade.ACHIEVED),  # equal meets 以上
    (kpi("以上", "94.0％", "89.4％"), Grade.NOT_ACHIEVED),
    (kpi("以下", "20.0％", "8.4％", higher=False), Grade.ACHIEVED),
    (kpi("以下", "20.0％", "20.1％", higher=False), Grade.NOT_ACHIEVED),
    (kpi("以下", None, "0.54％", "0.54％", basis="前年度", higher=False), Grade.ACHIEVED),  # 対前年度以下
    (kpi("以上", None, "84.12％", "89.00％", basis="前年度"), Grade.NOT_ACHIEVED),  # 対前年度以上
    (kpi("以上", None, "7,135円", "6,615円", basis="前年度"), Grade.ACHIEVED),
    (kpi("とする", "100％", "100％"), Grade.ACHIEVED),
    (kpi("とする", "100％", "99.9％"), Grade.NOT_ACHIEVED),
    (kpi("とする", "5日", "4日", higher=False), Grade.ACHIEVED),  # equal or better, lower is better
    (kpi("実施", "意見発信の実施", "実施"), Grade.ACHIEVED),
    (kpi("実施", "意見発信の実施", "未実施"), Grade.NOT_ACHIEVED),
])
def test_two_level_grades(k: Kpi, expected: Grade) -> None:
    assert grade(k, "2段階") == expected


@pytest.mark.parametrize(("k", "expected"), [
    (kpi("以上", "70.0％", "69.6％"), Grade.NEARLY),  # 達成度 99.4％
    (kpi("以上", "100％", "95.0％"), Grade.NEARLY),  # exactly 95％ is 概ね達成
    (kpi("以上", "100％", "94.9％"), Grade.NOT_ACHIEVED),
    (kpi("以上", "8.2％", "3.6％"), Grade.NOT_ACHIEVED),
    (kpi("以下", "20.0％", "21.0％", higher=False), Grade.NEARLY),  # 20/21 = 95.2％
    (kpi("以下", "20.0％", "21.1％", higher=False), Grade.NOT_ACHIEVED),  # 94.8％
    (kpi("以上", "70.0％", "70.0％"), Grade.ACHIEVED),
    (kpi("実施", "実施", "未実施"), Grade.NOT_ACHIEVED),  # qualitative: no degree of achievement
])
def test_three_level_grades(k: Kpi, expected: Grade) -> None:
    assert grade(k, "3段階") == expected


def test_achievement_rate_is_actual_over_target_or_the_inverse() -> None:
    assert achievement_rate(kpi("以上", "70.0％", "63.0％")) == Decimal("0.9")
    assert achievement_rate(kpi("以下", "20.0％", "25.0％", higher=False)) == Decimal("0.8")
    assert achievement_rate(kpi("以下", "1件", "0件", higher=False)) == Decimal("Infinity")
    assert achievement_rate(kpi("実施", "実施", "実施")) is None


def test_count_line_counts_every_grade_of_the_policy() -> None:
    grades = [Grade.ACHIEVED] * 6 + [Grade.NEARLY] * 5 + [Grade.NOT_ACHIEVED] * 10
    assert count_line(grades, "3段階") == "達成 6 概ね達成 5 未達成 10"  # seeds/004
    assert count_line([Grade.ACHIEVED], "3段階") == "達成 1 概ね達成 0 未達成 0"
    assert count_line([Grade.ACHIEVED, Grade.NOT_ACHIEVED], "2段階") == "達成 1 未達成 1"
