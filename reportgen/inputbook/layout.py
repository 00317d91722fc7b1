"""Which sheet holds which part of a data set, column by column.

The writer and the reader share these tables, so a column cannot be written in one place
and looked for in another. Columns are found by their header text when reading, so a
person may reorder or widen them; the header row itself is what locates the data.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.load.dataset import BUDGET_FILE, KPI_RESULTS_FILE, META_FILE, PLAN_FILE
from reportgen.model.kpi import DIRECTIONS
from reportgen.model.progress import MARKS, NO_MARK

FORMAT = "reportgen-input"
VERSION = 1
INFO_SHEET = "_reportgen"  # hidden: format, version, branch, year, quarter, parts
GUIDE_SHEET = "説明"
HEADER_ROW = 2  # row 1 is the sheet's title line
SPARE_ROWS = 30  # unlocked empty rows under the data, for new entries
VALUES = 6  # value columns of a figure table
CHART_VALUES = 12  # categories (values) of a chart: a year's months
PROGRESS = "progress"  # the part name of progress/Q<N>.yaml

MARK_CHOICES = (*MARKS, NO_MARK)
YES, NO = "はい", "いいえ"
PERIODS = {"累計": "cumulative", "四半期": "quarter"}
TABLE_KINDS = {"通常": "", "前年比較": "comparison", "四半期": "quarterly"}
HEADING, ROW = "見出し", "行"
CATEGORIES, SERIES = "項目", "系列"
CHART_TYPES = ("line", "bar", "clustered-bar")
POLICY_KINDS = ("基本方針", "重点施策", "参考")
KPI_TEXT_KINDS = {"事業計画": "plan", "主な取組み・実施結果等": "results"}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 14
    choices: tuple[str, ...] = ()  # a drop-down list; refused otherwise unless ``open``
    open: bool = False  # the drop-down suggests, other values are allowed (分野 names)
    context: bool = False  # shown for reference, locked, never read back
    figure: bool = False  # a number with its unit: a number cell with a unit format
    wrap: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    part: str  # the data file it belongs to
    title: str  # row 1, a line of guidance
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _values(prefix: str, header: str, figure: bool) -> tuple[Column, ...]:
    return tuple(Column(f"{prefix}{i}", f"{header}{i}", 12, figure=figure) for i in range(1, VALUES + 1))


PLAN_POLICY = Sheet("計画_方針", PLAN_FILE, "基本方針・重点施策・参考（計画の表の後の部分）を一行に一つずつ。", (
    Column("kind", "区分", 12, choices=POLICY_KINDS),
    Column("title", "参考の見出し", 36, wrap=True),
    Column("text", "文言", 90, wrap=True),
))
PLAN_FIELDS = Sheet("計画_分野", PLAN_FILE,
                    "分野を計画の順に一行に一つずつ。分野IDは毎年同じにします。", (
    Column("id", "分野ID", 16),
    Column("number", "番号", 8),
    Column("title", "分野名", 40),
    # plan.yaml's printed: the heading beside the next year's plan; NO_HEADING for "" (none).
    Column("printed", "翌年度と並べた時の見出し", 28),
))
NO_HEADING = "（なし）"  # a blank cell is no value at all; this one is the empty heading
PLAN_MEASURES = Sheet("計画_施策", PLAN_FILE,
                      "施策を計画の順に。施策IDは毎年同じにします（新旧対照表はIDで対応づけます）。", (
    Column("field", "分野ID", 16),
    Column("id", "施策ID", 24),
    Column("number", "番号", 8),
    Column("title", "施策名", 40, wrap=True),
    Column("tags", "重要度・困難度", 24),
    Column("absorbs", "統合した前年度の施策ID", 24),
))
PLAN_TEXT = Sheet("計画_本文", PLAN_FILE, "施策の本文を段落ごとに一行ずつ。施策IDが空の行は分野の前文です。", (
    Column("field", "分野ID", 16),
    Column("measure", "施策ID", 24),
    Column("id", "取組ID", 24),
    Column("text", "本文", 90, wrap=True),
))
KPI_SECTIONS = Sheet("KPI_施策", KPI_RESULTS_FILE, "KPI実績の施策を資料の順に一行に一つずつ。", (
    Column("id", "施策ID", 24),
    Column("field", "分野", 24, open=True),
    Column("number", "番号", 8),
    Column("title", "施策名", 36, wrap=True),
    Column("summary_title", "一覧表の施策名", 24, wrap=True),
    Column("group", "担当グループ", 18),
))
KPIS = Sheet("KPI", KPI_RESULTS_FILE,
             "KPIを一行に一つずつ。目標・実績は単位つきの数値（98.6％）、または 前年度 / 実施 など。", (
    Column("section", "施策ID", 20),
    Column("id", "KPI ID", 22),
    Column("statement", "KPI（計画の文言）", 50, wrap=True),
    Column("note", "注", 20, wrap=True),
    Column("indicator", "指標", 28, wrap=True),
    Column("target", "目標", 12, figure=True),
    Column("direction", "方向", 8, choices=DIRECTIONS),
    Column("better", "良い方向", 8, choices=("高い", "低い")),
    Column("actual", "実績", 12, figure=True),
    Column("previous", "前年度実績", 12, figure=True),
))
KPI_TEXT = Sheet("KPI_本文", KPI_RESULTS_FILE, "事業計画と主な取組み・実施結果等を一項目ずつ一行に。", (
    Column("section", "施策ID", 20),
    Column("kind", "区分", 22, choices=tuple(KPI_TEXT_KINDS)),
    Column("text", "文言", 90, wrap=True),
))
KPI_TABLES = Sheet("KPI_表", KPI_RESULTS_FILE, "結果の後に載せる小さな表。表ごとに区分「見出し」の行を最初に。", (
    Column("section", "施策ID", 20),
    Column("table", "表", 5),
    Column("kind", "区分", 8, choices=(HEADING, ROW)),
    Column("title", "表題", 20, wrap=True),
    *(Column(f"v{i}", f"列{i}", 24, wrap=True) for i in range(1, VALUES + 1)),
))
KPI_CHARTS = Sheet("KPI_グラフ", KPI_RESULTS_FILE,
                   "KPI表の後のグラフ。グラフごとに「見出し」「項目」の行、系列ごとに「系列」の行（値は単位つき）。", (
    Column("section", "施策ID", 20),
    Column("chart", "グラフID", 22),
    Column("kind", "区分", 8, choices=(HEADING, CATEGORIES, SERIES)),
    Column("title", "表題・系列名", 24, wrap=True),
    Column("type", "種類", 12, choices=CHART_TYPES),
    Column("x_title", "横軸の題", 12),
    Column("y_title", "縦軸の題", 12),
    Column("y_min", "縦軸の最小", 10),
    Column("y_max", "縦軸の最大", 10),
    *(Column(f"v{i}", f"値{i}", 12) for i in range(1, CHART_VALUES + 1)),
))
BUDGET = Sheet("予算", BUDGET_FILE, "保険者機能強化予算の取組を一行に一つずつ（金額は基本情報の「予算の単位」で）。", (
    Column("field", "分野ID", 16),
    Column("title", "取組", 60, wrap=True),
    Column("amount", "予算", 14, figure=True),
    Column("measure", "施策ID", 22),
))
PROGRESS_ENTRIES = Sheet("実施状況", PROGRESS, "取組ごとの実施状況。記号を選び、文章は段落の間を空行で区切ります。", (
    Column("item", "取組ID", 22),
    Column("measure", "施策", 24, context=True, wrap=True),
    Column("plan", "計画（取組）", 48, context=True, wrap=True),
    Column("mark", "記号", 7, choices=MARK_CHOICES),
    Column("kpi_mark", "KPIの記号", 8, choices=tuple(MARKS)),
    Column("kpi_mark2", "KPIの記号2", 8, choices=tuple(MARKS)),
    Column("text", "実施状況", 60, wrap=True),
    Column("kpi", "KPIの進捗", 40, wrap=True),
))
PROGRESS_FIGURES = Sheet("図表", PROGRESS, "実施状況の後に載せる数値の表。表ごとに区分「見出し」の行を最初に。", (
    Column("item", "取組ID", 22),
    Column("table", "表", 5),
    Column("kind", "区分", 8, choices=(HEADING, ROW)),
    Column("type", "種類", 10, choices=tuple(TABLE_KINDS)),
    Column("label", "表題・行見出し", 20, wrap=True),
    Column("period", "期間", 8, choices=tuple(PERIODS)),
    Column("through", "何月まで", 8),
    Column("previous_label", "前年同期の見出し", 16),
    Column("total", "合計", 12, figure=True),
    *_values("v", "値", True),
    *_values("p", "前年", True),
))

PART_SHEETS: dict[str, tuple[Sheet, ...]] = {
    META_FILE: (),
    PLAN_FILE: (PLAN_POLICY, PLAN_FIELDS, PLAN_MEASURES, PLAN_TEXT),
    KPI_RESULTS_FILE: (KPI_SECTIONS, KPIS, KPI_TEXT, KPI_TABLES, KPI_CHARTS),
    BUDGET_FILE: (BUDGET,),
    PROGRESS: (PROGRESS_ENTRIES, PROGRESS_FIGURES),
}
PARTS = tuple(PART_SHEETS)  # in the order of the workbook's sheets


@dataclass(frozen=True)
class Setting:
    """A row of the 基本情報 sheet: one scalar of one file."""

    part: str
    path: tuple[str, ...]
    label: str
    choices: tuple[str, ...] = ()
    note: str = ""


META_SHEET = "基本情報"
SETTINGS = (
    Setting(META_FILE, ("title",), "資料の題名", note="空欄なら自動"),
    Setting(META_FILE, ("confidentiality",), "機密性の表示", note="例: 機密性2"),
    Setting(META_FILE, ("council", "number"), "評議会の回", note="第5回 なら 5"),
    Setting(META_FILE, ("council", "material"), "資料番号", note="資料2 なら 2"),
    Setting(META_FILE, ("council", "date"), "評議会の開催日", note="日付、または 令和6年7月12日"),
    Setting(META_FILE, ("era_policy", "heisei31"), "平成31年度と書く", (YES, NO),
            "2019年度を平成31年度と書くなら はい"),
    Setting(KPI_RESULTS_FILE, ("grading",), "KPIの判定", ("2段階", "3段階"), "3段階は 概ね達成（95％以上）あり"),
    Setting(PLAN_FILE, ("title",), "計画の題名", note="例: 令和5年度 事業計画（埼玉支部）"),
    Setting(BUDGET_FILE, ("unit",), "予算の単位", ("千円", "円"), "予算シートの金額の単位"),
)
