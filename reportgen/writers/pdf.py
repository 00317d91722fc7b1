"""PDF: the neutral document as HTML (reportgen/templates/html, package data), laid out by WeasyPrint.

Fonts are embedded and subset (HarfBuzz when libharfbuzz-subset is installed).

Data text never becomes CSS syntax: the page header and the legend are HTML (running
elements placed in the page margins), and the few strings that must sit in CSS (the footer
pattern, font names) go through ``css_string``. WeasyPrint fetches nothing but the files of
``templates/html`` (``url_fetcher``): a ``url(...)`` that slipped into the document could
otherwise read any local file or reach the network.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import io
import logging
import os
import sys
import typing
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup

from reportgen.document import Block, Cell, Document, PageBreak, Paragraph, Row, Style, Table
from reportgen.phrases import phrase_html
from reportgen.templating import TEMPLATE_DIR
from reportgen.textmetrics import width_pt, wrapped_lines
from reportgen.writers.chart_svg import to_svg
from reportgen.writers.figure_widths import fitted, proportional
from reportgen.writers.shared import Rendered, WriterOptions, unknown_block, vertical_chains

HTML_DIR = TEMPLATE_DIR / "html"
_ENV = jinja2.Environment(
    # Autoescape: data text is HTML-escaped wherever it lands (a bullet, a vertical label's
    # characters); only the CSS the writer itself made (css_string, Style values) is marked safe.
    loader=jinja2.FileSystemLoader(HTML_DIR), undefined=jinja2.StrictUndefined, autoescape=True
)
_ENV.filters["phrases"] = phrase_html  # headers, headings, figures: broken between phrases only


def css_string(text: str) -> str:
    """``text`` as one CSS string token, whatever it holds.

    Quotes, backslashes, braces, semicolons, angle brackets and every control or separator
    character (newlines included) are written as hex escapes (``\\A `` for a newline,
    ``\\22 `` for a quote), so no character of the data can end the string, the declaration
    or the rule.
    """
    return '"' + "".join(
        f"\\{ord(ch):X} " if ch in _CSS_SPECIAL or (unicodedata.category(ch)[0] in "CZ" and ch != " ") else ch
        for ch in text
    ) + '"'


_CSS_SPECIAL = frozenset("\"'\\{}()<>;")


def footer_css(pattern: str) -> str:
    """'{page} / {pages} ページ' → counter(page) " / " counter(pages) " ページ"."""
    parts: list[str] = []
    rest = pattern
    while rest:
        head, sep, tail = rest.partition("{")
        if head:
            parts.append(css_string(head))
        if not sep:
            break
        name, _, rest = tail.partition("}")
        # Only the two page counters are CSS; any other {…} is printed as written.
        parts.append(f"counter({name})" if name in ("page", "pages") else css_string(f"{{{name}}}"))
    return " ".join(parts) or '""'


def to_html(document: Document, html_dir: Path = HTML_DIR, breakable: frozenset[str] = frozenset(),
            continued: Mapping[str, Label] | None = None,
            page_height_mm: float | None = None, room_of: Document | None = None) -> str:
    """The document as HTML for WeasyPrint: ``breakable`` rows (keys as the template writes
    ``data-row``) may break over pages, ``continued`` rows print a 分野 label again, and
    ``page_height_mm`` makes the page that tall (as wide as the document's), and ``room_of``
    gives it the top margin of that document's pages (for a bare() document)."""
    # The fallback last: Pango takes a character from it only where the fonts before lack it.
    style = document.style
    families = (*style.gothic, style.fallback, "sans-serif")
    for block in document.blocks:
        if not isinstance(block, typing.get_args(Block)):
            raise unknown_block("PDF", block)
    return _ENV.get_template("document.html.j2").render(
        doc=document,
        breakable=breakable,
        continued=continued or {},
        css=(html_dir / "document.css").read_text(encoding="utf-8"),
        font_css=", ".join(css_string(f) if f != "sans-serif" else f for f in families),
        footer_css=footer_css(document.footer),
        page_size=(f"{document.page.size_mm[0]:g}mm {page_height_mm:g}mm" if page_height_mm
                   else f"A4 {document.page.orientation}"),
        style_vars=style_vars(style),
        top_margin_mm=top_margin_mm(room_of or document),
        fits=_phrase_fits(document),
        # Inline SVG (no data: URL, no file): the URL fetcher refuses both.
        chart_svg=lambda chart: Markup(to_svg(chart, document.page.content_width_mm,
                                              ", ".join(families), style)),
    )


def _phrase_fits(document: Document) -> Callable[[Cell, Paragraph], Callable[[str], bool] | None]:
    """For a cell of a table of the page (fixed layout, widths known) and one of its
    paragraphs: whether a phrase fits on one line of the cell. Figure tables inside cells are
    laid out by their content and need none."""
    style = document.style
    family = style.gothic[0]
    # A kept phrase may reach into the cell's padding, never over its rules.
    rules_pt = 2.0
    page_pt = document.page.content_width_mm / 25.4 * 72
    rooms: dict[int, float] = {}
    for block in document.blocks:
        if isinstance(block, Table):
            total = sum(c.width for c in block.columns)
            for row in block.grid():
                for start, cell in enumerate(row):
                    if cell is not None:
                        width = sum(c.width for c in block.columns[start:start + cell.colspan])
                        rooms[id(cell)] = page_pt * width / total - rules_pt

    def fits(cell: Cell, paragraph: Paragraph) -> Callable[[str], bool] | None:
        room = rooms.get(id(cell))
        if room is None:
            return None
        size = style.body_pt * style.ratio(paragraph.size)
        return lambda phrase: width_pt(phrase, family, size) <= room

    return fits


def style_vars(style: Style) -> dict[str, str]:
    """The Style as CSS custom properties for document.css: sizes in pt, colours as #RRGGBB
    (Style checks them: six hex digits), nothing else of the data."""
    size = {
        "--body-size": style.body_pt,
        "--small-size": style.body_pt * style.small_ratio,
        "--large-size": style.body_pt * style.large_ratio,
        "--h1-size": style.heading(1),
        "--h2-size": style.heading(2),
        "--h3-size": style.heading(3),
        "--cover-title-size": style.cover_pt[0],
        "--cover-subtitle-size": style.cover_pt[1],
        "--cover-date-size": style.cover_pt[2],
        "--page-header-size": style.page_header_pt,
        "--figure-size": style.pdf_figure_pt,
    }
    colour = {
        "--header-shade": style.header_shade,
        "--figure-header-shade": style.figure_header_shade,
        "--rule-colour": style.rule_colour,
    }
    out = {name: f"{round(value, 3):g}pt" for name, value in size.items()}
    out |= {name: "#" + _hex(value) for name, value in colour.items()}
    return out


def _hex(colour: str) -> str:
    if len(colour) != 6 or any(c not in "0123456789abcdefABCDEF" for c in colour):
        raise ValueError(f"not a colour: {colour!r}")  # Style's loader refuses it first
    return colour


def top_margin_mm(document: Document) -> float:
    """The page margin plus room for the header lines (three fit in 6 mm more) and legend."""
    lines = sum(1 + line.count("\n") for line in document.header_lines)
    header = 6 + 3.6 * max(0, lines - 3) if lines else 0
    legend = 5 + 3.6 * (document.legend or "").count("\n") if document.legend else 0
    return round(document.page.margin_mm + header + legend, 3)


# A label printed again (labels_again): its line height in em (.tate span in document.css),
# the cell's vertical padding (CSS px), and CSS px in pt.
TATE_LINE = 1.15
TATE_PAD_PX = 8.0
PX_PT = 0.75
# Each pass can only move rows later, and few rows are that tall: two passes settle a sheet.
MAX_PASSES = 4
# Rows estimated at least this share of the room under their header are probed. The
# estimate below is generous (its line height and padding are larger than the CSS's, and it
# does not know kinsoku): on the samples, rows over 0.3 of a page are estimated at 0.93 to
# 1.43 times their laid-out height (the progress sheet's, figure tables included, at 1.00 to
# 1.23 but one), so a row under this share fits. A row the estimate
# misses costs time only: the safety net in _write finds it in the layout and lays out
# again, as before this probe existed.
PROBE_SHARE = 0.85
# A row estimated at this many times the room fits under no header (1.6 / 1.43 > 1.1), so
# it is marked without a probe: the plan comparison's rows that run over several pages
# would otherwise make most of the probe. A wrong guess here would change the layout, so
# the margin is kept on this side.
SURE_SHARE = 1.6
# A generous line height for the estimate, in em (the CSS sets paragraphs at 1.45), and a
# cell's padding, rules and paragraph spacing; for a figure table's cell (0.6 mm by 1 mm of
# padding, rules) and the figure table's margins (1 mm above, 1.5 mm below).
_EST_LINE_EM = 1.6
_EST_CELL_PAD_PT = 12.0
_EST_FIGURE_PAD_PT = 7.0
_EST_FIGURE_MARGIN_PT = 7.5
_MM_PT = 72 / 25.4


def _estimate_pt(cell: Cell, width_pt: float, style: Style, body_pt: float, pad_pt: float = _EST_CELL_PAD_PT) -> float:
    """A generous guess at a cell's height (textmetrics' advance widths; no layout)."""
    family = style.gothic[0]
    if cell.vertical:
        return len(cell.text) * body_pt * _EST_LINE_EM + pad_pt
    height = pad_pt
    for p in cell.content:
        size = body_pt * style.ratio(p.size)
        lines = wrapped_lines(p.text, max(width_pt - pad_pt, size), family, size)
        height += lines * size * _EST_LINE_EM
    for nested in cell.tables:
        # Laid out by their content (auto layout): a figure and its unit on one line, the
        # labels given the rest, as figure_widths shares them for the DOCX and XLSX.
        widths = fitted(nested, width_pt - pad_pt, family, style.pdf_figure_pt, _EST_FIGURE_PAD_PT, style.ratio)
        height += _EST_FIGURE_MARGIN_PT + sum(_row_estimates(nested, widths, style, style.pdf_figure_pt,
                                                             _EST_FIGURE_PAD_PT))
    return height


def _row_estimates(table: Table, widths: list[float], style: Style, body_pt: float,
                   pad_pt: float = _EST_CELL_PAD_PT) -> list[float]:
    """Estimated height of each row of ``table`` (header rows first) with its columns this
    wide; a spanned cell counts whole in its first row."""
    return [max((_estimate_pt(item, sum(widths[c:c + item.colspan]), style, body_pt, pad_pt)
                 for c, item in enumerate(cells) if item is not None), default=0.0)
            for cells in table.grid()]


def _span_groups(table: Table) -> list[range]:
    """The body as runs of rows that must stay together in a probe: rows joined by a rowspan,
    and a section row (keep_with_next) with the row after it."""
    grid = table.grid()[len(table.header):]
    reach = [r + max((c.rowspan for c in cells if c is not None), default=1) for r, cells in enumerate(grid)]
    groups: list[range] = []
    start, end = 0, 0
    for r in range(len(grid)):
        end = max(end, reach[r])
        if r + 1 >= end and not table.body[r].keep_with_next:
            groups.append(range(start, r + 1))
            start = end = r + 1
    if start < len(grid):
        groups.append(range(start, len(grid)))
    return groups


def probe_tables(document: Document) -> tuple[Document | None, dict[str, tuple[str, list[int]]], set[str]]:
    """A small document of the rows that might not fit a page under their table's header.

    Each such row (with the section rows kept with it and the rows a span joins to it) is
    set on a page of its own under the header, with the document's page, style and CSS: a
    row that fits there fits under the header anywhere, and one that does not is exactly
    one that WeasyPrint would print without its header (#2679) wherever it lands. Returns
    the probe, per probe table key the document's table key and row indices, and the rows
    certainly too tall (SURE_SHARE) as template keys; the probe is None when no other row is
    tall enough to be worth one.
    """
    page = document.page
    width_pt = page.content_width_mm * _MM_PT
    room_pt = (page.size_mm[1] - top_margin_mm(document) - page.margin_mm) * _MM_PT
    body_pt = document.style.body_pt
    blocks: list[Block] = []
    origin: dict[str, tuple[str, list[int]]] = {}
    sure: set[str] = set()
    for index, block in enumerate(document.blocks, start=1):
        if not isinstance(block, Table) or not block.header:
            continue
        heights = _row_estimates(block, proportional(block, width_pt), document.style, body_pt)
        head, body = sum(heights[:len(block.header)]), heights[len(block.header):]
        for group in _span_groups(block):
            estimate = sum(body[r] for r in group)
            if estimate < PROBE_SHARE * (room_pt - head):
                continue
            if len(group) == 1 and estimate >= SURE_SHARE * room_pt:
                sure.add(f"t{index}-{group[0] + 1}")
                continue
            if blocks:
                blocks.append(PageBreak())
            blocks.append(dataclasses.replace(block, body=tuple(block.body[r] for r in group)))
            origin[f"t{len(blocks)}"] = (f"t{index}", list(group))
    probe = bare(document, blocks) if blocks else None
    return probe, origin, sure


def bare(document: Document, blocks: list[Block]) -> Document:
    """``blocks`` in a document laid out only to measure them (the probe, the labels): no
    header, legend or footer to lay out in the page margins. It is laid out with the room
    of ``document``'s pages (to_html's ``room_of``)."""
    return dataclasses.replace(document, blocks=tuple(blocks), header_lines=(), legend=None, footer="")


def rows_without_header(pages: list[Any]) -> frozenset[str]:
    """Rows that open a page on which their table's repeated header is missing.

    WeasyPrint drops the header when a row that must not break fits a page only without it
    (Kozea/WeasyPrint#2679). Reads the laid-out boxes: ``data-row`` and ``data-head`` are
    written by the HTML template on the rows and headers of top-level tables.
    """
    found = set()
    for page in pages:
        heads: set[str] = set()
        first: dict[str, str] = {}
        for attribute, key, _ in keyed_boxes(page):
            if attribute == "data-head":
                heads.add(key)
            else:
                first.setdefault(key.split("-")[0], key)
        found |= {row for table, row in first.items() if table not in heads}
    return frozenset(found)


def keyed_boxes(page: Any) -> Iterator[tuple[str, str, Any]]:
    """The laid-out headers and body rows of the page's top-level tables, in order: (the
    attribute the template keyed them by, ``data-head`` or ``data-row``, its key, the box)."""
    for box in page._page_box.descendants():
        element = getattr(box, "element", None)
        tag = getattr(box, "element_tag", "")
        if element is not None and tag in ("thead", "tr"):
            attribute = "data-head" if tag == "thead" else "data-row"
            if key := element.get(attribute):
                yield attribute, key, box


@dataclass(frozen=True)
class Again:
    """A vertical 分野 label printed again in a row that continues it."""

    index: int  # of the cell in the row's cells
    text: str  # 「…（続き）」
    chain: str  # the row key of the label's own row: the rows that continue it share it
    own: bool = False  # the label's own row: labelled again only on a page its rest opens


def label_chains(document: Document) -> dict[str, Again]:
    """Row key (as the template writes ``data-row``) → the label of each body row whose cell
    continues a vertical 分野 label of a row above it, and of the label's own row: the rows
    that print the label again, 「…（続き）」, when they (or the rest of the label's own row,
    split over a page break) open a page."""
    out: dict[str, Again] = {}
    for n, block in enumerate(document.blocks, start=1):
        if not isinstance(block, Table) or not block.header:
            continue
        grid = block.grid()
        heads = len(block.header)
        for (r, c), k in vertical_chains(block, grid).items():
            label = grid[r][c]
            assert label is not None
            text = document.continued.format(label=label.text.replace("\n", ""))
            chain = f"t{n}-{r - heads + 1}"
            for row in range(r, r + k):
                cells = block.body[row - heads].cells
                index = next(i for i, item in enumerate(cells) if item is grid[row][c])
                out[f"t{n}-{row - heads + 1}"] = Again(index, text, chain, own=row == r)
    return out


@dataclass(frozen=True)
class Opening:
    """The first body row of a table on a page, and the rows after it there."""

    page: int  # index in the document's pages
    rows: list[tuple[str, float]]  # data-row keys from the opener on, with their heights there (CSS px)
    rest: bool  # the opener is the rest of a row split over the page break (begun on the page before)

    @property
    def row(self) -> str:
        return self.rows[0][0]


# A 分野 that goes on at the top of a page is labelled there also when the page opens with
# the rest of a row split over the break (WeasyPrint prints a split cell's text on its
# first page only). tests/pdf_checks.py switches it off to compare the other labels with a
# layout that has them in its HTML (a split row's rest cannot be labelled in HTML).
LABEL_SPLIT_RESTS = True


def rows_opening_pages(pages: list[Any]) -> list[Opening]:
    """The first body row of each table on each page, with the rows of its table on that
    page from it on."""
    found: list[Opening] = []
    before: set[str] = set()
    for number, page in enumerate(pages):
        rows: dict[str, list[tuple[str, float]]] = {}
        for attribute, row, box in keyed_boxes(page):
            if attribute == "data-row":
                rows.setdefault(row.split("-")[0], []).append((row, box.height))
        found += [Opening(number, on, on[0][0] in before) for on in rows.values()]
        before = {row for on in rows.values() for row, _ in on}
    return found


Label = tuple[int, str, float]  # cell index in its row, text, size in pt


def labels_again(openings: list[Opening], chains: dict[str, Again],
                 document: Document) -> dict[tuple[int, str], Label]:
    """The labels to print again: (page index, row key) → (cell index, text, size in pt).
    Each is laid over the empty cells of its 分野 under it on the page and takes no room, so
    the pages stay as they were laid out without it (a label that took room would move the
    pages after it, and with them the rows that open pages). It is set at the small size, or
    smaller to fit those cells, down to small of small; where even that does not fit, only
    「（続き）」 is printed."""
    style = document.style
    small = style.body_pt * style.small_ratio
    out = {}
    for opening in openings:
        again = chains.get(opening.row)
        if again is None or (opening.rest and not LABEL_SPLIT_RESTS) or (again.own and not opening.rest):
            continue  # no 分野 going on, or the row that prints the label itself
        room = 0.0
        for key, height in opening.rows:  # the opener and the rows of its 分野 after it on the page
            if key not in chains or chains[key].chain != again.chain:
                break
            room += height
        text = again.text
        fits = min(small, (room - TATE_PAD_PX) * PX_PT / (len(text) * TATE_LINE))
        if fits < small * style.small_ratio:
            text = document.continued.format(label="")
            fits = min(small, (room - TATE_PAD_PX) * PX_PT / (len(text) * TATE_LINE))
        out[(opening.page, opening.row)] = (again.index, text, round(max(fits, small * style.small_ratio), 1))
    return out


def tall_rows(document: Document, layout: typing.Callable[[Document, frozenset[str]], Any]) -> frozenset[str]:
    """The rows of ``document`` that fit no page under their table's header, as the template
    keys them (t3-12): laid out by ``layout`` in a probe (probe_tables), never the whole
    document."""
    probe, origin, found = probe_tables(document)
    if probe is None:
        return frozenset(found)
    for key in rows_without_header(layout(probe, frozenset()).pages):
        table, _, row = key.partition("-")
        target, rows = origin[table]
        found.add(f"{target}-{rows[int(row) - 1] + 1}")
    return frozenset(found)


def fetch_package_file(url: str, headers: Any = None) -> Any:
    """WeasyPrint's URL fetcher: files under templates/html only; everything else refused.

    Fonts come from fontconfig, not through here. A refused URL makes WeasyPrint leave the
    resource out with a warning, so a hostile ``url()`` costs nothing but the resource.
    """
    from weasyprint.urls import URLFetcherResponse

    parts = urlsplit(url)
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        path = Path(unquote(parts.path)).resolve()
        if path.is_relative_to(HTML_DIR.resolve()) and path.is_file():
            return URLFetcherResponse(url, body=path.read_bytes())
    raise ValueError(f"reportgen fetches no resource outside {HTML_DIR}: {url[:80]}")


def _url_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class PackageOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            return fetch_package_file(url, headers)

    return PackageOnly()


def write(document: Document, options: WriterOptions) -> Rendered:
    rendered = render(document, options)
    out = io.BytesIO()
    with _quiet("weasyprint", "fontTools"):
        rendered.write_pdf(out)
    return Rendered(out.getvalue(), pages=len(rendered.pages))


def render(document: Document, options: WriterOptions) -> Any:
    """The document laid out (WeasyPrint's ``Document``), before it is written; tests read
    its boxes (which row opens which page)."""
    # fontconfig names a family in the user's language (BIZ UDゴシック under LANG=ja_JP), and
    # WeasyPrint embeds that name: fixed to English so the bytes do not depend on the locale.
    # Read once, when fontconfig starts, which is below.
    os.environ["FC_LANG"] = "en"
    with _libraries_by_file_name():
        from weasyprint import CSS, HTML  # heavy import: only when a PDF is asked for

    with _quiet("weasyprint", "fontTools"):
        # A branch's CSS may make boxes our own never do (writers/ua_css.py): WeasyPrint's
        # whole user-agent sheet then.
        return _render(document, options, HTML if options.stylesheet is not None else _html_class(), CSS)


@functools.cache
def _html_class() -> Any:
    """WeasyPrint's HTML with the user-agent stylesheet cut to the elements our HTML has
    (writers/ua_css.py, writers/ua.css): the same computed styles, a third of the
    cascade's time."""
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle

    from reportgen.writers.ua_css import SHEET

    # Its @counter-style rules go to a throwaway registry: WeasyPrint's own UA registry,
    # which every document copies, already has them.
    sheet = CSS(string=SHEET.read_text(encoding="utf-8"), counter_style=CounterStyle())

    class ReportHTML(HTML):  # type: ignore[misc]
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [sheet]

    return ReportHTML


@contextlib.contextmanager
def _libraries_by_file_name() -> Iterator[None]:
    """WeasyPrint's import opens Pango, HarfBuzz and fontconfig trying several names for
    each, bare ones first (``pango-1.0``), which cffi looks up with ctypes.util.find_library:
    on Linux that runs ldconfig and gcc for each, 0.15 s of every PDF build. While it imports,
    that lookup finds nothing, so each library is opened by the next name on its list, its
    file name (``libpango-1.0.so.0``), as dlopen resolves it: the same libraries. A library
    that is not installed still fails the import, with WeasyPrint's own message."""
    if not sys.platform.startswith("linux") or "weasyprint" in sys.modules:
        yield
        return
    import ctypes.util

    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = find_library


@contextlib.contextmanager
def _quiet(*names: str) -> Iterator[None]:
    """WeasyPrint's and fontTools' warnings off while a PDF is made, the levels restored after
    (the caller's logging is not ours to change)."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _render(document: Document, options: WriterOptions, HTML: Any, CSS: Any) -> Any:
    from weasyprint.text.fonts import FontConfiguration

    stylesheets = []
    if options.stylesheet is not None:  # the branch's CSS; its url()s go through the same fetcher
        stylesheets.append(CSS(string=options.stylesheet.read_text(encoding="utf-8"), base_url=str(HTML_DIR),
                               url_fetcher=_url_fetcher()))
    # One font configuration for every layout of the document: the labels grafted below are
    # drawn with the same Pango fonts as the rest of the page, so the PDF embeds each font once.
    fonts = FontConfiguration()

    def layout(doc: Document, breakable: frozenset[str],
               continued: Mapping[str, Label] | None = None,
               page_height_mm: float | None = None) -> Any:
        # A bare() document (probe, labels) has the room of the document's pages.
        html = to_html(doc, breakable=breakable, continued=continued, page_height_mm=page_height_mm,
                       room_of=None if doc is document else document)
        return HTML(string=html, base_url=str(HTML_DIR),
                    url_fetcher=_url_fetcher()).render(stylesheets=stylesheets, font_config=fonts)

    # The rows that would lose their header (#2679) are found before the document's layout,
    # by a probe of the few rows tall enough to matter, and marked breakable; the loop below
    # still catches a row the estimate missed (a second layout, never a lost header).
    breakable = tall_rows(document, layout)
    for _ in range(MAX_PASSES):
        rendered = layout(document, breakable)
        headless = rows_without_header(rendered.pages)
        if not headless <= breakable:
            breakable |= headless
            continue
        # A row that continues a 分野 and opens a page prints the label again. The label
        # takes no room, so the pages stay as they are: it is laid out on its own and put
        # into the page (graft_labels), not by laying the document out again.
        labels = labels_again(rows_opening_pages(rendered.pages), label_chains(document), document)
        if labels:
            graft_labels(rendered, document, labels, layout)
        break
    return rendered


def label_document(document: Document, labels: Mapping[tuple[int, str], Label]
                   ) -> tuple[Document, dict[str, Label]]:
    """The labels to print again, each in a copy of its table (same columns and classes) with
    one row: the label's cell in its own column, an empty cell on either side. Laid out like
    the document, but on one page as wide and tall enough for all (no label is cut by a page
    break), each label's boxes are those the document would have, up to where they are."""
    blocks: list[Block] = []
    continued: dict[str, Label] = {}
    for (_, key), (index, text, size) in labels.items():
        table_key, _, row = key.partition("-")
        table = document.blocks[int(table_key[1:]) - 1]
        assert isinstance(table, Table)
        grid = table.grid()
        cells = grid[len(table.header) + int(row) - 1]
        target = table.body[int(row) - 1].cells[index]
        column = next(c for c, item in enumerate(cells) if item is target)
        filler = [Cell((), colspan=n) for n in (column, len(table.columns) - column - 1) if n]
        body = (*filler[:1 if column else 0], target, *filler[1 if column else 0:])
        # An empty header row: the table keeps its key (the template labels keyed rows only),
        # and no header text is laid out for nothing.
        header = (Row((Cell((), colspan=len(table.columns)),)),)
        blocks.append(dataclasses.replace(table, header=header, body=(Row(body),)))
        continued[f"t{len(blocks)}-1"] = (1 if column else 0, text, size)
    return bare(document, blocks), continued


def graft_labels(rendered: Any, document: Document, labels: Mapping[tuple[int, str], Label],
                 layout: Callable[..., Any]) -> None:
    """Put each label's laid-out boxes into the cell of the page that prints it.

    The cell is an empty cell of the 分野 column (a joined one, or the label's own cell in
    the rest of its row split over a page), whose label is a block of zero height: with it,
    the document's layout would be the same but for the label's own boxes. Those are laid
    out in label_document, with the document's page, style and fonts, and moved to the cell.
    """
    labelled, continued = label_document(document, labels)
    tall = (len(labels) + 1) * document.page.size_mm[1]  # a label is at most a page tall
    boxes = _label_cells(layout(labelled, frozenset(), continued, tall).pages)
    for (page, key), (cell, label) in zip(labels, boxes, strict=True):
        target = _cell_on(rendered.pages[page], key, labels[(page, key)][0])
        label.translate(target.content_box_x() - cell.content_box_x(), target.content_box_y() - cell.content_box_y())
        target.children = [label]


def _label_cells(pages: list[Any]) -> list[tuple[Any, Any]]:
    """Each label's cell box and the label's box (div.again), in document order."""
    found = []
    for page in pages:
        for box in page._page_box.descendants():
            if getattr(box, "element_tag", "") == "td":
                found += [(box, child) for child in box.children
                          if getattr(child, "element_tag", "") == "div" and child.element.get("class") == "again"]
    return found


def _cell_on(page: Any, key: str, index: int) -> Any:
    """The box, on ``page``, of the ``index``-th cell of the row ``key`` (its first part there)."""
    for attribute, row, box in keyed_boxes(page):
        if attribute == "data-row" and row == key:
            element = list(box.element)[index]
            return next(cell for cell in box.children if cell.element is element)
    raise LookupError(f"row {key} is not on the page")
