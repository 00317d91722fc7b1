"""Japanese era (和暦) dates, fiscal years (年度) and quarters (四半期).

The era data is one table (``ERAS``): a future era is one more row. Dates before
明治6年1月1日 (1873-01-01) are refused, because Japan used a lunisolar calendar before
that day and a Gregorian date has no correct 和暦 form there.

Year one of an era is 元年 in text (令和元年5月1日) and 1 in abbreviations (R1.5.1).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from reportgen.errors import WarekiError

DateStyle = Literal["long", "short", "fullwidth", "kanji"]
STYLES: tuple[DateStyle, ...] = ("long", "short", "fullwidth", "kanji")
GREGORIAN_START = date(1873, 1, 1)
TILDE = "～"  # U+FF5E, the one tilde of Japanese ranges


@dataclass(frozen=True)
class Era:
    name: str  # 令和
    abbr: str  # R
    start: date  # first day of the era, Gregorian


ERAS: tuple[Era, ...] = (
    # 明治 began in 1868, but only its Gregorian part (from 1873) is representable here.
    Era("明治", "M", date(1868, 1, 25)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("令和", "R", date(2019, 5, 1)),
)
_BY_NAME = {e.name: e for e in ERAS} | {e.abbr: e for e in ERAS}


@dataclass(frozen=True)
class EraDate:
    era: Era
    year: int  # year of the era, 1 for 元年
    month: int
    day: int


def _check_representable(d: date) -> None:
    if d < GREGORIAN_START:
        raise WarekiError(
            f"{d.isoformat()} は和暦に変換できません。明治6年（1873年）1月1日より前は太陰太陽暦です。",
            "dates before 1873-01-01 have no Gregorian era form",
        )


def era_of(d: date) -> Era:
    """The era in force on ``d``."""
    _check_representable(d)
    for era in reversed(ERAS):
        if d >= era.start:
            return era
    raise AssertionError("unreachable: 1873 is inside 明治")


def era_year(d: date) -> tuple[Era, int]:
    era = era_of(d)
    return era, d.year - era.start.year + 1


def to_era_date(d: date) -> EraDate:
    era, year = era_year(d)
    return EraDate(era, year, d.month, d.day)


# --- numerals -------------------------------------------------------------------------

_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_KANJI_DIGITS = "〇一二三四五六七八九"


def fullwidth_digits(text: str) -> str:
    return text.translate(_FULLWIDTH)


def kanji_number(n: int) -> str:
    """1..9999 in positional kanji: 31 → 三十一, 10 → 十, 100 → 百."""
    if not 0 < n < 10000:
        raise ValueError(f"kanji_number supports 1..9999, got {n}")
    out = []
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, value)
        if q:
            out.append(("" if q == 1 else _KANJI_DIGITS[q]) + unit)
    if n:
        out.append(_KANJI_DIGITS[n])
    return "".join(out)


def _parse_kanji_number(text: str) -> int:
    if text == "元":
        return 1
    total, current = 0, 0
    for ch in text:
        if ch in _KANJI_DIGITS:
            current = current * 10 + _KANJI_DIGITS.index(ch)
        elif ch in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (current or 1) * unit
            current = 0
        else:
            raise ValueError(text)
    return total + current


def _year_text(year: int, style: DateStyle) -> str:
    if year == 1 and style != "short":
        return "元"
    if style == "kanji":
        return kanji_number(year)
    if style == "fullwidth":
        return fullwidth_digits(str(year))
    return str(year)


def _num(n: int, style: DateStyle) -> str:
    if style == "kanji":
        return kanji_number(n)
    if style == "fullwidth":
        return fullwidth_digits(str(n))
    return str(n)


# --- dates ----------------------------------------------------------------------------


def format_date(d: date, style: DateStyle = "long") -> str:
    """令和5年3月31日 (long), R5.3.31 (short), 令和５年３月３１日 (fullwidth), 令和五年三月三十一日 (kanji)."""
    if style not in STYLES:
        raise WarekiError(f"日付の書式 {style!r} はありません。", f"styles: {', '.join(STYLES)}")
    e = to_era_date(d)
    if style == "short":
        return f"{e.era.abbr}{e.year}.{d.month}.{d.day}"
    return f"{e.era.name}{_year_text(e.year, style)}年{_num(d.month, style)}月{_num(d.day, style)}日"


def format_month(year: int, month: int, *, end: bool = False, style: DateStyle = "long") -> str:
    """令和2年4月. The era is that of the month's first day, or its last day with ``end``."""
    d = date(year, month, 1)
    if end:
        d = _month_end(year, month)
    e = to_era_date(d)
    return f"{e.era.name}{_year_text(e.year, style)}年{_num(month, style)}月"


_NUM = r"[0-9０-９]+|[〇一二三四五六七八九十百千]+|元"
_LONG = re.compile(rf"^\s*(?P<era>{'|'.join(e.name for e in ERAS)})\s*(?P<y>{_NUM})\s*年"
                   rf"\s*(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*日\s*$")
_SHORT = re.compile(r"^\s*(?P<era>[MTSHRmtshr])\s*(?P<y>\d{1,3})[.．/／](?P<m>\d{1,2})[.．/／]"
                    r"(?P<d>\d{1,2})\s*$")


def _to_int(text: str) -> int:
    normal = unicodedata.normalize("NFKC", text)
    if normal.isdigit():
        return int(normal)
    return _parse_kanji_number(text)


def from_era(era: Era | str, year: int, month: int, day: int, *, lenient: bool = False) -> date:
    """The Gregorian date of an era date. 平成31年5月1日 is refused unless ``lenient``."""
    e = era if isinstance(era, Era) else _BY_NAME.get(era)
    if e is None:
        raise WarekiError(f"元号「{era}」はありません。", f"eras: {', '.join(x.name for x in ERAS)}")
    label = f"{e.name}{'元' if year == 1 else year}年{month}月{day}日"
    if year < 1:
        raise WarekiError(f"「{label}」の年が正しくありません。", "era years start at 1 (元年)")
    try:
        d = date(e.start.year + year - 1, month, day)
    except ValueError as exc:
        raise WarekiError(f"「{label}」は存在しない日付です。", str(exc)) from None
    _check_representable(d)
    if d < e.start:
        raise WarekiError(
            f"「{label}」は{e.name}の始まり（{format_date(e.start)}）より前の日付です。",
            f"{e.name} starts on {e.start.isoformat()}",
        )
    following = ERAS.index(e) + 1
    if following < len(ERAS) and d >= ERAS[following].start and not lenient:
        nxt = ERAS[following]
        raise WarekiError(
            f"「{label}」は{nxt.name}に改元された後の日付です（{format_date(d)}）。",
            f"{e.name} ended on {(nxt.start - timedelta(days=1)).isoformat()}; "
            "pass lenient=True to accept it",
        )
    return d


def parse_date(text: str, lenient: bool = False) -> date:
    """Read any style ``format_date`` writes, plus 令和1年, kanji and full-width numerals."""
    m = _LONG.match(text) or _SHORT.match(text)
    if m is None:
        raise WarekiError(
            f"「{text}」は和暦の日付として読めません。",
            "expected e.g. 令和5年3月31日, R5.3.31, 令和５年３月３１日, 令和五年三月三十一日",
        )
    try:
        y, mo, d = (_to_int(m[g]) for g in ("y", "m", "d"))
    except ValueError:
        raise WarekiError(f"「{text}」の数字が読めません。", "digits or kanji numerals") from None
    return from_era(m["era"].upper(), y, mo, d, lenient=lenient)


# --- fiscal years ---------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


@dataclass(frozen=True, order=True)
class FiscalYear:
    """年度: April of ``start_year`` to March of the next year."""

    start_year: int

    @property
    def first_day(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 3, 31)

    def era_year(self, *, keep_old_era: bool = False, as_of: date | None = None) -> tuple[Era, int]:
        """The era and era year the 年度 is named by.

        A 年度 is named by the era in force on its first day, except when a new era begins
        later in the same calendar year (FY2019: 令和 from 1 May): then it is named by the new
        era (令和元年度), unless ``keep_old_era`` or the document is dated (``as_of``) before
        the new era began (平成31年度).
        """
        era, year = era_year(self.first_day)
        later = [e for e in ERAS if self.first_day < e.start <= date(self.start_year, 12, 31)]
        if later and not keep_old_era and (as_of is None or as_of >= later[-1].start):
            return later[-1], 1
        return era, year

    def label(
        self, *, keep_old_era: bool = False, as_of: date | None = None, style: DateStyle = "long"
    ) -> str:
        """令和5年度 (long), R5 (short), 令和５年度 (fullwidth), 令和五年度 (kanji)."""
        era, year = self.era_year(keep_old_era=keep_old_era, as_of=as_of)
        if style == "short":
            return f"{era.abbr}{year}"
        return f"{era.name}{_year_text(year, style)}年度"

    @property
    def short(self) -> str:
        return self.label(style="short")

    def previous(self) -> FiscalYear:
        return FiscalYear(self.start_year - 1)

    def next(self) -> FiscalYear:
        return FiscalYear(self.start_year + 1)

    def month(self, month: int) -> tuple[int, int]:
        """(year, month) of a month of this fiscal year: 4–12 in its first year, 1–3 in the next."""
        return (self.start_year + (1 if month < 4 else 0), month)

    def quarter(self, q: int) -> Quarter:
        return Quarter(self, q)

    def __str__(self) -> str:
        return self.label()


def fiscal_year(d: date) -> FiscalYear:
    """The 年度 containing ``d``."""
    return FiscalYear(d.year if d.month >= 4 else d.year - 1)


_FY_ERA = re.compile(rf"^(?P<era>{'|'.join(e.name for e in ERAS)})(?P<y>{_NUM})年度?$")
_FY_ABBR = re.compile(r"^(?P<era>[MTSHR])(?P<y>\d{1,3})$")
_FY_WESTERN = re.compile(r"^(?P<y>\d{4})(年度)?$")


def parse_fiscal_year(text: str) -> FiscalYear:
    """R5, 令和5年度, 令和５年度, 令和五年度, 2023 and 2023年度 all name FY2023."""
    fy = _parse_fiscal_year(text)
    if fy.start_year > LAST_FISCAL_YEAR:  # its March must still be a date
        raise WarekiError(f"年度「{str(text).strip()}」は扱えません。", f"fiscal years up to {LAST_FISCAL_YEAR}")
    return fy


LAST_FISCAL_YEAR = 9998


def _parse_fiscal_year(text: str) -> FiscalYear:
    raw = str(text).strip()
    normal = unicodedata.normalize("NFKC", raw).upper().replace(" ", "")
    if m := _FY_WESTERN.match(normal):
        y = int(m["y"])
        if y < GREGORIAN_START.year:
            raise WarekiError(f"年度「{raw}」は扱えません。", "fiscal years start at 1873")
        return FiscalYear(y)
    m = _FY_ABBR.match(normal) or _FY_ERA.match(unicodedata.normalize("NFKC", raw).strip())
    if m is None:
        raise WarekiError(
            f"年度「{raw}」が読めません。",
            "expected e.g. R5, 令和5年度, 令和５年度 or 2023",
        )
    era = _BY_NAME[m["era"]]
    try:
        year = _to_int(m["y"])
    except ValueError:
        raise WarekiError(f"年度「{raw}」の数字が読めません。", "digits or kanji numerals") from None
    if year < 1:
        raise WarekiError(f"年度「{raw}」の年が正しくありません。", "era years start at 1 (元年)")
    start_year = era.start.year + year - 1
    following = ERAS.index(era) + 1
    # A 年度 bears an era's name only if that era was in force on its first day (1 April):
    # 平成31年度 is a real label of FY2019, but 平成32年度 and 昭和64年度 (FY1989, which
    # began after 平成 did) are not.
    if following < len(ERAS) and date(start_year, 4, 1) >= ERAS[following].start:
        nxt = ERAS[following]
        raise WarekiError(
            f"年度「{raw}」は存在しません。{era.name}は{nxt.start.year}年に{nxt.name}に改元されました。",
            f"{era.name} ended on {(nxt.start - timedelta(days=1)).isoformat()}",
        )
    if start_year < GREGORIAN_START.year:
        raise WarekiError(f"年度「{raw}」は扱えません。", "fiscal years start at 1873")
    return FiscalYear(start_year)


# --- quarters and month ranges ----------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    """第N四半期: 1 = 4～6月, 2 = 7～9月, 3 = 10～12月, 4 = 1～3月 of the next calendar year."""

    fiscal_year: FiscalYear
    number: int

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise WarekiError(f"第{self.number}四半期はありません。", "quarters are 1..4")

    @property
    def label(self) -> str:
        return f"第{self.number}四半期"

    @property
    def first_month(self) -> tuple[int, int]:
        month = 4 + 3 * (self.number - 1)
        return (self.fiscal_year.start_year + (month - 1) // 12, (month - 1) % 12 + 1)

    @property
    def last_month(self) -> tuple[int, int]:
        y, m = self.first_month
        return (y, m + 2)

    @property
    def months_label(self) -> str:
        """４～６月 style label used in figure tables (full-width, as the handouts print)."""
        (_, m1), (_, m2) = self.first_month, self.last_month
        return fullwidth_digits(f"{m1}{TILDE}{m2}月")

    def cumulative_range(self, style: DateStyle = "long") -> str:
        """The fiscal year so far: 令和2年4月～12月 for Q3 of FY2020."""
        return month_range(
            (self.fiscal_year.start_year, 4), self.last_month, style=style
        )


def month_range(start: tuple[int, int], end: tuple[int, int], style: DateStyle = "long", *,
                keep_old_era: bool = False) -> str:
    """令和2年4月～12月; 令和2年4月～令和3年3月; 平成31年4月～令和元年6月.

    The era and year are written once when both ends share them, and repeated otherwise.
    ``keep_old_era`` writes a range inside one calendar year in the era of its start
    (平成31年4月～12月), as documents that keep 平成31年度 for FY2019 do.
    """
    if end < start:
        raise WarekiError("期間の終わりが始まりより前です。", f"{start} > {end}")
    first = to_era_date(date(*start, 1))
    last = to_era_date(_month_end(*end))
    head = format_month(*start, style=style)
    if (first.era, first.year) == (last.era, last.year) or (keep_old_era and start[0] == end[0]):
        return f"{head}{TILDE}{_num(end[1], style)}月"
    return f"{head}{TILDE}{format_month(*end, end=True, style=style)}"
