"""The input workbook: YAML → workbook → import gives the same data set and the same
documents; a hand-filled quarter builds; bad cells are named by sheet and cell and change
nothing in the data folder."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.branches import get_branch
from reportgen.build import available_kinds, documents, load_for, render
from reportgen.inputbook.read import number_text
from reportgen.wareki import parse_fiscal_year
from tests.conftest import DATA, ROOT, invoke, tree_digest

SAMPLES = ["gunma/R2", "gunma/R3", "saitama/R2", "saitama/R4", "saitama/R5", "shizuoka/R5"]


def workbook(data: Path, sample: str, target: Path, *extra: str) -> Path:
    slug, year = sample.split("/")
    result = invoke("workbook", "-b", slug, "-y", year, "--data", str(data), "-o", str(target), *extra)
    assert result.exit_code == 0, result.output
    return target


def emptied(tmp_path: Path, sample: str) -> Path:
    """A copy of the sample data with the sample's own YAML files removed."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    for path in (data / sample).rglob("*.yaml"):
        path.unlink()
    return data


def rendered(data: Path, samples: list[str], formats: tuple[str, ...]) -> dict[str, bytes]:
    """Every document of ``samples`` and of the years that compare with them."""
    out = {}
    for sample in samples:
        slug, year = sample.split("/")
        branch, fy = get_branch(slug), parse_fiscal_year(year)
        for y in (fy, fy.next()):
            if not (DATA / slug / y.short).is_dir():
                continue
            for kind in available_kinds(data, branch, y):
                for o in render(documents(load_for(data, branch, y, [kind]), [kind]), formats):
                    out[f"{slug}/{y.short}/{o.path}"] = o.rendered.data
    return out


def round_trip(tmp_path: Path, samples: list[str]) -> Path:
    """A copy of data/ in which the YAML of ``samples`` is what their workbooks import."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    for sample in samples:
        book = workbook(DATA, sample, tmp_path / f"{sample.replace('/', '-')}.xlsx")
        for path in (data / sample).rglob("*.yaml"):
            path.unlink()
        result = invoke("import", str(book), "--data", str(data))
        assert result.exit_code == 0, result.output
    return data


# One sample in the quick set, every one in the full suite.
@pytest.mark.parametrize("sample", [s if s == "shizuoka/R5" else pytest.param(s, marks=pytest.mark.slow)
                                    for s in SAMPLES])
def test_yaml_workbook_import_gives_the_same_data_set_and_model(tmp_path: Path, sample: str) -> None:
    data = round_trip(tmp_path, [sample])
    files = sorted(str(p.relative_to(DATA / sample)) for p in (DATA / sample).rglob("*.yaml"))
    assert sorted(str(p.relative_to(data / sample)) for p in (data / sample).rglob("*.yaml")) == files
    slug, year = sample.split("/")
    branch, fy = get_branch(slug), parse_fiscal_year(year)
    for kinds in ([k] for k in available_kinds(DATA, branch, fy)):
        before, after = load_for(DATA, branch, fy, kinds), load_for(data, branch, fy, kinds)
        for part in ("meta", "kpi_results", "plan", "budget"):
            assert getattr(after, part) == getattr(before, part), (kinds, part)
        if before.progress:
            assert after.progress and after.progress.by_item() == before.progress.by_item()
    documents_before = rendered(DATA, [sample], ("model-json",))
    assert documents_before and rendered(data, [sample], ("model-json",)) == documents_before


@pytest.mark.slow
def test_documents_rebuilt_from_the_import_are_byte_identical(tmp_path: Path) -> None:
    data = round_trip(tmp_path, SAMPLES)  # every sample's YAML replaced by its import
    before = rendered(DATA, SAMPLES, ("docx", "xlsx", "pdf"))
    assert len(before) >= 15 and rendered(data, SAMPLES, ("docx", "xlsx", "pdf")) == before


def test_number_cells_keep_the_places_their_format_shows() -> None:
    assert number_text(89.0, '#,##0.00"％";"▲"#,##0.00"％"') == "89.00％"
    assert number_text(6615, '#,##0"円";"▲"#,##0"円"') == "6,615円"
    assert number_text(-0.4, '#,##0.0"％";"▲"#,##0.0"％"') == "▲0.4％"
    assert number_text(0.986, "0.0%") == "98.6％"  # Excel's own percent style
    assert number_text(98.6, "General") == "98.6"
    assert number_text(5, "General") == "5"
    assert number_text(98.65, "0.0") == "98.7"  # as shown: half up
    assert number_text(41838, '#,##0\\件;\\▲#,##0\\件') == "41,838件"  # as LibreOffice saves it
    assert number_text(95.3, '[$-411]#,##0.0\\％') == "95.3％"


def sheet_xml(book: Path, sheet: str) -> str:
    wb = openpyxl.load_workbook(book)
    index = wb.sheetnames.index(sheet) + 1
    with zipfile.ZipFile(book) as z:
        return html.unescape(z.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8"))


def test_the_workbook_has_dropdowns_protection_frozen_headers_and_says_what_it_holds(tmp_path: Path) -> None:
    book = workbook(DATA, "saitama/R2", tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[:2] == ["説明", "基本情報"]
    assert {"計画_施策", "計画_本文", "実施状況", "図表"} <= set(wb.sheetnames)
    info = wb["_reportgen"]
    assert info.sheet_state == "hidden" and info.protection.sheet
    assert [[c.value for c in r] for r in info.iter_rows()][:5] == [
        ["format", "reportgen-input"], ["version", 1], ["branch", "saitama"], ["year", "R2"], ["quarter", 3]]
    ws = wb["実施状況"]
    assert ws.freeze_panes == "A3" and ws.protection.sheet
    assert ws["A2"].protection.locked and not ws["D3"].protection.locked and ws["C3"].protection.locked
    xml = sheet_xml(book, "実施状況")
    assert "<dataValidations" in xml and "◎,○,△,×,－,空欄" in xml
    assert "以上,以下,とする,実施" in sheet_xml(workbook(DATA, "shizuoka/R5", tmp_path / "k.xlsx"), "KPI")
    kpi = openpyxl.load_workbook(tmp_path / "k.xlsx")["KPI"]
    formats = {c.number_format for c in kpi["I"][2:]}
    assert '#,##0.0"％";"▲"#,##0.0"％"' in formats  # a figure shows its unit


@pytest.mark.slow
def test_libreoffice_opens_the_workbook_and_what_it_saves_imports_the_same(tmp_path: Path) -> None:
    book = workbook(DATA, "saitama/R2", tmp_path / "b.xlsx")
    for fmt, folder in (("pdf", "pdf"), ("xlsx", "saved")):
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                        "--convert-to", fmt, "--outdir", str(tmp_path / folder), str(book)],
                       check=True, capture_output=True, timeout=240)
    assert (tmp_path / "pdf/b.pdf").stat().st_size > 10_000
    # Saved by LibreOffice Calc (units escaped as \件 in the formats): the same data set.
    data = emptied(tmp_path, "saitama/R2")
    result = invoke("import", str(tmp_path / "saved/b.xlsx"), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert rendered(data, ["saitama/R2"], ("model-json",)) == rendered(DATA, ["saitama/R2"], ("model-json",))


# ------------------------------------------------------------------ editing as a person would

def column(ws: Worksheet, header: str) -> str:
    return next(c.column_letter for c in ws[2] if c.value == header)


def row_of(ws: Worksheet, header: str, value: str) -> int:
    return next(c.row for c in ws[column(ws, header)] if c.value == value)


def cell(ws: Worksheet, header: str, key_header: str, key: str) -> str:
    return f"{column(ws, header)}{row_of(ws, key_header, key)}"


def test_a_new_quarter_filled_by_hand_builds_its_sheet(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA / "saitama", data / "saitama")
    book = workbook(data, "saitama/R2", tmp_path / "q4.xlsx", "--quarter", "4")
    wb = openpyxl.load_workbook(book)
    ws = wb["実施状況"]
    assert ws[cell(ws, "記号", "取組ID", "service-standard")].value is None  # nothing of Q3 carried over
    ws[cell(ws, "記号", "取組ID", "service-standard")] = "◎"
    ws[cell(ws, "実施状況", "取組ID", "service-standard")] = "１月から３月も期日内に支給。\n\n・第4四半期の新しい段落"
    ws[cell(ws, "記号", "取組ID", "mail-application")] = "〇"  # a look-alike a person types
    ws[cell(ws, "KPIの記号", "取組ID", "mail-application")] = "○"
    figures = wb["図表"]
    heading = ["service-standard", 1, "見出し", "通常", "月分", None, None, None, None, "決定件数", "達成率"]
    row = ["service-standard", 1, "行", None, None, "累計", None, None, None, 55123, "99.5％"]
    for r, values in ((3, heading), (4, row)):
        for c, value in enumerate(values, 1):
            figures.cell(r, c, value)
    figures["J4"].number_format = '#,##0"件"'  # the person formats the cell to show 件
    wb.save(book)
    assert invoke("import", str(book), "--data", str(data)).exit_code == 0
    assert not (data / "saitama/R2/progress/Q1.yaml").exists()
    q4 = (data / "saitama/R2/progress/Q4.yaml").read_text(encoding="utf-8")
    assert "quarter: 4\n" in q4 and "55,123件" in q4
    out = tmp_path / "out"
    result = invoke("build", "-b", "saitama", "-y", "R2", "--quarter", "4", "-f", "model-json,docx",
                    "--data", str(data), "--output", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "saitama/R2/progress-Q4.docx").stat().st_size > 10_000
    text = (out / "saitama/R2/progress-Q4.model.json").read_text(encoding="utf-8")
    for shown in ("第4四半期", "１月から３月も期日内に支給。", "・第4四半期の新しい段落", "55,123件", "99.5％",
                  "令和2年4月～令和3年3月"):
        assert shown in text, shown


def test_blank_rows_vertical_merges_and_full_width_digits_are_accepted(tmp_path: Path) -> None:
    book = workbook(DATA, "shizuoka/R5", tmp_path / "k.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["KPI"]
    at = cell(ws, "実績", "KPI ID", "mail-application-rate")
    ws[at] = "９８．７％"
    first = row_of(ws, "KPI ID", "service-standard")
    ws[f"{column(ws, 'KPI ID')}{first}"] = "ｓｅｒｖｉｃｅ－ｓｔａｎｄａｒｄ"  # the same id, full-width
    ws.merge_cells(f"A{first}:A{first + 1}")  # the same 施策 for both KPIs, typed once
    text = wb["KPI_本文"]
    text.insert_rows(5, 3)
    wb.save(book)
    data = emptied(tmp_path, "shizuoka/R5")
    result = invoke("import", str(book), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert rendered(data, ["shizuoka/R5"], ("model-json",)) == rendered(DATA, ["shizuoka/R5"], ("model-json",))


def test_a_date_typed_in_wareki_is_read(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA / "saitama", data / "saitama")
    book = workbook(data, "saitama/R2", tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["基本情報"]
    ws[f"B{row_of(ws, '項目', '評議会の開催日')}"] = "令和３年２月１日"
    ws[f"B{row_of(ws, '項目', '評議会の回')}"] = "第６回"
    wb.save(book)
    assert invoke("import", str(book), "--data", str(data)).exit_code == 0
    meta = (data / "saitama/R2/meta.yaml").read_text(encoding="utf-8")
    assert "date: 2021-02-01\n" in meta and "number: 6\n" in meta


@dataclass(frozen=True)
class Bad:
    id: str
    sample: str
    edit: Callable[[openpyxl.Workbook], str]  # returns the cell the message must name
    expected: str


def set_cell(sheet: str, header: str, key_header: str, key: str, value: object) -> Callable[[openpyxl.Workbook], str]:
    def edit(wb: openpyxl.Workbook) -> str:
        ws = wb[sheet]
        at = cell(ws, header, key_header, key)
        ws[at] = value
        return f"{sheet}!{at}"
    return edit


def merge_across(wb: openpyxl.Workbook) -> str:
    ws = wb["実施状況"]
    r = row_of(ws, "取組ID", "service-standard")
    ws.merge_cells(f"D{r}:E{r}")
    return f"実施状況!D{r}:E{r}"


def delete_header(wb: openpyxl.Workbook) -> str:
    wb["計画_分野"].delete_rows(2)
    return "計画_分野!A2"


def delete_sheet(wb: openpyxl.Workbook) -> str:
    del wb["図表"]
    return "図表!A1"


def duplicate_item(wb: openpyxl.Workbook) -> str:
    ws = wb["実施状況"]
    at = cell(ws, "取組ID", "取組ID", "mail-application")
    ws[at] = "dependent-recheck"
    return f"実施状況!{at}"


def empty_mark(wb: openpyxl.Workbook) -> str:
    ws = wb["実施状況"]
    at = cell(ws, "記号", "取組ID", "service-standard")
    ws[at] = None
    return f"実施状況!{at}"


def unknown_item(wb: openpyxl.Workbook) -> str:
    ws = wb["図表"]
    at = f"A{row_of(ws, '取組ID', 'service-standard')}"
    ws[at] = "no-such-item"
    return f"図表!{at}"


def not_a_workbook_of_ours(wb: openpyxl.Workbook) -> str:
    del wb["_reportgen"]
    del wb["基本情報"]
    return "_reportgen!A1"


def unknown_branch(wb: openpyxl.Workbook) -> str:
    del wb["_reportgen"]  # then 基本情報 says which branch and year the workbook holds
    return set_cell("基本情報", "値", "項目", "支部", "埼玉県支部")(wb)


BAD = [
    Bad("text-in-a-number-cell", "shizuoka/R5",
        set_cell("KPI", "実績", "KPI ID", "mail-application-rate", "九十八点六"), "「九十八点六」は数値ではありません"),
    Bad("mark-outside-the-list", "saitama/R2",
        set_cell("実施状況", "記号", "取組ID", "service-standard", "★"), "実施状況の記号「★」は使えません"),
    Bad("direction-outside-the-list", "shizuoka/R5",
        set_cell("KPI", "方向", "KPI ID", "service-standard", "より上"), "「より上」は使えない値です"),
    Bad("merged-across-fields", "saitama/R2", merge_across, "にまたがって結合されています"),
    Bad("deleted-header-row", "saitama/R2", delete_header, "見出しの行がありません"),
    Bad("missing-sheet", "saitama/R2", delete_sheet, "シート「図表」がありません"),
    Bad("formula", "shizuoka/R5", set_cell("KPI", "実績", "KPI ID", "mail-application-rate", "=98+0.7"),
        "数式「=98+0.7」は使えません"),
    Bad("error-value", "shizuoka/R5", set_cell("KPI", "目標", "KPI ID", "mail-application-rate", "#REF!"),
        "エラー値「#REF!」"),
    Bad("unreadable-wareki-date", "saitama/R2",
        set_cell("基本情報", "値", "項目", "評議会の開催日", "令和3年13月1日"), "令和3年13月1日"),
    Bad("duplicated-item", "saitama/R2", duplicate_item, "id「dependent-recheck」が重複しています（実施状況!A"),
    Bad("empty-required-cell", "saitama/R2", empty_mark, "記号: 必須の項目がありません"),
    Bad("empty-required-kpi-cell", "shizuoka/R5",
        set_cell("KPI", "指標", "KPI ID", "service-standard", None), "指標: 必須の項目がありません"),
    Bad("unknown-id", "saitama/R2", unknown_item, "「no-such-item」は実施状況シートにありません"),
    Bad("bad-id", "saitama/R2", set_cell("計画_施策", "施策ID", "施策ID", "service-level", "Service Level"),
        "「Service Level」は書式が正しくありません"),
    Bad("not-a-reportgen-workbook", "saitama/R2", not_a_workbook_of_ours, "入力用ブックではありません"),
    Bad("unknown-branch-without-hidden-sheet", "saitama/R2", unknown_branch, "支部: 支部「埼玉県支部」はありません"),
]


# A few kinds of mistake in the quick set, every one in the full suite.
QUICK_BAD = ("text-in-a-number-cell", "missing-sheet", "formula", "unknown-id")


@pytest.mark.parametrize("bad", [b if b.id in QUICK_BAD else pytest.param(b, marks=pytest.mark.slow) for b in BAD],
                         ids=lambda b: b.id)
def test_bad_cells_are_named_and_nothing_changes(tmp_path: Path, bad: Bad) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    book = workbook(data, bad.sample, tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(book)
    where = bad.edit(wb)
    wb.save(book)
    before = tree_digest(data)
    result = invoke("import", str(book), "--data", str(data))
    assert result.exit_code == 3, result.output
    line = next((x for x in result.output.splitlines() if bad.expected in x), None)
    assert line is not None, result.output
    assert re.search(rf"\b{re.escape(where)}\b", line) or where in line, (where, line)
    assert tree_digest(data) == before


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    book = workbook(DATA, "shizuoka/R5", tmp_path / "k.xlsx")
    wb = openpyxl.load_workbook(book)
    set_cell("KPI", "実績", "KPI ID", "mail-application-rate", "九十八点六")(wb)
    set_cell("KPI", "方向", "KPI ID", "service-standard", "より上")(wb)  # a shape error stops the figure checks
    set_cell("KPI", "目標", "KPI ID", "mail-application-rate", "=1")(wb)
    set_cell("基本情報", "値", "項目", "KPIの判定", "4段階")(wb)
    wb.save(book)
    result = invoke("import", str(book), "--data", str(tmp_path / "data"))
    assert result.exit_code == 3
    assert "データに 3 件の誤りがあります" in result.output


def test_the_error_example_in_the_readme_is_what_import_prints(tmp_path: Path) -> None:
    book = workbook(DATA, "shizuoka/R5", tmp_path / "k.xlsx")
    wb = openpyxl.load_workbook(book)
    assert set_cell("KPI", "実績", "KPI ID", "mail-application-rate", "九十八点六")(wb) == "KPI!I4"
    assert set_cell("KPI", "前年度実績", "KPI ID", "service-standard", "=I4*0.99")(wb) == "KPI!J3"
    wb.save(book)
    result = invoke("import", str(book), "--data", str(tmp_path / "data"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Input workbook", 1)[1].split("```\nエラー:", 1)[1].split("```", 1)[0]
    assert "エラー:" + example.rstrip("\n") in result.output.rstrip("\n")


@pytest.mark.slow  # writes and reads a whole workbook
def test_a_workbook_without_the_hidden_sheet_is_read_by_its_settings_sheet(tmp_path: Path) -> None:
    """As a person might rebuild it by hand in the same shape: 支部・年度・四半期 from 基本情報."""
    book = workbook(DATA, "saitama/R2", tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(book)
    del wb["_reportgen"]
    wb.save(book)
    data = emptied(tmp_path, "saitama/R2")
    result = invoke("import", str(book), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert rendered(data, ["saitama/R2"], ("model-json",)) == rendered(DATA, ["saitama/R2"], ("model-json",))
