"""data/national/R2/annual.yaml against seeds/004: every stored figure is the printed one, and
every computed one (前年度比, 増減, 計, headlines, grades, count line) equals the seed's,
except where the seed disagrees with its own printed figures (listed in annual_seed.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.branches import NATIONAL
from reportgen.errors import DataError
from reportgen.grading import grade
from reportgen.load.dataset import load_dataset
from reportgen.model.annual import AnnualReport, in_man, signed_percent
from reportgen.numbers import format_number
from reportgen.wareki import parse_fiscal_year
from tests.annual_seed import (
    COUNT_LINE,
    HEADLINE_LINES,
    KPI_LINES,
    MONTHLY_LINES,
    MONTHLY_MISMATCHES,
    SATISFACTION_LINES,
    SERIES_LINES,
    SERIES_MISMATCHES,
    figures,
    kpi_row,
    line,
)
from tests.conftest import DATA


@pytest.fixture(scope="module")
def annual() -> AnnualReport:
    data = load_dataset(DATA, NATIONAL, parse_fiscal_year("R2"), ["annual.yaml"])
    assert data.annual is not None
    return data.annual


def test_series_values_are_the_printed_ones(annual: AnnualReport) -> None:
    assert annual.series.years == tuple(range(2011, 2021))
    for item_id, (values_line, _) in SERIES_LINES.items():
        printed = figures(values_line)[-10:]
        assert [format_number(v) for v in annual.series.item(item_id).values] == printed


def test_year_on_year_rates_are_computed_as_printed(annual: AnnualReport) -> None:
    changes = annual.series.changes()
    checked = 0
    for item_id, (_, rates_line) in SERIES_LINES.items():
        for year, printed in zip(annual.series.years, figures(rates_line), strict=True):
            computed = signed_percent(changes.loc[year, item_id])
            if (item_id, year) in SERIES_MISMATCHES:
                assert (printed, computed) == SERIES_MISMATCHES[item_id, year]
            else:
                assert computed == printed, (item_id, year)
                checked += 1
    assert checked == 60 - len(SERIES_MISMATCHES)


def test_a_fall_that_rounds_to_zero_keeps_its_triangle_as_printed() -> None:
    from decimal import Decimal
    assert signed_percent(Decimal("-0.026")) == "▲0.0%"  # 平均標準報酬月額 2020年度
    assert signed_percent(Decimal("0.04")) == "0.0%"


def test_headlines_are_computed_from_the_series(annual: AnnualReport) -> None:
    lines = annual.series.headlines()
    seed = " ".join(line(n) for n in HEADLINE_LINES)
    for text in lines:
        assert text in seed
    assert "●加入者数：4,031万2千人（14万8千人減少）" in lines
    assert in_man(__import__("decimal").Decimal(2), "人") == "2千人"


def test_monthly_values_and_totals(annual: AnnualReport) -> None:
    frame = annual.monthly.frame()
    for key, number in MONTHLY_LINES.items():
        *months, total = figures(number)
        assert [format_number(v) for v in frame.loc[key].iloc[:12]] == months
        computed = format_number(frame.loc[key, "計"])
        if key in MONTHLY_MISMATCHES:
            assert (total, computed) == MONTHLY_MISMATCHES[key]
        else:
            assert computed == total


def test_satisfaction_table(annual: AnnualReport) -> None:
    assert annual.satisfaction is not None
    assert annual.satisfaction.years == (2019, 2020)
    for row, number in zip(annual.satisfaction.rows, SATISFACTION_LINES, strict=True):
        label, *values = line(number).split()
        assert row.label == label
        assert [format_number(v.value) + "%" for v in row.values] == values


def test_kpi_rows_grades_and_count_line(annual: AnnualReport) -> None:
    kpis = annual.kpi.all()
    assert len(kpis) == len(KPI_LINES) == 22
    for kpi, number in zip(kpis, KPI_LINES, strict=True):
        target, result, status = kpi_row(number)
        assert kpi.target_value is not None
        assert str(kpi.target_value).replace("％", "%") == target
        assert str(kpi.actual).replace("％", "%") == result
        assert grade(kpi, annual.kpi.grading) == status
    assert annual.kpi.count_line() == line(COUNT_LINE) == "達成 6 概ね達成 5 未達成 10"


def test_every_measure_has_its_results(annual: AnnualReport) -> None:
    assert [len(f.measures) for f in annual.fields] == [11, 8, 10, 3]
    assert all(m.results for f in annual.fields for m in f.measures)


def test_a_wrong_figure_is_located(tmp_path: Path) -> None:
    folder = tmp_path / "national" / "R2"
    folder.mkdir(parents=True)
    text = (DATA / "national" / "R2" / "annual.yaml").read_text(encoding="utf-8")
    text = text.replace("values: [34895, 35122,", "values: [34895, 35l22,")
    (folder / "annual.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_dataset(tmp_path, NATIONAL, parse_fiscal_year("R2"), ["annual.yaml"])
    [problem] = exc.value.problems
    number = next(i for i, t in enumerate(text.split("\n"), 1) if "35l22" in t)
    assert (problem.line, problem.field) == (number, "series.items[0].values[1]")
