"""The quick commands load no writer library: `reportgen --help`, `branches` and `validate`
start in a fraction of a second, and a schedule's checks do not pay for WeasyPrint (about
1.5 s to import), python-docx, openpyxl or the pandas/numpy stack the exports use.

Each command runs in a fresh interpreter (a module imported by an earlier test would be in
this process's sys.modules whatever the CLI does) and prints the modules it ended up with.
No time is asserted: the machine's load is not the code's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT

HEAVY = ("weasyprint", "docx", "openpyxl", "pandas", "numpy")

_PROBE = """
import json, sys
from reportgen.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="reportgen")
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy})), file=sys.stderr)
"""


def loaded_after(*args: str) -> list[str]:
    """The heavy modules a fresh ``reportgen ARGS`` process has imported when it ends."""
    result = subprocess.run([sys.executable, "-c", _PROBE.format(heavy=set(HEAVY)), *args],
                            capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    *_, last = result.stderr.strip().splitlines() or [""]
    return list(json.loads(last))


@pytest.mark.parametrize("args", [
    ["--help"],
    ["branches"],
    ["reports"],
    ["validate", "--branch", "shizuoka", "--year", "R5", "--data", str(DATA)],
    ["validate", "--branch", "saitama", "--year", "R2", "--data", str(DATA)],
], ids=lambda a: " ".join(a[:2]) if a[0] == "validate" else a[0])
def test_quick_commands_import_no_writer_library(args: list[str]) -> None:
    assert loaded_after(*args) == []


@pytest.mark.slow  # builds a PDF in a fresh interpreter
def test_the_probe_sees_a_writer_library_when_one_is_used(tmp_path: Path) -> None:
    # The same probe on a command that renders a PDF finds WeasyPrint: the test above is not
    # passing because the probe sees nothing.
    assert "weasyprint" in loaded_after("build", "--branch", "shizuoka", "--year", "R5", "--report",
                                        "kpi-summary", "--format", "pdf", "--data", str(DATA),
                                        "--output", str(tmp_path))
