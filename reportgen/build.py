"""A build: data set → documents → files, all or nothing.

Everything is rendered in memory first; ``reportgen.outputs`` then replaces the output
folder at once, under a lock. A failure or a kill at any point leaves the previous outputs
or the new ones, complete.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen import __version__, inputs, parallel
from reportgen.branches import NATIONAL, Branch
from reportgen.consistency import kpi_target_disagreements
from reportgen.document import Document
from reportgen.errors import DataError, Problem, UsageError
from reportgen.load.dataset import (
    PROGRESS_DIR,
    DataSet,
    data_directory,
    existing_directory,
    files_for,
    latest_quarter,
    load_dataset,
    quarters,
)
from reportgen.load.yaml_source import display_path
from reportgen.outputs import Warn, check_roots, read_manifest, replace, sha256_of
from reportgen.reports import REPORTS
from reportgen.style import load_style
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
    input_hash: str | None = None  # of everything the document was made from (``inputs``)


def file_name(kind: str, fmt: str, quarter: int | None = None) -> str:
    """kpi-results.pdf; progress-Q3.pdf for a quarterly document."""
    return f"{kind}{f'-Q{quarter}' if quarter else ''}.{EXTENSIONS.get(fmt, fmt)}"


def output_directory(root: Path, branch: Branch, fy: FiscalYear) -> Path:
    return root / branch.slug / fy.short


def load_for(data_root: Path, branch: Branch, fy: FiscalYear, kinds: Iterable[str],
             quarter: int | None = None) -> DataSet:
    """The data set the ``kinds`` need; for a quarterly kind, ``quarter`` or the latest one."""
    kinds = list(kinds)
    required = files_for(p for k in kinds for p in REPORTS[k].requires)
    previous = files_for(p for k in kinds for p in REPORTS[k].requires_previous)
    if any(REPORTS[k].quarterly for k in kinds) and quarter is None:
        directory = existing_directory(data_root, branch, fy)
        quarter = latest_quarter(directory)
        if quarter is None:
            raise DataError([Problem(display_path(directory / PROGRESS_DIR), None, "",
                                     "実施状況のファイルがありません。", "progress/Q1.yaml … Q4.yaml")])
    return load_dataset(data_root, branch, fy, required, previous, quarter)


def quarter_for(data_root: Path, branch: Branch, fy: FiscalYear, kind: str, quarter: int | None) -> int | None:
    """The quarter a build of ``kind`` makes: ``quarter``, or the latest with data; None yearly."""
    if not REPORTS[kind].quarterly:
        return None
    return quarter if quarter is not None else latest_quarter(data_directory(data_root, branch, fy))


def available_kinds(data_root: Path, branch: Branch, fy: FiscalYear) -> list[str]:
    """The report kinds whose data files exist for this branch and year."""
    national: list[str] = []
    if branch.is_national:
        from reportgen.reports.kpi_national import branches_with_results

        national = [k for k, r in REPORTS.items() if r.national and branches_with_results(data_root, fy)]
        if not data_directory(data_root, branch, fy).is_dir():  # 本部's own files (annual.yaml) are optional
            return national
    here = existing_directory(data_root, branch, fy)
    before = data_directory(data_root, branch, fy.previous())
    return national + [k for k, r in REPORTS.items()
                       if not r.national  # 本部's kinds read every branch (national_documents)
                       and all((here / f).exists() for f in files_for(r.requires))  # a folder in its place is reported
                       and all((before / f).exists() for f in files_for(r.requires_previous))
                       and (not r.quarterly or latest_quarter(here) is not None)]


def documents(data: DataSet, kinds: Iterable[str]) -> list[Document]:
    """The documents of ``kinds``, each in the branch's Style (style.yaml and its override)."""
    branch_dir = data.directory.parent
    return styled([REPORTS[k].build(data, load_template(k, branch_dir)) for k in kinds], branch_dir)


def styled(docs: list[Document], branch_dir: Path) -> list[Document]:
    """``docs`` in the branch's Style; a template's own body size (page: font_size_pt) over it."""
    style = load_style(branch_dir)
    return [dataclasses.replace(d, style=style if d.page.body_pt is None
                                else dataclasses.replace(style, body_pt=d.page.body_pt)) for d in docs]


def validate(data_root: Path, branch: Branch, fy: FiscalYear) -> tuple[DataSet, list[str]]:
    """Check every data file of a branch and year and every template against it (the documents
    are built in memory, every quarter's problems together); the data set and the report kinds
    it can make."""
    data = load_dataset(data_root, branch, fy)  # every file present, whether a report needs it or not
    present = available_kinds(data_root, branch, fy)
    yearly = [k for k in present if not REPORTS[k].quarterly]
    quarterly = [k for k in present if REPORTS[k].quarterly]
    documents(load_for(data_root, branch, fy, yearly), yearly)
    problems = kpi_target_disagreements(data)
    for q in quarters(data.directory) if quarterly else ():
        try:
            documents(load_for(data_root, branch, fy, quarterly, quarter=q), quarterly)
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    return data, present


def writer_options(branch_dir: Path) -> WriterOptions:
    """What a branch brings besides its templates: a Word reference document whose styles the
    DOCX uses (pandoc's --reference-doc) and a CSS file cascaded after the PDF's own."""
    templates = branch_dir / "templates"
    reference = templates / "reference.docx"
    stylesheet = templates / "document.css"
    return WriterOptions(reference_docx=reference if reference.is_file() else None,
                         stylesheet=stylesheet if stylesheet.is_file() else None)


def national_documents(data_root: Path, fy: FiscalYear, kinds: Iterable[str]) -> list[Document]:
    """本部's reports, made from every branch's data of the year."""
    from reportgen.reports.kpi_national import build_national

    wrong = [k for k in kinds if not REPORTS[k].national]
    if wrong:
        raise UsageError(f"本部の資料ではありません: {', '.join(wrong)}",
                         f"--branch national builds {', '.join(k for k, r in REPORTS.items() if r.national)}")
    branch_dir = data_root / NATIONAL.slug
    return styled([build_national(data_root, fy, load_template(k, branch_dir)) for k in kinds], branch_dir)


def render(
    docs: list[Document], formats: Iterable[str] | Callable[[Document], Iterable[str]],
    progress: Progress | None = None, hashes: Callable[[Document, str], str | None] | None = None,
    options: WriterOptions | None = None, pool: Executor | None = None,
) -> list[Output]:
    """Every document in ``formats`` (or the formats ``formats(doc)`` names for it), written
    by ``pool``'s worker processes side by side (reportgen.parallel) when there is one."""
    from reportgen.parallel import write_all

    tasks = [(doc, fmt) for doc in docs for fmt in (formats(doc) if callable(formats) else formats)]
    rendered = write_all(tasks, options or WriterOptions(), pool,
                         (lambda doc, fmt: progress(f"{doc.kind}.{fmt}")) if progress else None)
    return [Output(doc.kind, fmt, file_name(doc.kind, fmt, doc.quarter), out, doc.quarter,
                   hashes(doc, fmt) if hashes else None)
            for (doc, fmt), out in zip(tasks, rendered, strict=True)]


def manifest(branch: Branch, fy: FiscalYear, label: str, entries: list[dict[str, object]]) -> bytes:
    data = {
        "manifest_version": MANIFEST_VERSION,
        "generator": f"reportgen {__version__}",
        "branch": branch.slug,
        "branch_name": branch.name,
        "year": fy.short,
        "fiscal_year": fy.start_year,
        "fiscal_year_label": label,
        "documents": sorted(entries, key=lambda e: (str(e["kind"]), str(e["format"]), str(e["path"]))),
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def commit(directory: Path, outputs: list[Output], manifest_for: Callable[[list[dict[str, object]]], bytes],
           warn: Warn | None = None) -> None:
    """Write ``outputs`` into ``directory`` beside what it holds, replacing it at once."""
    ours = {out.path: out for out in outputs}
    earlier = read_manifest(directory / MANIFEST)

    def entries(staging: Path) -> bytes:
        return manifest_for(disk_entries(staging, ours, earlier))

    replace(directory, {out.path: out.rendered.data for out in outputs}, MANIFEST, entries, warn)


_NAME = re.compile(r"(?P<kind>[a-z-]+?)(?:-Q(?P<quarter>[1-4]))?\.(?P<ext>[a-z.]+)")


def document_of(name: str) -> tuple[str, str, int | None] | None:
    """kpi-results.pdf → (kind, format, quarter); None for a file that is not a document."""
    match = _NAME.fullmatch(name)
    formats = {EXTENSIONS.get(f, f): f for f in WRITERS}
    if not match or match["kind"] not in REPORTS or match["ext"] not in formats:
        return None
    quarter = int(match["quarter"]) if match["quarter"] else None
    if quarter is not None and not REPORTS[match["kind"]].quarterly:
        return None
    return match["kind"], formats[match["ext"]], quarter


def disk_entries(folder: Path, ours: dict[str, Output], earlier: dict[str, Any]) -> list[dict[str, object]]:
    """The manifest's documents, from the files in ``folder``: each hashed where it lies, so
    a hand-edited document gets its own sha256 and no entry names a file elsewhere. The page
    count and input hash of a document this build did not make are kept only while its bytes
    are unchanged: an entry whose file changed is never trusted."""
    found = []
    for path in sorted(folder.iterdir()):
        described = document_of(path.name) if path.is_file() and not path.is_symlink() else None
        if described is None:
            continue
        kind, fmt, quarter = described
        data = path.read_bytes()
        entry: dict[str, object] = {"kind": kind, "format": fmt, "path": path.name,
                                    "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        if quarter is not None:
            entry["quarter"] = quarter
        pages = ours[path.name].rendered.pages if path.name in ours else None
        made_from = ours[path.name].input_hash if path.name in ours else None
        old = earlier.get(path.name)
        if path.name not in ours and isinstance(old, dict) and old.get("sha256") == entry["sha256"]:
            pages = old.get("pages") if isinstance(old.get("pages"), int) else None
            made_from = old.get("input_hash") if isinstance(old.get("input_hash"), str) else None
        if pages is not None:
            entry["pages"] = pages
        if made_from is not None:
            entry["input_hash"] = made_from
        found.append(entry)
    return found


def up_to_date(directory: Path, name: str, input_hash: str, earlier: dict[str, Any]) -> bool:
    """The document ``name`` in ``directory`` was made from these inputs and is intact."""
    old = earlier.get(name)
    path = directory / name
    if not isinstance(old, dict) or old.get("input_hash") != input_hash or not isinstance(old.get("sha256"), str):
        return False
    if path.is_symlink() or not path.is_file():
        return False
    try:
        return sha256_of(path) == old["sha256"]
    except OSError:
        return False


@dataclass(frozen=True)
class BuildResult:
    directory: Path
    outputs: list[Output]  # made by this build
    skipped: list[str]  # file names left as they were: inputs unchanged, file intact


def build(
    branch: Branch,
    fy: FiscalYear,
    kinds: list[str],
    formats: list[str],
    data_root: Path,
    output_root: Path,
    progress: Progress | None = None,
    quarter: int | None = None,
    warn: Warn | None = None,
    force: bool = True,
    workers: int = 1,
) -> BuildResult:
    """Make the documents of ``kinds`` x ``formats``; unless ``force``, skip each whose input
    hash is the one its manifest entry records and whose file still has its sha256. With
    ``workers`` above 1 the documents are written side by side (reportgen.parallel)."""
    directory = output_directory(output_root, branch, fy)
    check_roots(data_root, output_root, directory)
    earlier = read_manifest(directory / MANIFEST)
    wanted: dict[str, dict[str, str]] = {}  # kind → format → input hash
    skipped: list[str] = []
    for kind in kinds:
        q = quarter_for(data_root, branch, fy, kind, quarter)
        for fmt in formats:
            digest = inputs.input_hash(data_root, branch, fy, kind, fmt, q)
            name = file_name(kind, fmt, q)
            if not force and up_to_date(directory, name, digest, earlier):
                skipped.append(name)
            else:
                wanted.setdefault(kind, {})[fmt] = digest
    if not wanted:
        return BuildResult(directory, [], skipped)
    todo = [k for k in kinds if k in wanted]
    # Worker processes pay for their start and imports: worth it for several documents
    # when a PDF is among them.
    formats_wanted = [fmt for kind in todo for fmt in wanted[kind]]  # one per document to write
    count = workers if len(formats_wanted) > 1 and "pdf" in formats_wanted else 1
    with parallel.workers_for(count, set(formats_wanted)) as pool:
        # 本部's national kinds read every branch; any other kind reads the branch's own data set.
        across = [k for k in todo if REPORTS[k].national]
        own = [k for k in todo if not REPORTS[k].national]
        docs = national_documents(data_root, fy, across) if across else []
        label = fy.label()
        if own:
            data = load_for(data_root, branch, fy, own, quarter)
            docs, label = docs + documents(data, own), data.meta.year_label()
        docs.sort(key=lambda d: todo.index(d.kind))
        outputs = render(docs, lambda doc: list(wanted[doc.kind]), progress,
                         lambda doc, fmt: wanted[doc.kind][fmt],
                         writer_options(data_directory(data_root, branch, fy).parent), pool)
    commit(directory, outputs, lambda entries: manifest(branch, fy, label, entries), warn)
    return BuildResult(directory, outputs, skipped)
