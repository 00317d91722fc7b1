"""The national roll-up: every branch's grade for each KPI, in DOCX, XLSX and PDF."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest

from reportgen.reports.kpi_national import grade_counts, load_results, records
from reportgen.wareki import parse_fiscal_year
from tests.conftest import DATA, ROOT, invoke

# shizuoka as transcribed; mie misses a KPI by a little under the 3段階 policy (概ね達成),
# aichi by a lot (未達成); okinawa has one KPI the others lack.
MAIL = "actual: 98.7％"


def national_set(root: Path) -> Path:
    for slug in ("shizuoka", "aichi", "mie", "okinawa"):
        shutil.copytree(DATA / "shizuoka" / "R5", root / slug / "R5")
    edit(root / "mie/R5/kpi_results.yaml", ("grading: 2段階", "grading: 3段階"), (MAIL, "actual: 97.0％"))
    edit(root / "aichi/R5/kpi_results.yaml", (MAIL, "actual: 80.0％"))
    edit(root / "okinawa/R5/kpi_results.yaml", ("      - id: service-standard\n", """      - id: okinawa-only
        statement: 沖縄独自の指標を{target}以上とする
        indicator: 沖縄独自の指標
        target: 50％
        direction: 以上
        actual: 60％
        previous: 40％
      - id: service-standard
"""))
    return root


def edit(path: Path, *changes: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    data = national_set(tmp_path_factory.mktemp("data"))
    out = tmp_path_factory.mktemp("out")
    result = invoke("build", "--branch", "national", "--year", "R5", "--report", "kpi-national",
                    "--data", str(data), "--output", str(out))
    assert result.exit_code == 0, result.output
    return data, out / "national" / "R5"


def expected(data: Path) -> dict[str, dict[str, str]]:
    """branch name → KPI indicator → "実績\\n grade", as computed from the data."""
    frame = records(load_results(data, parse_fiscal_year("R5")))
    found: dict[str, dict[str, str]] = {}
    for r in frame.itertuples():
        found.setdefault(r.branch_name, {})[r.indicator] = f"{r.actual}\n{r.grade}"
    return found


@pytest.mark.slow  # builds the roll-up in three formats
def test_the_counts_per_kpi_and_per_branch(national: tuple[Path, Path]) -> None:
    frame = records(load_results(national[0], parse_fiscal_year("R5")))
    per_kpi = grade_counts(frame, "kpi")
    assert per_kpi.loc["mail-application-rate"].to_dict() == {"達成": 2, "概ね達成": 1, "未達成": 1}
    assert per_kpi.loc["okinawa-only"].to_dict() == {"達成": 1, "概ね達成": 0, "未達成": 0}
    per_branch = grade_counts(frame, "branch")
    assert per_branch.loc["okinawa"].sum() == per_branch.loc["shizuoka"].sum() + 1


def _tables(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    """支部 × KPI cells from rows of the cut tables: a row starting with 支部 is a header."""
    found: dict[str, dict[str, str]] = {}
    header: list[str] = []
    for row in rows:
        if row and row[0] == "支部":
            header = row
        elif row and row[0].endswith("支部") and header and len(header) == len(row):
            for name, value in zip(header[1:], row[1:], strict=True):
                if name not in ("達成", "概ね達成", "未達成", "計") and value != "－":  # － : no such KPI
                    found.setdefault(row[0], {})[name] = value
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The benchmark's 47 generated branches (静岡's results, every 実績 moved by up to ±3 ％)."""
    spec = importlib.util.spec_from_file_location("benchmark_branches", ROOT / "scripts" / "benchmark_branches.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    data = tmp_path_factory.mktemp("data47")
    bench.generate(data, 13)
    out = tmp_path_factory.mktemp("out47")
    result = invoke("build", "--branch", "national", "--year", "R5", "--report", "kpi-national",
                    "--data", str(data), "--output", str(out))
    assert result.exit_code == 0, result.output
    return data, out / "national" / "R5"


@pytest.mark.slow
def test_every_branch_grade_for_each_kpi_in_docx_and_xlsx(national: tuple[Path, Path]) -> None:
    data, folder = national
    want = expected(data)
    assert len(want) == 4 and want["三重支部"]["現金給付等申請の郵送化率"] == "97.0％\n概ね達成"
    _docx_and_xlsx_hold(want, folder)


@pytest.mark.slow
def test_every_generated_branch_grade_in_all_three_formats(generated: tuple[Path, Path]) -> None:
    data, folder = generated
    want = expected(data)
    assert len(want) == 47
    _docx_and_xlsx_hold(want, folder)
    _pdf_holds(want, folder)


def _docx_and_xlsx_hold(want: dict[str, dict[str, str]], folder: Path) -> None:
    d = docx.Document(str(folder / "kpi-national.docx"))
    rows = [[c.text for c in r.cells] for t in d.tables for r in t.rows]
    assert _tables(rows) == want
    sheets = openpyxl.load_workbook(folder / "kpi-national.xlsx").worksheets
    rows = [[str(v) for v in r if v is not None] for ws in sheets for r in ws.iter_rows(values_only=True)]
    assert _tables(rows) == want


@pytest.mark.slow
def test_every_branch_grade_for_each_kpi_in_pdf(national: tuple[Path, Path]) -> None:
    data, folder = national
    _pdf_holds(expected(data), folder)


def _pdf_holds(want: dict[str, dict[str, str]], folder: Path) -> None:
    text = subprocess.run(["pdftotext", "-layout", str(folder / "kpi-national.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout.splitlines()
    grades = {"達成", "概ね達成", "未達成"}
    seen: dict[str, list[str]] = {}
    for i, line in enumerate(text):  # the branch's line of 実績, then its line of grades
        words = line.split()
        if words and words[0] in want and len(words) > 1 and not all(w.isdigit() for w in words[1:]):
            below = [w for w in " ".join(text[i + 1:i + 3]).split() if w != "－"]  # － : no such KPI
            if below and set(below) <= grades:
                seen.setdefault(words[0], []).extend(f"{a}\n{g}" for a, g in zip(words[1:], below, strict=True))
    for branch, cells in want.items():  # KPIs in the table's order: as they first appear
        assert sorted(seen[branch]) == sorted(cells.values()), branch
