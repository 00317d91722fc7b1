"""The cut user-agent stylesheet (writers/ua_css.py) gives every element of our HTML the
computed style WeasyPrint's whole sheet gives it, and is made from the installed WeasyPrint."""

from __future__ import annotations

import pytest

from reportgen.branches import get_branch
from reportgen.build import documents, load_for
from reportgen.document import Document
from reportgen.wareki import FiscalYear
from reportgen.writers import pdf as pdf_writer
from reportgen.writers import ua_css
from tests.conftest import DATA

SLOW = pytest.mark.slow  # a second each: the quick set checks the two smaller documents
KINDS = (
    pytest.param("shizuoka", 2023, "kpi-results", None, marks=SLOW, id="kpi-results"),
    pytest.param("shizuoka", 2023, "kpi-summary", None, id="kpi-summary"),
    pytest.param("saitama", 2023, "plan-comparison", None, id="plan-comparison"),
    pytest.param("gunma", 2021, "plan-budget", None, marks=SLOW, id="plan-budget"),
    pytest.param("saitama", 2020, "progress", 3, marks=SLOW, id="progress"),
    pytest.param("national", 2020, "annual-summary", None, marks=SLOW, id="annual-summary"),
)


def test_the_shipped_sheet_is_made_from_the_installed_weasyprint() -> None:
    shipped = ua_css.SHEET.read_text(encoding="utf-8")
    assert shipped == ua_css.generated(), "python -m reportgen.writers.ua_css > reportgen/writers/ua.css"


def test_the_cut_keeps_what_can_match_our_elements() -> None:
    assert ua_css.can_match("td[hidden]") and ua_css.can_match("[dir=rtl i]") and ua_css.can_match("br::before")
    assert ua_css.can_match(":is(colgroup, col, tbody)[hidden]")
    assert not ua_css.can_match("ol li") and not ua_css.can_match(":is(dir, menu, ol, ul)[dir=ltr i]")
    assert not ua_css.can_match("::marker") and not ua_css.can_match("input[type=checkbox i]")
    cut = ua_css.trim("p, li { margin: 0 }\nol { x: y }\n@page { margin: 1px }\n")
    assert cut == "p { margin: 0 }\n@page { margin: 1px }\n"


def _computed(document: Document, html_class: object) -> list[object]:
    """Every element's computed style (and its ::before and ::after), property by property."""
    from weasyprint.css import get_all_computed_styles
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.text.fonts import FontConfiguration

    html = html_class(string=pdf_writer.to_html(document), base_url=str(pdf_writer.HTML_DIR))  # type: ignore[operator]
    style_for = get_all_computed_styles(html, font_config=FontConfiguration())
    out: list[object] = []
    for element in html.etree_element.iter():
        for pseudo in (None, "before", "after"):
            style = style_for(element, pseudo)
            out.append(None if style is None else (element.tag, pseudo, [style[name] for name in INITIAL_VALUES]))
    return out


@pytest.mark.parametrize(("branch", "year", "kind", "quarter"), KINDS)
def test_every_element_has_the_style_the_whole_sheet_gives_it(branch: str, year: int, kind: str,
                                                              quarter: int | None) -> None:
    from weasyprint import HTML

    (document,) = documents(load_for(DATA, get_branch(branch), FiscalYear(year), (kind,), quarter), (kind,))
    whole = _computed(document, HTML)
    assert len(whole) > 100
    assert _computed(document, pdf_writer._html_class()) == whole
