"""ＫＰＩ実績 支部別一覧 (本部): 支部 × KPI from every branch's kpi_results.yaml of a year.

Each cell holds the branch's 実績 and its grade, computed by ``grading`` with the branch's
own policy (never typed); under the table the number of branches 達成 / 概ね達成 / 未達成 per
KPI, and a table of the same counts per branch. The long table of grades (one record per
branch and KPI) is pivoted with pandas; KPIs are matched across branches by their ``id`` and
ordered as they first appear (branches in JIS order). Wide tables are cut into several of
``kpis_per_table`` KPI columns, each with the 支部 column, as a printed page needs.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.branches import BRANCHES, NATIONAL, Branch
from reportgen.document import Block, Cell, Column, Document, Heading, NumberFormat, Row, Table, para
from reportgen.errors import DataError, Problem, UsageError
from reportgen.grading import Grade, grade
from reportgen.load.dataset import KPI_RESULTS_FILE, data_directory, load_dataset
from reportgen.load.yaml_source import display_path
from reportgen.model.dataset import DataSet
from reportgen.model.kpi import KpiResults
from reportgen.reports.common import page_setup
from reportgen.templating import Template
from reportgen.wareki import FiscalYear

if TYPE_CHECKING:
    import pandas as pd

KIND = "kpi-national"
GRADES = tuple(Grade)


def branches_with_results(data_root: Path, fy: FiscalYear) -> list[Branch]:
    return [b for b in BRANCHES if (data_directory(data_root, b, fy) / KPI_RESULTS_FILE).is_file()]


def load_results(data_root: Path, fy: FiscalYear) -> list[tuple[Branch, KpiResults]]:
    """Every branch's KPI results of the year; all problems of all branches together."""
    found, problems = [], []
    for branch in branches_with_results(data_root, fy):
        try:
            data = load_dataset(data_root, branch, fy, {KPI_RESULTS_FILE})
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        assert data.kpi_results is not None
        found.append((branch, data.kpi_results))
    if problems:
        raise DataError(problems)
    if not found:
        raise DataError([Problem(display_path(data_root), None, "",
                                 f"{fy.label()} の {KPI_RESULTS_FILE} がどの支部にもありません。",
                                 f"DATA/<branch>/{fy.short}/{KPI_RESULTS_FILE}")])
    return found


def records(results: list[tuple[Branch, KpiResults]]) -> pd.DataFrame:
    """One row per branch and KPI: its 実績 (text and cell) and grade."""
    import pandas as pd  # on first use: `reportgen --help` and `validate` do not load pandas

    rows = []
    for branch, kpis in results:
        for section in kpis.sections:
            for kpi in section.kpis:
                rows.append({"code": branch.code, "branch": branch.slug, "branch_name": branch.name,
                             "kpi": kpi.id, "indicator": kpi.indicator,
                             "actual": kpi.actual if isinstance(kpi.actual, str) else kpi.actual.format(),
                             "grade": str(grade(kpi, kpis.grading))})
    frame = pd.DataFrame(rows, columns=["code", "branch", "branch_name", "kpi", "indicator", "actual", "grade"])
    frame["kpi_order"] = pd.Categorical(frame["kpi"], categories=list(dict.fromkeys(frame["kpi"])), ordered=True)
    return frame


def grade_counts(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts of 達成 / 概ね達成 / 未達成 per ``by`` (branch or kpi), every grade a column."""
    import pandas as pd

    table = pd.crosstab(frame[by], frame["grade"]).reindex(columns=[str(g) for g in GRADES], fill_value=0)
    return table.astype(int)


def build_national(data_root: Path, fy: FiscalYear, template: Template) -> Document:
    frame = records(load_results(data_root, fy))
    ctx = {"year": fy.label(), "branch": NATIONAL.name}
    grid = frame.pivot(index="code", columns="kpi_order", values="grade")  # 支部 × KPI
    cells = {(r.code, r.kpi): r for r in frame.itertuples()}
    names = frame.drop_duplicates("code").set_index("code")["branch_name"]
    indicators = frame.drop_duplicates("kpi").set_index("kpi")["indicator"]
    per_kpi = grade_counts(frame, "kpi")
    per_branch = grade_counts(frame, "code")
    title = template.text("title", **ctx)
    step = int(template.number("kpis_per_table", low=1, high=30, default=6))
    branch_head = template.text("headers", "branch", **ctx)
    kpis = [str(k) for k in grid.columns]
    blocks: list[Block] = [Heading(1, title)]
    for start in range(0, len(kpis), step):
        chunk = kpis[start:start + step]
        header = Row((_head(branch_head), *(_head(indicators[k]) for k in chunk)))
        body = []
        for code in grid.index:
            row = [Cell((para(names[code]),))]
            for k in chunk:
                rec = cells.get((code, k))
                if rec is None:
                    row.append(Cell((para("－"),), align="center"))
                    continue
                # 実績 and grade in one cell, as text in every format (a number would drop the grade)
                row.append(Cell((para(rec.actual), para(rec.grade, bold=True)), align="center"))
            body.append(Row(tuple(row)))
        for g in GRADES:  # per KPI: how many branches reached each grade
            label = template.text("headers", "per_kpi", **ctx, grade=str(g))
            body.append(Row((Cell((para(label, bold=True),)),
                             *(_count(int(per_kpi.loc[k, str(g)]) if k in per_kpi.index else 0) for k in chunk))))
        widths = (Column(14), *(Column(86 / max(len(chunk), 1)) for _ in chunk))
        blocks.append(Table(widths, (header,), tuple(body), label="kpi-national"))
    total = template.text("headers", "total", **ctx)
    header = Row((_head(branch_head), *(_head(str(g)) for g in GRADES), _head(total)))
    body = [Row((Cell((para(names[code]),)), *(_count(int(per_branch.loc[code, str(g)])) for g in GRADES),
                 _count(int(per_branch.loc[code].sum()))))
            for code in per_branch.index]
    blocks += [Heading(2, template.text("headers", "counts", **ctx)),
               Table(tuple(Column(w) for w in (30, 15, 15, 15, 15)), (header,), tuple(body),
                     label="kpi-national-counts")]
    return Document(kind=KIND, title=title, blocks=tuple(blocks), page=page_setup(template),
                    sheet_name=template.text("sheet_name", **ctx),
                    metadata=(("branch", NATIONAL.slug), ("fiscal_year", fy.short)))


def _head(text: str) -> Cell:
    return Cell((para(text, bold=True),), align="center")


def _count(n: int) -> Cell:
    return Cell((para(str(n)),), align="right", number=Decimal(n), number_format=NumberFormat(0))


def build(data: DataSet, template: Template) -> Document:
    """The registry's signature: a national report is made from all branches, not one data set."""
    raise UsageError("kpi-national は本部の資料です。",
                     "reportgen build --branch national --year Y --report kpi-national")
