from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reportgen.branches import get_branch
from reportgen.build import documents, load_for
from reportgen.cli import cli
from reportgen.document import Document
from reportgen.wareki import parse_fiscal_year

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(autouse=True, scope="session")
def one_process_by_default() -> Iterator[None]:
    """The tests run in one process whose writers stay imported from test to test: a build
    that names no --jobs writes its documents here, not in cold worker processes (which
    would double the quick set's time). Worker pools are tested where a test asks for them
    (--jobs 2, tests/test_parallel.py)."""
    import reportgen.cli
    import reportgen.parallel

    patch = pytest.MonkeyPatch()
    patch.setattr(reportgen.cli, "default_jobs", lambda: 1)
    patch.setattr(reportgen.parallel, "default_jobs", lambda: 1)
    yield
    patch.undo()


def invoke(*args: str) -> Result:
    """Run the CLI in-process, as a user would type it."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def sample_document(branch: str, year: str, kind: str) -> Document:
    """The document model of one report kind built from the sample data."""
    data = load_for(DATA, get_branch(branch), parse_fiscal_year(year), (kind,))
    (doc,) = documents(data, (kind,))
    return doc


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and its hash: to prove a failed run changed nothing."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's main job: shizuoka R5, every report, every format (built once)."""
    out = tmp_path_factory.mktemp("output")
    result = invoke("build", "--branch", "shizuoka", "--year", "R5", "--data", str(DATA),
                    "--output", str(out))
    assert result.exit_code == 0, result.output
    return out / "shizuoka" / "R5"


@pytest.fixture(scope="session")
def annual_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """annual-summary of 本部 R2 (seeds/004) in every format, built once by the CLI."""
    out = tmp_path_factory.mktemp("annual")
    result = invoke("build", "--branch", "本部", "--year", "R2", "--report", "annual-summary",
                    "--data", str(DATA), "--output", str(out))
    assert result.exit_code == 0, result.output
    return out / "national" / "R2"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the sample data, free to break."""
    target = tmp_path / "data"
    shutil.copytree(DATA / "shizuoka", target / "shizuoka")
    return target


@pytest.fixture(scope="module")
def good_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A previous good build, which a failed run must leave as it was (the model and the DOCX:
    what is there matters, not which formats; the PDF would make every bad-input test slow)."""
    built = tmp_path_factory.mktemp("built")
    result = invoke("build", "--branch", "shizuoka", "--year", "R5", "--data", str(DATA),
                    "--output", str(built), "-f", "model-json", "-f", "docx")
    assert result.exit_code == 0, result.output
    out = tmp_path_factory.mktemp("previous")
    shutil.copytree(built / "shizuoka" / "R5", out / "shizuoka" / "R5")  # without the build's lock file
    return out
