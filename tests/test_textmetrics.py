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


def test_line_heights_come_from_the_font_as_each_client_reads_it() -> None:
    # BIZ UD: ascender 1802 + descender 246 of 2048 units in hhea and OS/2 win alike; IPAexGothic
    # differs (hhea 1.0 em, which LibreOffice spaces by; win 1.076 em, Excel's).
    assert (textmetrics.metrics(GOTHIC).hhea_em, textmetrics.metrics(GOTHIC).win_em) == (1.0, 1.0)
    ipaex = textmetrics.metrics("IPAexGothic")
    assert ipaex.hhea_em == 1.0 and 1.07 < ipaex.win_em < 1.08


def test_a_sheet_line_is_as_tall_as_the_client_that_spaces_it_wider() -> None:
    from reportgen.writers.xlsx.layout import Font, Measure

    def line(family: str, size: float) -> float:
        return Measure(Font(family, 10), (100.0,), 400).line_pt(size)

    # Excel: the 1.0 em font at whole pixels plus 3 px (10 pt: 13 + 3 px); wider than LibreOffice's 1.0 em
    assert line(GOTHIC, 10) == 12.0
    assert line(GOTHIC, 8.5) == 10.5  # the figure tables: 11 + 3 px
    # LibreOffice spaces Noto Sans CJK JP 1.448 em apart: a row must hold that (1.2 em lost lines)
    assert line("Noto Sans CJK JP", 10) >= 14.48


def test_a_hyphenated_id_breaks_after_its_hyphens_not_inside_a_figure() -> None:
    # LibreOffice printed "cash-benefit-review" of the id list as cash-|benefit-|review in a
    # narrow column: counted as one unbreakable word, the row was a line short.
    assert textmetrics.unbreakable("cash-benefit-review, -12.5％ 4-6") == [
        "cash-", "benefit-", "review,", " ", "-12.5％", " ", "4-6"]
    assert textmetrics.wrapped_lines("cash-benefit-review", 45, GOTHIC, 10) == 3
