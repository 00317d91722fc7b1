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
