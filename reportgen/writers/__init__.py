"""Writers: one per format, each ``write(document, options) -> Rendered``.

A writer knows the neutral document only: never the report kind or where data came from.
"""

from __future__ import annotations

from collections.abc import Callable

from reportgen.document import Document
from reportgen.writers import docx, model_json, pdf, xlsx
from reportgen.writers.shared import Rendered, WriterOptions

Writer = Callable[[Document, WriterOptions], Rendered]

WRITERS: dict[str, Writer] = {
    "docx": docx.write,
    "xlsx": xlsx.write,
    "pdf": pdf.write,
    "model-json": model_json.write,  # the model itself, not a document format
}
FORMATS = tuple(WRITERS)

__all__ = ["FORMATS", "WRITERS", "Rendered", "Writer", "WriterOptions"]
