"""How figures are printed (BRIEF.md, "Numbers") and how figures with units are read."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from reportgen.model.quantity import Quantity, QuantityError, parse_quantity
from reportgen.numbers import (
    format_number,
    format_percent,
    format_thousand_yen,
    format_year,
    round_half_up,
    yen_to_thousand,
)

Number = Decimal | int | str

# --- format_number / format_percent -----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (1234, None, "1,234"),
        (-1234, None, "▲1,234"),
        ("-1234", None, "▲1,234"),
        (Decimal("-1234567.5"), None, "▲1,234,567.5"),
        (999, None, "999"),
        (1000, None, "1,000"),
        (0, None, "0"),
        ("-0", None, "0"),
        # A value that rounds to zero prints 0, never ▲0.
        ("-0.04", 1, "0.0"),
        ("-0.4", 0, "0"),
        ("-0.049", 1, "0.0"),
        ("-0.05", 1, "▲0.1"),  # half up, away from zero
        ("1234.5", 0, "1,235"),
        ("-1234.5", 0, "▲1,235"),
        # The precision the data gives is kept.
        ("89.00", None, "89.00"),
        ("98.6", None, "98.6"),
        ("0.334", None, "0.334"),
        ("1.5", 2, "1.50"),
    ],
)
def test_format_number(value: Number, places: int | None, expected: str) -> None:
    assert format_number(value, places) == expected


def test_format_number_without_grouping() -> None:
    assert format_number(-1234567, grouping=False) == "▲1234567"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("-0.4", None, "▲0.4％"),
        ("98.6", None, "98.6％"),
        ("89.00", None, "89.00％"),
        ("89.0", None, "89.0％"),
        ("-0.04", 1, "0.0％"),
        ("33.35", 1, "33.4％"),
        (100, None, "100％"),
    ],
)
def test_format_percent(value: Number, places: int | None, expected: str) -> None:
    assert format_percent(value, places) == expected


# --- rounding: half up, not banker's ----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("2.5", 0, Decimal("3")),  # round() would give 2
        ("3.5", 0, Decimal("4")),
        ("0.5", 0, Decimal("1")),  # round() would give 0
        ("-2.5", 0, Decimal("-3")),
        ("0.125", 2, Decimal("0.13")),  # round() would give 0.12
        ("0.135", 2, Decimal("0.14")),
        ("2.4999", 0, Decimal("2")),
        ("-0.4", 0, Decimal("0")),
    ],
)
def test_round_half_up(value: str, places: int, expected: Decimal) -> None:
    result = round_half_up(value, places)
    assert result == expected
    assert str(result) == str(expected)  # same places, and no "-0"


@pytest.mark.parametrize(
    ("yen", "thousand"),
    [
        (1500, Decimal(2)),  # round(1.5) == 2 as well
        (2500, Decimal(3)),  # round(2.5) == 2: banker's rounding would be wrong
        (1234500, Decimal(1235)),
        (1234499, Decimal(1234)),
        (499, Decimal(0)),
        (-2500, Decimal(-3)),
        ("6615000", Decimal(6615)),
    ],
)
def test_yen_to_thousand(yen: Number, thousand: Decimal) -> None:
    assert yen_to_thousand(yen) == thousand


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        (1234500, "円", "1,235"),
        (2500, "円", "3"),
        (-1234500, "円", "▲1,235"),
        (-400, "円", "0"),
        (1235, "千円", "1,235"),
        ("1234.5", "千円", "1,235"),
        ("-0.4", "千円", "0"),
    ],
)
def test_format_thousand_yen(amount: Number, unit: str, expected: str) -> None:
    assert format_thousand_yen(amount, unit) == expected


def test_format_thousand_yen_default_unit_is_thousand_yen() -> None:
    assert format_thousand_yen(1235) == "1,235"


@pytest.mark.parametrize("unit", ["万円", "yen", "", "千"])
def test_format_thousand_yen_bad_unit(unit: str) -> None:
    with pytest.raises(ValueError, match="unit"):
        format_thousand_yen(1000, unit)


@pytest.mark.parametrize(("year", "expected"), [(2023, "2023"), (1989, "1989"), (12345, "12345")])
def test_years_are_never_grouped(year: int, expected: str) -> None:
    assert format_year(year) == expected


# --- parse_quantity ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "places"),
    [
        ("98.6％", Decimal("98.6"), "％", 1),
        ("0.334%", Decimal("0.334"), "％", 3),  # ASCII % is read as ％
        ("89.00％", Decimal("89.00"), "％", 2),
        ("6,615円", Decimal("6615"), "円", 0),
        ("▲1,234円", Decimal("-1234"), "円", 0),
        ("-1,234円", Decimal("-1234"), "円", 0),
        ("６，７６６事業所", Decimal("6766"), "事業所", 0),
        ("1,278人", Decimal("1278"), "人", 0),
        ("1234567件", Decimal("1234567"), "件", 0),
        (" 12.5 ％ ", Decimal("12.5"), "％", 1),
        ("42", Decimal("42"), "", 0),
    ],
)
def test_parse_quantity(text: str, value: Decimal, unit: str, places: int) -> None:
    q = parse_quantity(text)
    assert q == Quantity(value, unit)
    assert str(q.value) == str(value)  # the written precision survives
    assert q.places == places


@pytest.mark.parametrize(
    ("text", "formatted"),
    [
        ("98.6％", "98.6％"),
        ("0.334%", "0.334％"),
        ("89.00％", "89.00％"),
        ("6,615円", "6,615円"),
        ("▲1,234円", "▲1,234円"),
        ("６，７６６事業所", "6,766事業所"),
    ],
)
def test_quantity_format(text: str, formatted: str) -> None:
    assert parse_quantity(text).format() == formatted


def test_quantity_is_percent() -> None:
    assert parse_quantity("0.334%").is_percent
    assert not parse_quantity("6,615円").is_percent


@pytest.mark.parametrize("text", ["九十八点六", "", "abc", "1,23", "1,2345円", "98.6.1％", "円"])
def test_parse_quantity_refuses(text: str) -> None:
    with pytest.raises(QuantityError, match=re.escape(f"「{text}」")):
        parse_quantity(text)
