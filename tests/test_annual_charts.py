"""The charts of annual-summary (seeds/004) carry the seed's printed figures: the multi-year
series its chart legend names and every row of its monthly table. The model's charts are
compared with charts made from the seed text itself; (slow) the built XLSX, DOCX and PDF are
checked against those seed charts, and LibreOffice's renderings of the DOCX and XLSX show
each chart's title, axis titles and legend."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.branches import get_branch
from reportgen.build import load_for
from reportgen.document import Chart, Document, Series
from reportgen.wareki import parse_fiscal_year
from tests.annual_seed import MONTHLY_LINES, SERIES_LINES, figures, line
from tests.chart_checks import docx_chart_checks, libreoffice_text, pdf_chart_checks, xlsx_chart_checks
from tests.conftest import DATA, sample_document
from tests.extract import norm

# seeds/004: the legend of the chart under the series table, one name a line
LEGEND_LINES = range(61, 70, 2)
YEAR_HEADER, MONTH_HEADER = 31, 74  # 2011年度 … 2020年度 / 4月 … 3月 計
SERIES_IDS = {"加入者数": "members", "被保険者数": "insured", "被扶養者数": "dependants",
              "平均標準報酬月額": "wage", "適用事業所数": "offices"}
GROUPS = ("新規加入者数", "資格喪失者数")  # the monthly table's groups, in the seed's order


DOC = sample_document("national", "R2", "annual-summary")


def charts(doc: Document) -> list[Chart]:
    return [b for b in doc.blocks if isinstance(b, Chart)]


def seed_values(number: int, count: int) -> tuple[Decimal, ...]:
    """The last ``count`` figures of a seed line (a monthly line's 計 is not drawn)."""
    found = figures(number)
    if number in MONTHLY_LINES.values():
        found = found[:12]
    return tuple(Decimal(f.replace(",", "")) for f in found[-count:])


def seed_series(chart: Chart) -> tuple[Series, ...]:
    """The series of ``chart`` with the seed's figures for each name: a series chart's names
    are the seed legend's; a monthly chart's, the rows of a group of the seed's table."""
    if chart.label and chart.label.startswith("annual-series-"):
        return tuple(dataclasses.replace(s, values=seed_values(SERIES_LINES[SERIES_IDS[s.name]][0], 10))
                     for s in chart.series)
    if chart.label == "annual-monthly-totals":
        return tuple(dataclasses.replace(s, values=seed_values(MONTHLY_LINES[(s.name, s.name)], 12))
                     for s in chart.series)
    group = GROUPS[int((chart.label or "").rsplit("-", 1)[1]) - 1]
    return tuple(dataclasses.replace(s, values=seed_values(MONTHLY_LINES[(group, s.name)], 12))
                 for s in chart.series)


def seed_charts(doc: Document) -> list[Chart]:
    """The document's charts with categories and figures taken from the seed text."""
    out = []
    for chart in charts(doc):
        header = YEAR_HEADER if chart.label and chart.label.startswith("annual-series-") else MONTH_HEADER
        categories = tuple(c for c in line(header).split() if c != "計")
        out.append(dataclasses.replace(chart, categories=categories, series=seed_series(chart)))
    return out


def test_charts_draw_the_seed_figures() -> None:
    drawn = charts(DOC)
    assert drawn == seed_charts(DOC)
    # Every series the seed's chart legend names, every row of its monthly table, once each.
    legend = [line(n).strip() for n in LEGEND_LINES]
    series_names = [s.name for c in drawn if (c.label or "").startswith("annual-series-") for s in c.series]
    assert sorted(series_names) == sorted(legend)
    monthly = [(c.label, s.name) for c in drawn if (c.label or "").startswith("annual-monthly-") for s in c.series]
    assert len(monthly) == len(MONTHLY_LINES)
    # Wording is the template's: titles, the value axis carries the unit, kinds as set there.
    by_title = {c.title: c for c in drawn}
    assert by_title["平均標準報酬月額の推移"].y_title == "（円）"
    assert by_title["加入者数・被保険者数・被扶養者数の推移"].kind == "line"
    assert by_title["適用事業所数の推移"].kind == "bar"
    assert by_title["2020年度の月別の新規加入者数・資格喪失者数"].y_title == "（万人）"
    assert {c.kind for c in drawn if (c.label or "").startswith("annual-monthly-")} == {"clustered-bar"}
    assert by_title["新規加入者数の内訳（2020年度）"].number_format.places == 1


def test_template_mistakes_in_charts_are_located(tmp_path: Path) -> None:
    from reportgen.reports.annual_summary import build
    from reportgen.templating import TemplateError, load_template

    data = load_for(DATA, get_branch("national"), parse_fiscal_year("R2"), ("annual-summary",))
    branch = tmp_path / "branch"
    (branch / "templates").mkdir(parents=True)
    cases = {
        "series_charts: [{items: [members, nobody], kind: line, title: x}]": "系列「nobody」はありません",
        "series_charts: [{items: [members, wage], kind: line, title: x}]": "単位が違う",
        "series_charts: [{items: [members, insured], kind: bar, title: x}]": "bar は系列が一つ",
        "monthly_charts: [{rows: all, kind: bar, title: x}]": "「all」は使えません",
        "monthly_charts: [{rows: totals, kind: pie, title: x}]": "「pie」は使えません",
        "monthly_charts: [{rows: totals, kind: bar, colour: red}]": "「colour」という設定はありません",
        "monthly_charts: totals": "グラフの設定",
    }
    for text, message in cases.items():
        (branch / "templates" / "annual-summary.yaml").write_text(text + "\n", encoding="utf-8")
        with pytest.raises(TemplateError) as err:
            build(data, load_template("annual-summary", branch))
        assert message in err.value.detail and err.value.line == 1, err.value.render()
        assert str(err.value.file).endswith("branch/templates/annual-summary.yaml")


@pytest.fixture
def built(annual_output: Path) -> Path:
    return annual_output


@pytest.mark.slow
def test_xlsx_charts_refer_to_cells_holding_the_seed_figures(built: Path) -> None:
    data = (built / "annual-summary.xlsx").read_bytes()
    for chart in seed_charts(DOC):
        xlsx_chart_checks(data, chart)


@pytest.mark.slow
def test_docx_chart_parts_cache_the_seed_figures(built: Path) -> None:
    docx_chart_checks((built / "annual-summary.docx").read_bytes(), seed_charts(DOC))


@pytest.mark.slow
def test_pdf_charts_are_vector_drawing_with_japanese_labels(built: Path) -> None:
    pdf_chart_checks(built / "annual-summary.pdf", seed_charts(DOC), DOC.style)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_libreoffice_draws_every_chart(built: Path, fmt: str, tmp_path: Path) -> None:
    text = libreoffice_text(built / f"annual-summary.{fmt}", tmp_path)
    for chart in charts(DOC):
        for piece in (chart.title, chart.x_title, chart.y_title, *(s.name for s in chart.series)):
            assert norm(piece) in text, (chart.title, piece)
