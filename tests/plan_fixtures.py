"""Small plans and budgets, written as a branch would write them, for the plan reports' tests."""

from __future__ import annotations

from pathlib import Path

PLAN_R4 = """\
basic_policy: [能動的な業務体制への変革]
priorities: [健全な財政運営]
fields:
  - id: foundation
    number: "1."
    title: 基盤的保険者機能関係
    measures:
      - id: service
        number: (2)
        title: サービス水準の向上
        paragraphs:
          - "■令和4年度目標(KPI)：現金給付等の申請に係る郵送化率 96.5%以上"
      - id: receipt-review
        number: (5)
        title: 効果的なレセプト点検の推進
        tags: [困難度：高]
        paragraphs:
          - ① 資格点検
      - id: judo-inquiry
        number: (6)
        title: 柔道整復施術療養費の照会業務の強化
        paragraphs:
          - 文書照会を強化し給付の適正化を図る。
      - id: old-only
        number: (7)
        title: あんまマッサージ指圧の審査手順の最適化
"""

PLAN_R5 = """\
basic_policy: [能動的な業務体制への変革, 地域との連携強化]
priorities: [健全な財政運営]
fields:
  - id: foundation
    number: "1."
    title: 基盤的保険者機能関係
    measures:
      - id: service
        number: (2)
        title: サービス水準の向上
        tags: [困難度：高]
        paragraphs:
          - ■ KPI：現金給付等の申請に係る郵送化率を98.6%以上とする
      - id: cash-benefit
        number: (4)
        title: 現金給付の適正化の推進
        absorbs: [judo-inquiry]
        paragraphs:
          - 柔道整復施術療養費について文書照会等を強化する。
      - id: receipt-review
        number: (5)
        title: 効果的なレセプト内容点検の推進
        tags: [困難度：高]
        paragraphs:
          - ① 資格点検・外傷点検
  - id: strategic
    number: "2."
    title: 戦略的保険者機能関係
    measures:
      - id: new-only
        number: (1)
        title: 特定健診実施率の向上
"""

BUDGET_R3 = """\
unit: 円
sections:
  - field: foundation
    items:
      - {title: 事業者健診結果取得勧奨, amount: "9,817,500", measure: service}
      - {title: パンチ入力委託, amount: "617,499", measure: service}
      - {title: チラシ作製, amount: "132,000"}
  - field: strategic
    items:
      - {title: 集団健診, amount: "6,221,000", measure: new-only}
"""

BUDGET_R2 = """\
unit: 千円
sections:
  - field: foundation
    items:
      - {title: 事業者健診結果取得勧奨, amount: "9,058", measure: service}
      - {title: 文書照会, amount: "440", measure: judo-inquiry}
"""


def write_plans(root: Path, branch: str = "saitama", new: str = "R5", old: str = "R4",
                budgets: bool = False) -> Path:
    for year, plan, budget in ((new, PLAN_R5, BUDGET_R3), (old, PLAN_R4, BUDGET_R2)):
        folder = root / branch / year
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "plan.yaml").write_text(plan, encoding="utf-8")
        if budgets:
            (folder / "budget.yaml").write_text(budget, encoding="utf-8")
    return root


PLAN_R2 = """\
title: 令和2年度 事業計画（埼玉支部）
basic_policy: [保険者機能のさらなる強化, 基本に立脚した事務処理]
priorities: [地域との連携強化]
fields:
  - id: foundation
    number: "1．"
    title: 基盤的保険者機能関係
    measures:
      - id: service-level
        number: （1）
        title: サービス水準の向上
        paragraphs:
          - id: service-standard
            text: |-
              ① 適切な進捗管理を行い、サービススタンダードを遵守する。
              ■令和2年度目標（ＫＰＩ）：サービススタンダードの達成状況 100％
          - id: mail-application
            text: ② 現金給付等に係る郵送化を促進する。
  - id: strategic
    number: "2．"
    title: 戦略的保険者機能関係
    measures:
      - id: judo
        number: （1）
        title: 柔道整復施術療養費の照会業務の強化
        paragraphs:
          - id: judo-inquiry
            text: ① 患者照会を強化する。
          - id: not-yet
            text: ② 年度末に実施する。
"""

PROGRESS_Q3 = """\
quarter: 3
entries:
  - item: service-standard
    mark: ○
    kpi_mark: △
    text: [進捗状況を日時で管理、適正に業務を実施。]
    kpi: [提出率：74.0％（令和3年1月5日現在）]
    tables:
      - columns: [決定件数, 達成件数, 達成率]
        title: 月分
        rows:
          - period: cumulative
            values: ["41,838件", "41,838件", 100％]
            previous: ["36,194件", "36,194件", 100％]
      - columns: [回収率]
        rows:
          - {period: cumulative, through: 11, values: [92.85%], previous: [92.08%]}
          - {label: 令和2年12月末, previous_label: 平成31年度末, values: ["6,433件"], previous: ["6,132件"]}
      - comparison: true
        rows:
          - {period: cumulative, values: ["16,978件"], previous: ["16,805件"]}
          - {label: 照会比率, values: [4.4%], previous: [3.9%]}
  - item: mail-application
    mark: ◎
    text: [埼玉だより6月号において記事を掲載。]
    tables:
      - rows:
          - {period: cumulative, values: [95.3％], previous: [93.0％]}
        columns: [郵送化率]
  - item: judo-inquiry
    mark: △
    text: [患者照会を実施。]
    tables:
      - title: 患者照会の実施件数
        quarterly: true
        rows:
          - label: 照会件数
            quarters: ["2,100件", "2,200件", "2,133件"]
            previous: 6,433件
            total: 6,433件
      - title: 結果反映月
        quarterly: true
        rows:
          - label: 平成31年度
            quarters: ["44,186千円", "46,691千円", "51,624千円", "47,338千円"]
            total: 189,839千円
          - label: 令和2年度
            quarters: ["40,808千円", "40,224千円", "42,479千円"]
  - item: not-yet
    mark: －
"""


def write_progress(root: Path) -> Path:
    folder = root / "saitama" / "R2"
    (folder / "progress").mkdir(parents=True, exist_ok=True)
    (folder / "plan.yaml").write_text(PLAN_R2, encoding="utf-8")
    (folder / "progress" / "Q3.yaml").write_text(PROGRESS_Q3, encoding="utf-8")
    (folder / "meta.yaml").write_text(
        "confidentiality: 機密性2\ncouncil: {number: 5, material: 2, date: 2021-01-15}\n", encoding="utf-8")
    return root
