"""Report kinds: stable ids, the data files each needs, and the builder that makes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportgen.document import Document
from reportgen.load.annual import ANNUAL_FILE
from reportgen.load.dataset import BUDGET_FILE, KPI_RESULTS_FILE, PLAN_FILE, DataSet
from reportgen.reports import annual_summary, kpi_results, kpi_summary, plan_budget, plan_comparison, progress
from reportgen.templating import Template


@dataclass(frozen=True)
class ReportKind:
    id: str
    title: str  # what the CLI lists
    requires: tuple[str, ...]  # data files the report reads
    build: Callable[[DataSet, Template], Document]
    requires_previous: tuple[str, ...] = ()  # files of last year's data set it compares with
    quarterly: bool = False  # built per quarter from progress/Q<N>.yaml


REPORTS: dict[str, ReportKind] = {
    r.id: r
    for r in (
        ReportKind(kpi_results.KIND, "KPI 実績（施策ごと）", (KPI_RESULTS_FILE,), kpi_results.build),
        ReportKind(kpi_summary.KIND, "ＫＰＩ実績一覧表", (KPI_RESULTS_FILE,), kpi_summary.build),
        ReportKind(progress.KIND, "事業計画実施状況（四半期）", (PLAN_FILE,), progress.build, quarterly=True),
        ReportKind(plan_comparison.KIND, "事業計画 新旧対照表", (PLAN_FILE,), plan_comparison.build,
                   requires_previous=(PLAN_FILE,)),
        ReportKind(plan_budget.KIND, "事業計画（案）及び保険者機能強化予算（案）", (PLAN_FILE, BUDGET_FILE),
                   plan_budget.build, requires_previous=(PLAN_FILE, BUDGET_FILE)),
        ReportKind(annual_summary.KIND, "事業報告書 概要版", (ANNUAL_FILE,), annual_summary.build),
    )
}
