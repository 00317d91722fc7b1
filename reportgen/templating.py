"""Report templates: the wording, columns and layout of each report kind, as YAML.

``templates/<kind>.yaml`` is the default; ``<data>/<branch>/templates/<kind>.yaml``
overrides it key by key (a branch changes one label without copying the rest). Every
string is a Jinja expression rendered in a sandbox with StrictUndefined, so a typo in a
variable name fails loudly with the template file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from reportgen.errors import DataError, TemplateError
from reportgen.filters import FILTERS
from reportgen.load.yaml_source import Loc, Source, format_loc, load_yaml

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"

_ENV = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
_ENV.filters.update(FILTERS)


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

    def choice(self, loc: tuple[str | int, ...], options: tuple[str, ...]) -> str:
        """A setting that takes one of ``options``."""
        value = self.raw(*loc)
        if not isinstance(value, str) or value not in options:
            self._refuse(loc, value, options)
        return str(value)

    def choices(self, loc: tuple[str | int, ...], options: tuple[str, ...]) -> tuple[str, ...]:
        """A setting that lists some of ``options``."""
        values = self.raw(*loc)
        if not isinstance(values, list):
            raise self.error(loc, f"{' / '.join(options)} の一覧で書いてください。")
        return tuple(self.choice((*loc, i), options) for i in range(len(values)))

    def number(self, *loc: str | int) -> float:
        """A positive number (a width)."""
        value = self.raw(*loc)
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = 0.0
        if isinstance(value, bool) or not number > 0:
            raise self.error(loc, f"「{value}」は正の数で書いてください。")
        return number

    def numbers(self, *loc: str | int) -> list[float]:
        values = self.raw(*loc)
        if not isinstance(values, list) or not values:
            raise self.error(loc, "正の数の一覧で書いてください。")
        return [self.number(*loc, i) for i in range(len(values))]

    def known_keys(self, loc: tuple[str | int, ...], keys: tuple[str, ...]) -> None:
        """Refuse a key under ``loc`` that is none of ``keys`` (a typo would be ignored)."""
        for key in self.raw(*loc):
            if key not in keys:
                raise self.error((*loc, key), f"「{key}」という設定はありません。{' / '.join(keys)} のどれかです。")

    def _refuse(self, loc: tuple[str | int, ...], value: Any, options: tuple[str, ...]) -> None:
        raise self.error(loc, f"「{value}」は使えない値です。{' / '.join(options)} のどれかを書いてください。")

    def error(self, loc: tuple[str | int, ...], message: str) -> TemplateError:
        """A mistake in the setting at ``loc``, with the file and line it came from."""
        path, line = self._origin(loc)
        return TemplateError(path, line, f"{format_loc(loc)}: {message}")

    def text(self, *loc: str | int, **context: Any) -> str:
        """Render the string at ``loc`` with ``context``."""
        source = self.raw(*loc)
        try:
            return _ENV.from_string(str(source)).render(**context).strip()
        except jinja2.TemplateError as exc:
            path, line = self._origin(loc)
            raise TemplateError(path, line, f"{format_loc(loc)}: {exc}") from None

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
            for sub, line in source.lines.items():
                if sub[: len(here)] == here:
                    origins[sub] = (source.path, line)
