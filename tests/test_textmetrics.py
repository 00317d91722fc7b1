"""Widths and wrapped lines from the installed font's metrics."""

from reportgen import textmetrics

GOTHIC = "BIZ UDGothic"


def test_full_and_half_width_advances_come_from_the_font() -> None:
    assert textmetrics.width_pt("あいう", GOTHIC, 10) == 30.0
    assert textmetrics.width_pt("abc", GOTHIC, 10) == 15.0  # BIZ UD gothic: half-width Latin


def test_japanese_breaks_anywhere_and_line_feeds_count() -> None:
    assert textmetrics.wrapped_lines("あ" * 100, 100, GOTHIC, 10) == 10
    assert textmetrics.wrapped_lines("あ" * 10 + "\n" + "い", 100, GOTHIC, 10) == 2
    assert textmetrics.wrapped_lines("", 100, GOTHIC, 10) == 1


def test_a_figure_moves_to_the_next_line_whole() -> None:
    # 8 em of text, then a 4.5 em figure that does not fit the 10 em line: it starts line 2.
    assert textmetrics.wrapped_lines("あ" * 8 + "1,234,567", 100, GOTHIC, 10) == 2
    assert textmetrics.wrapped_lines("あ" * 8 + "12", 100, GOTHIC, 10) == 1


def test_an_unknown_family_is_estimated_not_an_error() -> None:
    assert textmetrics.metrics("No Such Family").advances == {}
    assert textmetrics.width_pt("あa", "No Such Family", 10) == 15.0
