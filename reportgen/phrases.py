"""Japanese text cut into phrases (BudouX), so that a line breaks between phrases only.

Japanese has no spaces, and a renderer may break a line after any character: 「予算（千 /
円）」, 「112. / 5%」. BudouX (a small phrase segmenter with a Japanese model) finds the
phrases; the PDF's HTML keeps each one whole and lets a line break between them, for column
headers, headings and figures. WeasyPrint has no ``word-break: keep-all``: a phrase is a span
that does not wrap, with a break opportunity (``<wbr>``) between phrases.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from html import escape

import budoux
from markupsafe import Markup

# A longer phrase (a 協議会's full name) may still break inside: kept whole, it might not fit
# its column at all.
LONGEST_KEPT = 12


@cache
def _parser() -> budoux.Parser:
    return budoux.load_default_japanese_parser()


def phrases(text: str) -> list[str]:
    """「＜参考＞令和4年度実績」 → ['＜参考＞令和4年度', '実績']; a space ends a phrase too (kept
    as a phrase of its own): 「保険者機能強化予算 取組」 → ['保険者機能強化予算', ' ', '取組']."""
    return [piece for phrase in (_parser().parse(text) if text else [])
            for piece in re.split(r"(\s+)", phrase) if piece]


def phrase_html(text: str, fits: Callable[[str], bool] | None = None) -> Markup:
    """Escaped HTML of ``text``: phrases kept whole, a possible line break between them. A
    phrase that ``fits`` says is wider than its line (a KPI's name in a narrow column header)
    may break inside: kept whole, it would run over into the next column."""
    lines = []
    for line in text.split("\n"):
        lines.append("<wbr>".join(
            f'<span class="ph">{escape(p, quote=False)}</span>'
            if len(p) <= LONGEST_KEPT and not p.isspace() and (fits is None or fits(p))
            else escape(p, quote=False)
            for p in phrases(line)
        ))
    return Markup("<br>".join(lines))
