"""A build: data set → documents → files, all or nothing.

Everything is rendered in memory first; files are written into a staging folder beside
the output folder, which then replaces it with two renames. A failure at any point before
that leaves the previous outputs exactly as they were.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from reportgen import __version__
from reportgen.branches import Branch
from reportgen.document import Document
from reportgen.errors import DataError, Problem, RenderError
from reportgen.load.dataset import (
    PROGRESS_DIR,
    DataSet,
    data_directory,
    existing_directory,
    latest_quarter,
    load_dataset,
)
from reportgen.load.yaml_source import display_path
from reportgen.reports import REPORTS
from reportgen.templating import load_template
from reportgen.wareki import FiscalYear
from reportgen.writers import WRITERS, Rendered, WriterOptions

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
DEFAULT_FORMATS = ("docx", "xlsx", "pdf")
EXTENSIONS = {"model-json": "model.json"}

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Output:
    kind: str
    format: str
    path: str  # relative to the output folder
    rendered: Rendered
    quarter: int | None = None

    def entry(self) -> dict[str, object]:
        entry: dict[str, object] = {
            "kind": self.kind,
            "format": self.format,
            "path": self.path,
            "sha256": hashlib.sha256(self.rendered.data).hexdigest(),
            "bytes": len(self.rendered.data),
        }
        if self.quarter is not None:
            entry["quarter"] = self.quarter
        if self.rendered.pages is not None:
            entry["pages"] = self.rendered.pages
        return entry


def file_name(kind: str, fmt: str, quarter: int | None = None) -> str:
    """kpi-results.pdf; progress-Q3.pdf for a quarterly document."""
    return f"{kind}{f'-Q{quarter}' if quarter else ''}.{EXTENSIONS.get(fmt, fmt)}"


def output_directory(root: Path, branch: Branch, fy: FiscalYear) -> Path:
    return root / branch.slug / fy.short


def load_for(data_root: Path, branch: Branch, fy: FiscalYear, kinds: Iterable[str],
             quarter: int | None = None) -> DataSet:
    """The data set the ``kinds`` need; for a quarterly kind, ``quarter`` or the latest one."""
    kinds = list(kinds)
    required = {f for k in kinds for f in REPORTS[k].requires}
    previous = {f for k in kinds for f in REPORTS[k].requires_previous}
    if any(REPORTS[k].quarterly for k in kinds) and quarter is None:
        directory = existing_directory(data_root, branch, fy)
        quarter = latest_quarter(directory)
        if quarter is None:
            raise DataError([Problem(display_path(directory / PROGRESS_DIR), None, "",
                                     "実施状況のファイルがありません。", "progress/Q1.yaml … Q4.yaml")])
    return load_dataset(data_root, branch, fy, required, previous, quarter)


def available_kinds(data_root: Path, branch: Branch, fy: FiscalYear) -> list[str]:
    """The report kinds whose data files exist for this branch and year."""
    here = existing_directory(data_root, branch, fy)
    before = data_directory(data_root, branch, fy.previous())
    return [k for k, r in REPORTS.items()
            if all((here / f).is_file() for f in r.requires)
            and all((before / f).is_file() for f in r.requires_previous)
            and (not r.quarterly or latest_quarter(here) is not None)]


def documents(data: DataSet, kinds: Iterable[str]) -> list[Document]:
    branch_dir = data.directory.parent
    return [REPORTS[k].build(data, load_template(k, branch_dir)) for k in kinds]


def render(
    docs: list[Document], formats: Iterable[str], progress: Progress | None = None
) -> list[Output]:
    options = WriterOptions()
    outputs = []
    for doc in docs:
        for fmt in formats:
            if progress:
                progress(f"{doc.kind}.{fmt}")
            try:
                rendered = WRITERS[fmt](doc, options)
            except Exception as exc:  # a writer bug must not damage earlier outputs
                raise RenderError(
                    f"{doc.title} の {fmt.upper()} を作成できませんでした。",
                    f"{type(exc).__name__}: {exc}",
                ) from exc
            outputs.append(Output(doc.kind, fmt, file_name(doc.kind, fmt, doc.quarter), rendered, doc.quarter))
    return outputs


def manifest(branch: Branch, fy: FiscalYear, label: str, entries: list[dict[str, object]]) -> bytes:
    data = {
        "manifest_version": MANIFEST_VERSION,
        "generator": f"reportgen {__version__}",
        "branch": branch.slug,
        "branch_name": branch.name,
        "year": fy.short,
        "fiscal_year": fy.start_year,
        "fiscal_year_label": label,
        "documents": sorted(entries, key=lambda e: (str(e["kind"]), str(e["format"]))),
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def commit(directory: Path, outputs: list[Output], manifest_for: Callable[[list[dict[str, object]]], bytes]) -> None:
    """Write ``outputs`` into ``directory`` beside what it holds, replacing it at once."""
    parent = directory.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{directory.name}.staging-{os.getpid()}"
    retired = parent / f".{directory.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        if directory.is_dir():
            shutil.copytree(directory, staging)
        else:
            staging.mkdir()
        entries = _kept_entries(staging, outputs)
        for out in outputs:
            (staging / out.path).write_bytes(out.rendered.data)
            entries.append(out.entry())
        (staging / MANIFEST).write_bytes(manifest_for(entries))
        if directory.exists():
            directory.rename(retired)
        staging.rename(directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not directory.exists():
            retired.rename(directory)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _kept_entries(folder: Path, outputs: list[Output]) -> list[dict[str, object]]:
    """Manifest entries of earlier documents that this build does not replace."""
    replaced = {out.path for out in outputs}
    with contextlib.suppress(FileNotFoundError, ValueError, KeyError, TypeError):
        old = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return [e for e in old["documents"]
                if e["path"] not in replaced and (folder / e["path"]).is_file()]
    return []


def build(
    branch: Branch,
    fy: FiscalYear,
    kinds: list[str],
    formats: list[str],
    data_root: Path,
    output_root: Path,
    progress: Progress | None = None,
    quarter: int | None = None,
) -> tuple[Path, list[Output]]:
    data = load_for(data_root, branch, fy, kinds, quarter)
    outputs = render(documents(data, kinds), formats, progress)
    directory = output_directory(output_root, branch, fy)
    commit(directory, outputs, lambda entries: manifest(branch, fy, data.meta.year_label(), entries))
    return directory, outputs
