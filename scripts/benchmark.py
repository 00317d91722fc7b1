"""Benchmark: how long each stage of a build takes and how much memory rendering needs.

Run as ``./run python scripts/benchmark.py [--branch shizuoka --year R5] [--repeat N]``.
It prints figures only: nothing is asserted and no output folder is touched (everything
that has to be written goes to a private temporary folder, removed at the end).

What is measured, and how:

* Every (report kind, format) pair of the kinds the data set allows x (docx, xlsx, pdf) is
  measured in N fresh Python processes (N = ``--repeat``, default 3): this script runs
  itself with a hidden ``--child`` flag, one process after the other, never in parallel.
  Each child imports reportgen, loads and validates the data set (``build.load_for``),
  builds the document model (``build.documents``), then renders it once with
  ``WRITERS[fmt](document, WriterOptions())`` — the *cold* render, as in a one-shot
  ``reportgen build`` — and once more in the same process — the *warm* render, as for a
  second document in a long-running process.
* Times are wall-clock (``time.perf_counter``), medians over the N samples.
* Memory is the resident set size a user's process really reaches:
  ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (the process's RSS high-water mark).
  "peak RSS" is that mark after the cold render; "render delta" is that mark minus the mark
  taken just before rendering (after imports, data load and model build), i.e. how far the
  render pushed the process beyond what it already needed. Both are the maximum over the N
  samples. A render that reuses memory freed earlier shows less than it allocated.
* Data load + validation and the model build are timed in the same children (cold, each in
  a fresh process); the load is what ``reportgen build --report KIND`` does for one kind.
* PDF: pages as WeasyPrint reports them, and pages per second over the cold render alone
  and over the whole fresh process (interpreter start-up, imports, load, model, render:
  from just before the child is spawned to the end of its cold render).
* LibreOffice beside it: our own DOCX of the same report (rendered here, written to the
  temporary folder) is converted with ``soffice --headless --convert-to pdf`` using a
  private profile (``-env:UserInstallation``) in the temporary folder. The profile is
  created by one untimed warm-up conversion first (its time is printed separately), so the
  timed runs are what a user with an existing profile waits for: the wall time of the whole
  ``soffice`` command, start-up included; median over N runs. Pages are counted with
  ``pdfinfo``; peak RSS is ``ru_maxrss`` of the ``soffice`` process tree, from ``os.wait4``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportgen.branches import Branch
    from reportgen.wareki import FiscalYear

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("docx", "xlsx", "pdf")
SOFFICE_TIMEOUT = 300  # seconds


# --- the child: one fresh process, one (kind, format) ------------------------------------


def _maxrss_kib() -> int:
    """The RSS high-water mark of this process, in KiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(kind: str, fmt: str, branch_key: str, year: str, data_root: Path) -> dict[str, Any]:
    """Measure one (kind, format) in this process; the result is printed as one JSON line."""
    start = time.perf_counter()
    from reportgen.branches import get_branch
    from reportgen.build import documents, load_for
    from reportgen.wareki import parse_fiscal_year
    from reportgen.writers import WRITERS, WriterOptions

    imported = time.perf_counter()
    rss_imports = _maxrss_kib()
    branch, fy = get_branch(branch_key), parse_fiscal_year(year)

    t0 = time.perf_counter()
    data = load_for(data_root, branch, fy, [kind])
    t1 = time.perf_counter()
    (document,) = documents(data, [kind])
    t2 = time.perf_counter()

    rss_before = _maxrss_kib()
    t3 = time.perf_counter()
    rendered = WRITERS[fmt](document, WriterOptions())
    t4 = time.perf_counter()
    done_at = time.monotonic()  # CLOCK_MONOTONIC is system-wide: the parent can compare it
    rss_after = _maxrss_kib()

    t5 = time.perf_counter()
    WRITERS[fmt](document, WriterOptions())
    t6 = time.perf_counter()

    return {
        "import_s": imported - start,
        "load_s": t1 - t0,
        "model_s": t2 - t1,
        "render_s": t4 - t3,
        "warm_s": t6 - t5,
        "rss_imports_kib": rss_imports,
        "rss_before_kib": rss_before,
        "rss_after_kib": rss_after,
        "bytes": len(rendered.data),
        "pages": rendered.pages,
        "done_at": done_at,
    }


@dataclass
class Sample:
    """One child's figures plus the parent's view of when it was spawned."""

    figures: dict[str, Any]
    spawned_at: float

    def __getitem__(self, key: str) -> Any:
        return self.figures[key]

    @property
    def process_s(self) -> float:
        """From just before the spawn to the end of the cold render."""
        return float(self.figures["done_at"]) - self.spawned_at


def run_child(kind: str, fmt: str, args: argparse.Namespace) -> Sample:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, fmt,
               "--branch", args.branch, "--year", args.year, "--data", str(args.data)]
    spawned_at = time.monotonic()
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"benchmark: the child for {kind}.{fmt} failed (exit {proc.returncode})")
    last = proc.stdout.strip().splitlines()[-1]
    return Sample(json.loads(last), spawned_at)


# --- LibreOffice -------------------------------------------------------------------------


@dataclass
class Conversion:
    wall_s: float
    pages: int | None
    maxrss_kib: int
    ok: bool


def pdf_pages(pdf: Path) -> int | None:
    proc = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False)
    m = re.search(r"^Pages:\s+(\d+)", proc.stdout, re.MULTILINE)
    return int(m[1]) if m else None


def soffice_convert(docx: Path, outdir: Path, profile: Path, tmp: Path) -> Conversion:
    """Convert ``docx`` to PDF with headless LibreOffice; wall time includes start-up."""
    outdir.mkdir(parents=True, exist_ok=True)
    command = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--convert-to", "pdf", "--outdir", str(outdir), str(docx)]
    env = {**os.environ, "TMPDIR": str(tmp)}  # LibreOffice's scratch files stay in our tmp
    log = outdir / "soffice.log"
    with log.open("wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        # wait4 gives the rusage of the whole tree soffice reaped (oosplash -> soffice.bin).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    pdf = outdir / (docx.stem + ".pdf")
    ok = proc.returncode == 0 and pdf.is_file()
    if not ok:
        sys.stderr.write(f"benchmark: soffice failed on {docx.name} (exit {proc.returncode}):\n"
                         + log.read_text(errors="replace"))
    return Conversion(wall, pdf_pages(pdf) if ok else None, usage.ru_maxrss, ok)


# --- machine info and output -------------------------------------------------------------


def command_output(command: Sequence[str]) -> str:
    try:
        proc = subprocess.run(list(command), capture_output=True, text=True, timeout=120,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({type(exc).__name__})"
    return proc.stdout.strip() or proc.stderr.strip() or "unavailable"


def machine_info(tmp: Path) -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, IndexError, ValueError):
        pass
    profile = (tmp / "version-profile").as_uri()
    lo = command_output(["soffice", f"-env:UserInstallation={profile}", "--version"])
    return (f"machine: nproc {command_output(['nproc'])} ({cpu}{mem}); "
            f"Python {platform.python_version()}; "
            f"WeasyPrint {metadata.version('weasyprint')}; {lo}")


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    """A fixed-width table: the first ``left`` columns aligned left, the rest right."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i < left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def secs(x: float) -> str:
    return f"{x:.3f}"


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f}"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


# --- the parent ----------------------------------------------------------------------------


def benchmark(args: argparse.Namespace) -> None:
    from reportgen.branches import get_branch
    from reportgen.build import available_kinds, documents, load_for
    from reportgen.errors import ReportgenError
    from reportgen.wareki import parse_fiscal_year
    from reportgen.writers import WRITERS, WriterOptions

    try:
        branch: Branch = get_branch(args.branch)
        fy: FiscalYear = parse_fiscal_year(args.year)
        kinds = available_kinds(args.data, branch, fy)
        data = load_for(args.data, branch, fy, kinds)  # fail early on bad data
    except ReportgenError as exc:
        raise SystemExit(f"benchmark: {exc.render()}") from exc
    n = args.repeat

    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as tmp_name:
        tmp = Path(tmp_name)
        info = machine_info(tmp)

        samples: dict[tuple[str, str], list[Sample]] = {}
        for kind in kinds:
            for fmt in FORMATS:
                print(f"benchmark: {kind}.{fmt} x{n} …", file=sys.stderr, flush=True)
                samples[kind, fmt] = [run_child(kind, fmt, args) for _ in range(n)]

        # LibreOffice on our own DOCX of each report.
        docx_dir = tmp / "docx"
        docx_dir.mkdir()
        docx_files: dict[str, Path] = {}
        for kind, document in zip(kinds, documents(data, kinds), strict=True):
            path = docx_dir / f"{kind}.docx"
            path.write_bytes(WRITERS["docx"](document, WriterOptions()).data)
            docx_files[kind] = path
        profile = tmp / "lo-profile"
        print("benchmark: LibreOffice profile warm-up …", file=sys.stderr, flush=True)
        warmup = soffice_convert(docx_files[kinds[0]], tmp / "lo-warmup", profile, tmp)
        conversions: dict[str, list[Conversion]] = {}
        for kind in kinds:
            print(f"benchmark: LibreOffice {kind}.docx -> pdf x{n} …", file=sys.stderr,
                  flush=True)
            conversions[kind] = [
                soffice_convert(docx_files[kind], tmp / f"lo-{kind}-{i}", profile, tmp)
                for i in range(n)
            ]

    everything = [s for group in samples.values() for s in group]
    print(f"reportgen benchmark: {branch.name} {fy.short} ({branch.slug}), "
          f"{len(kinds)} report kinds x {len(FORMATS)} formats, repeat {n}")
    print(info)
    print("times: wall clock (perf_counter), median of the repeats; each sample a fresh Python "
          "process, rendering the document once cold, then once warm in the same process")
    print("memory: RSS of that fresh process, resource.getrusage(RUSAGE_SELF).ru_maxrss; "
          "'render delta' = high-water mark after the cold render minus the mark just before "
          "it (after imports, data load, model build); max of the repeats")
    print()

    print("Stages (cold, fresh process)")
    stage_rows = [
        ["python imports (reportgen, writers)", secs(median([s["import_s"] for s in everything])),
         str(len(everything)), mib(max(s["rss_imports_kib"] for s in everything))],
        ["data load + validation", secs(median([s["load_s"] for s in everything])),
         str(len(everything)), ""],
    ]
    for kind in kinds:
        group = [s for fmt in FORMATS for s in samples[kind, fmt]]
        stage_rows.append([f"document model: {kind}", secs(median([s["model_s"] for s in group])),
                           str(len(group)), mib(max(s["rss_before_kib"] for s in group))])
    print(table(["stage", "median s", "samples", "RSS after MiB"], stage_rows))
    print()

    print("Rendering (WRITERS[fmt](document, WriterOptions()))")
    rows = []
    for kind in kinds:
        for fmt in FORMATS:
            group = samples[kind, fmt]
            cold = median([s["render_s"] for s in group])
            pages = group[0]["pages"]
            rows.append([
                kind, fmt, secs(cold), secs(median([s["warm_s"] for s in group])),
                mib(max(s["rss_after_kib"] for s in group)),
                mib(max(s["rss_after_kib"] - s["rss_before_kib"] for s in group)),
                f"{group[0]['bytes'] / 1024:.1f}",
                "" if pages is None else str(pages),
                "" if pages is None or cold <= 0 else f"{pages / cold:.1f}",
            ])
    print(table(["kind", "format", "cold s", "warm s", "peak RSS MiB", "render delta MiB",
                 "KiB", "pages", "pages/s (cold)"], rows, left=2))
    print()

    print("PDF: WeasyPrint vs LibreOffice (soffice --headless --convert-to pdf of our DOCX)")
    pdf_rows = []
    for kind in kinds:
        group = samples[kind, "pdf"]
        pages = group[0]["pages"]
        render = median([s["render_s"] for s in group])
        process = median([s.process_s for s in group])
        for label, wall, rss in (
            ("WeasyPrint, render only (cold)", render,
             max(s["rss_after_kib"] for s in group)),
            ("WeasyPrint, whole fresh process", process,
             max(s["rss_after_kib"] for s in group)),
        ):
            pdf_rows.append([kind, label, secs(wall), str(pages),
                             f"{pages / wall:.2f}" if pages and wall > 0 else "",
                             mib(rss)])
        runs = [c for c in conversions[kind] if c.ok]
        if runs:
            wall = median([c.wall_s for c in runs])
            lo_pages = runs[0].pages
            pdf_rows.append([kind, "LibreOffice, incl. start-up", secs(wall),
                             "?" if lo_pages is None else str(lo_pages),
                             f"{lo_pages / wall:.2f}" if lo_pages and wall > 0 else "",
                             mib(max(c.maxrss_kib for c in runs))])
        else:
            pdf_rows.append([kind, "LibreOffice, incl. start-up", "failed", "", "", ""])
    print(table(["kind", "engine", "wall s", "pages", "pages/s", "peak RSS MiB"], pdf_rows,
                left=2))
    print("whole fresh process = interpreter start-up + imports + data load + model + cold "
          "render, from just before the spawn to the end of the render")
    print(f"LibreOffice profile creation (untimed warm-up, first conversion of "
          f"{kinds[0]}.docx): {secs(warmup.wall_s)} s"
          + ("" if warmup.ok else " (failed)"))


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Print build-stage times, render times and memory, and WeasyPrint vs "
                    "LibreOffice PDF speed for one data set. Prints figures only.")
    parser.add_argument("--branch", default="shizuoka", help="branch (default: shizuoka)")
    parser.add_argument("--year", default="R5", help="fiscal year (default: R5)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="samples per measurement; medians are printed (default: 3)")
    parser.add_argument("--data", type=Path, default=ROOT / "data",
                        help="data folder (default: the project's data/)")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FORMAT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        kind, fmt = args.child
        figures = child(kind, fmt, args.branch, args.year, args.data)
        print(json.dumps(figures))
    else:
        benchmark(args)


if __name__ == "__main__":
    main()
