"""YAML that remembers where every value came from.

Scalars are kept as the text written in the file (so 89.00 stays 89.00, and the model
decides what a value means), duplicate keys and control characters are errors, and every
value can be traced back to its line for error messages.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
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
    # After ``prune``: for each list that lost items (by its place in the file), the file's
    # index of every item kept, so that problems found later still name the file's places.
    kept: dict[Loc, list[int]] = field(default_factory=dict)

    def original(self, loc: Loc) -> Loc:
        """``loc`` in the (pruned) data → the same place in the file."""
        out: list[str | int] = []
        for part in loc:
            kept = self.kept.get(tuple(out))
            out.append(kept[part] if kept is not None and isinstance(part, int) and part < len(kept) else part)
        return tuple(out)

    def line_of(self, loc: Loc) -> int | None:
        """The line of ``loc``, or of its nearest ancestor that the file spells out."""
        loc = self.original(loc)
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return None

    def problem(self, loc: Loc, message: str, expected: str = "") -> Problem:
        return Problem(self.path, self.line_of(loc), format_loc(self.original(loc)), message, expected)

    def prune(self, bad: list[tuple[Any, ...]]) -> bool:
        """Drop from ``data`` the innermost list item (or else the top-level key) holding each
        place in ``bad``, so that the rest of the file can still be checked: every problem
        of a file in one run. False when a place lies in no item or key that can go."""
        drops: dict[Loc, set[int]] = {}
        top: set[str | int] = set()
        for loc in bad:
            path: list[str | int] = []
            value = self.data
            for part in loc:  # the part of the place that names data (not a union's tag)
                if (isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value)) \
                        or (isinstance(value, dict) and part in value):
                    path.append(part)
                    value = value[part]
                else:
                    break
            items = [i for i, part in enumerate(path) if isinstance(part, int)]
            if items:
                drops.setdefault(tuple(path[: items[-1]]), set()).add(int(path[items[-1]]))
            elif path:
                top.add(path[0])
            else:
                return False

        def rebuild(value: Any, loc: Loc) -> Any:
            if isinstance(value, dict):
                return {k: rebuild(v, (*loc, k)) for k, v in value.items() if loc or k not in top}
            if isinstance(value, list):
                kept = [i for i in range(len(value)) if i not in drops.get(loc, ())]
                if len(kept) < len(value):
                    self.kept[loc] = kept
                return [rebuild(value[i], (*loc, i)) for i in kept]
            return value

        self.data = rebuild(self.data, ())
        return True

    def place(self, loc: Loc) -> str:
        """Where ``loc`` is, in words for a message (12行目); a workbook source names its cell."""
        return f"{self.line_of(loc) or 0}行目"


def display_path(path: Path) -> str:
    """Paths in messages are relative to the working directory where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# Bounds on what one data or template file may ask of the loader: real files are a few
# hundred kilobytes, nest six deep and use no aliases; an alias bomb of 432 bytes would
# otherwise expand past 1.5 GB.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40
MAX_ALIASES = 100
MAX_NODES = 200_000
# What the file may say its values are; a tag such as !!python/object/apply is refused.
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in
                        ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))
# Characters XML (so DOCX and XLSX) cannot carry, checked after YAML escapes are decoded.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class _Refused(Exception):
    """A bound of the loader was passed; carries where."""

    def __init__(self, mark: yaml.Mark | None, message: str, expected: str) -> None:
        super().__init__(message)
        self.line = mark.line + 1 if mark else None
        self.message = message
        self.expected = expected


class _Bounded:
    """Composes nodes only (nothing is constructed), with bounds on depth and aliases."""

    _depth = 0
    _aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Refused(event.start_mark, "別名（*名前）が多すぎます。",
                               f"at most {MAX_ALIASES} aliases in a file")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(event.start_mark, "入れ子が深すぎます。", f"at most {MAX_DEPTH} levels")
            return super().compose_node(parent, index)  # type: ignore[misc, no-any-return]
        finally:
            self._depth -= 1


class _BoundedLoader(_Bounded, yaml.SafeLoader):
    """PyYAML's own parser: its errors are the ones ``syntax_problem`` explains."""


def _fast_loader() -> type | None:
    """libyaml's parser (C, ten times faster) under the same composer and bounds, when
    PyYAML was built with it. A file it cannot parse is parsed again by _BoundedLoader, so
    every error reads as it always has."""
    if not yaml.__with_libyaml__:
        return None
    from yaml._yaml import CParser
    from yaml.composer import Composer
    from yaml.resolver import Resolver

    class Loader(_Bounded, Composer, CParser, Resolver):  # type: ignore[misc, valid-type]
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            Resolver.__init__(self)

    return Loader


_FAST_LOADER = _fast_loader()


def _compose(text: str) -> yaml.Node | None:
    if _FAST_LOADER is not None:
        loader = _FAST_LOADER(text)
        try:
            return loader.get_single_node()  # type: ignore[no-any-return]
        except yaml.YAMLError:
            pass  # parsed again below: PyYAML's words are the ones syntax_problem explains
        finally:
            loader.dispose()
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


def read_text(path: Path) -> str:
    """The text of a data file as ``load_yaml`` reads it (same bounds, same errors)."""
    return _read(path, Path(display_path(path)))


def _read(path: Path, shown: Path) -> str:
    """The text of ``path``; every way it cannot be read is a Problem, never an OSError."""
    def refuse(message: str, expected: str = "") -> DataError:
        return DataError([Problem(shown, None, "", message, expected)])

    try:
        if path.is_dir():
            raise refuse("ファイルではなくフォルダです。", "a YAML file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise refuse(f"ファイルが大きすぎます（{size:,} バイト）。",
                         f"at most {MAX_FILE_BYTES:,} bytes")
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise refuse("ファイルがありません。") from None
    except PermissionError:
        raise refuse("ファイルを読む権限がありません。", "a file the user may read") from None
    except UnicodeDecodeError as exc:
        raise refuse("UTF-8 で保存されていません。", f"UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise refuse("ファイルを読めません。", f"{type(exc).__name__}: {exc.strerror or exc}") from None


def load_yaml(path: Path) -> Source:
    """Parse ``path``; raise DataError listing every syntax and character problem found."""
    shown = Path(display_path(path))
    text = _read(path, shown)
    problems = [
        Problem(shown, text.count("\n", 0, m.start()) + 1, "",
                f"制御文字 U+{ord(m.group()):04X} が含まれています。", "printable text")
        for m in _CONTROL.finditer(text)
    ]
    if problems:
        raise DataError(problems)
    try:
        node = _compose(text)
    except _Refused as exc:
        raise DataError([Problem(shown, exc.line, "", exc.message, exc.expected)]) from None
    except yaml.MarkedYAMLError as exc:
        raise DataError([open_quote(shown, text) or syntax_problem(shown, exc)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(shown, None, "", "YAML として読めません。", str(exc))]) from None
    source = Source(shown, None)
    problems = []
    builder = _Builder(source, problems)
    try:
        source.data = None if node is None else builder.build(node, ())
    except _Refused as exc:
        problems.append(Problem(shown, exc.line, "", exc.message, exc.expected))
    if problems:
        raise DataError(problems)
    return source


# The parser's words → what to do about them. First match wins; the parser's own text
# follows in the technical detail.
_SYNTAX: tuple[tuple[str, str], ...] = (
    ("unexpected end of stream", "引用符（\" または '）が閉じられていません。"),
    ("found unknown escape character", "\"…\" の中の \\ の使い方が正しくありません（\\ そのものは \\\\ と書きます）。"),
    ("mapping values are not allowed here",
     "値の中に「: 」があります。「: 」を含む文字列は引用符（\"…\"）で囲んでください。"),
    ("could not find expected ':'", "「名前: 値」の「:」がありません。"),
    ("found character '\\t' that cannot start any token", "タブ文字は字下げに使えません。空白を使ってください。"),
    ("that cannot start any token", "この文字で始まる値は引用符（\"…\"）で囲んでください。"),
    ("found undefined alias", "別名（*名前）の元になるアンカー（&名前）がありません。"),
    ("found duplicate anchor", "同じアンカー（&名前）が二度あります。"),
    ("flow sequence", "[ ] が閉じられていないか、区切りのカンマが正しくありません。"),
    ("flow mapping", "{ } が閉じられていないか、区切りのカンマが正しくありません。"),
    ("expected <block end>", "字下げがそろっていません（同じ階層の項目は同じ字下げで書きます）。"),
    ("block sequence entries are not allowed here", "「- 」の字下げが正しくありません。"),
    ("expected a single document", "文書の区切り（---）が二つ以上あります。"),
)


def syntax_problem(shown: Path, exc: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error in Japanese: where the broken construct starts (the parser's
    context) and, when later, where the parser noticed."""
    said = f"{exc.context or ''} {exc.problem or ''}"
    advice = next((ja for en, ja in _SYNTAX if en in said), "書き方が正しくありません。")
    start, noticed = exc.context_mark, exc.problem_mark
    line = (start or noticed).line + 1 if (start or noticed) else None
    message = f"YAML として読めません: {advice}"
    if start and noticed and noticed.line != start.line:
        message += f"（{start.line + 1}行目から始まる部分で、{noticed.line + 1}行目で気づきました）"
    parser = "; ".join(p for p in (exc.context, exc.problem) if p)
    return Problem(shown, line, "", message, f"valid YAML; parser: {parser}")


def open_quote(shown: Path, text: str) -> Problem | None:
    """A quote left open makes the parser read on to the next quote, often hundreds of lines
    later, and fail there: name the line where the string starts instead."""
    last: yaml.ScalarToken | None = None
    with contextlib.suppress(yaml.YAMLError):
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") \
                    and token.end_mark.line > token.start_mark.line:
                last = token
    if last is None:
        return None
    start, end = last.start_mark.line + 1, last.end_mark.line + 1
    return Problem(shown, start, "",
                   f"YAML として読めません: 引用符（{last.style}）がこの行で閉じられていません"
                   f"（{end}行目まで一つの文字列と読まれました）。",
                   f"a closing {last.style} on line {start}, or |- for text of several lines")


class _Builder:
    """Nodes → plain data and lines, applying the text rules once: tags refused, characters
    XML cannot carry refused, text normalised to NFC, aliases bounded and never cyclic."""

    def __init__(self, source: Source, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        self.nodes = 0
        self.open: set[int] = set()  # nodes being built: an alias to one of them is a cycle

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Refused(node.start_mark, "別名（*名前）を展開すると大きすぎます。",
                           f"at most {MAX_NODES:,} values after aliases")
        line = node.start_mark.line + 1
        self.source.lines.setdefault(loc, line)
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self._problem(line, loc, f"YAML のタグ「{tag}」は使えません。", "plain values without tags")
            return None
        if isinstance(node, yaml.ScalarNode):
            if _plain(node) and node.value in _NULLS and node.tag.endswith(":null"):
                return None
            return self._text(node.value, line, loc)
        if id(node) in self.open:
            raise _Refused(node.start_mark, "別名（*名前）が自分自身を含んでいます。", "an alias to a finished value")
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                if node.flow_style:
                    _check_thousands(node, loc, self.source, self.problems)
                return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, loc)
        finally:
            self.open.discard(id(node))
        raise AssertionError(f"unknown YAML node {node!r}")

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(line, loc, "項目名は一つの文字列で書いてください（[ ] や { } は使えません）。",
                              "name: value")
                continue
            key = self._text(str(key_node.value), line, loc)
            child = (*loc, key)
            if key in out:
                self._problem(line, child, "同じ項目が二度書かれています。", "each key once")
                continue
            self.source.lines[child] = line
            out[key] = self.build(value_node, child)
        return out

    def _text(self, value: str, line: int, loc: Loc) -> str:
        for m in _NOT_XML.finditer(value):
            self._problem(line, loc, f"文書に書けない文字 U+{ord(m.group()):04X} が含まれています。",
                          "printable text (after \\ escapes are decoded)")
        return unicodedata.normalize("NFC", value)

    def _problem(self, line: int, loc: Loc, message: str, expected: str) -> None:
        self.problems.append(Problem(self.source.path, line, format_loc(loc), message, expected))


def _plain(node: yaml.ScalarNode) -> bool:
    """A scalar written without quotes: its style is None from PyYAML's parser, "" from libyaml's."""
    return not node.style


def _check_thousands(node: yaml.SequenceNode, loc: Loc, source: Source, problems: list[Problem]) -> None:
    """In [a, b] a comma separates items, so [2,100件] is two items, 2 and 100件: refuse it."""
    items = node.value
    for i in range(len(items) - 1):
        left, right = items[i], items[i + 1]
        if (isinstance(left, yaml.ScalarNode) and isinstance(right, yaml.ScalarNode)
                and _plain(left) and _plain(right)
                and right.start_mark.index == left.end_mark.index + 1
                and re.fullmatch(r"[-▲]?\d{1,3}", left.value) and re.match(r"\d{3}", right.value)):
            problems.append(Problem(
                source.path, left.start_mark.line + 1, format_loc((*loc, i)),
                f"「{left.value},{right.value}」は [ ] の中ではカンマで二つの値に分かれます。",
                f'quotes ("{left.value},{right.value}") or one "- " line per value',
            ))
