"""One figure, one place: a KPI target typed in plan.yaml and again in kpi_results.yaml must agree.

A year's plan prints each KPI as a paragraph (■ KPI：…を96.5%以上とする); the KPI 実績 of the
same year types the target once more. Until the KPI results refer to the plan, ``validate``
compares the two: for every KPI, the ■ KPI line of the 施策 with the same id that reads most
like its statement must show its target figure.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from reportgen.errors import Problem
from reportgen.load.dataset import KPI_RESULTS_FILE, PLAN_FILE
from reportgen.load.yaml_source import format_loc, load_yaml
from reportgen.model.dataset import DataSet
from reportgen.model.quantity import Quantity, QuantityError, parse_quantity

_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?\s*[%％]?")
_KPI_LINE = re.compile(r"^[■□◆・\s]*KPI\s*[:：]?\s*")


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _figures(text: str) -> list[Quantity]:
    found = []
    for m in _FIGURE.finditer(unicodedata.normalize("NFKC", text)):
        try:
            found.append(parse_quantity(m.group().replace(" ", "")))
        except QuantityError:
            continue
    return found


def kpi_target_disagreements(data: DataSet) -> list[Problem]:
    """Every KPI whose target is not the figure its plan line shows, with both lines."""
    if data.kpi_results is None or data.plan is None:
        return []
    kpi_source = load_yaml(data.directory / KPI_RESULTS_FILE)
    plan_source = load_yaml(data.directory / PLAN_FILE)
    lines: dict[str, list[tuple[str, int | None]]] = {}  # measure id → its ■ KPI lines
    for fi, f in enumerate(data.plan.fields):
        for mi, m in enumerate(f.measures):
            for pi, p in enumerate(m.paragraphs):
                if _KPI_LINE.match(p.text) and "KPI" in p.text:
                    loc = ("fields", fi, "measures", mi, "paragraphs", pi)
                    lines.setdefault(m.id, []).append((p.text, plan_source.line_of(loc)))
    problems = []
    for si, section in enumerate(data.kpi_results.sections):
        for ki, kpi in enumerate(section.kpis):
            target = kpi.target_value
            if kpi.is_qualitative or kpi.target_basis or target is None or not lines.get(section.id):
                continue
            wording = _normal(kpi.statement.replace("{target}", ""))
            text, line = max(lines[section.id], key=lambda c: SequenceMatcher(
                None, wording, _normal(_KPI_LINE.sub("", c[0]))).ratio())
            if any(q.value == target.value and q.unit in ("", target.unit) for q in _figures(text)):
                continue
            loc = ("sections", si, "kpis", ki, "target")
            problems.append(Problem(
                kpi_source.path, kpi_source.line_of(loc), format_loc(loc),
                f"目標 {target} が計画の文言と一致しません: {plan_source.path}:{line} 「{text}」",
                "the same target in plan.yaml and kpi_results.yaml (the figure is typed once)"))
    return problems
