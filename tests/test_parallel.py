"""A build's documents written by worker processes: the bytes this process writes, in the
order asked, and a writer's failure in a worker is the RenderError it is here."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen import parallel
from reportgen.document import Column, Document, Row, Table, cell, para
from reportgen.errors import RenderError
from reportgen.writers import WriterOptions
from tests.conftest import DATA, invoke, tree_digest


class Unknown:
    """A block no writer knows (module level: a worker unpickles it)."""


def _documents() -> list[Document]:
    table = Table((Column(1), Column(3)), (Row((cell("項目"), cell("値"))),),
                  tuple(Row((cell(f"行{n}"), cell("本文" * n))) for n in range(1, 30)))
    return [Document("short", "短い資料", (para("本文"),)), Document("long", "長い資料", (para("前"), table))]


def test_workers_write_the_bytes_of_this_process_in_the_order_asked() -> None:
    tasks = [(doc, fmt) for doc in _documents() for fmt in ("xlsx", "pdf", "docx")]
    here = parallel.write_all(tasks, WriterOptions())
    seen: list[tuple[str, str]] = []
    with parallel.workers_for(2, {"xlsx", "pdf", "docx"}) as pool:
        assert pool is not None
        there = parallel.write_all(tasks, WriterOptions(), pool, lambda doc, fmt: seen.append((doc.kind, fmt)))
    assert [r.data for r in there] == [r.data for r in here]
    assert [r.pages for r in there] == [r.pages for r in here]
    assert sorted(seen) == sorted((doc.kind, fmt) for doc, fmt in tasks)
    # Handed out longest first: PDFs, the longer document first.
    order = sorted(tasks, key=parallel._weight)
    assert [(doc.kind, fmt) for doc, fmt in order[:2]] == [("long", "pdf"), ("short", "pdf")]


def test_a_writer_failing_in_a_worker_is_a_render_error_naming_the_document() -> None:
    broken = Document("broken", "壊れた資料", (para("前"), Unknown()))  # type: ignore[arg-type]
    with parallel.workers_for(2, {"docx"}) as pool, pytest.raises(RenderError) as caught:
        parallel.write_all([(_documents()[0], "docx"), (broken, "docx")], WriterOptions(), pool)
    assert "Unknown" in caught.value.message + caught.value.detail


def test_one_worker_is_no_pool() -> None:
    with parallel.workers_for(1, {"pdf"}) as pool:
        assert pool is None


@pytest.mark.slow  # builds a branch twice
def test_a_branch_built_on_two_workers_is_the_bytes_of_one(tmp_path: Path) -> None:
    trees = []
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        result = invoke("build", "--branch", "gunma", "--year", "R3", "--data", str(DATA), "--output", str(out),
                        "--jobs", jobs)
        assert result.exit_code == 0, result.output
        trees.append(tree_digest(out))
    assert len(trees[0]) == 8 and trees[0] == trees[1]  # six documents, the manifest and the lock file


def test_where_no_pool_can_start_the_documents_are_written_here(monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")  # what a missing sem_open gives

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    with parallel.workers_for(2, {"docx"}) as pool:
        assert pool is None
        (out,) = parallel.write_all([(_documents()[0], "docx")], WriterOptions(), pool)
    assert out.data.startswith(b"PK")
