"""The shape of each data file, checked with pydantic; messages translated for the user.

Shape (keys, types, required fields) is checked here; meaning (quantities, cross-field
rules, unique ids) is checked in ``dataset.py`` against the same source lines.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import unicodedata
from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from reportgen.errors import Problem
from reportgen.load.yaml_source import Source
from reportgen.wareki import parse_date


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "whitespace only")
    return value


def _nfkc(value: Any) -> Any:
    """３段階 is 3段階: a choice is compared in NFKC, as 年度 (令和５年度) are read."""
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value


Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Text = Annotated[str, Field(min_length=1), AfterValidator(_not_blank)]
NFKC = BeforeValidator(_nfkc)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _wareki_date(value: Any) -> Any:
    """A meeting date in 和暦 (令和3年1月15日, R3.1.15) as a date; YAML reads ISO dates itself."""
    if isinstance(value, str):
        try:
            return parse_date(value.strip())
        except ValueError:  # WarekiError included: pydantic reports it as not a date
            return value
    return value


class CouncilIn(Strict):
    number: int
    material: int | None = None
    date: Annotated[dt.date | None, BeforeValidator(_wareki_date)] = None


class EraPolicyIn(Strict):
    heisei31: bool = False


class MetaIn(Strict):
    title: Text | None = None
    confidentiality: Text | None = None
    council: CouncilIn | None = None
    era_policy: EraPolicyIn = EraPolicyIn()


class KpiIn(Strict):
    id: Id
    statement: Text
    note: Text | None = None
    indicator: Text
    target: Text
    direction: Annotated[Literal["以上", "以下", "とする", "実施"], NFKC]
    better: Annotated[Literal["高い", "低い"], NFKC] | None = None
    actual: Text
    previous: Text | None = None


class TableIn(Strict):
    title: Text | None = None
    columns: list[Text] = Field(min_length=1)
    rows: list[list[str]]


class ChartSeriesIn(Strict):
    name: Text
    values: list[str | None] = Field(min_length=1)  # figures with their unit (81.4％); null: none


class ChartIn(Strict):
    id: Id
    kind: Annotated[Literal["line", "bar", "clustered-bar"], NFKC] = "line"
    title: Text
    x_title: str = ""
    y_title: str = ""
    y_min: str | None = None  # the value axis's range, figures with their unit
    y_max: str | None = None
    categories: list[Text] = Field(min_length=1)
    series: list[ChartSeriesIn] = Field(min_length=1)


class KpiSectionIn(Strict):
    id: Id
    field: Text
    number: Text
    title: Text
    summary_title: Text | None = None
    group: Text
    kpis: list[KpiIn] = []
    plan: list[Text] = []
    results: list[Text] = []
    tables: list[TableIn] = []
    charts: list[ChartIn] = []


class KpiResultsIn(Strict):
    grading: Annotated[Literal["2段階", "3段階"], NFKC] = "2段階"
    sections: list[KpiSectionIn] = Field(min_length=1)


class PlanParagraphIn(Strict):
    id: Id
    text: Text


class MeasureIn(Strict):
    id: Id
    number: str = ""
    title: Text
    tags: list[Text] = []
    absorbs: list[Id] = []
    paragraphs: list[Text | PlanParagraphIn] = []


class PlanFieldIn(Strict):
    id: Id
    number: str = ""
    title: Text
    # The heading as this plan prints it beside another year's (plan-budget), where that is not
    # its number and title: ［基盤的保険者機能関係］; "" prints none.
    printed: str | None = None
    lead: list[Text] = []
    measures: list[MeasureIn] = []


class PlanNoteIn(Strict):
    title: Text
    paragraphs: list[Text] = []


class PlanIn(Strict):
    title: Text | None = None
    basic_policy: list[Text] = []
    priorities: list[Text] = []
    fields: list[PlanFieldIn] = Field(min_length=1)
    notes: list[PlanNoteIn] = []


class BudgetItemIn(Strict):
    title: Text
    amount: Text
    measure: Id | None = None


class BudgetSectionIn(Strict):
    field: Id
    items: list[BudgetItemIn] = []


class BudgetIn(Strict):
    unit: Annotated[Literal["円", "千円"], NFKC]
    sections: list[BudgetSectionIn] = Field(min_length=1)


class FigureRowIn(Strict):
    label: Text | None = None
    period: Annotated[Literal["cumulative", "quarter"], NFKC] | None = None
    through: int | None = Field(default=None, ge=1, le=12)
    previous_label: Text | None = None
    values: list[str] = []
    previous: list[str] | Text | None = None
    quarters: list[Text] = []
    total: Text | None = None


class FigureTableIn(Strict):
    title: Text | None = None
    columns: list[Text] = []
    quarterly: bool = False
    comparison: bool = False
    rows: list[FigureRowIn] = Field(min_length=1)


class ProgressEntryIn(Strict):
    item: Id
    mark: Text
    kpi_mark: Text | list[Text] | None = None
    text: list[Text] = []
    kpi: list[Text] = []
    tables: list[FigureTableIn] = []


class ProgressIn(Strict):
    quarter: int = Field(ge=1, le=4)
    council: CouncilIn | None = None  # the council this quarter's sheet goes to, over meta.yaml's
    entries: list[ProgressEntryIn] = Field(min_length=1)


# What each field expects, in the words of the data format (docs/data-format.md).
EXPECTED: dict[str, str] = {
    "direction": "以上, 以下, とする or 実施",
    "target": "a figure such as 98.6％, 前年度 / 前年度末, or for 実施 the text of the target",
    "actual": "a figure such as 98.7％, or 実施 / 未実施",
    "previous": "a figure such as 98.6％",
    "id": "lower-case letters, digits and '-', such as service-standard",
    "grading": "2段階 or 3段階",
    "better": "高い or 低い",
    "date": "a date such as 2024-07-12 or 令和6年7月12日",
    "unit": "円 or 千円",
    "amount": "a non-negative amount such as 9,818",
    "field": "the id of a 分野 in plan.yaml",
    "measure": "the id of a 施策 in plan.yaml",
    "item": "the id of a 取組 (a paragraph with an id) in plan.yaml",
    "mark": "◎, ○, △, × or －, or 空欄 where the sheet prints no mark",
    "kpi_mark": "◎, ○, △, × or －",
    "quarter": "1, 2, 3 or 4",
    "through": "a month from 1 to 12, such as 11 for 令和2年4月～11月",
}

_MESSAGES: dict[str, str] = {
    "missing": "必須の項目がありません。",
    "extra_forbidden": "この項目は使えません（項目名の誤りではありませんか）。",
    "string_type": "文字列ではありません。",
    "string_too_short": "空です。",
    "blank": "空白だけです。",
    "string_pattern_mismatch": "書式が正しくありません。",
    "list_type": "リスト（- で始まる行）ではありません。",
    "too_short": "空です。",
    "dict_type": "項目の集まり（名前: 値）ではありません。",
    "model_type": "項目の集まり（名前: 値）ではありません。",
    "model_attributes_type": "項目の集まり（名前: 値）ではありません。",
    "int_parsing": "整数ではありません。",
    "int_type": "整数ではありません。",
    "bool_parsing": "true / false ではありません。",
    "bool_type": "true / false ではありません。",
    "date_from_datetime_parsing": "日付ではありません。",
    "date_parsing": "日付ではありません。",
    "date_type": "日付ではありません。",
    "literal_error": "使えない値です。",
}


M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], source: Source) -> tuple[M | None, list[Problem]]:
    """Check ``source`` against ``model``; every problem, located, in Japanese.

    With problems, the model returned (if any) is what is left of the file without the
    items that hold them: for finding the other problems, never for building a document.
    """
    try:
        return model.model_validate(source.data if source.data is not None else {}), []
    except ValidationError as exc:
        errors = exc.errors()
    # A misspelt key is one mistake: its suggestion stands for the "missing" of the real key.
    misspelt = {(*err["loc"][:-1], close) for err in errors if err["type"] == "extra_forbidden"
                for close in _suggest(model, tuple(err["loc"]))}
    problems = [_problem(source, err, model) for err in errors
                if not (err["type"] == "missing" and tuple(err["loc"]) in misspelt)]
    # The rest of the file is checked too (every problem in one run): without the items that
    # hold a shape problem, the file is validated again for the meaning checks.
    if source.prune([tuple(err["loc"]) for err in errors]):
        with contextlib.suppress(ValidationError):
            return model.model_validate(source.data if source.data is not None else {}), problems
    return None, problems


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


def known_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the file may write where ``loc`` (a key) is: for a suggestion."""
    models = [model]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        models = [inner for m in models
                  for inner in (_models_in(m.model_fields[part].annotation) if part in m.model_fields
                                else [m] if part == m.__name__ else [])]
    return sorted({name for m in models for name in m.model_fields})


def _suggest(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The valid key nearest to the unknown one at ``loc``, if one is near."""
    return difflib.get_close_matches(str(loc[-1]), known_keys(model, loc), n=1, cutoff=0.6)


def _problem(source: Source, err: Any, model: type[BaseModel]) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    message = _MESSAGES.get(kind, str(err["msg"]))
    if kind not in ("missing", "extra_forbidden") and "input" in err:
        shown = err["input"]
        if isinstance(shown, str):
            message = f"「{shown}」は{message.removesuffix('。')}。" if kind not in ("string_too_short", "blank") \
                else message
        elif kind == "string_type" and isinstance(shown, dict) and len(shown) == 1:
            key, value = next(iter(shown.items()))
            message = (f"「{key}: {value}」は「名前: 値」と読まれました。「: 」を含む文字列は"
                       "引用符（\"…\"）で囲んでください。")
    expected = EXPECTED.get(field, "")
    if kind == "extra_forbidden":
        close = _suggest(model, loc)
        expected = ""
        if close:
            message = f"この項目は使えません。「{close[0]}」の誤りではありませんか。"
    elif kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", expected)
    elif not expected and kind in ("string_type", "string_too_short", "blank"):
        expected = "text"
    elif not expected and kind in ("list_type", "too_short"):
        expected = "a list of one or more items"
    return source.problem(loc, message, expected)
