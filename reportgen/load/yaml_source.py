"""YAML that remembers where every value came from.

Scalars are kept as the text written in the file (so 89.00 stays 89.00, and the model
decides what a value means), duplicate keys and control characters are errors, and every
value can be traced back to its line for error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reportgen.errors import DataError, Problem

Loc = tuple[str | int, ...]
# Tab and newline are ordinary text; every other C0/C1 control character breaks Word and Excel.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NULLS = {"", "~", "null", "Null", "NULL"}


def format_loc(loc: Loc) -> str:
    """('sections', 3, 'kpis', 0, 'target') → sections[3].kpis[0].target"""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class Source:
    """A parsed file: its plain data and the line of every key and item."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        """The line of ``loc``, or of its nearest ancestor that the file spells out."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return None

    def problem(self, loc: Loc, message: str, expected: str = "") -> Problem:
        return Problem(self.path, self.line_of(loc), format_loc(loc), message, expected)

    def place(self, loc: Loc) -> str:
        """Where ``loc`` is, in words for a message (12行目); a workbook source names its cell."""
        return f"{self.line_of(loc) or 0}行目"


def display_path(path: Path) -> str:
    """Paths in messages are relative to the working directory where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_yaml(path: Path) -> Source:
    """Parse ``path``; raise DataError listing every syntax and character problem found."""
    shown = Path(display_path(path))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError([Problem(shown, None, "", "ファイルがありません。")]) from None
    except UnicodeDecodeError as exc:
        raise DataError(
            [Problem(shown, None, "", "UTF-8 で保存されていません。", f"UTF-8 text ({exc.reason})")]
        ) from None
    problems = [
        Problem(shown, text.count("\n", 0, m.start()) + 1, "",
                f"制御文字 U+{ord(m.group()):04X} が含まれています。", "printable text")
        for m in _CONTROL.finditer(text)
    ]
    if problems:
        raise DataError(problems)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise DataError([Problem(
            shown, mark.line + 1 if mark else None, "",
            "YAML として読めません。", f"valid YAML: {exc.problem or exc.context}",
        )]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(shown, None, "", "YAML として読めません。", str(exc))]) from None
    source = Source(shown, None)
    problems = []
    source.data = None if node is None else _build(node, (), source, problems)
    if problems:
        raise DataError(problems)
    return source


def _build(node: yaml.Node, loc: Loc, source: Source, problems: list[Problem]) -> Any:
    source.lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        if node.style is None and node.value in _NULLS and node.tag.endswith(":null"):
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        if node.flow_style:
            _check_thousands(node, loc, source, problems)
        return [_build(item, (*loc, i), source, problems) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*loc, key)
            if key in out:
                problems.append(Problem(
                    source.path, key_node.start_mark.line + 1, format_loc(child),
                    "同じ項目が二度書かれています。", "each key once",
                ))
                continue
            source.lines[child] = key_node.start_mark.line + 1
            out[key] = _build(value_node, child, source, problems)
        return out
    raise AssertionError(f"unknown YAML node {node!r}")


def _check_thousands(node: yaml.SequenceNode, loc: Loc, source: Source, problems: list[Problem]) -> None:
    """In [a, b] a comma separates items, so [2,100件] is two items, 2 and 100件: refuse it."""
    items = node.value
    for i in range(len(items) - 1):
        left, right = items[i], items[i + 1]
        if (isinstance(left, yaml.ScalarNode) and isinstance(right, yaml.ScalarNode)
                and left.style is None and right.style is None
                and right.start_mark.index == left.end_mark.index + 1
                and re.fullmatch(r"[-▲]?\d{1,3}", left.value) and re.match(r"\d{3}", right.value)):
            problems.append(Problem(
                source.path, left.start_mark.line + 1, format_loc((*loc, i)),
                f"「{left.value},{right.value}」は [ ] の中ではカンマで二つの値に分かれます。",
                f'quotes ("{left.value},{right.value}") or one "- " line per value',
            ))
