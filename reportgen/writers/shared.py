"""What the writers share: options, the result type, reproducible archives."""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from reportgen.document import Cell, NumberFormat, Paragraph, Table
from reportgen.errors import RenderError, UsageError

# Fixed when SOURCE_DATE_EPOCH is unset, so the same data always gives the same bytes.
DEFAULT_EPOCH = 946684800  # 2000-01-01T00:00:00Z


def source_date() -> datetime:
    value = os.environ.get("SOURCE_DATE_EPOCH", str(DEFAULT_EPOCH))
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"環境変数 SOURCE_DATE_EPOCH「{value[:40]}」は日時として読めません。",
                         "seconds since 1970-01-01 UTC, such as 1700000000") from None


@dataclass(frozen=True)
class WriterOptions:
    timestamp: datetime = field(default_factory=source_date)
    reference_docx: Path | None = None  # a branch's Word styles (DOCX), pandoc's --reference-doc
    stylesheet: Path | None = None  # a branch's CSS, cascaded after the PDF's own


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int | None = None  # known for PDF only


def unknown_block(fmt: str, block: object) -> RenderError:
    """A block the writer has no case for: a new Block type must be taught to every writer."""
    return RenderError(f"{fmt} の書き出しで扱えない要素があります: {type(block).__name__}",
                       f"{fmt} writer has no case for {type(block).__qualname__}; every member of Block needs one")


def paragraph_text(p: Paragraph) -> str:
    """A paragraph as plain text, with its bullet, for formats without hanging indents."""
    return (f"{p.bullet} " if p.bullet else "") + p.text


def excel_number_format(fmt: NumberFormat) -> str:
    """#,##0.0"％";"▲"#,##0.0"％": places as the data gives them, ▲ for negatives."""
    digits = "#,##0" if fmt.grouping else "0"
    if fmt.places:
        digits += "." + "0" * fmt.places
    unit = f'"{fmt.unit}"' if fmt.unit else ""
    return f'{digits}{unit};"▲"{digits}{unit}'


def reproducible_zip(data: bytes, timestamp: datetime) -> bytes:
    """Rewrite an OOXML package with fixed entry times and order, so bytes depend on content only."""
    stamp = timestamp.timetuple()[:6]
    if stamp[0] < 1980:
        stamp = (1980, 1, 1, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        # [Content_Types].xml first, as Office writes it; then the rest in stable order.
        ordered = sorted(names, key=lambda n: (n != "[Content_Types].xml", n))
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()


def vertical_chains(table: Table, grid: list[list[Cell | None]]) -> dict[tuple[int, int], int]:
    """(row, column) of each vertical label that empty joined cells continue below it, and
    how many rows the label and those cells take together."""
    chains: dict[tuple[int, int], int] = {}
    for r in range(len(table.header), len(grid)):
        for c, item in enumerate(grid[r]):
            if item is None or not item.vertical or item.rowspan > 1 or item.colspan > 1:
                continue
            end = r + 1
            while end < len(grid) and continues_label(grid[end][c]):
                end += 1
            if end - r > 1:
                chains[(r, c)] = end - r
    return chains


def continues_label(item: Cell | None) -> bool:
    return (item is not None and item.joined and not item.vertical and item.rowspan == 1 and item.colspan == 1
            and not item.tables and not item.text.strip())
