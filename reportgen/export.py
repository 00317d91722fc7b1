"""A month's export for the schedule: ``OUTPUT/exports/<YYYY-MM>/``, whole or not at all.

After the incremental build of every branch (``reportgen.batch``) the export folder gets

* ``<branch>.zip`` per branch: every year's documents and ``manifest.json`` as the output
  folders hold them (``<branch>/<year>/<file>``), entries sorted, fixed dates
  (``SOURCE_DATE_EPOCH``, as the documents), fixed permissions: the same files give the
  same ZIP bytes;
* ``kpi-grades.csv`` and ``kpi-grades.xlsx``: per branch and year, the number of KPIs
  達成 / 概ね達成 / 未達成, computed from the data (UTF-8 with BOM for Excel);
* ``index.json``: the month, every file with its sha256 and size, each ZIP's documents,
  and the branches that failed this run.

The folder is written by ``outputs.replace``: a staging folder swapped in with one
``renameat2`` under the folder's lock, so a kill at any instant leaves the previous export
or the new one, never a half-written ZIP or index; the next run cleans the leftovers. One
export at a time: ``export_lock`` holds ``flock`` on ``OUTPUT/exports/.export.lock``, which
the kernel releases when its holder dies (a killed run's lock is taken over at once).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import re
import sys
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from reportgen import __version__
from reportgen.batch import JobResult
from reportgen.branches import BRANCHES, NATIONAL, Branch
from reportgen.build import MANIFEST
from reportgen.document import Cell, Column, Document, Heading, NumberFormat, PageSetup, Row, Table, para
from reportgen.errors import DataError, OutputError, UsageError
from reportgen.grading import Grade
from reportgen.load.dataset import KPI_RESULTS_FILE
from reportgen.outputs import Warn, locked, read_manifest, replace
from reportgen.wareki import parse_fiscal_year
from reportgen.writers.shared import source_date

EXPORTS = "exports"
INDEX = "index.json"
GRADES_CSV = "kpi-grades.csv"
GRADES_XLSX = "kpi-grades.xlsx"
_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])")


def parse_month(text: str) -> str:
    if not _MONTH.fullmatch(text.strip()):
        raise UsageError(f"月「{text}」は YYYY-MM（例: 2026-11）で指定してください。", "--month 2026-11")
    return text.strip()


def month_folder(output_root: Path, month: str) -> Path:
    return output_root / EXPORTS / month


@contextlib.contextmanager
def export_lock(output_root: Path) -> Iterator[None]:
    """One export at a time; a second one stops at once with a message (exit 5)."""
    try:
        with locked(output_root / EXPORTS / "export", timeout=0):
            yield
    except OutputError as exc:
        if "あきらめました" not in exc.message:
            raise
        raise OutputError(f"別の reportgen export が実行中です（{output_root / EXPORTS / '.export.lock'}）。"
                          "終わってから実行してください。", exc.detail) from None


class EventLog:
    """``--log-json``: one JSON object a line, flushed as it happens, for the scheduler's log."""

    def __init__(self, target: str | None, month: str) -> None:
        self.month = month
        self._file: IO[str] | None = None
        if target == "-":
            self._file = sys.stdout
        elif target:
            self._file = open(target, "a", encoding="utf-8")

    def __call__(self, event: str, **fields: Any) -> None:
        if self._file is None:
            return
        record = {"time": datetime.now(UTC).isoformat(timespec="seconds"), "event": event, "month": self.month,
                  **fields}
        self._file.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self._file.flush()

    def close(self) -> None:
        if self._file is not None and self._file is not sys.stdout:
            self._file.close()


def _zip_stamp() -> tuple[int, int, int, int, int, int]:
    stamp = source_date().timetuple()[:6]
    return (1980, 1, 1, 0, 0, 0) if stamp[0] < 1980 else stamp  # type: ignore[return-value]


def reproducible_zip(files: dict[str, bytes]) -> bytes:
    """``files`` (name → bytes) as a ZIP whose bytes depend on names and contents only."""
    out = io.BytesIO()
    stamp = _zip_stamp()
    with zipfile.ZipFile(out, "w") as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the host
            z.writestr(info, files[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def branch_files(output_root: Path, branch: Branch) -> tuple[dict[str, bytes], list[dict[str, Any]]]:
    """Every year's documents of ``branch`` with their manifest, as the output folders hold
    them: a document is taken only when its bytes have the sha256 its manifest gives."""
    files: dict[str, bytes] = {}
    years: list[dict[str, Any]] = []
    folder = output_root / branch.slug
    for year in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) \
            if folder.is_dir() else ():
        entries = read_manifest(year / MANIFEST)
        if not entries:
            continue
        documents = []
        for name, entry in sorted(entries.items()):
            path = year / name
            if "/" in name or path.is_symlink() or not path.is_file():
                continue
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
                continue  # changed since its build: the next build makes it again
            files[f"{branch.slug}/{year.name}/{name}"] = data
            documents.append({"path": f"{year.name}/{name}", "sha256": entry["sha256"], "bytes": len(data)})
        files[f"{branch.slug}/{year.name}/{MANIFEST}"] = (year / MANIFEST).read_bytes()
        years.append({"year": year.name, "documents": documents})
    return files, years


def grade_rows(data_root: Path) -> list[dict[str, Any]]:
    """Per branch and year with KPI results: counts of each grade (branches with bad data left out)."""
    from reportgen.grading import grade
    from reportgen.load.dataset import load_dataset

    rows = []
    for branch in BRANCHES:
        folder = data_root / branch.slug
        for year in sorted(p.name for p in folder.iterdir()) if folder.is_dir() else ():
            if not (folder / year / KPI_RESULTS_FILE).is_file():
                continue
            try:
                fy = parse_fiscal_year(year)
                if fy.short != year:
                    continue
                results = load_dataset(data_root, branch, fy, {KPI_RESULTS_FILE}).kpi_results
            except (DataError, UsageError):
                continue  # reported by the build; the summary holds the branches that load
            assert results is not None
            counts = dict.fromkeys((str(g) for g in Grade), 0)
            for section in results.sections:
                for kpi in section.kpis:
                    counts[str(grade(kpi, results.grading))] += 1
            rows.append({"branch": branch.slug, "branch_name": branch.name, "year": fy.short,
                         "start_year": fy.start_year, "grading": results.grading, **counts,
                         "total": sum(counts.values())})
    return sorted(rows, key=lambda r: (r["start_year"], [b.slug for b in BRANCHES].index(r["branch"])))


GRADE_COLUMNS = ("branch", "branch_name", "year", "grading", *(str(g) for g in Grade), "total")


def grades_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(GRADE_COLUMNS)
    for r in rows:
        writer.writerow([r[c] for c in GRADE_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def grades_document(rows: list[dict[str, Any]], month: str) -> Document:
    """The same table for the XLSX writer (reproducible bytes, the documents' font)."""
    heads = ("支部", "slug", "年度", "評価", *(str(g) for g in Grade), "計")
    header = Row(tuple(Cell((para(h, bold=True),), align="center") for h in heads))

    def count(n: int) -> Cell:
        return Cell((para(str(n)),), align="right", number=Decimal(n), number_format=NumberFormat(0))

    body = tuple(Row((Cell((para(r["branch_name"]),)), Cell((para(r["branch"]),)), Cell((para(r["year"]),)),
                      Cell((para(r["grading"]),)), *(count(r[str(g)]) for g in Grade), count(r["total"])))
                 for r in rows)
    title = f"KPI 達成状況 支部別（{month}）"
    return Document(kind="kpi-grades", title=title, sheet_name="KPI達成状況",
                    page=PageSetup(orientation="landscape"),
                    blocks=(Heading(1, title), Table(tuple(Column(w) for w in (16, 12, 8, 10, 10, 10, 10, 8)),
                                                     (header,), body, label="kpi-grades")))


def write_month(month: str, data_root: Path, output_root: Path, results: list[JobResult],
                log: EventLog, warn: Warn | None = None) -> Path:
    """Write ``OUTPUT/exports/<month>/`` from the output folders as they are now."""
    from reportgen.writers import WRITERS, WriterOptions

    target = month_folder(output_root, month)
    files: dict[str, bytes] = {}
    zips: dict[str, dict[str, Any]] = {}
    for branch in (*BRANCHES, NATIONAL):
        content, years = branch_files(output_root, branch)
        if not content:
            continue
        name = f"{branch.slug}.zip"
        files[name] = reproducible_zip(content)
        zips[name] = {"branch": branch.slug, "branch_name": branch.name, "years": years}
        log("zip", branch=branch.slug, path=str(target / name), bytes=len(files[name]),
            sha256=hashlib.sha256(files[name]).hexdigest())
    rows = grade_rows(data_root)
    files[GRADES_CSV] = grades_csv(rows)
    files[GRADES_XLSX] = WRITERS["xlsx"](grades_document(rows, month), WriterOptions()).data
    log("summary", branches=len(rows), files=[GRADES_CSV, GRADES_XLSX])
    failed = [{"branch": r.branch, "year": r.year, "error": r.error} for r in results if r.failed]

    def index(staging: Path) -> bytes:
        listed = []
        for path in sorted(staging.iterdir()):
            if path.name == INDEX or not path.is_file() or path.is_symlink():
                continue
            data = path.read_bytes()
            entry: dict[str, Any] = {"path": path.name, "sha256": hashlib.sha256(data).hexdigest(),
                                     "bytes": len(data)}
            if path.name in zips:
                entry.update(zips[path.name])
            listed.append(entry)
        body = {"month": month, "generator": f"reportgen {__version__}", "files": listed, "failed": failed}
        return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    replace(target, files, INDEX, index, warn)
    return target

