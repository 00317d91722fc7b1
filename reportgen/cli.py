"""The command line: connects the stages, prints errors, sets the exit status."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from reportgen import __version__, glyphs
from reportgen.branches import BRANCHES, NATIONAL, get_branch
from reportgen.build import DEFAULT_FORMATS, available_kinds, build, validate
from reportgen.errors import RenderError, ReportgenError, UsageError
from reportgen.fonts import check_fonts
from reportgen.load.dataset import DATA_FILES, data_directory, progress_file, quarters
from reportgen.reports import REPORTS
from reportgen.wareki import parse_fiscal_year
from reportgen.writers import WRITERS

err = Console(stderr=True, highlight=False, soft_wrap=True)


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
data_option = click.option("--data", "data_root", type=click.Path(path_type=Path),
                           default=Path("data"), show_default=True, help="Data folder.")


def _warn_unprintable(directories: Iterable[Path]) -> None:
    """Warn about every character of the data that no installed font has (an empty box)."""
    paths = [d / f for d in directories for f in (*DATA_FILES, *map(progress_file, quarters(d)))
             if (d / f).is_file()]
    problems = glyphs.unprintable(paths)
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
@branch_option
@year_option
@click.option("--report", "-r", "reports", multiple=True, metavar="KIND",
              help=f"Report kinds, repeated or comma-separated (default: all the data allows): {', '.join(REPORTS)}.")
@click.option("--format", "-f", "formats", multiple=True, metavar="FMT",
              help=f"Formats, comma-separated (default: {','.join(DEFAULT_FORMATS)}); "
                   "model-json dumps the document model.")
@click.option("--quarter", "-q", type=click.IntRange(1, 4), default=None,
              help="第N四半期 for the progress sheet (default: the latest with data).")
@data_option
@click.option("--output", "output_root", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Output folder; documents go to OUTPUT/<branch>/<year>/.")
def build_command(branch: str, year: str, reports: tuple[str, ...], formats: tuple[str, ...],
                  quarter: int | None, data_root: Path, output_root: Path) -> None:
    """Build the documents of one branch and year into OUTPUT/<branch>/<year>/.

    \b
    Example:
      reportgen build --branch shizuoka --year R5 --report kpi-summary --format pdf
      reportgen build --branch saitama --year R2 --report progress --quarter 3
    """
    b, fy = get_branch(branch), parse_fiscal_year(year)
    kinds = _choose(reports, REPORTS, available_kinds(data_root, b, fy), "資料の種類", "report kinds")
    if not kinds:
        raise UsageError(f"{b.name} {fy.label()} のデータから作成できる資料がありません。",
                         f"no data files for any report kind under {data_root}")
    fmts = _choose(formats, WRITERS, DEFAULT_FORMATS, "出力形式", "formats")
    if "pdf" in fmts:  # DOCX and XLSX only name the fonts; the PDF embeds them
        check_fonts()
    previous = any(REPORTS[k].requires_previous for k in kinds)
    _warn_unprintable([data_directory(data_root, b, fy),
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

        directory, outputs = build(b, fy, kinds, fmts, data_root, output_root, progress, quarter, warn)
    for out in outputs:
        pages = f"  {out.rendered.pages} ページ" if out.rendered.pages else ""
        click.echo(f"{directory / out.path}{pages}")
    err.print(f"{len(outputs)} 件の資料を {directory} に作成しました。")


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
    _warn_unprintable([data.directory])
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
