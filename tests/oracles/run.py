"""Run the Java (java.time) and ICU (Node Intl) Japanese-era oracles."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_COMMANDS: dict[str, tuple[str, str]] = {
    "java": ("java", "JapaneseDates.java"),
    "icu": ("node", "japanese_dates.mjs"),
}


def _command(name: str) -> tuple[str, str]:
    try:
        return _COMMANDS[name]
    except KeyError:
        raise ValueError(f"unknown oracle {name!r}; expected one of {sorted(_COMMANDS)}") from None


def available(name: str) -> bool:
    """Return True if the executable needed by oracle ``name`` is on PATH."""
    return shutil.which(_command(name)[0]) is not None


def oracle_table(name: str, start: str, end: str) -> dict[str, tuple[str, int]]:
    """Map each ISO date in [start, end] to (era kanji, year of era) per oracle ``name``."""
    exe, script = _command(name)
    path = shutil.which(exe)
    if path is None:
        raise RuntimeError(f"oracle {name!r} needs {exe!r}, which is not on PATH")
    proc = subprocess.run(
        [path, str(_HERE / script), start, end],
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"oracle {name!r} failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}"
        )
    table: dict[str, tuple[str, int]] = {}
    for line in proc.stdout.splitlines():
        try:
            day, era, year = line.split("\t")
            table[day] = (era, int(year))
        except ValueError:
            raise RuntimeError(f"oracle {name!r} printed an unparsable line: {line!r}") from None
    return table
