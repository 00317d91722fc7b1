"""The neutral document itself as JSON: for snapshots, diffs and debugging templates."""

from __future__ import annotations

from reportgen.document import Document, to_json
from reportgen.writers.shared import Rendered, WriterOptions


def write(document: Document, options: WriterOptions) -> Rendered:
    return Rendered(to_json(document).encode("utf-8"))
