"""新旧対照表 change marks on the 埼玉 R5 sample, read back from the generated files.

- The seed's style (data/saitama/templates): the 令和4年度（旧） column marks the passages
  seeds/001 underlines, as whole phrases, in DOCX run properties, XLSX rich text and the
  rules the PDF draws under the glyphs, the same underlined stretches in all three; the new
  column, the 参考 part and the closing summary carry no marks.
- The legal-drafting style (docs/examples/plan-comparison-legal.yaml as the branch's
  template, in a temporary data folder): both sides
  marked, 改正後/改正前, a 備考 column naming every measure added, removed, renamed and
  merged, （略） for unchanged paragraphs.
- Mistakes in these settings stop the build with the template's file and line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.text import WD_UNDERLINE
from openpyxl.cell.rich_text import CellRichText

from reportgen.branches import get_branch
from reportgen.build import load_for
from reportgen.model.plan import Plan
from reportgen.wareki import parse_fiscal_year
from tests.conftest import DATA, ROOT, invoke
from tests.extract import (
    docx_tables,
    norm,
    pdf_marked_cells,
    xlsx_text,
)
from tests.plan_fixtures import write_plans
from tests.seed_marks import FORMATS, NEW, OLD, Score, column, marked_after, score

# Renders whole sample documents (PDF, DOCX, XLSX): outside the fast `-m "not slow"` set.
pytestmark = pytest.mark.slow


def build(root: Path, out: Path, *formats: str) -> Path:
    args = [a for f in formats for a in ("--format", f)]
    result = invoke("build", "-b", "saitama", "-y", "R5", "--report", "plan-comparison", "--data", str(root),
                    "--output", str(out), *args)
    assert result.exit_code == 0, result.output
    return out / "saitama" / "R5"


@pytest.fixture(scope="module")
def seed_style(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(DATA, tmp_path_factory.mktemp("out"))


@pytest.fixture(scope="module")
def scores(seed_style: Path) -> dict[str, Score]:
    return {fmt: score(column(seed_style, fmt, OLD)) for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_old_column_marks_the_seed_passages_whole(scores: dict[str, Score], fmt: str) -> None:
    result = scores[fmt]
    # Measured: 40 of 42 in each format (the two missed: a phrase the seed marks inside
    # unchanged text, and a heading the seed marks although number and title are the same).
    assert result.matched >= 36, (str(result), result.missed)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_marks_are_few_and_none_is_junk(scores: dict[str, Score], fmt: str) -> None:
    result = scores[fmt]
    # Measured: 79 underlined stretches (tests/seed_marks.py), 83 counted paragraph by
    # paragraph in DOCX and XLSX (a stretch over two paragraphs counts twice there).
    assert len(result.fragments) <= 80, str(result)
    assert len(result.paragraph_fragments) <= 85, str(result)
    assert result.junk == [], result.junk


def test_every_format_shows_the_same_marks(scores: dict[str, Score]) -> None:
    """The underlined stretches a reader counts, read back from three kinds of file."""
    docx_, xlsx_, pdf_ = (scores[fmt] for fmt in FORMATS)
    assert docx_.fragments == xlsx_.fragments == pdf_.fragments
    assert docx_.paragraph_fragments == xlsx_.paragraph_fragments


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_new_column_carries_no_marks_in_the_seed_style(seed_style: Path, fmt: str) -> None:
    cells = column(seed_style, fmt, NEW)
    assert sum(len(t) for c in cells for p in c for t, _ in p) > 5000
    assert not any(m for c in cells for p in c for _, m in p)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_notes_and_the_summary_carry_no_marks(seed_style: Path, legal: Path, fmt: str) -> None:
    assert marked_after(seed_style, fmt) == []
    # The same reading finds the marks where the house style asks for them (legal: 参考 marked).
    assert marked_after(legal, fmt)


def pdf_column(path: Path, heading: str, stop: str | None = None) -> str:
    """The text of one PDF table column, cell after cell (a narrow column's lines are not
    interleaved with its neighbours', as pdftotext's layout does)."""
    return "".join(norm(t) for cell in pdf_marked_cells(path, heading, stop) for p in cell for t, _ in p)


def plan(year: str) -> Plan:
    data = load_for(DATA, get_branch("saitama"), parse_fiscal_year("R5"), ["plan-comparison"])
    assert data.plan is not None and data.previous is not None and data.previous.plan is not None
    return data.plan if year == "R5" else data.previous.plan


def expected_changes() -> dict[str, set[str]]:
    """From the data, not from the code under test: ids added, removed, renamed, merged."""
    new = {m.id: m for f in plan("R5").fields for m in f.measures}
    old = {m.id: m for f in plan("R4").fields for m in f.measures}
    absorbed = {a for m in new.values() for a in m.absorbs}
    return {
        "added": {i for i, m in new.items() if i not in old and not m.absorbs},
        "removed": set(old) - set(new) - absorbed,
        "renamed": {i for i in set(new) & set(old) if new[i].title != old[i].title},
        "merged": {i for i, m in new.items() if m.absorbs},
    }


def test_the_summary_lists_every_measure_added_removed_renamed_and_merged(seed_style: Path) -> None:
    summary = docx_tables(seed_style / "plan-comparison.docx")[-1]
    assert summary[0] == ["区分", "令和5年度（新）", "令和4年度（旧）", "施策ID"]
    listed: dict[str, set[str]] = {}
    for kind, _, _, ids in summary[1:]:
        listed.setdefault(kind, set()).update(ids.split(", "))
    expected = expected_changes()
    assert expected["added"] == {"receivables-collection"} and expected["removed"] == {"other-health-programs"}
    assert expected["added"] <= listed["新設"]
    assert expected["removed"] <= listed["削除"]
    assert expected["renamed"] and expected["renamed"] <= listed["名称変更"]
    assert expected["merged"] and expected["merged"] <= listed["統合"]
    absorbed = {a for f in plan("R5").fields for m in f.measures for a in m.absorbs}
    assert absorbed <= listed["統合"]
    assert "移動" in listed
    ids = set().union(*expected.values())
    pdf_ids = pdf_column(seed_style / "plan-comparison.pdf", "施策ID")
    for text in (xlsx_text(seed_style / "plan-comparison.xlsx"), pdf_ids):
        assert all(i in text for i in ids), text


LEGAL = (ROOT / "docs" / "examples" / "plan-comparison-legal.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def legal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("data")
    for year in ("R4", "R5"):
        shutil.copytree(DATA / "saitama" / year, root / "saitama" / year)
    (root / "saitama" / "templates").mkdir()
    (root / "saitama" / "templates" / "plan-comparison.yaml").write_text(LEGAL, encoding="utf-8")
    return build(root, tmp_path_factory.mktemp("out"))


def test_the_legal_style_builds_with_its_headings_and_both_sides_marked(legal: Path) -> None:
    for name in ("plan-comparison.docx", "plan-comparison.xlsx", "plan-comparison.pdf"):
        assert (legal / name).stat().st_size > 0
    rows = docx_tables(legal / "plan-comparison.docx")[0]
    assert rows[0] == ["分野", "改正後", "改正前", "備考"]
    for fmt in ("docx", "xlsx"):
        for heading in ("改正後", "改正前"):
            cells = column(legal, fmt, heading)
            assert any(m for c in cells for p in c for _, m in p), (fmt, heading)
    assert "（略）" in [c for r in rows for c in r[1].split("\n")]


def test_the_remarks_column_names_every_added_removed_renamed_and_merged_measure(legal: Path) -> None:
    rows = docx_tables(legal / "plan-comparison.docx")[0]
    new = {m.id: m for f in plan("R5").fields for m in f.measures}
    old = {m.id: m for f in plan("R4").fields for m in f.measures}
    expected = expected_changes()

    def remarks_beside(heading: str, side: int) -> str:
        found = [r for r in rows if heading in r[side].split("\n")]
        assert len(found) == 1, heading
        return found[0][3]

    for i in expected["added"]:
        assert "（新設）" in remarks_beside(new[i].heading, 1)
    for i in expected["removed"]:
        assert "（削除）" in remarks_beside(old[i].heading, 2)
    for i in expected["renamed"]:
        assert f"（名称変更）旧 {old[i].heading}" in remarks_beside(new[i].heading, 1)
    for i in expected["merged"]:
        remarks = remarks_beside(new[i].heading, 1)
        assert "（統合）" in remarks
        for a in new[i].absorbs:
            assert old[a].heading in remarks
    kinds = "\n".join(r[3] for r in rows)
    assert "（変更）" in kinds and "（追加）" in kinds and "（削除）" in kinds
    # 「③社会保険労務士会との連携を図り…」 is 「④社会保険労務士会との連携を図り…」 in R5: the
    # same paragraph renumbered, not a change (and not marked either).
    remarks = remarks_beside(new["cash-benefit-review"].heading, 1).split("\n")
    assert "④（変更）" not in remarks and "①（変更）" in remarks
    # The same remarks in the sheet and the PDF.
    texts = (norm(xlsx_text(legal / "plan-comparison.xlsx")),
             pdf_column(legal / "plan-comparison.pdf", "備考", "施策の変更一覧（照合用）"))
    for line in {t for r in rows[1:] for t in r[3].split("\n") if t}:
        for text in texts:
            assert norm(line) in text, line


def test_a_double_underline_is_written_as_one(tmp_path: Path) -> None:
    root = write_plans(tmp_path / "data")
    override = root / "saitama/templates/plan-comparison.yaml"
    override.parent.mkdir()
    override.write_text("marks:\n  style: double\n", encoding="utf-8")
    folder = build(root, tmp_path / "out", "docx", "xlsx")
    runs = [r for t in docx.Document(str(folder / "plan-comparison.docx")).tables[:1]
            for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert any(r.underline == WD_UNDERLINE.DOUBLE for r in runs)
    assert not any(r.underline is True for r in runs)
    ws = openpyxl.load_workbook(folder / "plan-comparison.xlsx", rich_text=True).active
    assert ws is not None
    fonts = {b.font.u for row in ws.iter_rows() for c in row if isinstance(c.value, CellRichText)
             for b in c.value if not isinstance(b, str)}
    assert "double" in fonts and "single" not in fonts


def test_bold_marks_instead_of_underlines(tmp_path: Path) -> None:
    root = write_plans(tmp_path / "data")
    override = root / "saitama/templates/plan-comparison.yaml"
    override.parent.mkdir()
    override.write_text("marks:\n  style: bold\n", encoding="utf-8")
    folder = build(root, tmp_path / "out", "docx")
    paragraphs = {p.text: p for t in docx.Document(str(folder / "plan-comparison.docx")).tables[:1]
                  for row in t.rows for c in row.cells for p in c.paragraphs}
    kpi = paragraphs["■ KPI：現金給付等の申請に係る郵送化率を98.6%以上とする"]
    assert "98.6%" in "".join(r.text for r in kpi.runs if r.bold)
    assert not all(r.bold for r in kpi.runs)
    assert not any(r.underline for p in paragraphs.values() for r in p.runs)


@pytest.mark.parametrize(("setting", "line", "words"), [
    ("marks:\n  side: left\n", 2, ("marks.side", "「left」", "old / new / both")),
    ("marks:\n  style: wavy\n", 2, ("marks.style", "underline / double / bold")),
    ("marks:\n  sections:\n    - policy\n    - 参考\n", 4, ("marks.sections[1]", "「参考」")),
    ("marks:\n  unmarked: ['^(■']\n", 2, ("marks.unmarked[0]", "正規表現")),
    ("remarks:\n  show: sometimes\n", 2, ("remarks.show", "true か false")),
    ("# typo\nmarks:\n  sid: old\n", 3, ("marks.sid", "「sid」という設定はありません")),
    ("remarks:\n  show: true\n  width: wide\n", 3, ("remarks.width", "「wide」は 0.01 以上 1000 以下の数")),
])
def test_a_bad_house_style_names_the_template_file_and_line(tmp_path: Path, setting: str, line: int,
                                                           words: tuple[str, ...]) -> None:
    root = write_plans(tmp_path / "data")
    override = root / "saitama/templates/plan-comparison.yaml"
    override.parent.mkdir()
    override.write_text(setting, encoding="utf-8")
    result = invoke("build", "-b", "saitama", "-y", "R5", "--report", "plan-comparison", "--data", str(root),
                    "--output", str(tmp_path / "out"))
    assert result.exit_code == 4, result.output
    assert f"{override}:{line}" in result.output, result.output
    for word in words:
        assert word in result.output, result.output
    assert not (tmp_path / "out").exists()
