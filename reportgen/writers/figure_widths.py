"""Column widths of a figure table (a small table inside a cell), for every writer that sets them.

A figure or a short header (5,094千円, 10～12月, 120.7％) must print on one line: broken
inside, it misreads, and Excel prints #### for a number that does not fit. So each column
after the first is at least as wide as its widest short text, and as its widest figure or
Latin word in a longer text (which wraps between those), measured with the font's metrics;
what is left goes to the columns in the table's own proportions. The first column's short
labels (資格照会) count too: squeezed to a character or two they wrap letter by letter.
"""

from __future__ import annotations

from collections.abc import Callable

from reportgen.document import Table
from reportgen.textmetrics import unbreakable, width_pt
from reportgen.writers.shared import paragraph_text

SHORT_TEXT = 12  # characters: a figure with its unit, a period (令和2年4月～12月), a header


def figure_needs(table: Table, family: str, size_pt: float, pad_pt: float,
                 ratio: Callable[[str], float]) -> list[float]:
    """The narrowest each column may be: its widest one-column text on one line, plus ``pad_pt``
    (both paddings and the rules); ``ratio`` gives a paragraph size's ratio to ``size_pt``
    (Style.ratio)."""
    needs = [0.0] * len(table.columns)
    for row in table.grid():
        for c, item in enumerate(row):
            if item is None or item.colspan > 1:
                continue
            for p in item.content:
                needs[c] = max(needs[c], _need(paragraph_text(p), family, size_pt * ratio(p.size)) + pad_pt)
    return needs


def _need(text: str, family: str, size_pt: float) -> float:
    """A short text on one line; a longer one as wide as its widest unbreakable piece."""
    if len(text) <= SHORT_TEXT:
        return width_pt(text, family, size_pt)
    return max(width_pt(piece, family, size_pt) for piece in unbreakable(text))


def share_width(total_pt: float, relative: list[float], needs: list[float]) -> list[float]:
    """``total_pt`` over the columns: each at least its need (where the total allows), the rest
    in the ``relative`` proportions."""
    if sum(needs) >= total_pt:  # not room for all: the figures first, the labels get the rest
        rest = total_pt - sum(needs[1:])
        if rest >= needs[0] / 2:
            return [rest, *needs[1:]]
        return [total_pt * n / sum(needs) for n in needs]
    widths = [total_pt * w / sum(relative) for w in relative]
    fixed: set[int] = set()
    for _ in range(len(relative)):
        short = {i for i, w in enumerate(widths) if w < needs[i] - 0.01} - fixed
        if not short:
            break
        fixed |= short
        free = [i for i in range(len(relative)) if i not in fixed]
        rest = total_pt - sum(needs[i] for i in fixed)
        if not free or rest <= 0:
            break
        for i in fixed:
            widths[i] = needs[i]
        for i in free:
            widths[i] = rest * relative[i] / sum(relative[j] for j in free)
    return widths


def proportional(table: Table, total_pt: float) -> list[float]:
    """``total_pt`` over the columns in the table's own proportions (a table of the page)."""
    relative = [c.width for c in table.columns]
    return [total_pt * w / sum(relative) for w in relative]


def fitted(table: Table, total_pt: float, family: str, size_pt: float, pad_pt: float,
           ratio: Callable[[str], float]) -> list[float]:
    """A figure table's columns over ``total_pt``: each at least as wide as its figures need
    (figure_needs), the rest in the table's proportions (share_width)."""
    return share_width(total_pt, [c.width for c in table.columns],
                       figure_needs(table, family, size_pt, pad_pt, ratio))
