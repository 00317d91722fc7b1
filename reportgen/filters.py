"""The Japanese conventions as Jinja filters, for templates (one place that lists them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from reportgen import numbers, wareki


def _wareki(d: date | str, style: wareki.DateStyle = "long") -> str:
    return wareki.format_date(date.fromisoformat(d) if isinstance(d, str) else d, style)


def _fiscal_year(value: Any, style: wareki.DateStyle = "long") -> str:
    fy = value if isinstance(value, wareki.FiscalYear) else wareki.parse_fiscal_year(str(value))
    return fy.label(style=style)


FILTERS: dict[str, Callable[..., str]] = {
    "wareki": _wareki,  # {{ meeting | wareki }} → 令和6年7月12日; wareki('short') → R6.7.12
    "fiscal_year": _fiscal_year,  # {{ 2023 | fiscal_year }} → 令和5年度
    "number": numbers.format_number,  # ▲1,234
    "percent": numbers.format_percent,  # 98.6％
    "thousand_yen": numbers.format_thousand_yen,  # 円 → 千円, half up
    "year": numbers.format_year,  # 2023, never grouped
    "fullwidth": lambda v: wareki.fullwidth_digits(str(v)),
    "kanji_number": lambda v: wareki.kanji_number(int(Decimal(str(v)))),
}
