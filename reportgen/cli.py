"""The command line: connects the stages, prints errors, sets the exit status."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from reportgen import __version__, batch, export, glyphs
from reportgen.batch import FAILED_EXIT, Job, JobResult, discover
from reportgen.branches import BRANCHES, NATIONAL, Branch, get_branch
from reportgen.build import DEFAULT_FORMATS, available_kinds, build, validate
from reportgen.errors import RenderError, ReportgenError, UsageError
from reportgen.fonts import check_fonts
from reportgen.load.dataset import DATA_FILES, data_directory, progress_file, quarters
from reportgen.parallel import default_jobs
from reportgen.reports import REPORTS
from reportgen.wareki import FiscalYear, parse_fiscal_year
from reportgen.writers import WRITERS

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, width=200)


def _choose(values: tuple[str, ...], known: Iterable[str], default: Iterable[str], what: str, en: str) -> list[str]:
    """Options given repeated or comma-separated, checked against what exists, in order, once."""
    names = list(known)
    chosen = [v.strip() for value in values for v in value.split(",") if v.strip()] or list(default)
    unknown = [c for c in chosen if c not in names]
    if unknown:
        raise UsageError(f"{what} {', '.join(unknown)} はありません。", f"{en}: {', '.join(names)}")
    return list(dict.fromkeys(chosen))


branch_option = click.option("--branch", "-b", required=True,
                             help="支部: slug (shizuoka), 都道府県名 (静岡) or 支部名 (静岡支部).")
year_option = click.option("--year", "-y", required=True,
                           help="年度: R5, 令和5年度, 令和５年度 or 2023.")
output_option = click.option("--output", "output_root", type=click.Path(path_type=Path), default=Path("output"),
                             show_default=True, help="Output folder; documents go to OUTPUT/<branch>/<year>/.")
jobs_option = click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None,
                           help="Worker processes: branches side by side, or one branch's documents "
                                "(default: the number of cores).")
data_option = click.option("--data", "data_root", type=click.Path(path_type=Path),
                           default=Path("data"), show_default=True, help="Data folder.")


def _warn_unprintable(branch_dir: Path, directories: list[Path]) -> None:
    """Warn about every character of the data that no installed font has (an empty box): no
    font of the branch's Style (its gothic, its fallback) nor any other installed one."""
    from reportgen.style import load_style

    paths = [d / f for d in directories for f in (*DATA_FILES, *map(progress_file, quarters(d)))
             if (d / f).is_file()]
    problems = glyphs.unprintable(paths, load_style(branch_dir))
    if problems:
        err.print(f"[bold yellow]警告:[/] 印刷できない文字が {len(problems)} 件あります。")
        for p in problems:
            err.print("  " + escape(p.render()))


class _Group(click.Group):
    """Prints a ReportgenError as its message, without a traceback, and exits with its code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ReportgenError as exc:
            err.print("[bold red]エラー:[/] " + escape(exc.render()))
            ctx.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportgen")
def cli() -> None:
    """協会けんぽ支部評議会資料を一つのデータから DOCX / XLSX / PDF で作成します。

    \b
    Example:
      reportgen build --branch shizuoka --year R5
      reportgen validate --branch shizuoka --year 令和5年度
    """


@cli.command("build")
@click.option("--branch", "-b", "branches", multiple=True,
              help="支部: slug (shizuoka), 都道府県名 (静岡) or 支部名 (静岡支部); repeated for several.")
@click.option("--year", "-y", "years", multiple=True,
              help="年度: R5, 令和5年度, 令和５年度 or 2023; repeated for several.")
@click.option("--all", "all_", is_flag=True, help="Every branch and year folder under --data.")
@click.option("--report", "-r", "reports", multiple=True, metavar="KIND",
              help=f"Report kinds, repeated or comma-separated (default: all the data allows): {', '.join(REPORTS)}.")
@click.option("--format", "-f", "formats", multiple=True, metavar="FMT",
              help=f"Formats, comma-separated (default: {','.join(DEFAULT_FORMATS)}); "
                   "model-json dumps the document model.")
@click.option("--quarter", "-q", type=click.IntRange(1, 4), default=None,
              help="第N四半期 for the progress sheet (default: the latest with data).")
@data_option
@output_option
@jobs_option
@click.option("--force", is_flag=True, help="Rebuild every document, even those whose inputs are unchanged.")
def build_command(branches: tuple[str, ...], years: tuple[str, ...], all_: bool, reports: tuple[str, ...],
                  formats: tuple[str, ...], quarter: int | None, data_root: Path, output_root: Path,
                  jobs: int | None, force: bool) -> None:
    """Build the documents of branches and years into OUTPUT/<branch>/<year>/.

    A document whose inputs (data, templates, fonts, tool) are unchanged since it was made
    and whose file is intact is skipped; --force rebuilds it.

    \b
    Example:
      reportgen build --branch shizuoka --year R5 --report kpi-summary --format pdf
      reportgen build --branch saitama --year R2 --report progress --quarter 3
      reportgen build --all --jobs 2
      reportgen build --branch saitama --branch gunma --year R3
    """
    if all_ or len(branches) != 1 or len(years) != 1:
        if not (all_ or branches or years):
            raise UsageError("--branch と --year、または --all を指定してください。", "--branch B --year Y, or --all")
        kinds = _choose(reports, REPORTS, (), "資料の種類", "report kinds")
        fmts = _choose(formats, WRITERS, DEFAULT_FORMATS, "出力形式", "formats")
        if "pdf" in fmts:
            check_fonts()
        targets = discover(data_root, branches, years)
        if not targets:
            raise UsageError(f"{data_root} に作成できる支部・年度のフォルダがありません。", "DATA/<branch>/<year>/")
        results = run_batch(targets, kinds, fmts, data_root, output_root, quarter, force, jobs)
        print_summary(results)
        if any(r.failed for r in results):
            click.get_current_context().exit(FAILED_EXIT)
        return
    b, fy = get_branch(branches[0]), parse_fiscal_year(years[0])
    kinds = _choose(reports, REPORTS, available_kinds(data_root, b, fy), "資料の種類", "report kinds")
    if not kinds:
        raise UsageError(f"{b.name} {fy.label()} のデータから作成できる資料がありません。",
                         f"no data files for any report kind under {data_root}")
    fmts = _choose(formats, WRITERS, DEFAULT_FORMATS, "出力形式", "formats")
    if "pdf" in fmts:  # DOCX and XLSX only name the fonts; the PDF embeds them
        check_fonts()
    previous = any(REPORTS[k].requires_previous for k in kinds)
    _warn_unprintable(data_directory(data_root, b, fy).parent,
                      [data_directory(data_root, b, fy),
                       *([data_directory(data_root, b, fy.previous())] if previous else [])])
    total = len(kinds) * len(fmts)
    done = 0
    with err.status(f"{b.name} {fy.label()} を作成しています…") as status:
        def progress(name: str) -> None:
            nonlocal done
            done += 1
            status.update(f"{b.name} {fy.label()}: {name} ({done}/{total})")

        def warn(message: str) -> None:
            err.print("[yellow]警告:[/] " + escape(message))

        # One branch: its documents side by side, on --jobs processes (all cores by default).
        result = build(b, fy, kinds, fmts, data_root, output_root, progress, quarter, warn, force=force,
                       workers=jobs or default_jobs())
    directory = result.directory
    for out in result.outputs:
        pages = f"  {out.rendered.pages} ページ" if out.rendered.pages else ""
        click.echo(f"{directory / out.path}{pages}")
    skipped = f"（変更のない {len(result.skipped)} 件はそのまま）" if result.skipped else ""
    err.print(f"{len(result.outputs)} 件の資料を {directory} に作成しました。{skipped}")


def run_batch(targets: list[tuple[Branch, FiscalYear]], kinds: list[str], fmts: list[str], data_root: Path,
              output_root: Path, quarter: int | None, force: bool, jobs: int | None,
              on_result: Callable[[JobResult], None] | None = None) -> list[JobResult]:
    """Build every target with a progress bar on a terminal, a plain line per job otherwise."""
    work = [Job(b.slug, fy.short, tuple(kinds) or None, tuple(fmts), data_root, output_root, quarter, force)
            for b, fy in targets]
    workers = jobs or default_jobs()

    def line(r: JobResult) -> str:
        state = f"失敗: {r.error}" if r.failed else f"作成 {len(r.made)} / 変更なし {len(r.skipped)}"
        return f"{r.branch} {r.year}: {state}"

    if err.is_terminal:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err) as bar:
            task = bar.add_task("作成中", total=len(work))

            def advance(r: JobResult) -> None:
                bar.advance(task)
                bar.update(task, description=f"{r.branch} {r.year}")
                for w in r.warnings:
                    bar.console.print("[yellow]警告:[/] " + escape(f"{r.branch} {r.year}: {w}"))
                if on_result:
                    on_result(r)
            return batch.run(work, workers, advance)

    def plain(r: JobResult) -> None:
        err.print(escape(line(r)))
        for w in r.warnings:
            err.print("[yellow]警告:[/] " + escape(f"{r.branch} {r.year}: {w}"))
        if on_result:
            on_result(r)
    return batch.run(work, workers, plain)


def print_summary(results: list[JobResult], console: Console | None = None) -> None:
    table = Table(title="作成結果", show_lines=False)
    for column in ("branch", "year", "made", "skipped", "failed"):
        table.add_column(column, justify="right" if column in ("made", "skipped") else "left")
    for r in results:
        table.add_row(r.branch, r.year, str(len(r.made)), str(len(r.skipped)), escape(r.error or ""))
    (console or out).print(table)
    failed = [r for r in results if r.failed]
    made = sum(len(r.made) for r in results)
    skipped = sum(len(r.skipped) for r in results)
    err.print(f"{len(results)} 件の支部・年度: 作成 {made} 件、変更なし {skipped} 件、失敗 {len(failed)} 件。")
    for r in failed:  # whole, unwrapped: the file and line a user opens
        err.print(f"[bold red]失敗:[/] {r.branch} {r.year}: " + escape(r.error or ""))


@cli.command("export")
@click.option("--month", "-m", required=True, help="The month exported: YYYY-MM (2026-11).")
@click.option("--format", "-f", "formats", multiple=True, metavar="FMT",
              help=f"Formats built, comma-separated (default: {','.join(DEFAULT_FORMATS)}).")
@data_option
@output_option
@jobs_option
@click.option("--force", is_flag=True, help="Rebuild every document, even those whose inputs are unchanged.")
@click.option("--log-json", "log_json", metavar="FILE|-", default=None,
              help="Append one JSON line per event to FILE (- for standard output).")
def export_command(month: str, formats: tuple[str, ...], data_root: Path, output_root: Path, jobs: int | None,
                   force: bool, log_json: str | None) -> None:
    """Build what changed for every branch, then write OUTPUT/exports/<month>/: a ZIP per
    branch, index.json, kpi-grades.csv and kpi-grades.xlsx. For a monthly schedule:
    idempotent, one export at a time, a kill leaves the previous export or the new one.

    \b
    Example:
      reportgen export --month 2026-11
      reportgen export --month 2026-11 --jobs 2 --log-json /var/log/reportgen/export.jsonl
    """
    month = export.parse_month(month)
    log = export.EventLog(log_json, month)
    started = time.monotonic()
    try:
        fmts = _choose(formats, WRITERS, DEFAULT_FORMATS, "出力形式", "formats")
        with export.export_lock(output_root):
            log("start", data=str(data_root), output=str(output_root), formats=fmts, jobs=jobs or default_jobs())
            if "pdf" in fmts:
                check_fonts()
            targets = discover(data_root)

            def logged(r: JobResult) -> None:
                log("branch", branch=r.branch, year=r.year, made=len(r.made), skipped=len(r.skipped),
                    error=r.error)
            results = run_batch(targets, [], fmts, data_root, output_root, None, force, jobs, logged)
            print_summary(results, err if log_json == "-" else out)
            folder = export.write_month(month, data_root, output_root, results, log,
                                        lambda m: err.print("[yellow]警告:[/] " + escape(m)))
    except ReportgenError as exc:
        log("error", message=exc.message, detail=exc.detail, exit_code=exc.exit_code)
        log.close()
        raise
    failed = [r for r in results if r.failed]
    log("done", status="failed" if failed else "ok", folder=str(folder), failed=len(failed),
        made=sum(len(r.made) for r in results), skipped=sum(len(r.skipped) for r in results),
        seconds=round(time.monotonic() - started, 3))
    log.close()
    err.print(f"{folder} に書き出しました。")
    if failed:
        click.get_current_context().exit(FAILED_EXIT)


@cli.command("validate")
@branch_option
@year_option
@data_option
def validate_command(branch: str, year: str, data_root: Path) -> None:
    """Check every data file of one branch and year; list all problems found.

    \b
    Example:
      reportgen validate --branch shizuoka --year R5
    """
    b, fy = get_branch(branch), parse_fiscal_year(year)
    check_fonts()
    data, present = validate(data_root, b, fy)
    _warn_unprintable(data.directory.parent, [data.directory])
    files = [f for f in DATA_FILES if (data.directory / f).is_file()]
    files += [progress_file(q) for q in quarters(data.directory)]
    click.echo(f"{b.name} {fy.label()}: {', '.join(files)} に誤りはありません。"
               f" 作成できる資料: {', '.join(present) or 'なし'}")


@cli.command("branches")
def branches_command() -> None:
    """List the 47 branches and the national level with their slugs.

    \b
    Example:
      reportgen branches
    """
    for b in (*BRANCHES, NATIONAL):
        click.echo(f"{b.slug:<10} {b.name}")


@cli.command("reports")
def reports_command() -> None:
    """List the report kinds.

    \b
    Example:
      reportgen reports
    """
    for kind in REPORTS.values():
        click.echo(f"{kind.id:<16} {kind.title}")


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="reportgen")


@cli.command("workbook")
@branch_option
@year_option
@click.option("--report", "-r", "reports", multiple=True, metavar="KIND",
              help="Only the parts these report kinds need (default: every part the data set has).")
@click.option("--quarter", "-q", type=click.IntRange(1, 4), default=None,
              help="第N四半期 for the progress sheet (default: the latest with data); a new quarter "
                   "lists the plan's 取組 with empty cells to fill.")
@data_option
@click.option("--output", "-o", "output", type=click.Path(path_type=Path), default=None,
              help="The workbook to write (default: <branch>-<year>-input.xlsx).")
def workbook_command(branch: str, year: str, reports: tuple[str, ...], quarter: int | None, data_root: Path,
                     output: Path | None) -> None:
    """Write an input workbook (XLSX) of one branch and year, every value prefilled.

    \b
    Example:
      reportgen workbook --branch saitama --year R2 --quarter 4
      reportgen workbook -b shizuoka -y R5 --report kpi-results -o kpi.xlsx
    """
    from reportgen.inputbook.write import default_name, write_workbook  # openpyxl on first use

    b, fy = get_branch(branch), parse_fiscal_year(year)
    kinds = _choose(reports, REPORTS, (), "資料の種類", "report kinds")
    data = write_workbook(data_root, b, fy, kinds, quarter)
    target = output or Path(default_name(b, fy))
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise RenderError(f"{target} に書き込めませんでした。", str(exc)) from None
    click.echo(str(target))
    err.print(f"{b.name} {fy.label()} の入力用ブックを {target} に作成しました。")


@cli.command("import")
@click.argument("workbook", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@data_option
def import_command(workbook: Path, data_root: Path) -> None:
    """Read an input workbook back; write its YAML into DATA/<branch>/<year>/ when all of it is valid.

    \b
    Example:
      reportgen import saitama-R2-input.xlsx
      reportgen import saitama-R2-input.xlsx --data data
    """
    from reportgen.inputbook.importer import import_workbook

    done = import_workbook(workbook, data_root)
    for name in done.files:
        click.echo(str(done.directory / name))
    meta = done.dataset.meta
    err.print(f"{meta.branch.name} {meta.year_label()}: {len(done.files)} 件のファイルを書き込みました。")


@cli.command("init")
@branch_option
@year_option
@data_option
def init_command(branch: str, year: str, data_root: Path) -> None:
    """Start year Y from year Y-1: plan and budget as drafts (ids kept), KPIs with last year's
    actuals as previous, no progress yet. An existing year is never overwritten.

    \b
    Example:
      reportgen init --branch saitama --year R6
    """
    from reportgen.yearinit import start_year

    b, fy = get_branch(branch), parse_fiscal_year(year)
    started = start_year(data_root, b, fy)
    for name in started.files:
        click.echo(str(started.directory / name))
    err.print(f"{b.name} {fy.label()} を {fy.previous().label()} から作成しました: {started.directory}")
