"""新旧対照表 and 事業計画（案）及び予算（案） on small plans: pairing by id, underlines in all
three formats, computed totals, and bad plan/budget input."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from reportgen.textdiff import mark_changes
from tests.conftest import invoke
from tests.extract import docx_tables, norm, pdf_text, pdf_underlined, xlsx_rows
from tests.plan_fixtures import write_plans

NEW_TITLE = "(5) 効果的なレセプト内容点検の推進【困難度：高】"


def build(root: Path, branch: str, year: str, kind: str, out: Path) -> Path:
    result = invoke("build", "-b", branch, "-y", year, "--report", kind, "--data", str(root), "--output", str(out))
    assert result.exit_code == 0, result.output
    return out / branch / year


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_plans(tmp_path_factory.mktemp("data"))
    return build(root, "saitama", "R5", "plan-comparison", tmp_path_factory.mktemp("out"))


def test_the_diff_marks_whole_phrases_and_numbers() -> None:
    old, new = mark_changes("効果的なレセプト点検の推進", "効果的なレセプト内容点検の推進")
    assert new == [("効果的なレセプト", False), ("内容", True), ("点検の推進", False)]
    assert old == [("効果的なレセプト点検の推進", False)]
    old, new = mark_changes("郵送化率を96.5%以上とする", "郵送化率を98.6%以上とする")
    assert [t for t, c in new if c] == ["98.6%"] and [t for t, c in old if c] == ["96.5%"]


def underlined_docx_runs(path: Path) -> dict[str, list[tuple[str, bool]]]:
    """Each paragraph of the comparison table's cells → its runs with their underline."""
    out = {}
    for table in docx.Document(str(path)).tables[:1]:  # the comparison, not the closing summary
        for row in table.rows:
            for c in row.cells:
                for p in c.paragraphs:
                    out[p.text] = [(r.text, bool(r.underline)) for r in p.runs]
    return out


def test_only_the_changed_words_are_underlined_in_docx(comparison: Path) -> None:
    runs = underlined_docx_runs(comparison / "plan-comparison.docx")
    assert [t for t, u in runs[NEW_TITLE] if u] == ["内容"]
    assert "".join(t for t, _ in runs[NEW_TITLE]) == NEW_TITLE
    old_title = "(5) 効果的なレセプト点検の推進【困難度：高】"
    assert [t for t, u in runs[old_title] if u] == []
    new_kpi = "■ KPI：現金給付等の申請に係る郵送化率を98.6%以上とする"
    assert any("98.6%" in t for t, u in runs[new_kpi] if u)
    # A measure removed or added is marked whole, number included; a paragraph's number is not.
    for heading in ("(7) あんまマッサージ指圧の審査手順の最適化", "(1) 特定健診実施率の向上"):
        assert runs[heading] == [(heading, True)]
    paragraph = runs["① 資格点検・外傷点検"]
    assert paragraph[0] == ("① ", False) and "外傷点検" in "".join(t for t, u in paragraph if u)


def test_only_the_changed_words_are_underlined_in_xlsx(comparison: Path) -> None:
    ws = openpyxl.load_workbook(comparison / "plan-comparison.xlsx", rich_text=True).active
    assert ws is not None
    rich = next(c.value for row in ws.iter_rows() for c in row if NEW_TITLE in str(c.value))
    underlined = [b.text for b in rich if not isinstance(b, str) and b.font.u == "single"]
    assert "内容" in underlined
    assert not any("点検の推進" in t for t in underlined)


def test_only_the_changed_words_are_underlined_in_pdf(comparison: Path) -> None:
    marks = pdf_underlined(comparison / "plan-comparison.pdf", "レセプト内容点検の推進")
    assert marks == [False] * 4 + [True] * 2 + [False] * 5


def test_every_measure_appears_once_beside_its_counterpart_or_an_empty_cell(comparison: Path) -> None:
    rows = docx_tables(comparison / "plan-comparison.docx")[0]

    def row_of(text: str) -> list[str]:
        found = [r for r in rows if any(text in c for c in r)]
        assert len(found) == 1, (text, found)
        return found[0]
    row = row_of("柔道整復施術療養費の照会業務の強化")  # R4 (6), folded into R5 (4)
    assert "現金給付の適正化の推進" in row[1] and "柔道整復施術療養費の照会業務の強化" in row[2]
    row = row_of("あんまマッサージ指圧の審査手順の最適化")  # only in R4
    assert row[1] == "" and "(7)" in row[2]
    row = row_of("特定健診実施率の向上")  # only in R5
    assert "(1)" in row[1] and row[2] == ""
    assert "戦略的保険者機能関係" in row[0]
    text = norm(pdf_text(comparison / "plan-comparison.pdf"))
    assert norm("具体的施策等 令和5年度（新）") in text and norm("具体的施策等 令和4年度（旧）") in text


def test_marking_can_be_switched_off(tmp_path: Path) -> None:
    root = write_plans(tmp_path / "data")
    override = root / "saitama/templates/plan-comparison.yaml"
    override.parent.mkdir()
    override.write_text("mark_changes: false\n", encoding="utf-8")
    folder = build(root, "saitama", "R5", "plan-comparison", tmp_path / "out")
    runs = underlined_docx_runs(folder / "plan-comparison.docx")
    assert not any(u for paragraph in runs.values() for _, u in paragraph)


@pytest.fixture(scope="module")
def budget(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_plans(tmp_path_factory.mktemp("data"), "gunma", "R3", "R2", budgets=True)
    return build(root, "gunma", "R3", "plan-budget", tmp_path_factory.mktemp("out"))


def test_budget_amounts_print_in_thousand_yen_rounded_half_up(budget: Path) -> None:
    # 9,817,500円 → 9,818千円; 617,499円 → 617千円; 132,000円 → 132千円; 6,221,000円 → 6,221千円
    text = norm(pdf_text(budget / "plan-budget.pdf"))
    for amount in ("9,818", "617", "132", "6,221", "9,058", "440"):
        assert amount in text
    rows = [r for t in docx_tables(budget / "plan-budget.docx") for r in t]
    subtotals = [r for r in rows if r[0] == "小計"]
    assert [(r[2], r[5]) for r in subtotals] == [("10,567", "9,498"), ("6,221", "0")]
    total = next(r for r in rows if r[0] == "合計")
    assert (total[2], total[5]) == ("16,788", "9,498")
    change = next(r for r in rows if r[0] == "対前年度増減")
    assert change[2] == "7,290"
    for fmt_text in (text, norm("".join(c for r in rows for c in r))):
        assert "16,788" in fmt_text and "7,290" in fmt_text


def test_budget_totals_are_numbers_that_add_up_in_xlsx(budget: Path) -> None:
    rows = xlsx_rows(budget / "plan-budget.xlsx")
    labels = ("小計", "合計", "対前年度増減")
    items = [r[2] for r in rows if r[2] is not None and not isinstance(r[2], str) and r[0] not in labels]
    subtotals = [r[2] for r in rows if r[0] == "小計"]
    total = next(r[2] for r in rows if r[0] == "合計")
    assert sum(subtotals) == total == sum(items) == 16788


def test_a_decrease_prints_with_a_triangle(tmp_path: Path) -> None:
    root = write_plans(tmp_path / "data", "gunma", "R3", "R2", budgets=True)
    path = root / "gunma/R2/budget.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"9,058"', '"29,058"'), encoding="utf-8")
    folder = build(root, "gunma", "R3", "plan-budget", tmp_path / "out")
    rows = [r for t in docx_tables(folder / "plan-budget.docx") for r in t]
    assert next(r for r in rows if r[0] == "対前年度増減")[2] == "▲12,710"


@pytest.mark.parametrize(("edit", "expected"), [
    (("  - field: strategic", "  - field: strategy"),
     ("budget.yaml:{line}", "sections[1].field", "分野「strategy」は計画にありません")),
    (('amount: "132,000"', 'amount: "-132,000"'), ("budget.yaml:{line}", "sections[0].items[2].amount", "負の数です")),
    (('amount: "132,000"', 'amount: "十三万円"'), ("budget.yaml:{line}", "「十三万円」は数値ではありません")),
    (("unit: 円", "unit: 万円"), ("budget.yaml:{line}", "unit", "「万円」は使えない値です", "'円' or '千円'")),
    (('measure: new-only}', 'measure: no-such}'), ("budget.yaml:{line}", "施策「no-such」は計画にありません")),
])
def test_bad_budgets_are_reported_with_file_and_line(tmp_path: Path, edit: tuple[str, str],
                                                     expected: tuple[str, ...]) -> None:
    root = write_plans(tmp_path / "data", "gunma", "R3", "R2", budgets=True)
    path = root / "gunma/R3/budget.yaml"
    text = path.read_text(encoding="utf-8").replace(*edit)
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(edit[1])].count("\n") + 1
    result = invoke("build", "-b", "gunma", "-y", "R3", "--data", str(root), "--output", str(tmp_path / "out"))
    assert result.exit_code == 3
    for piece in expected:
        assert piece.format(line=line) in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_absorbing_an_unknown_measure_is_reported(tmp_path: Path) -> None:
    root = write_plans(tmp_path / "data")
    path = root / "saitama/R5/plan.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("absorbs: [judo-inquiry]", "absorbs: [judo]"),
                    encoding="utf-8")
    result = invoke("build", "-b", "saitama", "-y", "R5", "--data", str(root), "--output", str(tmp_path / "out"))
    assert result.exit_code == 3
    assert "plan.yaml:17: fields[0].measures[1].absorbs[0]: 前年度の計画に施策「judo」がありません" in result.output
