"""The documents' Style, resolved once: reportgen/templates/style.yaml, then the branch's
``data/<branch>/templates/style.yaml`` over it key by key, each value checked where it was
written (a mistake is exit 4 with file and line). Every writer reads the resolved Style from
``Document.style``; a branch restyles all three formats without code.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from reportgen.document import Style
from reportgen.templating import Template, load_template

KIND = "style"
_COLOUR = re.compile(r"[0-9A-Fa-f]{6}")
_FONT = re.compile(r"[^\x00-\x1f\x7f]{1,100}")
FONT_FIELDS = ("gothic", "mincho")
COLOUR_FIELDS = ("header_shade", "figure_header_shade", "rule_colour", "text_colour", "chart_grid_colour",
                 "chart_axis_colour")
# field: (low, high) in points (ratios unitless, distances in mm)
NUMBER_FIELDS = {
    "body_pt": (4, 72), "small_ratio": (0.3, 1), "large_ratio": (1, 4), "page_header_pt": (4, 72),
    "figure_pt": (4, 72), "pdf_figure_pt": (4, 72), "header_distance_mm": (0, 50),
    "chart_height_mm": (20, 250), "chart_title_pt": (4, 72), "chart_label_pt": (4, 72), "chart_line_pt": (0.25, 10),
    "chart_marker_pt": (0, 30),
}
LIST_FIELDS = {"heading_pt": (3, (4, 96)), "cover_pt": (3, (4, 96)), "cell_padding_pt": (2, (0, 30))}


def load_style(branch_dir: Path | None = None) -> Style:
    return style_of(load_template(KIND, branch_dir))


def style_of(template: Template) -> Style:
    fields = tuple(f.name for f in dataclasses.fields(Style))
    template.known_keys((), fields)
    values: dict[str, object] = {}
    for name in FONT_FIELDS:
        families = template.raw(name)
        if not isinstance(families, list) or not families:
            raise template.error((name,), "フォント名のリストで書いてください。")
        values[name] = tuple(_font(template, name, i) for i in range(len(families)))
    values["fallback"] = _font(template, "fallback")
    for name in COLOUR_FIELDS:
        values[name] = _colour(template, name)
    colours = template.raw("chart_colours")
    if not isinstance(colours, list) or not colours:
        raise template.error(("chart_colours",), "色のリストで書いてください。")
    values["chart_colours"] = tuple(_colour(template, "chart_colours", i) for i in range(len(colours)))
    for name, (low, high) in NUMBER_FIELDS.items():
        values[name] = template.number(name, low=low, high=high)
    for name, (count, (low, high)) in LIST_FIELDS.items():
        items = template.raw(name)
        if not isinstance(items, list) or len(items) != count:
            raise template.error((name,), f"{count} 個の数のリストで書いてください。")
        values[name] = tuple(template.number(name, i, low=low, high=high) for i in range(count))
    return Style(**values)  # type: ignore[arg-type]


def _colour(template: Template, *loc: str | int) -> str:
    value = template.raw(*loc)
    if not isinstance(value, str) or not _COLOUR.fullmatch(value):
        raise template.error(loc, f"「{value}」は色ではありません。"
                             "\"E8EDF3\" のように 16 進 6 桁を引用符で囲んで書いてください。")
    return value.upper()


def _font(template: Template, *loc: str | int) -> str:
    value = template.raw(*loc)
    if not isinstance(value, str) or not _FONT.fullmatch(value):
        raise template.error(loc, f"「{value}」はフォント名として使えません。")
    return value
