"""Report templates: the wording, columns and layout of each report kind, as YAML.

``reportgen/templates/<kind>.yaml`` (package data) is the default; ``<data>/<branch>/templates/<kind>.yaml``
overrides it key by key (a branch changes one label without copying the rest). Every
string is a Jinja expression rendered in a sandbox with StrictUndefined, so a typo in a
variable name fails loudly with the template file and line.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import math
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from reportgen.errors import DataError, TemplateError
from reportgen.filters import FILTERS
from reportgen.load.yaml_source import Loc, Source, format_loc, load_yaml

# Package data (reportgen/templates; ``templates`` at the top of the checkout links to it), so
# an installed wheel finds its templates wherever it runs. A package installed from a wheel or
# a checkout is a folder on disk, so the resource is a real path (jinja's loader, WeasyPrint's
# base URL and the fetcher's folder check need one).
TEMPLATE_DIR = Path(str(importlib.resources.files("reportgen") / "templates"))

# A branch may edit its templates, so a template is untrusted code: besides the sandbox's
# attribute rules, its work is bounded. Wording and layout need none of these sizes.
MAX_RANGE = 10_000  # items of one range()
MAX_TEXT = 100_000  # characters (or items) made by one * or +
MAX_INT_BITS = 256  # an integer made by ** (10**5000 would overflow str())
TIME_LIMIT_S = 2.0  # wall time of one template string


class LimitError(jinja2.TemplateError):
    """A template string asked for more work than any wording needs."""


class BoundedEnvironment(SandboxedEnvironment):
    """The sandbox with bounds on loop length, string size and integer size."""

    intercepted_binops = frozenset({"*", "**", "+"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and right * abs(left).bit_length() > MAX_INT_BITS:
                raise LimitError(f"{left} ** {right} は大きすぎます (at most {MAX_INT_BITS} bits)")
        elif operator == "*" and _sized_times(left, right) > MAX_TEXT:
            raise LimitError(f"繰り返しの結果が長すぎます (at most {MAX_TEXT} characters)")
        elif operator == "+" and isinstance(left, (str, list)) and isinstance(right, (str, list)) \
                and len(left) + len(right) > MAX_TEXT:
            raise LimitError(f"連結の結果が長すぎます (at most {MAX_TEXT} characters)")
        return super().call_binop(context, operator, left, right)


def _sized_times(left: Any, right: Any) -> int:
    """The length of ``left * right`` when it repeats a string or list; 0 otherwise."""
    if isinstance(right, (str, list, tuple)):
        left, right = right, left
    if isinstance(left, (str, list, tuple)) and isinstance(right, int):
        return len(left) * max(right, 0)
    return 0


def _bounded_range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise LimitError(f"range() が長すぎます: {len(result)} (at most {MAX_RANGE})")
    return result


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise LimitError in a render that runs longer than ``seconds`` (main thread only:
    signals are delivered there; elsewhere the other bounds still hold)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise LimitError(f"{seconds:g} 秒以内に終わりませんでした")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_ENV = BoundedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
_ENV.filters.update(FILTERS)
_ENV.globals["range"] = _bounded_range
del _ENV.globals["lipsum"]  # lipsum(10**9) would be unbounded text


@dataclass(frozen=True)
class Template:
    """A merged template and, for messages, where each key came from."""

    kind: str
    data: dict[str, Any]
    origins: dict[Loc, tuple[Path, int | None]]

    def raw(self, *loc: str | int) -> Any:
        value: Any = self.data
        for part in loc:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                path, line = self._origin(loc)
                raise TemplateError(path, line, f"{format_loc(loc)} がありません。") from None
        return value

    def flag(self, *loc: str | int) -> bool:
        """A yes/no setting: true or false."""
        value = str(self.raw(*loc)).lower()
        if value not in ("true", "false"):
            path, line = self._origin(loc)
            raise TemplateError(path, line, f"{format_loc(loc)}: 「{value}」は true か false で書いてください。")
        return value == "true"

    def choice(self, *loc: str | int, choices: tuple[str, ...]) -> str:
        """A setting that takes one of ``choices`` (page.orientation: portrait / landscape)."""
        value = str(self.raw(*loc))
        if value not in choices:
            self._fail(loc, f"「{value}」は使えません。{' / '.join(choices)} のどれかを書いてください。")
        return value

    def number(self, *loc: str | int, low: float, high: float, default: float | None = None) -> float:
        """A finite number in [low, high]: widths and margins become page geometry."""
        value = default if default is not None and self._missing(loc) else self.raw(*loc)
        try:
            number = float(str(value))
        except ValueError:
            number = math.nan
        if not low <= number <= high:  # nan and inf fail here too
            self._fail(loc, f"「{value}」は {low:g} 以上 {high:g} 以下の数で書いてください。")
        return number

    def widths(self, *loc: str | int) -> tuple[float, ...]:
        """Column widths: a list of numbers, or of column specs each with a ``width``."""
        specs = self.raw(*loc)
        if not isinstance(specs, list) or not specs:
            self._fail(loc, "列の幅のリストではありません。")
        return tuple(
            self.number(*loc, i, *(("width",) if isinstance(spec, dict) else ()), low=0.01, high=1000)
            for i, spec in enumerate(specs)
        )

    def _missing(self, loc: tuple[str | int, ...]) -> bool:
        try:
            self.raw(*loc)
        except TemplateError:
            return True
        return False

    def _fail(self, loc: tuple[str | int, ...], message: str) -> NoReturn:
        raise self.error(loc, message)

    def choices(self, *loc: str | int, choices: tuple[str, ...]) -> tuple[str, ...]:
        """A setting that lists some of ``choices`` (plan-comparison's marked sections)."""
        values = self.raw(*loc)
        if not isinstance(values, list):
            self._fail(loc, f"{' / '.join(choices)} の一覧で書いてください。")
        return tuple(self.choice(*loc, i, choices=choices) for i in range(len(values)))

    def known_keys(self, loc: tuple[str | int, ...], keys: tuple[str, ...]) -> None:
        """Refuse a key under ``loc`` that is none of ``keys`` (a typo would be ignored)."""
        for key in self.raw(*loc):
            if key not in keys:
                self._fail((*loc, key), f"「{key}」という設定はありません。{' / '.join(keys)} のどれかです。")

    def error(self, loc: tuple[str | int, ...], message: str) -> TemplateError:
        """A mistake in the setting at ``loc``, with the file and line it came from."""
        path, line = self._origin(loc)
        return TemplateError(path, line, f"{format_loc(loc)}: {message}")

    def text(self, *loc: str | int, **context: Any) -> str:
        """Render the string at ``loc`` with ``context``."""
        source = self.raw(*loc)
        try:
            with _time_limit(TIME_LIMIT_S):
                return _ENV.from_string(str(source)).render(**context).strip()
        except (jinja2.TemplateError, ArithmeticError, ValueError, TypeError, LookupError,
                MemoryError, RecursionError) as exc:  # all a template string can cause
            path, line = self._origin(loc)
            shown = exc if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
            raise TemplateError(path, line, f"{format_loc(loc)}: {shown}") from None

    def _origin(self, loc: tuple[str | int, ...]) -> tuple[Path, int | None]:
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.origins:
                return self.origins[loc[:end]]
        return (TEMPLATE_DIR / f"{self.kind}.yaml", None)


def template_paths(kind: str, branch_dir: Path | None) -> list[Path]:
    paths = [TEMPLATE_DIR / f"{kind}.yaml"]
    if branch_dir is not None and (branch_dir / "templates" / f"{kind}.yaml").is_file():
        paths.append(branch_dir / "templates" / f"{kind}.yaml")
    return paths


def load_template(kind: str, branch_dir: Path | None = None) -> Template:
    data: dict[str, Any] = {}
    origins: dict[Loc, tuple[Path, int | None]] = {}
    for path in template_paths(kind, branch_dir):
        try:
            source = load_yaml(path)
        except DataError as exc:
            first = exc.problems[0]
            raise TemplateError(path, first.line, first.message + " " + first.expected) from None
        if not isinstance(source.data, dict):
            raise TemplateError(path, 1, "テンプレートは「名前: 値」の集まりである必要があります。")
        _merge(data, source.data, (), source, origins)
    return Template(kind, data, origins)


def _merge(into: dict[str, Any], new: dict[str, Any], loc: Loc, source: Source,
           origins: dict[Loc, tuple[Path, int | None]]) -> None:
    for key, value in new.items():
        here = (*loc, key)
        origins[here] = (source.path, source.line_of(here))
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value, here, source, origins)
        else:
            into[key] = value
            # The value is replaced whole (a list, a scalar): so are the places of its parts, or
            # a key the override left out would be blamed on the default template's line.
            for stale in [sub for sub in origins if len(sub) > len(here) and sub[: len(here)] == here]:
                del origins[stale]
            for sub, line in source.lines.items():
                if sub[: len(here)] == here:
                    origins[sub] = (source.path, line)
