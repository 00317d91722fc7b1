"""Many branches and years in one run: a process pool, one job per output folder.

A job builds one branch and year (``build.build``, incremental unless forced, its documents
one after the other: the pool already keeps the cores busy) and reports
what it made, skipped, or the first error with its file and line; a job that fails leaves
its output folder as it was (the swap of ``reportgen.outputs``) and the others go on.
Workers are started by the "forkserver" context (no fork of a process holding threads or
locks), import the writers once and stay warm across jobs.
"""

from __future__ import annotations

import concurrent.futures
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.branches import BRANCHES, Branch, get_branch
from reportgen.errors import DataError, ReportgenError, TemplateError
from reportgen.parallel import workers_for
from reportgen.wareki import FiscalYear, parse_fiscal_year

FAILED_EXIT = 3


@dataclass(frozen=True)
class Job:
    branch: str  # slug
    year: str  # R5
    kinds: tuple[str, ...] | None  # None: every kind the data allows
    formats: tuple[str, ...]
    data_root: Path
    output_root: Path
    quarter: int | None = None
    force: bool = False


@dataclass
class JobResult:
    branch: str
    year: str
    made: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    error: str | None = None  # the first error, with file and line where the data gives them
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.error is not None


def discover(data_root: Path, branches: Iterable[str] = (),
             years: Iterable[str] = ()) -> list[tuple[Branch, FiscalYear]]:
    """Every (branch, year) folder under ``data_root``, narrowed to ``branches`` / ``years``."""
    wanted_b = {get_branch(b).slug for b in branches}
    wanted_y = {parse_fiscal_year(y).short for y in years}
    known = {b.slug: b for b in BRANCHES}
    found = []
    for folder in sorted(data_root.iterdir()) if data_root.is_dir() else ():
        branch = known.get(folder.name)
        if branch is None or not folder.is_dir() or (wanted_b and branch.slug not in wanted_b):
            continue
        for sub in sorted(folder.iterdir()):
            if not sub.is_dir():
                continue
            try:
                fy = parse_fiscal_year(sub.name)
            except ReportgenError:
                continue  # templates/ and other folders
            if sub.name == fy.short and (not wanted_y or fy.short in wanted_y):
                found.append((branch, fy))
    return sorted(found, key=lambda p: (p[0].code, p[1].start_year))


def first_error(exc: BaseException) -> str:
    """One line: the first problem with its file and line."""
    if isinstance(exc, DataError) and exc.problems:
        return exc.problems[0].render() + (f" (他 {len(exc.problems) - 1} 件)" if len(exc.problems) > 1 else "")
    if isinstance(exc, TemplateError):
        return f"{exc.message} {exc.detail}".strip()
    if isinstance(exc, ReportgenError):
        return exc.message + (f" ({exc.detail.splitlines()[0]})" if exc.detail else "")
    return f"{type(exc).__name__}: {exc}"


def run_job(job: Job) -> JobResult:
    from reportgen.build import available_kinds, build
    from reportgen.reports import REPORTS

    result = JobResult(job.branch, job.year)
    try:
        branch, fy = get_branch(job.branch), parse_fiscal_year(job.year)
        present = available_kinds(job.data_root, branch, fy)
        kinds = [k for k in (job.kinds or present) if k in present and k in REPORTS]
        if kinds:
            done = build(branch, fy, kinds, list(job.formats), job.data_root, job.output_root,
                         quarter=job.quarter, warn=result.warnings.append, force=job.force)
            result.made = [o.path for o in done.outputs]
            result.skipped = done.skipped
    except ReportgenError as exc:
        result.error = first_error(exc)
    except Exception as exc:  # a bug in one branch's build must not stop the others
        result.error = first_error(exc) + " " + traceback.format_exc(limit=-1).strip().splitlines()[-1]
    return result


def run(jobs: list[Job], workers: int, done: Callable[[JobResult], None] | None = None) -> list[JobResult]:
    """Run every job, ``workers`` at a time; results in the order of ``jobs``."""
    results: dict[int, JobResult] = {}
    for i, result in _results(jobs, workers):
        results[i] = result
        if done:
            done(result)
    return [results[i] for i in range(len(jobs))]


def _results(jobs: list[Job], workers: int) -> Iterator[tuple[int, JobResult]]:
    formats = {f for j in jobs for f in j.formats}
    with workers_for(min(workers, len(jobs)), formats) as pool:
        if pool is None:
            for i, job in enumerate(jobs):
                yield i, run_job(job)
            return
        futures = {pool.submit(run_job, job): i for i, job in enumerate(jobs)}
        for future in concurrent.futures.as_completed(futures):
            i = futures[future]
            try:
                yield i, future.result()
            except Exception as exc:  # a worker that died (killed, out of memory)
                yield i, JobResult(jobs[i].branch, jobs[i].year, error=first_error(exc))
