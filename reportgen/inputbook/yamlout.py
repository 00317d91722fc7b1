"""Values → YAML text laid out as the samples are: keys in their order, lists indented,
long lines kept whole, line breaks as ``|-`` blocks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # "key:\n  - item" as in the samples, not PyYAML's "key:\n- item"
        return super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


# Keys whose values are numbers, dates or flags, written plain as the samples write them
# (quarter: 3, not quarter: '3'); a figure stays a quoted string where YAML would read a number.
_INTS = {"quarter", "number", "material", "through"}
_FLAGS = {"heisei31", "quarterly", "comparison"}


def _typed(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _typed(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if key in _INTS and isinstance(value, str) and value.isascii() and value.isdigit() and str(int(value)) == value:
        return int(value)
    if key in _FLAGS and value in ("true", "false"):
        return value == "true"
    if key == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def dump(data: dict[str, Any], heading: str) -> str:
    body = yaml.dump(_typed(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100_000,
                     default_flow_style=False, indent=2)
    return "".join(f"# {line}\n" for line in heading.splitlines()) + "\n" + body
