"""Page references in data text: ``{page:<section id>}`` prints the page where that section starts.

The loader checks that every reference names a section of the file (a located error
otherwise); a report builder turns the text into runs, the reference a ``Run`` with a
``PageRef`` whose text is what formats without pages print (the XLSX).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from reportgen.document import PageRef, Run

PAGE_REF = re.compile(r"\{page:([^{}]*)\}")


def targets(text: str) -> Iterator[str]:
    """The section ids ``text`` refers to, in order."""
    for m in PAGE_REF.finditer(text):
        yield m.group(1).strip()


def runs(text: str, fallback: Callable[[str], str], pattern: str) -> tuple[Run, ...]:
    """``text`` as runs, each reference a page reference to its section's heading."""
    out: list[Run] = []
    pos = 0
    for m in PAGE_REF.finditer(text):
        if m.start() > pos:
            out.append(Run(text[pos:m.start()]))
        anchor = m.group(1).strip()
        out.append(Run(fallback(anchor), page_ref=PageRef(anchor, pattern)))
        pos = m.end()
    if pos < len(text) or not out:
        out.append(Run(text[pos:]))
    return tuple(out)
