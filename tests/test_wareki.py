"""和暦 dates, 年度 and 四半期: the rules of BRIEF.md ("Domain rules"), checked against vectors
and, for every day from 1873 to 2100, against Java's JapaneseDate and ICU."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from reportgen.errors import WarekiError
from reportgen.wareki import (
    STYLES,
    TILDE,
    DateStyle,
    FiscalYear,
    Quarter,
    era_year,
    fiscal_year,
    format_date,
    month_range,
    parse_date,
    parse_fiscal_year,
)
from tests.oracles import run as oracles

# --- dates: formatting ------------------------------------------------------------------

# (date, long, short, fullwidth, kanji)
DATE_VECTORS: list[tuple[date, str, str, str, str]] = [
    (date(2023, 3, 31), "令和5年3月31日", "R5.3.31", "令和５年３月３１日", "令和五年三月三十一日"),
    (date(2019, 5, 1), "令和元年5月1日", "R1.5.1", "令和元年５月１日", "令和元年五月一日"),
    # Each era's first day and the day before it.
    (date(1912, 7, 29), "明治45年7月29日", "M45.7.29", "明治４５年７月２９日", "明治四十五年七月二十九日"),
    (date(1912, 7, 30), "大正元年7月30日", "T1.7.30", "大正元年７月３０日", "大正元年七月三十日"),
    (date(1926, 12, 24), "大正15年12月24日", "T15.12.24", "大正１５年１２月２４日", "大正十五年十二月二十四日"),
    (date(1926, 12, 25), "昭和元年12月25日", "S1.12.25", "昭和元年１２月２５日", "昭和元年十二月二十五日"),
    (date(1989, 1, 7), "昭和64年1月7日", "S64.1.7", "昭和６４年１月７日", "昭和六十四年一月七日"),
    (date(1989, 1, 8), "平成元年1月8日", "H1.1.8", "平成元年１月８日", "平成元年一月八日"),
    (date(2019, 4, 30), "平成31年4月30日", "H31.4.30", "平成３１年４月３０日", "平成三十一年四月三十日"),
    # The first representable day: the Gregorian calendar began on 明治6年1月1日.
    (date(1873, 1, 1), "明治6年1月1日", "M6.1.1", "明治６年１月１日", "明治六年一月一日"),
    # Numerals with 〇-free tens and hundreds: 十, 二十, 百.
    (date(2028, 10, 20), "令和10年10月20日", "R10.10.20", "令和１０年１０月２０日", "令和十年十月二十日"),
    (date(2118, 1, 10), "令和100年1月10日", "R100.1.10", "令和１００年１月１０日", "令和百年一月十日"),
]

STYLE_CASES: list[tuple[date, DateStyle, str]] = [
    (d, style, text) for d, *texts in DATE_VECTORS for style, text in zip(STYLES, texts, strict=True)
]


def _case_id(d: date, style: str) -> str:
    return f"{d.isoformat()}-{style}"


@pytest.mark.parametrize(
    ("d", "style", "expected"),
    STYLE_CASES,
    ids=[_case_id(d, s) for d, s, _ in STYLE_CASES],
)
def test_format_date(d: date, style: DateStyle, expected: str) -> None:
    assert format_date(d, style) == expected


def test_styles_are_the_four_of_the_brief() -> None:
    assert STYLES == ("long", "short", "fullwidth", "kanji")


def test_format_date_default_style_is_long() -> None:
    assert format_date(date(2023, 3, 31)) == "令和5年3月31日"


def test_format_date_unknown_style() -> None:
    with pytest.raises(WarekiError):
        format_date(date(2023, 3, 31), "iso")  # type: ignore[arg-type]


@pytest.mark.parametrize("d", [date(1872, 12, 31), date(1868, 10, 23), date(1, 1, 1)])
def test_format_date_before_1873_is_refused(d: date) -> None:
    with pytest.raises(WarekiError, match=r"1873|明治6年"):
        format_date(d)


# --- dates: parsing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "style", "text"),
    STYLE_CASES,
    ids=[_case_id(d, s) for d, s, _ in STYLE_CASES],
)
def test_parse_date_reads_every_style(d: date, style: DateStyle, text: str) -> None:
    assert parse_date(text) == d


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和1年5月1日", date(2019, 5, 1)),
        ("令和１年５月１日", date(2019, 5, 1)),
        ("令和一年五月一日", date(2019, 5, 1)),
        ("R1.5.1", date(2019, 5, 1)),
        ("r5.3.31", date(2023, 3, 31)),
        ("H1.1.8", date(1989, 1, 8)),
        ("平成1年1月8日", date(1989, 1, 8)),
        ("令和 5 年 3 月 31 日", date(2023, 3, 31)),
        ("  令和5年3月31日  ", date(2023, 3, 31)),
        ("令和　５年　３月　３１日", date(2023, 3, 31)),  # ideographic spaces
        ("R 5.3.31", date(2023, 3, 31)),
        ("令和二年十二月十日", date(2020, 12, 10)),
        ("令和五年三月三十一日", date(2023, 3, 31)),
        ("昭和六十四年一月七日", date(1989, 1, 7)),
    ],
)
def test_parse_date_variants(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_old_era_after_its_end_is_refused_unless_lenient() -> None:
    with pytest.raises(WarekiError, match="令和"):
        parse_date("平成31年5月1日")
    assert parse_date("平成31年5月1日", lenient=True) == date(2019, 5, 1)


def test_old_era_last_day_is_accepted_without_lenient() -> None:
    assert parse_date("平成31年4月30日") == date(2019, 4, 30)


@pytest.mark.parametrize(
    "text",
    [
        "令和1年4月30日",  # before 令和 began
        "令和元年4月30日",
        "平成元年1月7日",
        "令和5年2月30日",  # no such day
        "令和5年13月1日",
        "令和0年5月1日",
        "令和5年3月",
        "2023-03-31",
        "",
        "天保5年1月1日",
    ],
)
def test_parse_date_refuses(text: str) -> None:
    with pytest.raises(WarekiError):
        parse_date(text)


@pytest.mark.parametrize("text", ["明治5年12月2日", "明治5年12月31日", "明治元年9月8日", "M5.12.31"])
def test_parse_date_before_1873_is_refused(text: str) -> None:
    with pytest.raises(WarekiError, match=r"1873|明治6年"):
        parse_date(text)


# --- dates: property --------------------------------------------------------------------


@given(
    d=st.dates(min_value=date(1873, 1, 1), max_value=date(2200, 12, 31)),
    style=st.sampled_from([s for s in STYLES if s != "short"]),
)
@example(d=date(2019, 5, 1), style="kanji")
@example(d=date(2118, 12, 31), style="kanji")
def test_parse_inverts_format(d: date, style: DateStyle) -> None:
    assert parse_date(format_date(d, style)) == d


@given(d=st.dates(min_value=date(1873, 1, 1), max_value=date(2200, 12, 31)))
@example(d=date(2019, 5, 1))
@example(d=date(2118, 1, 1))  # R100: a three-digit era year
def test_parse_inverts_format_short(d: date) -> None:
    assert parse_date(format_date(d, "short")) == d


# --- dates: oracles (Java java.time JapaneseDate, ICU through Node) ---------------------

ORACLE_START = date(1873, 1, 1)
ORACLE_END = date(2100, 12, 31)


def _ours(start: date, end: date) -> dict[str, tuple[str, int]]:
    table: dict[str, tuple[str, int]] = {}
    d = start
    while d <= end:
        era, year = era_year(d)
        table[d.isoformat()] = (era.name, year)
        d += timedelta(days=1)
    return table


@pytest.mark.slow
@pytest.mark.parametrize("oracle", ["java", "icu"])
def test_era_year_agrees_with_oracle(oracle: str) -> None:
    if not oracles.available(oracle):
        exe = {"java": "java", "icu": "node"}[oracle]
        reason = f"oracle {oracle!r} needs {exe!r}, which is not on PATH"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    theirs = oracles.oracle_table(oracle, ORACLE_START.isoformat(), ORACLE_END.isoformat())
    ours = _ours(ORACLE_START, ORACLE_END)
    assert len(ours) == (ORACLE_END - ORACLE_START).days + 1
    assert theirs.keys() == ours.keys(), f"{oracle} did not print every day of the range"
    mismatches = [(day, ours[day], theirs[day]) for day in ours if ours[day] != theirs[day]]
    assert not mismatches, (
        f"{len(mismatches)} days differ from {oracle} (day, ours, theirs), first ones: {mismatches[:10]}"
    )


# --- fiscal years -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "start_year"),
    [
        (date(2023, 3, 31), 2022),
        (date(2023, 4, 1), 2023),
        (date(2023, 12, 31), 2023),
        (date(2024, 1, 1), 2023),
        (date(2024, 3, 31), 2023),
        (date(2019, 4, 30), 2019),
        (date(2019, 5, 1), 2019),
        (date(1989, 1, 7), 1988),
        (date(1989, 1, 8), 1988),
    ],
)
def test_fiscal_year_of_date(d: date, start_year: int) -> None:
    assert fiscal_year(d) == FiscalYear(start_year)


def test_fiscal_year_bounds() -> None:
    fy = FiscalYear(2023)
    assert (fy.first_day, fy.last_day) == (date(2023, 4, 1), date(2024, 3, 31))
    assert (fy.previous(), fy.next()) == (FiscalYear(2022), FiscalYear(2024))


def test_fy2019_label_depends_on_document_date_and_setting() -> None:
    fy = FiscalYear(2019)
    assert fy.label() == "令和元年度"
    assert fy.label(keep_old_era=True) == "平成31年度"
    assert fy.label(as_of=date(2019, 4, 30)) == "平成31年度"
    assert fy.label(as_of=date(2019, 5, 1)) == "令和元年度"
    assert fy.label(as_of=date(2024, 1, 1), keep_old_era=True) == "平成31年度"


@pytest.mark.parametrize(
    ("start_year", "long", "short", "fullwidth", "kanji"),
    [
        (2023, "令和5年度", "R5", "令和５年度", "令和五年度"),
        (2019, "令和元年度", "R1", "令和元年度", "令和元年度"),
        (2020, "令和2年度", "R2", "令和２年度", "令和二年度"),
        (2018, "平成30年度", "H30", "平成３０年度", "平成三十年度"),
        (1989, "平成元年度", "H1", "平成元年度", "平成元年度"),  # never 昭和64年度
        (1988, "昭和63年度", "S63", "昭和６３年度", "昭和六十三年度"),
        (1873, "明治6年度", "M6", "明治６年度", "明治六年度"),
    ],
)
def test_fiscal_year_labels(start_year: int, long: str, short: str, fullwidth: str, kanji: str) -> None:
    fy = FiscalYear(start_year)
    assert fy.label() == long
    assert str(fy) == long
    assert fy.label(style="short") == short
    assert fy.short == short
    assert fy.label(style="fullwidth") == fullwidth
    assert fy.label(style="kanji") == kanji


def test_fy1989_is_never_showa_64() -> None:
    fy = FiscalYear(1989)
    for as_of in (None, date(1989, 4, 1)):
        assert fy.label(as_of=as_of) == "平成元年度"
        assert fy.label(as_of=as_of, keep_old_era=True) == "平成元年度"


@pytest.mark.parametrize(
    ("text", "start_year"),
    [
        ("R5", 2023),
        ("r5", 2023),
        ("Ｒ５", 2023),
        (" R5 ", 2023),
        ("令和5年度", 2023),
        ("令和５年度", 2023),
        ("令和五年度", 2023),
        ("2023", 2023),
        ("2023年度", 2023),
        ("２０２３年度", 2023),
        ("令和元年度", 2019),
        ("令和1年度", 2019),
        ("R1", 2019),
        ("H31", 2019),
        ("平成31年度", 2019),
        ("平成元年度", 1989),
        ("昭和63年度", 1988),
        ("R100", 2118),
    ],
)
def test_parse_fiscal_year(text: str, start_year: int) -> None:
    assert parse_fiscal_year(text) == FiscalYear(start_year)


@pytest.mark.parametrize(
    "text",
    [
        "平成32年度",  # 平成 ended in 2019
        "H32",
        "昭和64年度",  # FY1989 began after 平成 did: there was no 昭和64年度
        "S64",
        "R0",
        "令和0年度",
        "令和X年度",
        "",
        "   ",
        "1872",
        "明治5年度",
        "X5",
        "令和5年度度",
    ],
)
def test_parse_fiscal_year_refuses(text: str) -> None:
    with pytest.raises(WarekiError):
        parse_fiscal_year(text)


@pytest.mark.parametrize("start_year", [1873, 1988, 1989, 2018, 2019, 2020, 2023, 2118])
@pytest.mark.parametrize("style", STYLES)
def test_parse_fiscal_year_inverts_label(start_year: int, style: DateStyle) -> None:
    assert parse_fiscal_year(FiscalYear(start_year).label(style=style)) == FiscalYear(start_year)


# --- quarters and month ranges ----------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "label", "first", "last", "months_label"),
    [
        (1, "第1四半期", (2020, 4), (2020, 6), "４～６月"),
        (2, "第2四半期", (2020, 7), (2020, 9), "７～９月"),
        (3, "第3四半期", (2020, 10), (2020, 12), "１０～１２月"),
        (4, "第4四半期", (2021, 1), (2021, 3), "１～３月"),  # next calendar year
    ],
)
def test_quarter(
    number: int,
    label: str,
    first: tuple[int, int],
    last: tuple[int, int],
    months_label: str,
) -> None:
    q = Quarter(FiscalYear(2020), number)
    assert q == FiscalYear(2020).quarter(number)
    assert q.label == label
    assert q.first_month == first
    assert q.last_month == last
    assert q.months_label == months_label


@pytest.mark.parametrize("number", [0, 5, -1])
def test_quarter_out_of_range(number: int) -> None:
    with pytest.raises(WarekiError):
        Quarter(FiscalYear(2020), number)


@pytest.mark.parametrize(
    ("start_year", "number", "expected"),
    [
        (2020, 1, "令和2年4月～6月"),
        (2020, 3, "令和2年4月～12月"),
        (2020, 4, "令和2年4月～令和3年3月"),
        (2019, 1, "平成31年4月～令和元年6月"),
        (2019, 4, "平成31年4月～令和2年3月"),
    ],
)
def test_cumulative_range(start_year: int, number: int, expected: str) -> None:
    assert Quarter(FiscalYear(start_year), number).cumulative_range() == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((2020, 4), (2020, 12), "令和2年4月～12月"),
        ((2020, 4), (2021, 3), "令和2年4月～令和3年3月"),
        ((2019, 4), (2019, 6), "平成31年4月～令和元年6月"),  # the era repeats when it changes
        ((2019, 5), (2019, 12), "令和元年5月～12月"),
    ],
)
def test_month_range(start: tuple[int, int], end: tuple[int, int], expected: str) -> None:
    assert month_range(start, end) == expected


def test_month_range_fullwidth() -> None:
    assert month_range((2020, 4), (2021, 3), style="fullwidth") == "令和２年４月～令和３年３月"


def test_month_range_end_before_start() -> None:
    with pytest.raises(WarekiError):
        month_range((2021, 3), (2020, 4))


def test_the_one_tilde_is_fullwidth() -> None:
    assert TILDE == "\uff5e"
    text = month_range((2020, 4), (2021, 3)) + Quarter(FiscalYear(2020), 1).months_label
    assert "\uff5e" in text
    assert "~" not in text
    assert "\u301c" not in text  # WAVE DASH, the other look-alike
