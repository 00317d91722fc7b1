"""What openpyxl has no public API for, in one place (checked against openpyxl 3.1)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font


def set_default_font(wb: Workbook, font: Font) -> None:
    """Make ``font`` the workbook's default (the Normal style's font, index 0 of the font table).

    Clients measure column widths in digits of this font: left at openpyxl's Calibri 11, a
    machine without Calibri (LibreOffice on Linux) measures DejaVu Sans instead, its columns
    come out 45 % wider and fit-to-width prints the body at 7 pt.
    """
    wb._fonts[0] = font  # openpyxl keeps the default font as the first table entry
