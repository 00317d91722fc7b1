"""``reportgen init``: year Y started from year Y−1, so nobody retypes last year's plan.

The plan is copied as the draft of the new plan with every id kept (the 新旧対照表 then
aligns measure by measure and shows what was changed); the budget items are copied as the
draft budget; the KPIs go into ``kpi_results.draft.yaml`` with last year's actuals as
``previous`` (so a 「対前年度」 target, written 前年度, is set from them) and no actual yet;
the progress folder starts empty. An existing year is never overwritten.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.branches import Branch
from reportgen.errors import UsageError
from reportgen.inputbook.importer import write_all
from reportgen.inputbook.yamlout import dump
from reportgen.load.dataset import (
    BUDGET_FILE,
    KPI_RESULTS_FILE,
    META_FILE,
    PLAN_FILE,
    PROGRESS_DIR,
    data_directory,
    existing_directory,
    load_dataset,
)
from reportgen.load.yaml_source import display_path, load_yaml
from reportgen.wareki import FiscalYear

KPI_DRAFT = "kpi_results.draft.yaml"  # not read by the loader until renamed to kpi_results.yaml


@dataclass(frozen=True)
class Started:
    directory: Path
    source: Path
    files: list[str]


def start_year(data_root: Path, branch: Branch, fy: FiscalYear) -> Started:
    target = data_directory(data_root, branch, fy)
    if target.exists():
        raise UsageError(f"{branch.name} {fy.label()} のデータはすでにあります。上書きしません。",
                         f"{display_path(target)} exists; init only starts a year that has no folder")
    before = fy.previous()
    source = existing_directory(data_root, branch, before)
    load_dataset(data_root, branch, before)  # only a valid year is carried forward
    raw = {name: load_yaml(source / name).data for name in (META_FILE, PLAN_FILE, BUDGET_FILE, KPI_RESULTS_FILE)
           if (source / name).is_file()}
    heading = (f"{branch.name} {fy.label()}: reportgen init で {before.label()} から作成した下書きです。\n"
               "Format: docs/data-format.md")
    texts: dict[str, str] = {}
    if META_FILE in raw:
        meta = {k: v for k, v in raw[META_FILE].items() if k in ("confidentiality", "era_policy")}
        if meta:
            texts[META_FILE] = dump(meta, heading)
    if PLAN_FILE in raw:
        texts[PLAN_FILE] = dump(_plan(raw[PLAN_FILE], before, fy), heading)
    if BUDGET_FILE in raw:
        texts[BUDGET_FILE] = dump(raw[BUDGET_FILE], heading)
    if KPI_RESULTS_FILE in raw:
        texts[KPI_DRAFT] = dump(_kpis(raw[KPI_RESULTS_FILE]), heading + "\n"
                                "各 KPI の actual（実績）を入力し、kpi_results.yaml に名前を変えてください。")
    staging = target.with_name(f".{target.name}.init")
    shutil.rmtree(staging, ignore_errors=True)
    write_all(staging, texts)
    (staging / PROGRESS_DIR).mkdir(exist_ok=True)
    staging.rename(target)  # the year appears whole or not at all
    return Started(target, source, sorted(texts))


def _plan(plan: dict[str, Any], before: FiscalYear, fy: FiscalYear) -> dict[str, Any]:
    """Last year's plan as this year's draft: ids kept, ``absorbs`` dropped (it named the year
    before last), the title's year moved on."""
    out = dict(plan)
    if isinstance(out.get("title"), str):
        for old, new in ((before.label(), fy.label()), (before.short, fy.short)):
            out["title"] = out["title"].replace(old, new)
    out["fields"] = [{**f, "measures": [{k: v for k, v in m.items() if k != "absorbs"}
                                         for m in f.get("measures") or []]} if f.get("measures") else f
                     for f in plan.get("fields") or []]
    return out


def _kpis(kpi_results: dict[str, Any]) -> dict[str, Any]:
    """Last year's actual becomes ``previous`` (a 前年度 target is then set from it); the new
    actual and the results are left to be typed at the year's end."""
    sections = []
    for s in kpi_results.get("sections") or []:
        kpis = []
        for k in s.get("kpis") or []:
            draft = {key: v for key, v in k.items() if key not in ("actual", "previous")}
            if k.get("actual") is not None:
                draft["previous"] = k["actual"]
            kpis.append(draft)
        section = {key: kpis if key == "kpis" else v for key, v in s.items() if key not in ("results", "tables")}
        sections.append(section)
    return {**kpi_results, "sections": sections}
