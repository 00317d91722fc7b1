"""The output folder of a branch and year: replaced whole, by one build at a time.

A build writes a complete new set into a staging folder beside ``OUTPUT/<branch>/<year>``
(the earlier documents it does not replace are copied in first) and then swaps the two
folders with one ``renameat2(RENAME_EXCHANGE)`` call: the kernel exchanges the two names
atomically, so at every instant the real name holds either the complete old set or the
complete new one, whatever kills the process (SIGKILL, a scheduler's SIGTERM, power loss
after the fsyncs). The folder stays a real folder, as users and their tools expect; the
alternatives were a symlink to versioned folders (a visible change of layout, and a folder
that some Windows share clients show as a file) or a journal completed by the next run
(the real name is missing until then). On a file system without RENAME_EXCHANGE the swap
falls back to two renames, and the next run puts back the folder a kill between them left
under a hidden name (``recover``).

One build at a time per folder: an exclusive ``flock`` on ``.<year>.lock`` beside it. The
kernel releases it when its holder dies, so a killed build never blocks the next; a second
build waits for the first (up to ``LOCK_TIMEOUT_S``) and then swaps in a set that includes
the first one's documents. Leftovers of earlier runs are removed under the lock.

The staging copy never follows a link: only regular files and real folders are copied; a
symlink (to anything, dangling or a loop) or a device in the output folder is dropped with
a warning. The manifest is made from the files in the staging folder, hashed there.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import json
import os
import shutil
import signal
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from reportgen.errors import OutputError, UsageError

Warn = Callable[[str], None]
LOCK_TIMEOUT_S = 600.0
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
# Test hook: "N" kills this process with SIGKILL at the Nth file-system step of ``replace``
# ("N:TERM" with a scheduler's SIGTERM), to prove that a kill at any step leaves the old or
# the new set under the real name.
FAULT_ENV = "REPORTGEN_TEST_KILL_AT_STEP"


def _hidden(directory: Path, what: str) -> Path:
    return directory.parent / f".{directory.name}.{what}"


class _Steps:
    """Counts the file-system steps of one replacement; the fault hook kills at step N."""

    def __init__(self) -> None:
        step, _, name = os.environ.get(FAULT_ENV, "").partition(":")
        self.kill_at = int(step) if step.isdigit() else 0
        self.signal = signal.SIGTERM if name == "TERM" else signal.SIGKILL
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        if self.count == self.kill_at:
            os.kill(os.getpid(), self.signal)


def check_roots(data_root: Path, output_root: Path, target: Path) -> None:
    """``--output`` must be a folder (or not exist yet) outside ``--data``, and the folder a
    build replaces (``target``) must hold no data: the swap would rename the data itself.
    Data inside the output root but beside the target (``--output .``) is fine."""
    data, out, folder = data_root.resolve(), output_root.resolve(), target.resolve()
    if out.is_relative_to(data) or data.is_relative_to(folder):
        raise UsageError(f"出力フォルダ {output_root} とデータフォルダ {data_root} が重なっています。",
                         "--output outside --data, and no data inside OUTPUT/<branch>/<year>")
    if output_root.exists() and not output_root.is_dir():
        raise UsageError(f"出力先 {output_root} はフォルダではありません。", "--output a folder")


@contextlib.contextmanager
def locked(directory: Path, warn: Warn | None = None, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the lock of ``directory`` (waiting for another build that holds it)."""
    with _os_errors(directory):
        directory.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(_hidden(directory, "lock"), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told and warn:
                    warn(f"別の reportgen が {directory} を作成中です。終わるまで待ちます"
                         f"（最長 {timeout:g} 秒）。")
                    told = True
                if time.monotonic() > deadline:
                    raise OutputError(f"別の reportgen が {directory} を作成中のため、{timeout:g} 秒待って"
                                      "あきらめました。", f"lock {_hidden(directory, 'lock')}") from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def replace(directory: Path, files: dict[str, bytes], manifest_name: str,
            manifest_for: Callable[[Path], bytes], warn: Warn | None = None) -> None:
    """Under the lock: the folder ``directory`` with ``files`` (name → bytes) written over
    its earlier contents and ``manifest_for(staging)`` as its manifest, swapped in at once."""
    steps = _Steps()
    with locked(directory, warn), _os_errors(directory):
        recover(directory)
        clean_leftovers(directory)
        if directory.is_symlink() or (directory.exists() and not directory.is_dir()):
            raise OutputError(f"出力先 {directory} がフォルダではありません（リンクかファイルです）。",
                              "a real folder or nothing under that name")
        staging = _hidden(directory, f"staging-{os.getpid()}")
        steps()
        staging.mkdir()
        try:
            if directory.is_dir():
                _copy_tree(directory, staging, steps, warn)
            for name, data in files.items():
                steps()
                _write(staging / name, data)
            steps()
            _write(staging / manifest_name, manifest_for(staging))
            _fsync(staging)
            steps()
            if directory.exists():
                _exchange(staging, directory)  # staging now holds the old set
            else:
                os.rename(staging, directory)
            _fsync(directory.parent)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        steps()
        shutil.rmtree(staging, ignore_errors=True)


def recover(directory: Path) -> None:
    """After a kill between the two renames of the fallback swap: the old set back."""
    if directory.exists() or directory.is_symlink():
        return
    for old in sorted(directory.parent.glob(f".{directory.name}.old-*")):
        if old.is_dir() and not old.is_symlink():
            os.rename(old, directory)
            return


def clean_leftovers(directory: Path) -> None:
    """Staging and retired folders of earlier runs (any process: the caller holds the lock)."""
    for pattern in (f".{directory.name}.staging-*", f".{directory.name}.old-*"):
        for leftover in directory.parent.glob(pattern):
            if leftover.is_symlink() or not leftover.is_dir():
                leftover.unlink()
            else:
                shutil.rmtree(leftover)


def _exchange(a: Path, b: Path) -> None:
    """Swap the names ``a`` and ``b`` atomically; two renames where the kernel cannot."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(b))
    retired = _hidden(b, f"old-{os.getpid()}")
    os.rename(b, retired)  # a kill here leaves the old set hidden: ``recover`` puts it back
    os.rename(a, b)
    os.rename(retired, a)


def _copy_tree(source: Path, target: Path, steps: Callable[[], None], warn: Warn | None) -> None:
    """Regular files and real folders of ``source`` into ``target``; links never followed."""
    with os.scandir(source) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            here = Path(entry.path)
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISDIR(mode):
                (target / entry.name).mkdir()
                _copy_tree(here, target / entry.name, steps, warn)
            elif stat.S_ISREG(mode):
                steps()
                fd = os.open(here, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
                with os.fdopen(fd, "rb") as f:
                    _write(target / entry.name, f.read())
            elif warn:
                kind = "リンク" if stat.S_ISLNK(mode) else "特殊ファイル"
                warn(f"出力フォルダの{kind} {here} は引き継ぎません（リンクはたどりません）。")


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _fsync(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(path: Path) -> dict[str, Any]:
    """An earlier manifest's entries by path, or nothing: it is a hint, never trusted."""
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
        documents = json.loads(path.read_text(encoding="utf-8"))["documents"]
        return {e["path"]: e for e in documents if isinstance(e, dict) and isinstance(e.get("path"), str)}
    return {}


@contextlib.contextmanager
def _os_errors(directory: Path) -> Iterator[None]:
    """A file-system failure as a message: read-only, full, not permitted."""
    try:
        yield
    except OSError as exc:
        reasons = {errno.ENOSPC: "ディスクの空きがありません。", errno.EDQUOT: "ディスクの割り当てを超えました。",
                   errno.EROFS: "読み取り専用のファイルシステムです。",
                   errno.EACCES: "書き込む権限がありません。", errno.EPERM: "書き込む権限がありません。"}
        reason = reasons.get(exc.errno or 0, "書き込めませんでした。")
        raise OutputError(f"出力フォルダ {directory} に資料を保存できません: {reason}"
                          "以前の資料はそのまま残っています。",
                          f"{type(exc).__name__}: [Errno {exc.errno}] {exc.strerror}: {exc.filename}") from None
