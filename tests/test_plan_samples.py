"""The plan documents on the transcribed sample data: seeds/002 (群馬 R3/R2) and seeds/001
(埼玉 R5/R4)."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.branches import get_branch
from reportgen.build import load_for
from reportgen.wareki import parse_fiscal_year
from tests.conftest import DATA, ROOT, invoke
from tests.extract import docx_tables, norm, pdf_tables, pdf_text, xlsx_rows

# Renders whole sample documents (PDF, DOCX, XLSX): outside the fast `-m "not slow"` set.
pytestmark = pytest.mark.slow

SEEDS = ROOT / "tests" / "seeds"
LABELS = ("小計", "合計", "対前年度増減")


def build(branch: str, year: str, kind: str, out: Path) -> Path:
    result = invoke("build", "-b", branch, "-y", year, "--report", kind, "--data", str(DATA), "--output", str(out))
    assert result.exit_code == 0, result.output
    return out / branch / year


@pytest.fixture(scope="module")
def gunma(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build("gunma", "R3", "plan-budget", tmp_path_factory.mktemp("out"))


def seed_amounts() -> Counter[str]:
    """Every 「N,NNN 千円」 of seeds/002, both years."""
    text = (SEEDS / "002_c277912751a80654.txt").read_text(encoding="utf-8")
    return Counter(re.findall(r"^([0-9,]+) 千円", text, flags=re.M))


def item_rows(rows: list[list[str]]) -> list[list[str]]:
    return [r for r in rows if len(r) == 6 and r[0] not in LABELS and r[3] not in LABELS]


def test_every_seed_amount_is_a_budget_item_in_docx(gunma: Path) -> None:
    rows = item_rows([r for t in docx_tables(gunma / "plan-budget.docx") for r in t])
    printed = Counter(a for r in rows for a in (r[2], r[5]) if re.fullmatch(r"[0-9,]+", a))
    assert sum(seed_amounts().values()) == 73
    assert printed == seed_amounts()


def test_every_seed_amount_is_a_number_in_xlsx(gunma: Path) -> None:
    rows = xlsx_rows(gunma / "plan-budget.xlsx")
    numbers = Counter(f"{v:,}" for r in rows if r[0] not in LABELS for v in (r[2], r[5])
                      if isinstance(v, int | float | Decimal))
    assert numbers == seed_amounts()


def test_every_seed_amount_is_in_the_pdf(gunma: Path) -> None:
    cells = Counter(norm(c) for t in pdf_tables(gunma / "plan-budget.pdf") for r in t for c in r)
    for amount, count in seed_amounts().items():
        assert cells[amount] >= count, amount


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_printed_totals_are_the_sums_of_their_items(gunma: Path, fmt: str) -> None:
    if fmt == "docx":
        rows = [r for t in docx_tables(gunma / "plan-budget.docx") for r in t]
    elif fmt == "pdf":
        rows = [r for t in pdf_tables(gunma / "plan-budget.pdf") for r in t]
    else:
        rows = xlsx_rows(gunma / "plan-budget.xlsx", shown=True)

    def number(text: str) -> int:
        digits = norm(text).replace(",", "")
        return -int(digits[1:]) if digits.startswith("▲") else int(digits)

    for side in (0, 3):
        items, subtotals = 0, []
        for r in rows:
            label = norm(r[side] if r[side] else r[side + 1] if side + 1 < len(r) else "")
            if label == "小計":
                subtotals.append(number(r[side + 2]))
            elif label == "合計":
                assert number(r[side + 2]) == sum(subtotals) == items
            elif r[side + 2] and re.fullmatch(r"[0-9,]+", norm(r[side + 2])) and label not in LABELS:
                items += number(r[side + 2])
        assert items == (73784 if side == 0 else 74010)
    change = next(r for r in rows if norm(r[0] or r[1]) == "対前年度増減")
    assert norm(change[2]) == "▲226"


def test_every_measure_of_both_years_appears_once(gunma: Path) -> None:
    data = load_for(DATA, get_branch("gunma"), parse_fiscal_year("R3"), ["plan-budget"])
    assert data.plan and data.previous and data.previous.plan
    rows = [r for t in docx_tables(gunma / "plan-budget.docx") for r in t]
    for plan, column in ((data.plan, 0), (data.previous.plan, 3)):
        for field in plan.fields:
            for m in field.measures:
                places = [r for r in rows if r[column] == m.heading]
                assert len(places) == 1, m.heading
    text = norm(pdf_text(gunma / "plan-budget.pdf"))
    assert norm("令和3年度 群馬支部事業計画（案）及び保険者機能強化予算（案）") in text


def test_the_previous_year_column_reads_as_seed_002_prints_it(gunma: Path) -> None:
    """The R2 column: its ● measures in the seed's order, its own heading ［基盤的保険者機能関係］
    and none for Ⅱ and Ⅲ (read from the DOCX's plan cells; the seed's R2 column text is the
    lines that begin with ● or ［)."""
    text = (SEEDS / "002_c277912751a80654.txt").read_text(encoding="utf-8")
    seed = [norm(line) for line in text.splitlines() if line.strip().startswith(("●", "［"))]
    rows = [r for t in docx_tables(gunma / "plan-budget.docx") for r in t]
    # Field rows are one cell per year (3 columns each): the R2 half is the fourth column.
    printed: list[str] = []
    for r in rows:
        for line in r[3].split("\n") if len(r) == 6 else ():
            if line.startswith(("●", "［")) and norm(line) not in printed:
                printed.append(norm(line))
    # The seed wraps long headings over lines: compare each with the start of the printed one.
    assert len(printed) == len(seed)
    for got, want in zip(printed, seed, strict=True):
        assert got.startswith(want[:16]), (got, want)
    assert not any(norm(r[3]).startswith(("Ⅱ", "Ⅲ", "Ⅰ")) for r in rows if len(r) == 6)


@pytest.fixture(scope="module")
def saitama(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build("saitama", "R5", "plan-comparison", tmp_path_factory.mktemp("out"))


def test_every_section_of_both_years_appears_once(saitama: Path) -> None:
    data = load_for(DATA, get_branch("saitama"), parse_fiscal_year("R5"), ["plan-comparison"])
    assert data.plan and data.previous and data.previous.plan
    rows = docx_tables(saitama / "plan-comparison.docx")[0]  # the comparison, not the summary
    new_ids = {m.id: m for f in data.plan.fields for m in f.measures}
    old_ids = {m.id for f in data.previous.plan.fields for m in f.measures}
    absorbed = {a for m in new_ids.values() for a in m.absorbs}
    alone = {i for i, m in new_ids.items() if i not in old_ids and not m.absorbs}
    alone |= old_ids - set(new_ids) - absorbed
    for plan, column in ((data.plan, 1), (data.previous.plan, 2)):
        for field in plan.fields:
            for m in field.measures:
                places = [r for r in rows if m.heading in r[column].split("\n")]
                assert len(places) == 1, m.heading
                beside = places[0][3 - column]
                assert (beside == "") == (m.id in alone), m.heading
    assert alone == {"receivables-collection", "other-health-programs"}
    assert len({m.id for f in data.plan.fields for m in f.measures}) == 30
    assert len({m.id for f in data.previous.plan.fields for m in f.measures}) == 32
