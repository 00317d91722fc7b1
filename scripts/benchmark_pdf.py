"""PDF speed per report kind: our CLI beside LibreOffice converting our own DOCX, and Typst.

Run as ``./run python scripts/benchmark_pdf.py [--repeat 3] [--compare main]``. It prints
figures only (nothing is asserted; speed is never a unit test) and writes only to a private
temporary folder, removed at the end.

What is measured, and how (issue 16):

* **ours**: ``python -m reportgen build --branch B --year Y --report KIND --format pdf`` in a
  fresh process: interpreter start-up, imports, data load, model, layout, PDF, manifest:
  what a user waits for. Wall clock, median of ``--repeat`` runs, one after the other.
* **before** (``--compare REV``): the same command on the source of REV (``git archive``
  into the temporary folder, put first on ``PYTHONPATH``; same interpreter and libraries),
  in the same run, alternating with the current checkout so that both see the same load.
  The column "same bytes" says whether both PDFs are identical.
* **LibreOffice**: our DOCX of the kind (built once, untimed) converted by
  ``soffice --headless --convert-to pdf`` from a cold start (a fresh soffice each time, its
  profile made by one untimed warm-up conversion), median of the repeats
  (scripts/benchmark.py's ``soffice_convert``).
* **ratio**: ours / LibreOffice; pages/s: our pages over our wall time.
* **Whole branch**: ``reportgen build --branch B --year Y --jobs J`` (every kind its data
  allows, the three formats) for the sample branches, with one worker and with two (a
  branch's documents side by side, reportgen.parallel), before and after as above.
* **Typst** (only when the ``typst`` package is importable; it is not a dependency of
  reportgen: ``.venv/bin/pip install typst``): the progress sheet's and the KPI pages'
  tables, as the document model has them (the same text, column proportions, repeated
  header, figure tables nested in their cells, fonts), written as Typst and compiled by
  ``typst.compile`` in a fresh process; a reference for what a fast engine does with this
  content, not an equivalent document (no running header, legend or kept sections).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import ROOT, pdf_pages, secs, soffice_convert, table  # a sibling script, found through the path above

if TYPE_CHECKING:
    from reportgen.document import Cell, Document, Table

# One sample per kind: the data set each seed was transcribed from (README).
SAMPLES = (
    ("kpi-results", "shizuoka", "R5"),
    ("kpi-summary", "shizuoka", "R5"),
    ("progress", "saitama", "R2"),
    ("plan-comparison", "saitama", "R5"),
    ("plan-budget", "gunma", "R3"),
    ("annual-summary", "national", "R2"),
)
TYPST_KINDS = ("progress", "kpi-results")
# Whole branches: every kind the data allows, in the three formats (README's first command).
BRANCHES = (("shizuoka", "R5"), ("saitama", "R2"), ("saitama", "R5"), ("gunma", "R3"))


def build_command(kind: str, branch: str, year: str, fmt: str, output: Path, data: Path) -> list[str]:
    return [sys.executable, "-m", "reportgen", "build", "--branch", branch, "--year", year,
            "--report", kind, "--format", fmt, "--data", str(data), "--output", str(output)]


def branch_command(branch: str, year: str, jobs: int, output: Path, data: Path) -> list[str]:
    return [sys.executable, "-m", "reportgen", "build", "--branch", branch, "--year", year, "--jobs", str(jobs),
            "--data", str(data), "--output", str(output)]


class Timing(NamedTuple):
    wall: float
    cpu: float  # user + system of the process tree: what the machine's other load does not change


T = TypeVar("T")


def children_cpu(run: Callable[[], T]) -> tuple[T, float]:
    """``run()`` and the CPU seconds its child processes (reaped inside it) used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return result, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Timing:
    """Wall and CPU time of ``command`` in a fresh process; a failure stops the benchmark. Run
    from a folder without a reportgen/ of its own (``python -m`` puts the working folder first)."""
    t0 = time.perf_counter()
    proc, cpu = children_cpu(lambda: subprocess.run(command, capture_output=True, text=True, env=env,
                                                    cwd=cwd or tempfile.gettempdir(), check=False))
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"benchmark_pdf: {' '.join(command[:4])}… failed (exit {proc.returncode})")
    return Timing(wall, cpu)


def medians(timings: Sequence[Timing]) -> Timing:
    return Timing(statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings))


def the_pdf(output: Path, kind: str, branch: str, year: str) -> Path:
    (pdf,) = (output / branch / year).glob(f"{kind}*.pdf")
    return pdf


def source_of(rev: str, tmp: Path) -> Path:
    """The package source of ``rev`` (git archive), for PYTHONPATH."""
    target = tmp / f"src-{rev.replace('/', '_')}"
    target.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "reportgen"], capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


# --- Typst: the document model's tables as Typst -------------------------------------------


def _typst_string(text: str) -> str:
    """A Typst string literal (JSON's escapes, but Typst writes code points as \\u{…})."""
    return "".join(f"\\u{{{ord(ch):x}}}" if ord(ch) < 0x20 and ch != "\n" else ch
                   for ch in json.dumps(text, ensure_ascii=False)[1:-1]).join('""')


def _typst_cell(cell: Cell, size_pt: float) -> str:
    text = "\n".join(cell.text) if cell.vertical else cell.text
    body = f"text({_typst_string(text)})"
    for nested in cell.tables:
        body += " + " + _typst_table(nested, size_pt * 0.8, fit=True)
    align = {"left": "left", "center": "center", "right": "right"}[cell.align]
    return f"table.cell(colspan: {cell.colspan}, rowspan: {cell.rowspan}, align: {align})[#({body})]"


def _typst_table(t: Table, size_pt: float, fit: bool = False) -> str:
    """A table with the model's column proportions, or its columns as wide as their text."""
    total = sum(c.width for c in t.columns)
    columns = "(" + ", ".join("auto" if fit else f"{c.width / total:.4f}fr" for c in t.columns) + ",)"
    header = ", ".join(_typst_cell(c, size_pt) for row in t.header for c in row.cells)
    body = ", ".join(_typst_cell(c, size_pt) for row in t.body for c in row.cells)
    return (f"text(size: {size_pt}pt, table(columns: {columns}, stroke: 0.6pt, inset: (x: 1.5mm, y: 1.2mm), "
            f"table.header({header}), {body}))")


def typst_source(document: Document) -> str:
    """The tables and headings of ``document`` as one Typst file."""
    from reportgen.document import Heading, Paragraph, Table

    style, page = document.style, document.page
    out = [f'#set page(paper: "a4", flipped: {str(page.orientation == "landscape").lower()}, '
           f"margin: {page.margin_mm}mm, footer: context [#align(center)[#counter(page).display() ページ]])",
           f"#set text(font: ({', '.join(_typst_string(f) for f in (*style.gothic, style.fallback))}), "
           f'size: {style.body_pt}pt, lang: "ja")']
    for block in document.blocks:
        if isinstance(block, Table):
            out.append("#" + _typst_table(block, style.body_pt))
        elif isinstance(block, Heading):
            out.append(f"#heading(level: {block.level}, {_typst_string(block.text)})")
        elif isinstance(block, Paragraph):
            out.append(f"#par({_typst_string(block.text)})")
    return "\n".join(out) + "\n"


def typst_available() -> bool:
    try:
        import typst  # noqa: F401
    except ImportError:
        return False
    return True


# --- the run ---------------------------------------------------------------------------------


def benchmark(args: argparse.Namespace) -> None:
    n, data = args.repeat, args.data
    rows, typst_rows = [], []
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-pdf-") as tmp_name:
        tmp = Path(tmp_name)
        before_env = None
        if args.compare:
            before_env = {**os.environ, "PYTHONPATH": str(source_of(args.compare, tmp))}
        profile = tmp / "lo-profile"
        warmed = False
        for kind, branch, year in SAMPLES:
            print(f"benchmark_pdf: {kind} ({branch} {year}) x{n} …", file=sys.stderr, flush=True)
            after: list[Timing] = []
            before: list[Timing] = []
            for i in range(n):  # alternating, so both see the same machine load
                out = tmp / f"after-{kind}-{i}"
                after.append(timed(build_command(kind, branch, year, "pdf", out, data)))
                if before_env is not None:
                    old_out = tmp / f"before-{kind}-{i}"
                    before.append(timed(build_command(kind, branch, year, "pdf", old_out, data), before_env))
            pdf = the_pdf(tmp / f"after-{kind}-0", kind, branch, year)
            pages = pdf_pages(pdf) or 0
            same = ""
            if before_env is not None:
                old_pdf = the_pdf(tmp / f"before-{kind}-0", kind, branch, year)
                same = "yes" if _sha(old_pdf) == _sha(pdf) else "NO"
            docx_out = tmp / f"docx-{kind}"
            timed(build_command(kind, branch, year, "docx", docx_out, data))
            (docx,) = (docx_out / branch / year).glob(f"{kind}*.docx")
            if not warmed:  # LibreOffice makes its profile on the first start: untimed
                soffice_convert(docx, tmp / "lo-warmup", profile, tmp)
                warmed = True
            runs = [children_cpu(functools.partial(soffice_convert, docx, tmp / f"lo-{kind}-{i}", profile, tmp))
                    for i in range(n)]
            lo = (medians([Timing(c.wall_s, cpu) for c, cpu in runs]) if all(c.ok for c, _ in runs) else None)
            lo_pages = runs[0][0].pages or 0
            ours = medians(after)
            old = medians(before) if before else None
            rows.append([kind, str(pages), *_pair(old, ours, lo), f"{pages / ours.wall:.1f}",
                         "" if lo is None else f"{lo_pages / lo.wall:.1f}", same])
            if kind in TYPST_KINDS and typst_available():
                typst_rows.append(typst_figures(kind, branch, year, data, tmp, n))
        branch_rows = []
        for branch, year in BRANCHES:
            print(f"benchmark_pdf: whole branch {branch} {year} x{n} …", file=sys.stderr, flush=True)
            row = [f"{branch} {year}"]
            for jobs in (1, 2):
                after, before = [], []
                for i in range(n):
                    after.append(timed(branch_command(branch, year, jobs, tmp / f"branch-{branch}-{year}-{jobs}-{i}",
                                                      data)))
                    if before_env is not None:
                        before.append(timed(branch_command(branch, year, jobs, tmp / f"old-{branch}-{year}-{jobs}-{i}",
                                                           data), before_env))
                row += ["" if not before else secs(medians(before).wall), secs(medians(after).wall)]
            documents = sum(1 for f in (tmp / f"branch-{branch}-{year}-1-0" / branch / year).iterdir()
                            if f.suffix in (".docx", ".xlsx", ".pdf"))
            branch_rows.append([row[0], str(documents), *row[1:]])
    print(f"PDF per report kind: fresh process each run, median of {n}; wall clock and CPU (user+system)"
          + (f"; before = {args.compare}, after = this checkout, alternated in this run" if args.compare else ""))
    print(table(["kind", "pages", "before s", "after s", "LibreOffice s", "ratio before", "ratio after",
                 "before CPU s", "after CPU s", "LO CPU s", "CPU ratio after", "pages/s after", "pages/s LO",
                 "same bytes"], rows))
    print("ratio = our PDF time / LibreOffice's conversion of our DOCX (soffice --headless "
          "--convert-to pdf, cold start); ours = python -m reportgen build --report KIND --format pdf")
    print()
    print(f"Whole branch (every kind the data allows, docx, xlsx and pdf), wall clock, median of {n}")
    print(table(["branch", "documents", "before --jobs 1", "after --jobs 1", "before --jobs 2", "after --jobs 2"],
                branch_rows))
    if typst_rows:
        print()
        print("Typst reference (the same tables from the document model, typst.compile in a fresh process)")
        print(table(["kind", "pages", "wall s", "CPU s", "pages/s"], typst_rows))
    elif not typst_available():
        print("Typst: not installed (.venv/bin/pip install typst), skipped")


def _pair(old: Timing | None, ours: Timing, lo: Timing | None) -> list[str]:
    """before, after, LibreOffice and the ratios, wall clock then CPU."""
    def ratio(a: float | None, b: float | None) -> str:
        return "" if a is None or not b else f"{a / b:.2f}"

    return [
        "" if old is None else secs(old.wall), secs(ours.wall), "failed" if lo is None else secs(lo.wall),
        ratio(old and old.wall, lo and lo.wall), ratio(ours.wall, lo and lo.wall),
        "" if old is None else secs(old.cpu), secs(ours.cpu), "" if lo is None else secs(lo.cpu),
        ratio(ours.cpu, lo and lo.cpu),
    ]


def typst_figures(kind: str, branch: str, year: str, data: Path, tmp: Path, n: int) -> list[str]:
    from reportgen.branches import get_branch
    from reportgen.build import documents, load_for
    from reportgen.wareki import parse_fiscal_year

    b, fy = get_branch(branch), parse_fiscal_year(year)
    (document,) = documents(load_for(data, b, fy, [kind]), [kind])
    source = tmp / f"{kind}.typ"
    source.write_text(typst_source(document), encoding="utf-8")
    target = tmp / f"{kind}-typst.pdf"
    command = [sys.executable, "-c", "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])",
               str(source), str(target)]
    timing = medians([timed(command) for _ in range(n)])
    pages = pdf_pages(target) or 0
    return [kind, str(pages), secs(timing.wall), secs(timing.cpu), f"{pages / timing.wall:.1f}"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="PDF time per report kind beside LibreOffice (and Typst).")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; medians printed")
    parser.add_argument("--compare", metavar="REV", help="also time the source of git revision REV (before)")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data folder (default: data/)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    benchmark(args)


if __name__ == "__main__":
    main()
