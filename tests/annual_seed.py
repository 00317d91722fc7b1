"""What seeds/004 (令和2年度事業報告書 概要版) prints, read from the seed text itself."""

from __future__ import annotations

import re
from pathlib import Path

SEED = Path(__file__).parent / "seeds" / "004_f4348955bb151df4.txt"
LINES = SEED.read_text(encoding="utf-8").split("\n")


def line(number: int) -> str:
    """The seed's line ``number`` (1-based, as `cat -n` shows it)."""
    return LINES[number - 1]


def figures(number: int) -> list[str]:
    """The figures of one printed line: 34,895 / 147.0 / 98.3% / ▲0.4% (parentheses dropped)."""
    return re.findall(r"▲?\d[\d,]*(?:\.\d+)?%?", line(number).replace("（", "(").replace("）", ")"))


# series id → (line of values, line of 前年度比) in the seed
SERIES_LINES = {"members": (33, 35), "insured": (37, 39), "voluntary": (41, 43),
                "dependants": (45, 47), "wage": (49, 51), "offices": (53, 55)}
# (group, row) → seed line: 12 months then 計
MONTHLY_LINES = {("新規加入者数", "新規加入者数"): 76, ("新規加入者数", "被保険者数"): 78,
                 ("新規加入者数", "被扶養者数"): 80, ("資格喪失者数", "資格喪失者数"): 82,
                 ("資格喪失者数", "被保険者数"): 84, ("資格喪失者数", "被扶養者数"): 86}
SATISFACTION_LINES = range(213, 222, 2)
# KPI rows: (target, result, 達成状況) as printed, in document order
KPI_LINES = (790, 795, 807, 823, 831, 839, 847, 856, 865, 877, 903, 908, 913, 921, 930, 939, 944, 952,
             963, 971, 979, 992)
HEADLINE_LINES = (19, 21, 23, 25, 27)
COUNT_LINE = 892

# Where the seed is inconsistent with its own printed figures (it computed from unrounded
# data): (series, year) → (printed, computed from the printed figures).
SERIES_MISMATCHES = {("voluntary", 2014): ("▲6.6%", "▲6.5%"), ("voluntary", 2016): ("▲4.8%", "▲4.9%"),
                     ("voluntary", 2017): ("▲4.3%", "▲4.0%"), ("offices", 2013): ("2.7%", "2.8%")}
# (group, row) → (printed 計, sum of the printed months)
MONTHLY_MISMATCHES = {("新規加入者数", "新規加入者数"): ("750.4", "750.5"),
                      ("新規加入者数", "被保険者数"): ("476.3", "476.2"),
                      ("資格喪失者数", "資格喪失者数"): ("765.3", "765.2"),
                      ("資格喪失者数", "被保険者数"): ("467.9", "468.0")}


def kpi_row(number: int) -> tuple[str, str, str]:
    target, result, status = line(number).split()
    return target, result, status
