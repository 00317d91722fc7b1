"""The input hash of a document: everything it is made from, so an unchanged one is skipped.

A document of kind K in format F for a branch and year is made from:

* its data files: ``meta.yaml`` and the files K requires (``REPORTS[K].requires``), the
  quarter's ``progress/Q<N>.yaml`` for a quarterly kind, and last year's ``meta.yaml`` and
  ``requires_previous`` files for a kind that compares years (a missing file counts too);
* its templates: ``templates/K.yaml`` and the branch's override, for the PDF the HTML
  layout (``templates/html/*``), and any other file of ``templates/`` or the branch's
  ``templates/`` that is not another kind's template (a style or reference file);
* for the PDF the font files it embeds (BIZ UD, IPAex, the Noto fallback), as fontconfig
  finds them;
* the tool: its version and its own source files (so a developer's change is a change),
  the format and ``SOURCE_DATE_EPOCH`` (the dates written into the files).

The hash is SHA-256 over the names and contents of all of these, in a fixed order.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from reportgen import __version__
from reportgen.branches import BRANCHES, Branch
from reportgen.load.dataset import META_FILE, data_directory, files_for, progress_file
from reportgen.templating import TEMPLATE_DIR, template_paths
from reportgen.wareki import FiscalYear

PACKAGE_DIR = Path(__file__).resolve().parent
PDF_FONTS = ("BIZ UDGothic", "BIZ UDMincho", "IPAexGothic", "Noto Sans CJK JP")


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"
    except OSError as exc:  # a folder in a file's place, unreadable: never equal to a good hash
        return f"unreadable {exc.errno}"


@functools.cache
def tool_digest() -> str:
    h = hashlib.sha256(f"reportgen {__version__}\n".encode())
    # The code, and the PDF writer's cut of WeasyPrint's user-agent sheet (writers/ua.css).
    for path in sorted([*PACKAGE_DIR.rglob("*.py"), PACKAGE_DIR / "writers" / "ua.css"]):
        h.update(f"{path.relative_to(PACKAGE_DIR)}\n{_file_digest(path)}\n".encode())
    return h.hexdigest()


@functools.cache
def font_digest() -> str:
    """The fonts the PDF may embed: each one's file, and its contents as the font states them
    (fontfiles' identity: the checksum of the whole file in its head table, revision, date
    and size), not a hash of 25 MB of font files in every process."""
    from reportgen import fontfiles

    h = hashlib.sha256()
    for family in PDF_FONTS:
        h.update(f"{family}\n{fontfiles.locate(family)}\n{fontfiles.identity(family)}\n".encode())
    return h.hexdigest()


def data_files(data_root: Path, branch: Branch, fy: FiscalYear, kind: str, quarter: int | None) -> list[Path]:
    from reportgen.reports import REPORTS

    report = REPORTS[kind]
    if report.national:  # every branch's files of the year; a branch added or removed counts
        return [data_directory(data_root, b, fy) / f for b in BRANCHES
                for f in (META_FILE, *files_for(report.requires))]
    here = data_directory(data_root, branch, fy)
    files = [here / META_FILE, *(here / f for f in files_for(report.requires))]
    if quarter is not None:
        files.append(here / progress_file(quarter))
    if report.requires_previous:
        before = data_directory(data_root, branch, fy.previous())
        files += [before / META_FILE, *(before / f for f in files_for(report.requires_previous))]
    return files


def template_files(kind: str, fmt: str, branch_dir: Path) -> list[tuple[str, Path]]:
    """The kind's template and the branch's override, and every other file of the template
    folders that is not another kind's template (the PDF's HTML/CSS, for the PDF only; a
    style or reference file a writer may read, for every format)."""
    from reportgen.reports import REPORTS

    others = {f"{k}.yaml" for k in REPORTS if k != kind}
    found = [(f"{i} {p.name}", p) for i, p in enumerate(template_paths(kind, branch_dir))]
    for root, where in ((TEMPLATE_DIR, "tool"), (branch_dir / "templates", "branch")):
        for path in sorted(root.rglob("*")) if root.is_dir() else ():
            rel = path.relative_to(root)
            if not path.is_file() or (len(rel.parts) == 1 and rel.name in (*others, f"{kind}.yaml")):
                continue
            if rel.parts[0] == "html" and fmt != "pdf":
                continue
            found.append((f"{where} {rel}", path))
    return found


def input_hash(data_root: Path, branch: Branch, fy: FiscalYear, kind: str, fmt: str, quarter: int | None) -> str:
    h = hashlib.sha256()
    h.update(f"tool {tool_digest()}\nformat {fmt}\nquarter {quarter}\n".encode())
    h.update(f"SOURCE_DATE_EPOCH {os.environ.get('SOURCE_DATE_EPOCH', '')}\n".encode())
    for path in data_files(data_root, branch, fy, kind, quarter):
        h.update(f"data {path.relative_to(data_root)}\n{_file_digest(path)}\n".encode())
    branch_dir = data_directory(data_root, branch, fy).parent
    for label, path in template_files(kind, fmt, branch_dir):
        h.update(f"template {label}\n{_file_digest(path)}\n".encode())
    if fmt == "pdf":
        h.update(f"fonts {font_digest()}\n".encode())
    return h.hexdigest()
