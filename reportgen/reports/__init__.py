"""Report kinds: stable ids, the data files each needs, and the builder that makes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportgen.document import Document
from reportgen.load.dataset import KPI_RESULTS_FILE, DataSet
from reportgen.reports import kpi_results, kpi_summary
from reportgen.templating import Template


@dataclass(frozen=True)
class ReportKind:
    id: str
    title: str  # what the CLI lists
    requires: tuple[str, ...]  # data files the report reads
    build: Callable[[DataSet, Template], Document]


REPORTS: dict[str, ReportKind] = {
    r.id: r
    for r in (
        ReportKind(kpi_results.KIND, "KPI 実績（施策ごと）", (KPI_RESULTS_FILE,), kpi_results.build),
        ReportKind(kpi_summary.KIND, "ＫＰＩ実績一覧表", (KPI_RESULTS_FILE,), kpi_summary.build),
    )
}
# Ids reserved for the report kinds that follow: progress, plan-comparison, plan-budget,
# annual-summary.
