"""KPI grades are computed from target, result and direction, never typed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reportgen.grading import Grade, achievement_rate, count_line, counted, grade
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


# seeds/004 (令和2年度事業報告書 概要版), KPI 一覧: (target, actual, direction, 対前年度?, （参考）?, printed grade)
SEED_004 = [
    # 基盤的保険者機能関係
    ("100％", "99.5％", "とする", False, False, Grade.NEARLY),
    ("92％", "94.8％", "以上", False, False, Grade.ACHIEVED),
    ("0.362％", "0.318％", "以上", True, False, Grade.NOT_ACHIEVED),
    ("1.12％", "1.12％", "以下", True, False, Grade.ACHIEVED),
    ("95％", "92.41％", "以上", False, False, Grade.NEARLY),
    ("54.11％", "53.40％", "以上", True, False, Grade.NOT_ACHIEVED),  # 98.7％, but 対前年度
    ("0.082％", "0.087％", "以下", True, False, Grade.NOT_ACHIEVED),
    ("85％", "79.6％", "以上", False, False, Grade.NOT_ACHIEVED),
    ("92％", "91.3％", "以上", False, False, Grade.NEARLY),
    ("50％", "53.7％", "以上", False, False, Grade.ACHIEVED),
    # 戦略的保険者機能関係
    ("55.9％", "51.0％", "以上", False, False, Grade.NOT_ACHIEVED),
    ("8.0％", "8.0％", "以上", False, False, Grade.ACHIEVED),
    ("29.5％", "21.3％", "以上", False, False, Grade.NOT_ACHIEVED),
    ("56.3％", "51.1％", "以上", False, True, Grade.NOT_ACHIEVED),  # （参考）
    ("20.6％", "15.4％", "以上", False, False, Grade.NOT_ACHIEVED),
    ("12.9％", "10.1％", "以上", False, False, Grade.NOT_ACHIEVED),
    ("45.6％", "41.0％", "以上", True, False, Grade.NOT_ACHIEVED),
    ("43％", "45.3％", "以上", False, False, Grade.ACHIEVED),
    ("80％", "79.2％", "以上", False, False, Grade.NEARLY),
    ("90％", "87.6％", "以上", False, False, Grade.NEARLY),
    ("47支部", "30支部", "以上", False, False, Grade.NOT_ACHIEVED),  # 全支部で実施
    # 組織・運営体制関係
    ("20％", "15.5％", "以下", False, False, Grade.ACHIEVED),
]


def seed_004_kpi(target: str, actual: str, direction: str, yoy: bool, reference: bool) -> Kpi:
    q = parse_quantity
    return Kpi("k", "s", "i", direction, q(actual), q(target) if yoy else None,  # type: ignore[arg-type]
               target_value=q(target), target_basis="前年度" if yoy else None,
               higher_is_better=direction != "以下", reference=reference)


@pytest.mark.parametrize("row", SEED_004, ids=[f"{r[0]}→{r[1]}" for r in SEED_004])
def test_seed_004_grades(row: tuple) -> None:
    *args, expected = row
    assert grade(seed_004_kpi(*args), "3段階") == expected


def test_previous_year_target_is_met_or_not_even_under_three_levels() -> None:
    k = seed_004_kpi("54.11％", "53.40％", "以上", True, False)
    assert achievement_rate(k).quantize(Decimal("0.001")) == Decimal("0.987")  # type: ignore[union-attr]
    assert grade(k, "3段階") == Grade.NOT_ACHIEVED
    assert grade(seed_004_kpi("54.11％", "53.40％", "以上", False, False), "3段階") == Grade.NEARLY


def test_a_target_in_branches_counts_branches() -> None:
    k = seed_004_kpi("47支部", "30支部", "以上", False, False)
    assert achievement_rate(k) == Decimal(30) / Decimal(47)
    assert grade(k, "3段階") == Grade.NOT_ACHIEVED
    assert grade(seed_004_kpi("47支部", "47支部", "以上", False, False), "3段階") == Grade.ACHIEVED


def test_seed_004_count_line_leaves_the_reference_row_out() -> None:
    kpis = [seed_004_kpi(*row[:-1]) for row in SEED_004]
    assert len(kpis) == 22 and len(counted(kpis)) == 21
    assert count_line((grade(k, "3段階") for k in counted(kpis)), "3段階") == "達成 6 概ね達成 5 未達成 10"
