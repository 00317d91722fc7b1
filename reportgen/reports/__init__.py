"""Report kinds: stable ids, the parts of the data set each needs, and the builder that makes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportgen.document import Document
from reportgen.model.dataset import DataSet, Part
from reportgen.reports import (
    annual_summary,
    kpi_national,
    kpi_results,
    kpi_summary,
    plan_budget,
    plan_comparison,
    progress,
)
from reportgen.templating import Template


@dataclass(frozen=True)
class ReportKind:
    id: str
    title: str  # what the CLI lists
    requires: tuple[Part, ...]  # parts of the data set the report reads
    build: Callable[[DataSet, Template], Document]
    requires_previous: tuple[Part, ...] = ()  # parts of last year's data set it compares with
    quarterly: bool = False  # built per quarter from progress/Q<N>.yaml
    national: bool = False  # 本部's: made from every branch's files of the year (``--branch national``)


REPORTS: dict[str, ReportKind] = {
    r.id: r
    for r in (
        ReportKind(kpi_results.KIND, "KPI 実績（施策ごと）", ("kpi_results",), kpi_results.build),
        ReportKind(kpi_summary.KIND, "ＫＰＩ実績一覧表", ("kpi_results",), kpi_summary.build),
        ReportKind(progress.KIND, "事業計画実施状況（四半期）", ("plan",), progress.build, quarterly=True),
        ReportKind(plan_comparison.KIND, "事業計画 新旧対照表", ("plan",), plan_comparison.build,
                   requires_previous=("plan",)),
        ReportKind(plan_budget.KIND, "事業計画（案）及び保険者機能強化予算（案）", ("plan", "budget"),
                   plan_budget.build, requires_previous=("plan", "budget")),
        ReportKind(kpi_national.KIND, "ＫＰＩ実績 支部別一覧（本部: 全支部の kpi_results.yaml から）",
                   ("kpi_results",), kpi_national.build, national=True),
        ReportKind(annual_summary.KIND, "事業報告書 概要版", ("annual",), annual_summary.build),
    )
}
