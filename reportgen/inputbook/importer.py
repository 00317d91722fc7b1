"""``reportgen import``: a workbook → checked → the YAML of the data set, all or nothing."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import DataError
from reportgen.load.dataset import (
    PLAN_FILE,
    DataSet,
    data_directory,
    dataset_from_sources,
    load_dataset,
)
from reportgen.load.yaml_source import Source, load_yaml
from reportgen.model.plan import Plan

from .read import Book, ordered, read_workbook
from .yamlout import dump


@dataclass(frozen=True)
class Imported:
    directory: Path
    files: list[str]  # relative to ``directory``
    dataset: DataSet


def check_workbook(path: Path, data_root: Path) -> tuple[Book, DataSet]:
    """Read and check the workbook; every problem of the workbook and its values at once."""
    book = read_workbook(path)
    sources: dict[str, Source] = dict(book.sources)
    directory = data_directory(data_root, book.branch, book.fy)
    # Budget and progress refer to the plan: the one in the workbook, else the one on disk.
    plan_file = directory / PLAN_FILE
    if PLAN_FILE not in sources and len(sources) > ("meta.yaml" in sources) and plan_file.is_file():
        try:
            sources[PLAN_FILE] = load_yaml(plan_file)
        except DataError as exc:
            book.problems.extend(exc.problems)
    problems = list(book.problems)
    dataset = None
    try:
        dataset = dataset_from_sources(directory, book.branch, book.fy, sources,
                                       _previous_plan(data_root, book))
    except DataError as exc:
        # A cell already refused (a formula, #REF!) is not reported again as empty.
        refused = {p.file for p in book.problems}
        problems.extend(p for p in exc.problems if p.file not in refused)
    if problems or dataset is None:
        raise DataError(problems)
    return book, dataset


def _previous_plan(data_root: Path, book: Book) -> Plan | None:
    """Last year's plan, for the check of ``absorbs``; none when it is not there or not valid."""
    if not (data_directory(data_root, book.branch, book.fy.previous()) / PLAN_FILE).is_file():
        return None
    with contextlib.suppress(DataError):
        return load_dataset(data_root, book.branch, book.fy.previous(), (PLAN_FILE,)).plan
    return None


def import_workbook(path: Path, data_root: Path) -> Imported:
    """Check the workbook, then replace the files it stands for; on any problem, nothing changes."""
    book, dataset = check_workbook(path, data_root)
    directory = data_directory(data_root, book.branch, book.fy)
    heading = (f"{book.branch.name} {book.fy.label()}: reportgen import {path.name} で書き出しました。\n"
               "Format: docs/data-format.md")
    texts = {name: dump(ordered(name, src.data), heading)
             for name, src in book.sources.items()}
    write_all(directory, texts)
    return Imported(directory, sorted(texts), dataset)


def write_all(directory: Path, texts: dict[str, str]) -> None:
    """Write every file beside its target first, then rename each over it (os.replace)."""
    staged: list[tuple[Path, Path]] = []
    try:
        for name, text in texts.items():
            target = directory / name
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.import-{os.getpid()}")
            temp.write_text(text, encoding="utf-8")
            staged.append((temp, target))
        for temp, target in staged:
            os.replace(temp, target)
    finally:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
