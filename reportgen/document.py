"""The neutral document: what every writer renders, and all a writer knows.

A closed set of blocks (Heading, Paragraph, Table, PageBreak, Chart) made of runs of text. A
report builder produces a ``Document`` from data; a writer turns it into bytes. Neither
side knows the other (the shape of pandoc's AST). ``to_json`` dumps the model for
snapshots (``reportgen build --to model-json``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, Literal

MODEL_VERSION = "1.0"

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class PageRef:
    """The page on which the heading with ``anchor`` starts, printed as ``pattern`` (P{page})."""

    anchor: str
    pattern: str = "{page}"

    def parts(self) -> tuple[str, str]:
        """The text before and after the page number."""
        before, _, after = self.pattern.partition("{page}")
        return before, after


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    underline: bool | Literal["double"] = False  # a change mark: single or double rule
    # A page reference: the PDF and DOCX print the page (a link, a PAGEREF field); ``text`` is
    # what a format without pages prints instead (the section's number and title: XLSX).
    page_ref: PageRef | None = None


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    align: Align = "left"
    # A hanging bullet (•) that wraps under the text, not under the mark.
    bullet: str | None = None
    size: Literal["normal", "small", "large"] = "normal"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    def printed(self) -> list[str]:
        """The text every format prints alike: the pieces between page references (a page
        reference prints a page number in one format, a section's name in another)."""
        pieces = [""]
        for r in self.runs:
            if r.page_ref is None:
                pieces[-1] += r.text
            else:
                pieces.append("")
        return pieces


def para(text: str, **kwargs: Any) -> Paragraph:
    return Paragraph((Run(text, bold=kwargs.pop("bold", False)),), **kwargs)


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = document title, 2 = section, 3 = sub-heading
    text: str
    aside: str | None = None  # printed at the right end of the heading line (owning group)
    # Opens a section that runs to the next heading that opens one (or a page break): kept on
    # one page where it fits; where it goes on over a page, this text heads the next page.
    continued: str | None = None
    # The target of page references (Run.page_ref) to this heading: [a-z0-9-]+, unique.
    anchor: str | None = None


@dataclass(frozen=True)
class NumberFormat:
    """How a numeric cell prints: places as in the data, the unit after it, ▲ for negatives."""

    places: int
    unit: str = ""
    grouping: bool = True


@dataclass(frozen=True)
class Cell:
    content: tuple[Paragraph, ...]
    colspan: int = 1
    rowspan: int = 1
    align: Align = "left"
    vertical: bool = False  # vertical text (縦書き), the narrow 分野 column
    # Continues the cell above it: no rule between them. Long text goes into a column of
    # joined cells, one per paragraph, so a page can break between paragraphs.
    joined: bool = False
    number: Decimal | None = None  # the value itself, for spreadsheets
    number_format: NumberFormat | None = None
    # Small figure tables printed inside the cell after its paragraphs (実施状況's figures).
    tables: tuple[Table, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.content)

    def texts(self) -> list[str]:
        """Every paragraph's text (as every format prints it: Paragraph.printed), those of the
        tables inside included."""
        out = [t for p in self.content for t in p.printed()]
        for table in self.tables:
            out.extend(t for row in (*table.header, *table.body) for c in row.cells for t in c.texts())
        return out


def cell(text: str, **kwargs: Any) -> Cell:
    return Cell((para(text),), **kwargs)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    # A section row (a 分野's or a measure's heading): printed on the page of the row after it.
    keep_with_next: bool = False


@dataclass(frozen=True)
class Column:
    width: float  # relative; writers scale to the page width
    header_shade: bool = True


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    header: tuple[Row, ...]  # repeated at the top of every page
    body: tuple[Row, ...]
    label: str | None = None  # names the table for spreadsheets and tests: kpi, plan-results

    def grid(self) -> list[list[Cell | None]]:
        """Header then body rows as a full grid; a cell covered by a span is None."""
        rows = (*self.header, *self.body)
        grid: list[list[Cell | None]] = [[None] * len(self.columns) for _ in rows]
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):
            c = 0
            for item in row.cells:
                while (r, c) in taken:
                    c += 1
                grid[r][c] = item
                for dr in range(item.rowspan):
                    for dc in range(item.colspan):
                        taken.add((r + dr, c + dc))
                c += item.colspan
        return grid


@dataclass(frozen=True)
class PageBreak:
    # Ends a group of pages that print differently, the group since the start or the previous
    # break that ends one: "cover" (no page header, no legend), "front" (no legend: 基本方針).
    ends: Literal["cover", "front"] | None = None


ChartKind = Literal["line", "bar", "clustered-bar"]


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Decimal | None, ...]  # one per category; None: no figure (a gap)
    secondary_axis: bool = False  # plotted against a second value axis on the right


@dataclass(frozen=True)
class Chart:
    """A chart's data: what each writer draws natively (an Excel chart, a Word chart, SVG).

    ``line``: a line per series; ``bar``: one series as vertical bars; ``clustered-bar``: several
    series as bars side by side in each category. How it looks is the Style (chart_*).
    """

    kind: ChartKind
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    number_format: NumberFormat  # the values' places and unit (％, 人): axis labels and cells
    x_title: str = ""
    y_title: str = ""
    y_min: Decimal | None = None
    y_max: Decimal | None = None
    label: str | None = None  # names the chart for tests: generic-drug-share

    def __post_init__(self) -> None:
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(f"chart {self.title!r}: series {s.name!r} has {len(s.values)} values "
                                 f"for {len(self.categories)} categories")
        if self.kind == "bar" and len(self.series) != 1:
            raise ValueError(f"chart {self.title!r}: a bar chart has one series (clustered-bar for more)")

    @property
    def unit(self) -> str:
        return self.number_format.unit

    def texts(self) -> list[str]:
        """Title, axis titles, categories and series names: the text every rendering shows."""
        return [self.title, self.x_title, self.y_title, *self.categories, *(s.name for s in self.series)]


Block = Heading | Paragraph | Table | PageBreak | Chart


@dataclass(frozen=True)
class PageSetup:
    orientation: Literal["portrait", "landscape"] = "portrait"
    margin_mm: float = 15.0
    # Table rows set tighter (less cell padding and leading) where a table must fit a page.
    compact: bool = False
    # A template's own body size (page: font_size_pt) over the Style's, to fit its pages.
    body_pt: float | None = None

    @property
    def size_mm(self) -> tuple[float, float]:
        return (297.0, 210.0) if self.orientation == "landscape" else (210.0, 297.0)

    @property
    def content_width_mm(self) -> float:
        return self.size_mm[0] - 2 * self.margin_mm


@dataclass(frozen=True)
class Style:
    """Every look a writer gives the document (black's ``Mode``): fonts by role, sizes, colours
    and page geometry, resolved once from ``templates/style.yaml`` and the branch's override
    (reportgen/style.py) and read by every writer; no writer keeps a style constant of its own.
    The defaults here are those of reportgen/templates/style.yaml (a test holds them equal).
    Colours are six hex digits (RRGGBB)."""

    gothic: tuple[str, ...] = ("BIZ UDGothic", "IPAexGothic")  # body and tables; the first installed
    mincho: tuple[str, ...] = ("BIZ UDMincho", "IPAexMincho")
    fallback: str = "Noto Sans CJK JP"  # characters the body font lacks (PDF; glyphs.py for DOCX/XLSX)
    body_pt: float = 10.0
    small_ratio: float = 0.85  # Paragraph.size "small", relative to the text around it
    large_ratio: float = 1.2
    heading_pt: tuple[float, float, float] = (15.0, 12.0, 10.5)  # levels 1-3
    cover_pt: tuple[float, float, float] = (24.0, 16.0, 13.0)  # a cover's title, subtitle, date (PDF)
    page_header_pt: float = 8.5  # the page header, legend and footer (XLSX rounds up: whole points)
    figure_pt: float = 8.5  # figure tables inside cells (DOCX, XLSX)
    pdf_figure_pt: float = 8.0  # the PDF's figure tables (its wider line spacing needs the smaller size)
    header_shade: str = "E8EDF3"  # table header cells
    figure_header_shade: str = "F2F4F7"  # figure-table header cells (XLSX, PDF)
    rule_colour: str = "333333"  # table rules (XLSX, PDF; DOCX rules are Word's automatic black)
    text_colour: str = "000000"
    header_distance_mm: float = 7.0  # page edge to the header and footer (DOCX)
    cell_padding_pt: tuple[float, float] = (2.0, 4.25)  # DOCX cell padding: top/bottom, left/right
    # Charts (every format): height (width is the printable width), text sizes, one colour per
    # series in turn, grid and axis colours, line width, marker size.
    chart_height_mm: float = 75.0
    chart_title_pt: float = 11.0
    chart_label_pt: float = 8.0  # axis titles, tick labels, legend
    chart_colours: tuple[str, ...] = ("1F4E79", "C55A11", "548235", "7F6000", "7030A0")
    chart_grid_colour: str = "BFBFBF"
    chart_axis_colour: str = "404040"
    chart_line_pt: float = 2.0
    chart_marker_pt: float = 6.0

    def chart_colour(self, index: int) -> str:
        return self.chart_colours[index % len(self.chart_colours)]

    def ratio(self, size: str) -> float:
        return {"normal": 1.0, "small": self.small_ratio, "large": self.large_ratio}[size]

    def heading(self, level: int) -> float:
        return self.heading_pt[min(max(level, 1), 3) - 1]


@dataclass(frozen=True)
class Document:
    kind: str  # report kind id: kpi-results
    title: str
    blocks: tuple[Block, ...]
    page: PageSetup = field(default_factory=PageSetup)
    style: Style = field(default_factory=Style)
    header_lines: tuple[str, ...] = ()  # right-aligned at the top of every page
    legend: str | None = None  # a line printed on every page, under the header
    footer: str = "{page} / {pages} ページ"
    # A vertical 分野 label printed again at the top of a page where its 分野 goes on (PDF).
    continued: str = "{label}（続き）"
    sheet_name: str = "Sheet1"
    metadata: tuple[tuple[str, str], ...] = ()  # branch, fiscal year, … for file properties
    quarter: int | None = None  # a quarterly document (実施状況): one file per quarter


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def to_json(document: Document) -> str:
    """The model itself, stable and diffable, tagged with block types and the model version."""

    def tagged(block: Block) -> dict[str, Any]:
        return {"type": type(block).__name__, **asdict(block)}

    data = {
        "model_version": MODEL_VERSION,
        **{k: v for k, v in asdict(document).items() if k != "blocks"},
        "blocks": [tagged(b) for b in document.blocks],
    }
    return json.dumps(_jsonable(data), ensure_ascii=False, indent=1) + "\n"


def plain_text(document: Document) -> list[str]:
    """Every piece of text in reading order: what each writer's output must contain."""
    out: list[str] = [document.title]
    for block in document.blocks:
        if isinstance(block, Heading):
            out.append(block.text)
            if block.aside:
                out.append(block.aside)
        elif isinstance(block, Paragraph):
            out.extend(block.printed())
        elif isinstance(block, Table):
            out.extend(t for row in (*block.header, *block.body) for c in row.cells for t in c.texts())
        elif isinstance(block, Chart):
            out.extend(block.texts())
    return [t for t in out if t]
