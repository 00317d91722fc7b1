"""Every command and report kind is documented in the README, with the example it shows."""

from __future__ import annotations

import pytest

from reportgen.cli import cli
from reportgen.reports import REPORTS
from tests.conftest import ROOT, invoke

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    block = README.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert block == ["./run reportgen build --branch shizuoka --year R5", "./run pytest"]
    assert (ROOT / ".ci/run").read_text(encoding="utf-8").strip().endswith("exec ./run pytest")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"reportgen {command}" in README


@pytest.mark.parametrize("kind", sorted(REPORTS))
def test_every_report_kind_is_in_the_readme(kind: str) -> None:
    assert f"`{kind}`" in README


def test_the_error_example_in_the_readme_is_what_the_tool_prints(data_copy) -> None:  # type: ignore[no-untyped-def]
    path = data_copy / "shizuoka/R5/kpi_results.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("actual: 98.7％", "actual: 九十八点六", 1),
                    encoding="utf-8")
    result = invoke("validate", "-b", "shizuoka", "-y", "R5", "--data", str(data_copy))
    shown = result.output.replace(str(data_copy) + "/", "data/")
    example = README.split("```\nエラー:", 1)[1].split("```", 1)[0]
    assert "エラー:" + example.rstrip("\n") in shown.rstrip("\n")
