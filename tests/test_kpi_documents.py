"""The first document end to end: shizuoka R5 KPI 実績 and ＫＰＩ実績一覧表 in three formats."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from reportgen.branches import get_branch
from reportgen.build import documents, load_for
from reportgen.document import plain_text
from reportgen.wareki import FiscalYear
from tests.conftest import DATA, ROOT, invoke
from tests.extract import (
    docx_tables,
    docx_text,
    norm,
    pdf_fonts,
    pdf_pages,
    pdf_tables,
    pdf_text,
    xlsx_rows,
    xlsx_text,
)

# Renders whole sample documents (PDF, DOCX, XLSX): outside the fast `-m "not slow"` set.
pytestmark = pytest.mark.slow

KINDS = ("kpi-results", "kpi-summary")
FORMATS = ("docx", "xlsx", "pdf")


def seed_rows() -> list[list[str]]:
    lines = (ROOT / "tests/golden/seed003-kpi-summary.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def reading(text: str) -> str:
    """The seed's 一覧表 retypes each KPI with small differences from the same KPI on its own
    page (the copy-by-hand the tool removes): it drops 「、」 and the （※） footnote marks and
    once writes 一社応札 for 一者応札. reportgen prints the one wording of the data, so rows are
    compared with those differences taken out; nothing else is forgiven."""
    return norm(text).replace("、", "").replace("(※)", "").replace("一社応札", "一者応札")


def matches(seed: list[str], row: list[str]) -> bool:
    return [reading(c) for c in seed] == [reading(c) for c in row]


def test_the_summary_has_every_seed_row_in_the_pdf(sample_output: Path) -> None:
    rows = [r for t in pdf_tables(sample_output / "kpi-summary.pdf") for r in t]
    # A 施策 spanning several rows is printed once; carry it down as a reader does.
    filled, last = [], ""
    for r in rows:
        last = r[0] or last
        filled.append([last, *r[1:]])
    for seed in seed_rows():
        assert sum(matches(seed, r) for r in filled) == 1, seed
    layout = norm(pdf_text(sample_output / "kpi-summary.pdf"))
    for seed in seed_rows():
        for value in seed[2:]:
            assert reading(value) in reading(layout)


def test_the_summary_has_every_seed_row_in_one_xlsx_row(sample_output: Path) -> None:
    shown = xlsx_rows(sample_output / "kpi-summary.xlsx", shown=True)
    for seed in seed_rows():
        assert sum(matches(seed, r) for r in shown) == 1, seed


def test_the_summary_stores_figures_as_numbers(sample_output: Path) -> None:
    wb = openpyxl.load_workbook(sample_output / "kpi-summary.xlsx")
    ws = wb.active
    assert ws is not None
    numbers = {(c.value, c.number_format) for row in ws.iter_rows() for c in row
               if isinstance(c.value, (int, float))}
    assert (84.12, '#,##0.00"％";"▲"#,##0.00"％"') in numbers
    assert (7135, '#,##0"円";"▲"#,##0"円"') in numbers
    assert (6766, '#,##0"事業所";"▲"#,##0"事業所"') in numbers


def test_the_summary_has_every_seed_row_in_one_docx_row(sample_output: Path) -> None:
    rows = [r for t in docx_tables(sample_output / "kpi-summary.docx") for r in t]
    for seed in seed_rows():
        assert sum(matches(seed, r) for r in rows) == 1, seed


def test_grades_and_count_line_are_computed(sample_output: Path) -> None:
    text = norm(pdf_text(sample_output / "kpi-summary.pdf"))
    grades = [row[3] for row in seed_rows()]
    expected = f"達成{grades.count('達成')}未達成{grades.count('未達成')}"
    assert expected == "達成11未達成8"
    assert expected in text
    assert expected in norm(docx_text(sample_output / "kpi-summary.docx"))
    assert expected in norm(xlsx_text(sample_output / "kpi-summary.xlsx"))


@pytest.fixture(scope="module")
def models() -> dict[str, list[str]]:
    data = load_for(DATA, get_branch("shizuoka"), FiscalYear(2023), KINDS)
    return {doc.kind: plain_text(doc) for doc in documents(data, KINDS)}


@pytest.mark.parametrize("kind", KINDS)
def test_the_three_formats_hold_the_same_text(sample_output: Path, models: dict[str, list[str]], kind: str) -> None:
    pdf = "".join(norm("".join(c for row in t for c in row)) for t in pdf_tables(sample_output / f"{kind}.pdf"))
    pdf += norm(pdf_text(sample_output / f"{kind}.pdf", layout=False))
    texts = {
        "pdf": pdf,
        "docx": norm(docx_text(sample_output / f"{kind}.docx")),
        "xlsx": norm(xlsx_text(sample_output / f"{kind}.xlsx")),
    }
    for piece in models[kind]:
        if kind == "kpi-summary" and piece[:1].isdigit():
            continue  # figures are checked per row above, through the XLSX number format
        for fmt, text in texts.items():
            if fmt == "xlsx" and any(ch.isdigit() for ch in piece) and len(piece) < 16:
                continue  # stored as a number, not as this text: checked through its format
            assert norm(piece) in text, (fmt, piece)


def test_every_section_is_in_the_kpi_results(sample_output: Path) -> None:
    text = norm(pdf_text(sample_output / "kpi-results.pdf"))
    for heading in ("(1)サービス水準の向上", "(2)限度額適用認定証の利用促進", "(1)-2特定健診受診率の向上(被扶養者)",
                    "(13)費用対効果を踏まえたコスト削減等", "KPI設定なし", "前年度(0.54%)以下",
                    "前年度末(82.4%)以上", "令和5年度KPI", "令和4年度実績"):
        assert norm(heading) in text, heading
    assert text.count(norm("KPI設定なし")) == 11  # as many as in seeds/003


def test_pdf_embeds_the_japanese_font(sample_output: Path) -> None:
    for kind in KINDS:
        fonts = pdf_fonts(sample_output / f"{kind}.pdf")
        lines = [line for line in fonts.splitlines() if "BIZ-UDGothic" in line]
        assert lines, fonts
        assert all(" yes yes yes " in line for line in lines), fonts


def test_every_pdf_page_has_its_footer(sample_output: Path) -> None:
    for kind in KINDS:
        pages = pdf_pages(sample_output / f"{kind}.pdf")
        for number, page in enumerate(pages, start=1):
            assert f"{number} / {len(pages)} ページ" in page


def test_the_summary_fits_one_landscape_page(sample_output: Path) -> None:
    """seeds/003 prints the 19 rows and the count line on one page; so does its template."""
    pages = pdf_pages(sample_output / "kpi-summary.pdf")
    assert len(pages) == 1
    assert "達成11未達成8" in norm(pages[0])


def test_the_summary_header_row_repeats_on_every_page(data_copy: Path, tmp_path: Path) -> None:
    # A branch that prints larger (its own template) gets a second page, headed as the first.
    (data_copy / "shizuoka/templates").mkdir()
    (data_copy / "shizuoka/templates/kpi-summary.yaml").write_text("page:\n  font_size_pt: 12\n",
                                                                   encoding="utf-8")
    result = invoke("build", "-b", "shizuoka", "-y", "R5", "--data", str(data_copy), "--output",
                    str(tmp_path / "out"), "--report", "kpi-summary", "--format", "pdf")
    assert result.exit_code == 0, result.output
    pages = pdf_pages(tmp_path / "out/shizuoka/R5/kpi-summary.pdf")
    assert len(pages) >= 2
    for page in pages:
        assert "具体的施策" in norm(page) and "KPI実績" in norm(page)


def test_docx_names_the_font_in_the_east_asian_slot(sample_output: Path) -> None:
    document = docx.Document(str(sample_output / "kpi-summary.docx"))
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "BIZ UDゴシック"
    assert fonts.get(qn("w:ascii")) == "BIZ UDゴシック"
    table = document.tables[0]
    first = table.rows[0]._tr.trPr
    assert first.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape A4
    assert round(section.page_width.mm) == 297


def test_xlsx_prints_on_a4_fitted_to_width(sample_output: Path) -> None:
    ws = openpyxl.load_workbook(sample_output / "kpi-summary.xlsx").active
    assert ws is not None
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$2:$2"  # the table header under the title
    assert ws.print_area
    assert ws["A2"].font.name == "BIZ UDゴシック"
    assert ws["A2"].alignment.wrap_text


def test_manifest_describes_every_file(sample_output: Path) -> None:
    manifest = json.loads((sample_output / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["branch"], manifest["year"], manifest["fiscal_year"]) == ("shizuoka", "R5", 2023)
    assert manifest["fiscal_year_label"] == "令和5年度"
    entries = {(e["kind"], e["format"]): e for e in manifest["documents"]}
    assert set(entries) == {(k, f) for k in KINDS for f in FORMATS}
    for entry in entries.values():
        data = (sample_output / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        if entry["format"] == "pdf":
            info = subprocess.run(["pdfinfo", str(sample_output / entry["path"])], capture_output=True,
                                  text=True, check=True).stdout
            assert f"Pages:           {entry['pages']}" in info
        else:
            assert "pages" not in entry


def test_the_same_data_gives_the_same_bytes(sample_output: Path, tmp_path: Path) -> None:
    result = invoke("build", "-b", "shizuoka", "-y", "2023", "--data", str(DATA), "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    again = tmp_path / "shizuoka" / "R5"
    for name in sorted(p.name for p in sample_output.iterdir()):
        assert (again / name).read_bytes() == (sample_output / name).read_bytes(), name


def test_one_report_and_format_keeps_the_others(sample_output: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("build", "-b", "shizuoka", "-y", "R5", "--data", str(DATA), "--output", str(out),
                  "--report", "kpi-summary", "--format", "xlsx,model-json").exit_code == 0
    assert invoke("build", "-b", "shizuoka", "-y", "R5", "--data", str(DATA), "--output", str(out),
                  "--report", "kpi-summary", "--format", "docx").exit_code == 0
    folder = out / "shizuoka" / "R5"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(e["path"] for e in manifest["documents"]) == [
        "kpi-summary.docx", "kpi-summary.model.json", "kpi-summary.xlsx"]
    model = json.loads((folder / "kpi-summary.model.json").read_text(encoding="utf-8"))
    assert model["model_version"] == "1.0" and model["kind"] == "kpi-summary"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_libreoffice_opens_the_office_files(sample_output: Path, tmp_path: Path, fmt: str) -> None:
    for kind in KINDS:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", str(tmp_path), str(sample_output / f"{kind}.{fmt}")],
            check=True, capture_output=True, timeout=180,
        )
        converted = tmp_path / f"{kind}.pdf"
        text = norm(pdf_text(converted))
        assert norm("サービス水準の向上") in text
        if kind == "kpi-summary":
            assert norm("ＫＰＩ実績一覧表") in text
            assert norm("達成 11 未達成 8") in text
        converted.unlink()
