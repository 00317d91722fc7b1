"""Nothing a user typed is lost in any format, as a real client prints it.

For every sample data set and the stress set (tests/data/stress: 1,500-character cells, a
63-row figure table, 21 numbered 取組, FY2019 periods, 髙 﨑 𠮷), every report is built as
DOCX, XLSX and PDF; LibreOffice converts the DOCX and the XLSX to PDF, as a user printing
them would; and every text and figure of the document model must be in the extracted text
of each PDF (whitespace removed: text wraps). A cell that runs over a page may continue on
the next page after the page's header and footer, but nothing of it may be missing.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from reportgen.branches import get_branch
from reportgen.build import available_kinds, documents, load_for, render
from reportgen.document import Document, plain_text
from reportgen.wareki import parse_fiscal_year
from tests.conftest import DATA

# Renders whole sample documents (PDF, DOCX, XLSX): outside the fast `-m "not slow"` set.
pytestmark = pytest.mark.slow

STRESS = Path(__file__).resolve().parent / "data" / "stress"
FORMATS = ("docx", "xlsx", "pdf")
# (data root, branch, year): every sample in data/ and the stress set.
DATA_SETS = (
    (DATA, "shizuoka", "R5"),
    (DATA, "saitama", "R5"),
    (DATA, "saitama", "R4"),
    (DATA, "saitama", "R2"),
    (DATA, "gunma", "R3"),
    (DATA, "gunma", "R2"),
    (STRESS, "nagano", "R2"),
    (STRESS, "nagano", "R1"),
)
# A string of the data this long is free text that must reach the model whole.
LONG_TEXT = 200
def _set_id(root: Path, branch: str, year: str) -> str:
    return f"{'stress' if root == STRESS else 'data'}/{branch}/{year}"


def _cases() -> list[object]:
    cases = []
    for root, branch, year in DATA_SETS:
        kinds = available_kinds(root, get_branch(branch), parse_fiscal_year(year))
        for kind in kinds:
            for fmt in FORMATS:
                case_id = f"{_set_id(root, branch, year)}:{kind}:{fmt}"
                cases.append(pytest.param(root, branch, year, kind, fmt, id=case_id))
    return cases


def squeeze(text: str) -> str:
    """Text as compared: all whitespace removed, since every format wraps it differently."""
    return "".join(text.split())


@dataclass
class Built:
    """One data set's documents and the text of each rendering, page by page."""

    documents: dict[str, Document]
    pages: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    paths: dict[tuple[str, str], Path] = field(default_factory=dict)


def pdf_pages(path: Path) -> list[str]:
    """Each page's text in drawing order (``-raw``): a table cell's lines stay together, where
    ``-layout`` would interleave the lines of cells side by side."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", str(path), "-"],
                         check=True, capture_output=True, text=True).stdout
    return [squeeze(page) for page in out.split("\f")[:-1]]


def office_to_pdf(files: list[Path], outdir: Path, profile: Path) -> None:
    """LibreOffice headless, several files per start, with a private profile (parallel runs)."""
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)],
        check=True, capture_output=True, timeout=600,
    )


class Renderings:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[tuple[Path, str, str], Built] = {}

    def get(self, data_root: Path, branch: str, year: str) -> Built:
        key = (data_root, branch, year)
        if key not in self.cache:
            self.cache[key] = self._build(data_root, branch, year)
        return self.cache[key]

    def _build(self, data_root: Path, branch: str, year: str) -> Built:
        b, fy = get_branch(branch), parse_fiscal_year(year)
        kinds = available_kinds(data_root, b, fy)
        docs = documents(load_for(data_root, b, fy, kinds), kinds)
        built = Built({d.kind: d for d in docs})
        folder = self.root / f"{branch}-{year}-{'stress' if data_root == STRESS else 'data'}"
        folder.mkdir(parents=True, exist_ok=True)
        office = []
        for out in render(docs, FORMATS):
            # kpi-results.docx and kpi-results.xlsx would both become kpi-results.pdf
            path = folder / f"{out.kind}-{out.format}.{out.format}"
            path.write_bytes(out.rendered.data)
            if out.format == "pdf":
                built.paths[(out.kind, "pdf")] = path
                built.pages[(out.kind, "pdf")] = pdf_pages(path)
            else:
                office.append(path)
        converted = folder / "libreoffice"
        office_to_pdf(office, converted, self.root / "lo-profile")
        for path in office:
            kind, fmt = path.stem.rsplit("-", 1)
            built.paths[(kind, fmt)] = converted / f"{path.stem}.pdf"
            built.pages[(kind, fmt)] = pdf_pages(built.paths[(kind, fmt)])
        return built


@pytest.fixture(scope="module")
def renderings(tmp_path_factory: pytest.TempPathFactory) -> Renderings:
    return Renderings(tmp_path_factory.mktemp("completeness"))


def _longest_prefix_in(needle: str, text: str, start: int = 0) -> tuple[int, int]:
    """The length of the longest prefix of ``needle`` that ``text`` holds from ``start`` on,
    and where that prefix ends in ``text``."""
    lo, hi = 0, len(needle)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text.find(needle[:mid], start) >= 0:
            lo = mid
        else:
            hi = mid - 1
    return lo, (text.find(needle[:lo], start) + lo if lo else start)


MIN_PIECE = 4  # a piece of a string continued elsewhere is at least this long


def found_length(needle: str, pages: list[str], whole: str) -> int:
    """How much of ``needle`` the pages hold, in order: the whole of it in one place, or pieces
    in reading order, on one page or running over consecutive pages. A cell that runs over a
    page break is one case; an XLSX cell continued in the next sheet row beside another
    continued cell is the other (the text of the two columns alternates piece by piece).
    The length found; ``len(needle)`` when it is all there."""
    if needle in whole:
        return len(needle)
    best = 0
    for start in range(len(pages)):
        pos = 0
        for page in pages[start:]:
            at, found = 0, False
            while pos < len(needle):
                k, end = _longest_prefix_in(needle[pos:], page, at)
                if k < min(MIN_PIECE, len(needle) - pos):
                    break
                pos, at, found = pos + k, end, True
            if pos == len(needle):
                return pos
            if not found:  # the text does not go on on this page
                break
        best = max(best, pos)
    return best


def missing(strings: list[str], pages: list[str]) -> list[str]:
    """The strings (whitespace removed) not all in ``pages``, each shown where it breaks off."""
    whole = "".join(pages)
    report = []
    for text in dict.fromkeys(squeeze(s) for s in strings if squeeze(s)):
        got = found_length(text, pages, whole)
        if got < len(text):
            head = text if len(text) <= 60 else text[:30] + "…" + text[-20:]
            report.append(f"{head!r} ({len(text)} chars): found {got}, missing from "
                          f"{text[got:got + 40]!r}")
    return report


@pytest.mark.slow
@pytest.mark.parametrize(("data_root", "branch", "year", "kind", "fmt"), _cases())
def test_every_model_text_is_printed(renderings: Renderings, data_root: Path, branch: str, year: str,
                                     kind: str, fmt: str) -> None:
    built = renderings.get(data_root, branch, year)
    document = built.documents[kind]
    pages = built.pages[(kind, fmt)]
    lost = missing(plain_text(document), pages)
    assert not lost, (f"{len(lost)} texts of the {kind} model are not in "
                      f"{'LibreOffice’s PDF of the ' + fmt.upper() if fmt != 'pdf' else 'the PDF'}:\n  "
                      + "\n  ".join(lost))


def _data_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _data_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _data_strings(v)]
    return []


BRANCH_SETS = tuple(dict.fromkeys((root, branch) for root, branch, _ in DATA_SETS))
_NUMBER = re.compile(r"^[①-⑳㉑-㉟]\s*")


@pytest.mark.parametrize(("data_root", "branch"),
                         [pytest.param(r, b, id=_set_id(r, b, "").rstrip("/")) for r, b in BRANCH_SETS])
def test_long_data_texts_reach_the_model(data_root: Path, branch: str) -> None:
    """The model is not where text is lost: every line of every long free text of a branch's
    data is in the model of one of its documents (a year's plan is also printed by the next
    year's comparison; a 取組's number goes to its own column)."""
    models = []
    for root, b, year in DATA_SETS:
        if (root, b) == (data_root, branch):
            br, fy = get_branch(b), parse_fiscal_year(year)
            kinds = available_kinds(root, br, fy)
            models += [t for d in documents(load_for(root, br, fy, kinds), kinds) for t in plain_text(d)]
    model = squeeze("".join(models))
    lost = []
    for path in sorted((data_root / branch).rglob("*.yaml")):
        for text in _data_strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if len(text) < LONG_TEXT or "{target}" in text:
                continue
            for line in text.splitlines():
                if squeeze(_NUMBER.sub("", line)) not in model:
                    lost.append(f"{path.relative_to(data_root)}: {line[:40]!r}… ({len(line)} chars)")
    assert not lost, "long data texts not in the model:\n  " + "\n  ".join(lost)


def test_stress_set_is_a_stress() -> None:
    """The stress set holds what it promises: long cells, a 60+ row table, ①…㉑, rare
    characters, an era-crossing period."""
    texts = {p: p.read_text(encoding="utf-8") for p in STRESS.rglob("*.yaml")}
    everything = "".join(texts.values())
    for ch in "髙﨑𠮷㈱①⑳㉑〜～ｶ":
        assert ch in everything, ch
    assert all(f"{c} 取組" in everything for c in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑")
    b = get_branch("nagano")
    for year, kinds in (("R2", ("kpi-results", "kpi-summary", "progress", "plan-comparison", "plan-budget")),
                        ("R1", ("progress",))):
        fy = parse_fiscal_year(year)
        assert set(kinds) <= set(available_kinds(STRESS, b, fy))
        for doc in documents(load_for(STRESS, b, fy, kinds), kinds):
            assert max(len(t) for t in plain_text(doc)) >= 1500, doc.kind
    q1 = documents(load_for(STRESS, b, parse_fiscal_year("R1"), ["progress"]), ["progress"])[0]
    assert "平成31年4月～令和元年6月" in plain_text(q1)
    progress = documents(load_for(STRESS, b, parse_fiscal_year("R2"), ["progress"]), ["progress"])[0]
    rows = [len(t.body) for block in progress.blocks if hasattr(block, "body")
            for row in block.body for c in row.cells for t in c.tables]
    assert max(rows) >= 60
    assert unicodedata.name("𠮷") == "CJK UNIFIED IDEOGRAPH-20BB7"



@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_yoshi_prints_as_a_glyph(renderings: Renderings, fmt: str) -> None:
    """𠮷 (U+20BB7), which BIZ UD lacks, is printed with Noto Sans CJK JP in our PDF and in
    LibreOffice's PDF of our DOCX and XLSX: the font is embedded and the text reads back, in
    its place."""
    built = renderings.get(STRESS, "nagano", "R2")
    path = built.paths[("kpi-results", fmt)]
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    assert "NotoSansCJK" in fonts.replace("-", ""), fonts
    assert squeeze("（𠮷田㈱・髙﨑）") in "".join(built.pages[("kpi-results", fmt)])
