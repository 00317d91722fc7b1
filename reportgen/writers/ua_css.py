"""WeasyPrint's user-agent stylesheet cut down to the elements the PDF's HTML is made of.

WeasyPrint matches every element against every selector of its HTML user-agent stylesheet
(forms, lists, ruby, bidi attributes, …): on the 30-page progress sheet that was two thirds
of the cascade, 0.2 s. The HTML of the PDF (templates/html/document.html.j2, phrase spans,
chart SVG) uses a fixed set of elements, and data text is always escaped, so a selector
whose subject is another element matches nothing here. ``trim`` keeps every at-rule and
every selector whose subject can be one of ``ELEMENTS`` (its type, the types of an
``:is(…)``, or none: ``[hidden]``, ``*``) and whose pseudo-element, if any, is one the
documents make (``PSEUDO_ELEMENTS``), in order: the cascade of every element, and so the PDF,
is the same (tests/test_ua_css.py compares computed styles and bytes). A branch's own CSS
(document.css) could make other boxes (a list item's marker): with one, the PDF writer keeps
WeasyPrint's whole sheet.

The trimmed sheet is package data (``SHEET``: writers/ua.css, not a template: nothing of it
is ours to restyle), made from the installed WeasyPrint's sheet by ``python -m
reportgen.writers.ua_css > reportgen/writers/ua.css``; a test finds it out of date when
WeasyPrint's sheet changes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SHEET = Path(__file__).with_name("ua.css")
# Every element the PDF's HTML can hold: the template's, the phrase spans' and line breaks
# (reportgen.phrases), the chart's SVG (writers/chart_svg.py).
ELEMENTS = frozenset({
    "html", "head", "meta", "title", "style", "body", "div", "section", "figure", "h1", "h2", "h3", "p", "span",
    "b", "u", "a", "br", "wbr", "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td",
    "svg", "line", "polyline", "rect", "circle", "text",
})
# The pseudo-elements our HTML and CSS make: ::before and ::after (line breaks, page
# references). ::marker (list items), ::footnote-* and ::note-* (float: footnote, note) are
# never generated here, yet a rule for them matches every element and WeasyPrint computes
# each one's style for every element: most of what the cut saves.
PSEUDO_ELEMENTS = frozenset({"before", "after"})
_PSEUDO = re.compile(r"::([A-Za-z-]+)")
HEADER = "/* WeasyPrint {version}'s html5_ua.css for the elements of reportgen's PDF (writers/ua_css.py). */\n"
_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


def _split(text: str, separators: str) -> list[str]:
    """``text`` cut at the separators that stand outside brackets and strings."""
    parts, depth, start, quote = [], 0, 0, ""
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif depth == 0 and ch in separators:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def subject_types(selector: str) -> frozenset[str] | None:
    """The element types a selector's subject (its last compound) can be: its type, or the
    types of an ``:is(…)`` it opens with; None when it can be any element."""
    compound = _split(selector.strip(), " >+~")[-1].strip()
    if found := _TYPE.match(compound):
        return frozenset({found.group(0).lower()})
    if compound.startswith(":is("):
        inner = _split(compound[4:], ")")[0]
        types = [subject_types(alternative) for alternative in _split(inner, ",")]
        if all(t is not None for t in types):
            return frozenset().union(*(t for t in types if t is not None))
    return None


def can_match(selector: str) -> bool:
    pseudo = _PSEUDO.search(selector)
    if pseudo and pseudo.group(1).lower() not in PSEUDO_ELEMENTS:
        return False
    types = subject_types(selector)
    return types is None or bool(types & ELEMENTS)


def trim(source: str) -> str:
    """The rules of ``source`` that can match ``ELEMENTS``, in their order."""
    import tinycss2

    out = []
    for rule in tinycss2.parse_stylesheet(source, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            kept = [s.strip() for s in _split(tinycss2.serialize(rule.prelude), ",") if can_match(s)]
            if kept:
                out.append(f"{', '.join(kept)} {{{tinycss2.serialize(rule.content)}}}")
        elif rule.type == "at-rule":
            out.append(rule.serialize())
    return "\n".join(out) + "\n"


def weasyprint_sheet() -> tuple[str, str]:
    """The installed WeasyPrint's version and its HTML user-agent stylesheet."""
    import weasyprint
    from weasyprint.html import UA

    return weasyprint.__version__, UA


def generated() -> str:
    version, source = weasyprint_sheet()
    return HEADER.format(version=version) + trim(source)


if __name__ == "__main__":
    sys.stdout.write(generated())
