"""Report logic on the document model: each report kind's model for one sample (JSON, fields
at their defaults left out), kept in tests/golden/<branch>-<year>-<kind>.model.json, a file a
reviewer reads in a diff.

After an intended change, regenerate with ``REPORTGEN_ACCEPT=1 ./run pytest tests/test_golden_models.py``
and read the diff before committing. No document is rendered: these run in a second.
"""

from __future__ import annotations

import dataclasses
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from reportgen.branches import get_branch
from reportgen.build import documents, load_for, national_documents
from reportgen.document import MODEL_VERSION, Document
from reportgen.reports import REPORTS
from reportgen.wareki import parse_fiscal_year
from tests.conftest import DATA

GOLDEN = Path(__file__).resolve().parent / "golden"
# One sample per report kind: (branch, year, quarter).
SAMPLES = {
    "kpi-results": ("shizuoka", "R5", None),
    "kpi-summary": ("shizuoka", "R5", None),
    "progress": ("saitama", "R2", 3),
    "plan-comparison": ("saitama", "R5", None),
    "plan-budget": ("gunma", "R3", None),
    "kpi-national": ("national", "R5", None),  # every sample branch's R5 KPI results
    "annual-summary": ("national", "R2", None),  # seeds/004
}


def readable(value: Any) -> Any:
    """The model as JSON without the fields left at their defaults (bold: false on every run),
    each dataclass tagged with its type: the shape a reviewer reads in a diff."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"type": type(value).__name__}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            default = f.default if f.default is not dataclasses.MISSING else (
                f.default_factory() if f.default_factory is not dataclasses.MISSING else dataclasses.MISSING)
            if item != default:
                out[f.name] = readable(item)
        return out
    if isinstance(value, (list, tuple)):
        return [readable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


ONE_LINE = ("Cell", "Column", "Heading", "Paragraph", "PageBreak", "Style", "PageSetup")


def _dump(value: Any, indent: str = "") -> str:
    """JSON with one line per cell, column, heading or paragraph: a changed cell is a changed line."""
    inner = indent + " "
    if isinstance(value, dict) and value.get("type") not in ONE_LINE:
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dump(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and value and any(isinstance(v, (dict, list)) for v in value):
        return "[\n" + ",\n".join(inner + _dump(v, inner) for v in value) + f"\n{indent}]"
    return json.dumps(value, ensure_ascii=False)


def model_text(document: Document) -> str:
    return _dump({"model_version": MODEL_VERSION, **readable(document)}) + "\n"


def test_every_report_kind_has_a_golden_model() -> None:
    assert set(SAMPLES) == set(REPORTS)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_the_model_matches_its_golden_file(kind: str) -> None:
    branch, year, quarter = SAMPLES[kind]
    fy = parse_fiscal_year(year)
    if REPORTS[kind].national:
        (document,) = national_documents(DATA, fy, [kind])
    else:
        (document,) = documents(load_for(DATA, get_branch(branch), fy, [kind], quarter), [kind])
    model = model_text(document)
    golden = GOLDEN / f"{branch}-{year}-{kind}.model.json"
    if os.environ.get("REPORTGEN_ACCEPT") == "1":
        golden.write_text(model, encoding="utf-8")
    assert golden.is_file(), f"{golden.name} is missing: run with REPORTGEN_ACCEPT=1 and read the diff"
    assert model == golden.read_text(encoding="utf-8"), (
        f"{kind}: the model differs from {golden.name}; if intended, regenerate with REPORTGEN_ACCEPT=1")
