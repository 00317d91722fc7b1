"""The fonts the documents need, checked before anything is laid out.

Without them WeasyPrint prints every character as a box (exit 0) or Pango crashes (exit
139): a clear message with the package to install is better than either.
"""

from __future__ import annotations

import functools
import subprocess

from reportgen.errors import FontError

# Family (as fontconfig knows it in English) → the Debian package that installs it.
REQUIRED = {"BIZ UDGothic": "fonts-morisawa-bizud-gothic"}


@functools.cache
def installed_families() -> frozenset[str] | None:
    """Every family name fontconfig knows (each of a font's names), or None without fc-list."""
    try:
        listed = subprocess.run(["fc-list", "--format", "%{family}\n"], capture_output=True, text=True,
                                timeout=60, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return frozenset(name.strip() for line in listed.splitlines() for name in line.split(","))


def check_fonts() -> None:
    """Raise FontError naming the missing families and how to install them."""
    families = installed_families()
    if families is None:
        raise FontError("フォントを確認できません（fontconfig の fc-list がありません）。",
                        "sudo apt-get install fontconfig " + " ".join(REQUIRED.values()))
    missing = [name for name in REQUIRED if name not in families]
    if missing:
        packages = " ".join(REQUIRED[name] for name in missing)
        raise FontError(f"資料のフォント {', '.join(missing)} がインストールされていません。"
                        f"インストールしてください: sudo apt-get install {packages}",
                        f"fc-list does not list {', '.join(missing)}")


# Office applications know the fonts by their Japanese names; fontconfig knows both.
OFFICE_FONT_NAMES = {
    "BIZ UDGothic": "BIZ UDゴシック",
    "BIZ UDMincho": "BIZ UD明朝",
    "IPAexGothic": "IPAexゴシック",
    "IPAexMincho": "IPAex明朝",
}


def office_font(families: tuple[str, ...]) -> str:
    """The name DOCX and XLSX give the first of ``families`` (Style.gothic)."""
    return OFFICE_FONT_NAMES.get(families[0], families[0])
