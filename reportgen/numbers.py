"""How figures are printed in the handouts.

- Negatives are written with ▲ (▲1,234; ▲0.4％); a value that rounds to zero prints 0.
- Rounding is half up with ``decimal`` (Python's ``round`` rounds half to even).
- Amounts in 千円 are rounded half up from 円.
- Percentages keep the precision the data gives (98.6％, 89.00％).
- Years are never grouped with commas.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TRIANGLE = "▲"
PERCENT = "％"  # full-width, as the handouts print it


def to_decimal(value: Decimal | int | str) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def places_of(value: Decimal) -> int:
    """Decimal places as written: Decimal('89.00') → 2."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def round_half_up(value: Decimal | int | str, places: int = 0) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    rounded = to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    # -0.0 must not survive: it would print ▲0.
    return rounded.copy_abs() if rounded.is_zero() else rounded


def format_number(
    value: Decimal | int | str, places: int | None = None, *, grouping: bool = True
) -> str:
    """1234 → 1,234; -1234 → ▲1,234; -0.04 with 1 place → 0.0."""
    number = to_decimal(value)
    number = round_half_up(number, places_of(number) if places is None else places)
    text = f"{number.copy_abs():,f}" if grouping else f"{number.copy_abs():f}"
    return (TRIANGLE if number < 0 else "") + text


def format_percent(value: Decimal | int | str, places: int | None = None) -> str:
    """98.6 → 98.6％ (the value is already in percent); -0.4 → ▲0.4％."""
    return format_number(value, places) + PERCENT


def format_change(value: Decimal | int | str, places: int | None = None) -> str:
    """A change from the previous period: +1,234 is printed without sign, a fall with ▲."""
    return format_number(value, places)


def yen_to_thousand(yen: Decimal | int | str) -> Decimal:
    """円 → 千円, rounded half up: 1,234,500円 → 1,235千円."""
    return round_half_up(to_decimal(yen) / 1000, 0)


def format_thousand_yen(amount: Decimal | int | str, unit: str = "千円") -> str:
    """An amount given in 円 or 千円, printed in 千円 without the unit: 1,234,500円 → 1,235."""
    if unit == "円":
        return format_number(yen_to_thousand(amount), 0)
    if unit == "千円":
        return format_number(round_half_up(amount, 0), 0)
    raise ValueError(f"unit must be 円 or 千円, got {unit!r}")


def format_year(year: int) -> str:
    """2023 → 2023: years are never grouped."""
    return str(year)
