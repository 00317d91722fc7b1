"""A figure with its unit, as the handouts write it: 98.6％, 6,615円, 6,766事業所."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from reportgen.numbers import PERCENT, format_number, places_of

_QUANTITY = re.compile(
    r"^(?P<sign>[-▲−])?(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?(?P<unit>[^\d.,\s][^\d]*)?$"
)
# Decimal arithmetic keeps 28 significant digits; no figure in a handout needs more than 18.
MAX_DIGITS = 18
EXAMPLE = "a number with its unit, such as 98.6％, 6,615円 or 1,278人"


class QuantityError(ValueError):
    """The text is not a figure; the message is for the planning officer."""


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str = ""

    @property
    def places(self) -> int:
        return places_of(self.value)

    @property
    def is_percent(self) -> bool:
        return self.unit == PERCENT

    def format(self) -> str:
        return format_number(self.value) + self.unit

    def __str__(self) -> str:
        return self.format()


def parse_quantity(text: str) -> Quantity:
    """'98.6％' → Quantity(Decimal('98.6'), '％'); '▲1,234円' → Quantity(-1234, '円')."""
    raw = str(text).strip()
    normal = unicodedata.normalize("NFKC", raw).replace(" ", "")
    match = _QUANTITY.match(normal)
    if match is None:
        raise QuantityError(f"「{raw}」は数値ではありません。")
    digits = match["digits"].replace(",", "") + (match["fraction"] or "")
    if sum(ch.isdigit() for ch in digits.lstrip("0")) > MAX_DIGITS:
        raise QuantityError(f"「{raw}」は桁が多すぎます（{MAX_DIGITS}桁まで）。")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        raise QuantityError(f"「{raw}」は数値ではありません。") from None
    if match["sign"]:
        value = -value
    unit = (match["unit"] or "").replace("%", PERCENT)
    return Quantity(value, unit)
