"""One branch's data set for one year, as the report kinds see it: parts of a data set, never
the files or workbook sheets they were read from (reportgen/load/ knows those)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reportgen.model.annual import AnnualReport
from reportgen.model.kpi import KpiResults
from reportgen.model.meta import Meta
from reportgen.model.plan import Budget, Plan
from reportgen.model.progress import Progress

# The parts a report kind may ask for (the meta is always there; progress is one quarter's).
Part = Literal["kpi_results", "plan", "budget", "annual"]
PARTS: tuple[Part, ...] = ("kpi_results", "plan", "budget", "annual")


@dataclass(frozen=True)
class DataSet:
    directory: Path
    meta: Meta
    kpi_results: KpiResults | None = None
    plan: Plan | None = None
    budget: Budget | None = None
    previous: DataSet | None = None  # last year's data set, for reports that compare years
    progress: Progress | None = None  # one quarter's progress on the plan
    annual: AnnualReport | None = None  # 事業報告書 概要版 (本部)
