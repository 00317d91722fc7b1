"""KPI cells shared by the KPI 実績 sections and the ＫＰＩ実績一覧表."""

from __future__ import annotations

from reportgen.document import Cell, NumberFormat, para
from reportgen.grading import grade
from reportgen.model.kpi import GradingPolicy, Kpi
from reportgen.model.quantity import Quantity


def target_text(kpi: Kpi) -> str:
    """100％; 前年度(0.54％)以下; 意見発信の実施."""
    if kpi.is_qualitative:
        return kpi.qualitative_target or ""
    assert kpi.target_value is not None
    if kpi.target_basis:
        return f"{kpi.target_basis}({kpi.target_value}){kpi.direction}"
    return kpi.target_value.format()


def statement_text(kpi: Kpi) -> str:
    """The KPI as stated, its target figure filled in from the one place it is typed."""
    value = kpi.qualitative_target if kpi.is_qualitative else str(kpi.target_value)
    return kpi.statement.replace("{target}", value or "")


def value_cell(value: Quantity | str | None) -> Cell:
    """A figure: printed text for documents, the number and its format for spreadsheets."""
    if value is None:
        return Cell((para("－"),), align="center")
    if isinstance(value, str):
        return Cell((para(value),), align="center")
    return Cell(
        (para(value.format()),),
        align="right",
        number=value.value,
        number_format=NumberFormat(value.places, value.unit),
    )


def kpi_cell(kpi: Kpi, key: str, policy: GradingPolicy, label: str = "") -> Cell:
    """The cell for column ``key`` of a KPI row; ``label`` is the numbered text column."""
    match key:
        case "indicator" | "statement":
            return Cell((para(label),))
        case "target":
            if kpi.target_basis or kpi.is_qualitative:
                return Cell((para(target_text(kpi)),), align="center")
            return value_cell(kpi.target_value)
        case "actual":
            return value_cell(kpi.actual)
        case "previous":
            return value_cell(kpi.previous)
        case "grade":
            return Cell((para(str(grade(kpi, policy))),), align="center")
    raise KeyError(key)


KPI_COLUMN_KEYS = ("indicator", "statement", "target", "actual", "previous", "grade")
