"""Writers: one per format, each ``write(document, options) -> Rendered``.

A writer knows the neutral document only: never the report kind or where data came from.
The table names each writer's module; a module is imported the first time its format is
written, so ``reportgen --help`` or ``validate`` never pays for WeasyPrint, python-docx or
openpyxl (together over a second of imports).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping

from reportgen.document import Document
from reportgen.writers.shared import Rendered, WriterOptions

Writer = Callable[[Document, WriterOptions], Rendered]

_MODULES: dict[str, str] = {
    "docx": "reportgen.writers.docx",
    "xlsx": "reportgen.writers.xlsx",
    "pdf": "reportgen.writers.pdf",
    "model-json": "reportgen.writers.model_json",  # the model itself, not a document format
}


class _Writers(Mapping[str, Writer]):
    """format → writer, importing the writer's module on first use."""

    def __getitem__(self, fmt: str) -> Writer:
        write: Writer = importlib.import_module(_MODULES[fmt]).write
        return write

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


WRITERS: Mapping[str, Writer] = _Writers()
FORMATS = tuple(_MODULES)

__all__ = ["FORMATS", "WRITERS", "Rendered", "Writer", "WriterOptions"]
