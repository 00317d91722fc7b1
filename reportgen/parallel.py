"""Worker processes: a build's documents written side by side.

A branch's build writes each of its documents in each format; the PDFs take most of the
time, and one takes one core. With ``workers`` above 1, the (document, format) pairs are
written by a pool of worker processes, the longest first, so that the build takes about as
long as its slowest document. Workers are started by the "forkserver" context (no fork of a
process holding threads or locks) and import the writers once. The writers are pure (a
document in, bytes out), so a document is the same bytes whichever process writes it; the
caller commits the outputs, as it does when it writes them itself.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence

from reportgen.document import Block, Document, Table
from reportgen.errors import RenderError
from reportgen.writers.shared import Rendered, WriterOptions


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def warm_up(formats: tuple[str, ...]) -> None:
    """In each worker, once: import what building and the formats' writers need."""
    from reportgen import build  # noqa: F401  (reports, templating, loaders)
    from reportgen.writers import WRITERS

    for fmt in formats:
        WRITERS[fmt]


def write(document: Document, fmt: str, options: WriterOptions) -> Rendered:
    """``document`` in ``fmt``; a writer's failure is a RenderError naming the document."""
    from reportgen.writers import WRITERS

    try:
        return WRITERS[fmt](document, options)
    except Exception as exc:  # a writer bug must not damage earlier outputs
        raise RenderError(f"{document.title} の {fmt.upper()} を作成できませんでした。",
                          f"{type(exc).__name__}: {exc}") from exc


def _write_in_worker(document: Document, fmt: str, options: WriterOptions) -> Rendered | tuple[str, str]:
    """write() in a worker: a failure comes back as its message and detail (an exception
    object need not survive pickling)."""
    try:
        return write(document, fmt, options)
    except RenderError as exc:
        return exc.message, exc.detail


def _weight(task: tuple[Document, str]) -> tuple[bool, int]:
    """Longest first: PDFs before the rest, then by the document's rows and paragraphs."""
    document, fmt = task
    return fmt != "pdf", -sum(_size(block) for block in document.blocks)


def _size(block: Block) -> int:
    return len(block.body) + len(block.header) if isinstance(block, Table) else 1


@contextlib.contextmanager
def workers_for(count: int, formats: Iterable[str]) -> Iterator[concurrent.futures.Executor | None]:
    """A pool of ``count`` warm workers for the writers of ``formats``, or None when
    ``count`` is 1. The workers are started at once, so that their imports go on while the
    caller loads the data and builds the documents."""
    if count <= 1:
        yield None
        return
    try:
        context = multiprocessing.get_context("forkserver")
        pool = concurrent.futures.ProcessPoolExecutor(count, mp_context=context, initializer=warm_up,
                                                      initargs=(tuple(sorted(formats)),))
        for _ in range(count):
            pool.submit(int)
    except (OSError, NotImplementedError, ValueError):
        # No process pool here (no POSIX semaphores in a minimal container, too many
        # processes): the documents are written in this process, as with --jobs 1.
        yield None
        return
    with pool:
        yield pool


def write_all(tasks: Sequence[tuple[Document, str]], options: WriterOptions,
              pool: concurrent.futures.Executor | None = None,
              done: Callable[[Document, str], None] | None = None) -> list[Rendered]:
    """Each (document, format) of ``tasks`` written, in the order of ``tasks``: by ``pool``'s
    workers, longest first, or in this process when there is no pool or a single task."""
    if pool is None or len(tasks) <= 1:
        out = []
        for document, fmt in tasks:
            out.append(write(document, fmt, options))
            if done:
                done(document, fmt)
        return out
    order = sorted(range(len(tasks)), key=lambda i: _weight(tasks[i]))
    futures = {pool.submit(_write_in_worker, *tasks[i], options): i for i in order}
    results: dict[int, Rendered] = {}
    try:
        for future in concurrent.futures.as_completed(futures):
            i = futures[future]
            document, fmt = tasks[i]
            try:
                result = future.result()
            except Exception as exc:  # a worker that died (killed, out of memory)
                raise RenderError(f"{document.title} の {fmt.upper()} を作成できませんでした。",
                                  f"worker process: {type(exc).__name__}: {exc}") from exc
            if isinstance(result, tuple):
                raise RenderError(*result)
            results[i] = result
            if done:
                done(document, fmt)
    finally:
        for future in futures:
            future.cancel()
    return [results[i] for i in range(len(tasks))]
