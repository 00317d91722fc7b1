"""Writes the stress data set (tests/data/stress/nagano/R1 and R2) for the completeness test.

Run once by hand (``./run python tests/data/stress/make_stress.py``); the YAML it writes is
committed and read by tests/test_completeness.py. The data is made up: long cells (1,500+
characters in every kind with free text), a 63-row figure table, 21 numbered 取組 (①…㉑),
FY2019 periods that cross the era change (平成31年4月～令和元年6月), and rare characters
(髙 﨑 𠮷 ㈱ ①㉑ 〜 ～ ｶﾅ). Every sentence of a long cell is numbered, so a missing piece of
text names itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent / "nagano"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒"
RARE = "𠮷田㈱の髙橋さんと山﨑さん（ｹﾝﾎﾟ ｶｲｷﾞ）が4月〜6月と7月～9月の①～㉑を確認"
SENTENCES = (
    "事業所訪問を行い健康保険委員の委嘱を依頼した",
    "加入者からの照会に迅速かつ的確に対応した",
    "医療機関への文書照会を実施し適正な給付に努めた",
    "ジェネリック医薬品の使用促進に向けた通知を送付した",
    "特定健診の受診勧奨を市町村と共同で実施した",
    "保健指導の利用勧奨を電話と文書で行った",
)


def long_text(tag: str, minimum: int = 1600, rare: bool = True) -> str:
    """A paragraph of at least ``minimum`` characters, every sentence numbered and unique."""
    parts = [f"【{tag}】"]
    i = 0
    while sum(map(len, parts)) < minimum:
        i += 1
        parts.append(f"{tag}第{i}文：令和2年{(i % 12) + 1}月に{SENTENCES[i % len(SENTENCES)]}（{i * 37:,}件）。")
        if rare and i % 9 == 0:
            parts.append(f"{RARE}（{tag}-{i}）。")
    return "".join(parts)


def dump(path: Path, header: str, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    path.write_text(header + text, encoding="utf-8")


HEADER = ("# Stress data set for tests/test_completeness.py, written by tests/data/stress/make_stress.py\n"
          "# (made-up data; format: docs/data-format.md).\n")


def plan(year: int) -> dict[str, Any]:
    """令和元年度 (year 1) and 令和2年度 (year 2): the same ids, some wording changed."""
    era = "令和元年度" if year == 1 else "令和2年度"
    torikumi = []
    for n in range(21):
        text = f"{CIRCLED[n]} 取組{n + 1}：{SENTENCES[n % len(SENTENCES)]}（{era}計画、目標{n + 1}0件）"
        if n == 1:
            text += "\n" + long_text(f"計画{year}-取組2")
        if n == 20:
            text += f"\n■ KPI：{RARE}の取組㉑の実施率を9{year}.5％以上とする"
        torikumi.append({"id": f"torikumi-{n + 1:02d}", "text": text})
    measures_a = [
        {"id": "service-level", "number": "（1）", "title": "サービス水準の向上（二十一の取組）",
         "tags": ["重要度：高"], "paragraphs": torikumi},
        {"id": "long-plan", "number": "（2）", "title": "長い計画文の施策",
         "paragraphs": [{"id": "long-plan-body", "text": long_text(f"計画{year}-長文")},
                        "■ KPI：長文の施策の達成率を100％とする"]},
    ]
    if year == 1:
        measures_a.append({"id": "old-only", "number": "（3）", "title": "令和元年度だけの施策",
                           "paragraphs": ["① 令和元年度だけの取組を実施する（平成31年4月～令和元年6月を含む）"]})
    measures_b = [
        {"id": "rare-names", "number": "（1）", "title": f"𠮷田㈱・髙橋・山﨑の施策（{era}）",
         "paragraphs": [{"id": "rare-names-body", "text": f"① {RARE}。ﾊﾝｶｸｶﾅ と 〜 と ～ を含む。"}]},
        {"id": "figures", "number": "（2）", "title": "六十三行の数表の施策",
         "paragraphs": [{"id": "figures-body", "text": "① 週ごとの件数を集計し公表する。"},
                        {"id": "quarterly-body", "text": "② 四半期ごとの件数を集計する。"}]},
    ]
    if year == 2:
        measures_b.append({"id": "new-only", "number": "（3）", "title": "令和2年度からの施策",
                           "absorbs": ["old-only"],
                           "paragraphs": [{"id": "new-only-body", "text": "① 令和2年度からの取組を実施する。"}]})
    return {
        "title": f"{era} 事業計画（長野支部・負荷試験）",
        "basic_policy": ["保険者機能の強化", long_text(f"基本方針{year}", 1500, rare=False)],
        "priorities": ["𠮷田㈱との連携強化", "髙﨑地区の健診推進"],
        "fields": [
            {"id": "foundation", "number": "１．", "title": "基盤的保険者機能関係",
             "lead": ["適用・徴収業務、給付業務等の基盤的業務を確実に実施する。"], "measures": measures_a},
            {"id": "strategic", "number": "２．", "title": "戦略的保険者機能関係", "measures": measures_b},
            {"id": "organization", "number": "３．", "title": "組織体制関係",
             "measures": [{"id": "organization", "number": "（1）", "title": "人事制度の適正な運用",
                           "paragraphs": [f"① 人材育成を推進する（{era}）。"]}]},
        ],
        "notes": [{"title": "参考：負荷試験の注記", "paragraphs": [long_text(f"参考{year}", 1500, rare=False)]}],
    }


def budget(year: int) -> dict[str, Any]:
    items = [{"title": f"{CIRCLED[n]} 予算項目{n + 1}（{year}年度）", "amount": f"{(n + 1) * 1234 + year:,}",
              "measure": "service-level"} for n in range(21)]
    items.append({"title": long_text(f"予算{year}-長文"), "amount": "98,765", "measure": "long-plan"})
    return {"unit": "千円", "sections": [
        {"field": "foundation", "items": items},
        {"field": "strategic", "items": [{"title": "𠮷田㈱への委託（髙橋・山﨑）", "amount": f"{4321 + year:,}",
                                          "measure": "rare-names"}]},
        {"field": "organization", "items": []},
    ]}


def weekly_rows(count: int = 63) -> list[dict[str, Any]]:
    return [{"label": f"第{i + 1}週（{(i // 4) % 12 + 1}月）",
             "values": [f"{1000 + i * 17:,}件", f"{50 + (i % 50)}.{i % 10}％"]} for i in range(count)]


def progress_r2() -> dict[str, Any]:
    entries = []
    for n in range(21):
        entry: dict[str, Any] = {"item": f"torikumi-{n + 1:02d}", "mark": "○◎△×－"[n % 5],
                                 "text": [f"取組{n + 1}の実施状況：{SENTENCES[n % len(SENTENCES)]}（{CIRCLED[n]}）。"]}
        if n == 0:
            entry["text"].append(long_text("実施状況-取組1"))
        if n == 20:
            entry["kpi_mark"] = "△"
            entry["kpi"] = ["実施率：93.5％（令和2年12月末現在、𠮷田㈱分を含む）"]
        entries.append(entry)
    entries += [
        {"item": "long-plan-body", "mark": "○", "text": [long_text("実施状況-長文")],
         "tables": [{"title": "月分", "columns": ["決定件数", "達成件数", "達成率"], "rows": [
             {"period": "cumulative", "values": ["41,838件", "41,838件", "100％"],
              "previous": ["36,194件", "36,194件", "100％"]},
             {"period": "quarter", "values": ["14,001件", "13,999件", "99.9％"],
              "previous": ["12,345件", "12,300件", "99.6％"]}]}]},
        {"item": "rare-names-body", "mark": "◎", "text": [f"{RARE}。", "ｶﾀｶﾅ（半角）の報告 〜 ～"],
         "tables": [{"comparison": True, "rows": [
             {"label": "𠮷田㈱の請求件数", "values": ["383,223件"], "previous": ["435,117件"]},
             {"label": "髙﨑の照会比率", "values": ["1.25％"], "previous": ["1.31％"]}]}]},
        {"item": "figures-body", "mark": "○", "text": ["週ごとの件数（六十三週）。"],
         "tables": [{"title": "週", "columns": ["件数", "割合"], "rows": weekly_rows()}]},
        {"item": "quarterly-body", "mark": "△", "text": ["四半期ごとの件数。"],
         "tables": [{"quarterly": True, "rows": [
             {"label": "文書", "quarters": ["3,465件", "5,291件", "5,089件"], "previous": "13,676件"},
             {"label": "平成31年度", "quarters": ["3,001件", "4,002件", "5,003件", "6,004件"]}]}]},
        {"item": "new-only-body", "mark": "－", "text": ["令和2年度からの取組の状況。"]},
    ]
    return {"quarter": 3, "entries": entries}


def progress_r1() -> dict[str, Any]:
    """第1四半期 of FY2019: its cumulative period is 平成31年4月～令和元年6月."""
    return {"quarter": 1, "entries": [
        {"item": "torikumi-01", "mark": "○", "text": [long_text("令和元年度実施状況")],
         "tables": [{"title": "月分", "columns": ["決定件数", "達成率"], "rows": [
             {"period": "cumulative", "values": ["12,345件", "99.1％"], "previous": ["11,111件", "98.7％"]}]}]},
        {"item": "figures-body", "mark": "△", "text": ["週ごとの件数（令和元年度）。"],
         "tables": [{"title": "週", "columns": ["件数", "割合"], "rows": weekly_rows(61)}]},
        {"item": "rare-names-body", "mark": "◎", "text": [f"{RARE}（令和元年度）。"]},
    ]}


def kpi_results() -> dict[str, Any]:
    media = [[f"広報媒体{i + 1}（{'𠮷田㈱' if i % 10 == 0 else 'けんぽ便り'}）",
              f"令和2年{i % 12 + 1}月号に記事掲載（第{i + 1}回）"] for i in range(62)]
    return {"grading": "3段階", "sections": [
        {"id": "service-level", "field": "基盤的保険者機能関係", "number": "（1）", "title": "サービス水準の向上",
         "group": "業務グループ",
         "kpis": [
             {"id": "service-standard", "statement": "サービススタンダードの達成状況を{target}とする",
              "indicator": "サービススタンダード達成状況", "target": "100％", "direction": "とする",
              "actual": "100％", "previous": "100％"},
             {"id": "long-statement", "statement": long_text("KPI文") + "{target}以上とする",
              "note": "（※）" + long_text("KPI注記", 400), "indicator": "長いKPIの指標（𠮷田㈱・髙橋・山﨑）",
              "target": "98.6％", "direction": "以上", "actual": "94.2％", "previous": "97.0％"}],
         "plan": [long_text("KPI実績-事業計画"), "・短い計画の点"],
         "results": [long_text("KPI実績-実施結果"), f"○ {RARE}"],
         "tables": [{"title": "広報媒体と時期（六十二行）", "columns": ["広報媒体", "時期"], "rows": media}]},
        {"id": "no-kpi", "field": "基盤的保険者機能関係", "number": "（2）", "title": "KPI設定のない施策（髙﨑）",
         "group": "企画総務グループ", "kpis": [],
         "plan": ["平成31年4月～令和元年6月の実績を踏まえて実施する。"],
         "results": ["ｶﾀｶﾅ 〜 ～ ①㉑ の結果。"]},
        {"id": "strategic", "field": "戦略的保険者機能関係", "number": "（3）", "title": "健診の推進",
         "group": "保健グループ",
         "kpis": [{"id": "checkup-rate", "statement": "特定健診実施率を{target}以上とする",
                   "indicator": "特定健診実施率", "target": "60.3％", "direction": "以上",
                   "actual": "58.1％", "previous": "57.2％"},
                  {"id": "cost-per-case", "statement": "一件あたりの費用を{target}以下とする",
                   "indicator": "一件あたり費用", "target": "6,615円", "direction": "以下",
                   "actual": "6,600円", "previous": "6,700円"}],
         "plan": ["特定健診の受診勧奨を行う。"], "results": ["受診勧奨を行った。"]},
    ]}


def meta(year: int) -> dict[str, Any]:
    return {"title": f"令和{'元' if year == 1 else year}年度 長野支部 負荷試験（𠮷田㈱・髙﨑）",
            "confidentiality": "機密性2",
            "council": {"number": 3, "material": 1, "date": "2021-01-15" if year == 2 else "2019-07-12"},
            "era_policy": {"heisei31": False}}


def main() -> None:
    for year in (1, 2):
        folder = HERE / f"R{year}"
        dump(folder / "plan.yaml", HEADER, plan(year))
        dump(folder / "budget.yaml", HEADER, budget(year))
        dump(folder / "meta.yaml", HEADER, meta(year))
    dump(HERE / "R1" / "progress" / "Q1.yaml", HEADER, progress_r1())
    dump(HERE / "R2" / "progress" / "Q3.yaml", HEADER, progress_r2())
    dump(HERE / "R2" / "kpi_results.yaml", HEADER, kpi_results())


if __name__ == "__main__":
    main()
