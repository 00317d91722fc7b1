"""Hostile input (issue 15): injection, bombs, path tricks, faults, concurrency.

Every case asserts the exit status, a message naming the file and line where there is one,
no traceback, and that data/ and the earlier outputs are byte-identical afterwards.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reportgen.cli import cli
from tests.conftest import DATA, ROOT, invoke, tree_digest

KPI = "shizuoka/R5/kpi_results.yaml"
META = "shizuoka/R5/meta.yaml"
TEMPLATE = "shizuoka/templates/kpi-summary.yaml"
ARGS = ("-b", "shizuoka", "-y", "R5")


# --- helpers -------------------------------------------------------------------------------

class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it sees (it must see none)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def png(path: Path) -> Path:
    """A valid 1×1 PNG: what a file:// URL in the data would embed."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
    return path


def injection(port: int, local: Path) -> str:
    return (f"機密性2\n;}} }} table {{ background: url(http://127.0.0.1:{port}/x.png) }}\n"
            f"body {{ background: url(file://{local}) }} @page {{ x {{")


def yaml_string(text: str) -> str:
    """``text`` as a double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def line_of(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1


# --- 1. Data text never reaches CSS as syntax; nothing is fetched ---------------------------

def test_css_string_escapes_everything_that_could_end_it() -> None:
    from reportgen.writers.pdf import css_string
    hostile = 'a"b\'c\\d\ne}f{g;h<i>j)k\x0cl\u2028m'
    escaped = css_string(hostile)
    inner = escaped[1:-1]
    assert not any(ch in inner for ch in "\"'\n{};<>()\x0c\u2028")
    assert "\\A " in inner and "\\22 " in inner and "\\7D " in inner
    assert css_string("機密性2 / ページ") == '"機密性2 / ページ"'


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:1/x.png", "https://example.com/x.css", "file:///etc/passwd",
    "data:image/png;base64,iVBORw0KGgo=", "ftp://example.com/x", "file://host/etc/passwd",
])
def test_the_pdf_url_fetcher_refuses_everything_outside_the_package(url: str) -> None:
    from reportgen.writers.pdf import fetch_package_file
    with pytest.raises(ValueError, match="fetches no resource"):
        fetch_package_file(url)


def test_the_pdf_url_fetcher_serves_the_package_css() -> None:
    from reportgen.writers.pdf import HTML_DIR, fetch_package_file
    assert fetch_package_file((HTML_DIR / "document.css").as_uri()) is not None
    with pytest.raises(ValueError):
        fetch_package_file((HTML_DIR / ".." / ".." / "README.md").as_uri())


@pytest.mark.slow  # renders whole documents
def test_css_injection_in_the_page_header_fetches_nothing(
    data_copy: Path, tmp_path: Path, listener: Listener
) -> None:
    local = png(tmp_path / "local.png")
    (data_copy / META).write_text(f"confidentiality: {yaml_string(injection(listener.port, local))}\n",
                                  encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("build", *ARGS, "-r", "kpi-summary", "-f", "pdf", "--data", str(data_copy),
                    "--output", str(out))
    assert result.exit_code == 0, result.output
    pdf = (out / "shizuoka/R5/kpi-summary.pdf").read_bytes()
    assert listener.connections == 0
    assert b"/Image" not in pdf  # neither the URL nor the local file was embedded
    from tests.extract import pdf_text
    text = pdf_text(out / "shizuoka/R5/kpi-summary.pdf")
    assert "機密性2" in text and "background" in text  # the header is printed, as text


def test_a_two_line_confidentiality_keeps_the_header(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / META).write_text("confidentiality: |-\n  機密性2\n  取扱注意\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("build", *ARGS, "-r", "kpi-summary", "-f", "pdf", "--data", str(data_copy),
                    "--output", str(out))
    assert result.exit_code == 0, result.output
    from tests.extract import pdf_text
    text = pdf_text(out / "shizuoka/R5/kpi-summary.pdf")
    assert "機密性2" in text and "取扱注意" in text


def test_footer_braces_other_than_page_counters_stay_text() -> None:
    from reportgen.writers.pdf import footer_css
    css = footer_css("{page} {x) } body { color: red} ページ")
    assert css.count("counter(") == 1 and "\\7B  color" in css


# --- cases: a data set edited, a command run, a message and an exit status expected ---------

@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str | Callable[[str], str]]  # data-relative path → new text or an edit
    status: int
    expected: tuple[str, ...]  # substrings of the output; {line} is the marker's line
    marker: tuple[str, str] | None = None  # (file, text on the line the message must name)
    args: tuple[str, ...] = ARGS
    command: str = "build"
    env: dict[str, str] | None = None


def edit(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return change


def kpi_edit(old: str, new: str) -> dict[str, str | Callable[[str], str]]:
    return {KPI: edit(old, new)}


def branch_template(**values: str) -> dict[str, str | Callable[[str], str]]:
    """A branch override of the kpi-summary template setting ``values`` (YAML text)."""
    return {TEMPLATE: "".join(f"{k}: {v}\n" for k, v in values.items())}


TEMPLATE_CASES = [
    Case("template-range-1e9", branch_template(title='"{{ range(10**9) | length }}"'), 4,
         ("kpi-summary.yaml:1", "range() が長すぎます")),
    Case("template-string-repeat", branch_template(title="\"{{ 'x' * 10**10 }}\""), 4,
         ("kpi-summary.yaml:1", "繰り返しの結果が長すぎます")),
    Case("template-big-integer", branch_template(title='"{{ 10**5000 }}"'), 4,
         ("kpi-summary.yaml:1", "大きすぎます")),
    Case("template-concatenation", branch_template(
        title="\"{% set s = 'x' * 90000 %}{{ s + s }}\""), 4, ("kpi-summary.yaml:1", "連結の結果が長すぎます")),
    Case("template-lipsum", branch_template(title='"{{ lipsum(10**6) }}"'), 4,
         ("kpi-summary.yaml:1", "lipsum")),
    Case("template-division-by-zero", branch_template(title='"{{ 1 / 0 }}"'), 4,
         ("kpi-summary.yaml:1", "ZeroDivisionError")),
    Case("template-sandbox-escape", branch_template(title='"{{ \'\'.__class__.__mro__ }}"'), 4,
         ("kpi-summary.yaml:1",)),
    Case("template-orientation-css", branch_template(page='{orientation: "portrait; } body { x"}'), 4,
         ("kpi-summary.yaml:1", "page.orientation", "portrait / landscape")),
    Case("template-margin-nan", branch_template(page="{orientation: landscape, margin_mm: .nan}"), 4,
         ("kpi-summary.yaml:1", "page.margin_mm", "0 以上 60 以下")),
    Case("template-margin-text", branch_template(page="{orientation: landscape, margin_mm: 広め}"), 4,
         ("kpi-summary.yaml:1", "page.margin_mm")),
    Case("template-width-zero", {TEMPLATE: "columns:\n  - {value: measure, header: 施策, width: 0}\n"}, 4,
         ("kpi-summary.yaml:2", "columns[0].width")),
    Case("template-width-inf", {TEMPLATE: "columns:\n  - {value: measure, header: 施策, width: .inf}\n"}, 4,
         ("kpi-summary.yaml:2", "columns[0].width")),
    Case("template-alias-bomb", {TEMPLATE: "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefg", "bcdefgh", strict=True))},
        4, ("kpi-summary.yaml", "大きすぎます")),
    Case("template-tag", {TEMPLATE: "title: !!python/object/apply:os.system [ls]\n"}, 4,
         ("kpi-summary.yaml:1", "タグ")),
]


def run_cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(cli, list(args), catch_exceptions=False)


def apply(case: Case, data: Path) -> None:
    for name, change in case.files.items():
        path = data / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(change if isinstance(change, str) else change(path.read_text(encoding="utf-8")),
                        encoding="utf-8")


def check(case: Case, data: Path, output: Path) -> None:
    """Run ``case`` on ``data`` (already edited) beside ``output``; assert what every case must."""
    data_before, output_before = tree_digest(data), tree_digest(output)
    args = (*case.args, "--data", str(data))
    if case.command == "build":
        args += ("-f", "model-json", "--output", str(output))
    result = run_cli(case.command, *args, env=case.env)
    assert result.exit_code == case.status, result.output
    assert "Traceback" not in result.output
    for expected in case.expected:
        if "{line}" in expected:
            assert case.marker is not None
            file, marker = case.marker
            expected = expected.format(line=line_of((data / file).read_text(encoding="utf-8"), marker))
        assert expected in result.output, result.output
    assert tree_digest(data) == data_before
    assert tree_digest(output) == output_before


@pytest.mark.parametrize("case", TEMPLATE_CASES, ids=[c.id for c in TEMPLATE_CASES])
def test_template_bounds(case: Case, data_copy: Path, good_output: Path) -> None:
    apply(case, data_copy)
    check(case, data_copy, good_output)


@pytest.mark.slow
def test_a_template_that_never_ends_is_stopped(data_copy: Path, good_output: Path) -> None:
    loops = "{% for i in range(10000) %}{% for j in range(10000) %}{{ i }}{% endfor %}{% endfor %}"
    case = Case("template-time", branch_template(title=f'"{loops}"'), 4,
                ("kpi-summary.yaml:1", "秒以内に終わりませんでした"))
    apply(case, data_copy)
    check(case, data_copy, good_output)


# --- 2. Outputs: links, overlapping folders, faults, leftovers, manifest, locks, races -------

def build_json(data: Path, output: Path, *extra: str, env: dict[str, str] | None = None) -> Result:
    # --force: these tests are about what a build that writes does to the folder
    return run_cli("build", *ARGS, "-f", "model-json", "--force", "--data", str(data), "--output", str(output),
                   *extra, env=env)


def manifest_matches_files(folder: Path) -> bool:
    """Every document in ``folder`` is in its manifest with the sha256 of its bytes, and no other."""
    documents = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["documents"]
    listed = {e["path"]: e["sha256"] for e in documents}
    on_disk = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
               for p in folder.iterdir() if p.is_file() and p.name != "manifest.json"}
    return listed == on_disk


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """An output root with one good model-json build of shizuoka R5."""
    out = tmp_path / "out"
    result = build_json(DATA, out)
    assert result.exit_code == 0, result.output
    return out


def test_a_symlink_in_the_output_folder_is_dropped_not_followed(built: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("outside", encoding="utf-8")
    folder = built / "shizuoka/R5"
    (folder / "copied.txt").symlink_to(secret)
    (folder / "loop").symlink_to(folder / "loop")
    (folder / "dangling").symlink_to(tmp_path / "nowhere")
    (folder / "up").symlink_to(tmp_path)
    first = build_json(DATA, built)
    assert first.exit_code == 0, first.output
    assert first.output.count("引き継ぎません") == 4 and "Traceback" not in first.output
    again = build_json(DATA, built)  # and the next build is as good
    assert again.exit_code == 0 and "リンク" not in again.output
    assert sorted(p.name for p in folder.iterdir()) == [
        "kpi-results.model.json", "kpi-summary.model.json", "manifest.json"]
    assert manifest_matches_files(folder)
    assert secret.read_text(encoding="utf-8") == "outside"


@pytest.mark.parametrize("where", ["inside", "equal", "target"])
def test_output_overlapping_data_is_refused(where: str, data_copy: Path, tmp_path: Path) -> None:
    output = {"inside": data_copy / "shizuoka", "equal": data_copy, "target": tmp_path / "out"}[where]
    data = data_copy
    if where == "target":  # the data is the very folder the build would replace
        data = tmp_path / "out/shizuoka/R5/data"
        shutil.copytree(data_copy, data)
    before = tree_digest(data_copy.parent)
    result = build_json(data, output)
    assert result.exit_code == 2, result.output
    assert "重なっています" in result.output and "Traceback" not in result.output
    assert tree_digest(data_copy.parent) == before


def test_output_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("a file", encoding="utf-8")
    result = build_json(DATA, target)
    assert result.exit_code == 2 and "フォルダではありません" in result.output
    assert target.read_text(encoding="utf-8") == "a file"


@pytest.mark.parametrize("code,said", [
    (errno.ENOSPC, "ディスクの空きがありません"), (errno.EROFS, "読み取り専用"),
    (errno.EACCES, "書き込む権限がありません"), (errno.EDQUOT, "割り当て"), (errno.EIO, "書き込めませんでした"),
])
def test_a_file_system_fault_keeps_the_earlier_outputs(
    code: int, said: str, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportgen import outputs
    real = outputs._write
    calls = 0

    def failing(path: Path, data: bytes) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError(code, os.strerror(code), str(path))
        real(path, data)

    monkeypatch.setattr(outputs, "_write", failing)
    before = tree_digest(built)
    result = build_json(DATA, built)
    assert result.exit_code == 5, result.output
    assert said in result.output and "以前の資料はそのまま" in result.output and "Traceback" not in result.output
    assert tree_digest(built) == before
    assert [p.name for p in (built / "shizuoka").iterdir() if not p.name.endswith(".lock")] == ["R5"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_a_message(built: Path) -> None:
    (built / "shizuoka").chmod(0o555)
    try:
        result = build_json(DATA, built)
    finally:
        (built / "shizuoka").chmod(0o755)
    assert result.exit_code == 5 and "保存できません" in result.output


def test_leftovers_of_earlier_runs_are_cleaned_and_a_half_swap_recovered(built: Path) -> None:
    parent = built / "shizuoka"
    for leftover in (".R5.staging-99999", ".R5.old-99998"):
        (parent / leftover).mkdir()
        (parent / leftover / "x.pdf").write_bytes(b"x")
    result = build_json(DATA, built)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in parent.iterdir()) == [".R5.lock", "R5"]
    # A kill between the two renames of the fallback swap: only the hidden old set is left.
    (parent / "R5").rename(parent / ".R5.old-12345")
    result = build_json(DATA, built, "-r", "kpi-summary")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in parent.iterdir()) == [".R5.lock", "R5"]
    assert (parent / "R5/kpi-results.model.json").is_file()  # the recovered set's document kept


def test_the_manifest_is_made_from_the_files(built: Path) -> None:
    folder = built / "shizuoka/R5"
    (folder / "kpi-results.model.json").write_text("{}\n", encoding="utf-8")  # edited by hand
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["documents"].append({"kind": "x", "format": "pdf", "path": "../../../../etc/passwd",
                                  "sha256": "0" * 64, "bytes": 1})
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = build_json(DATA, built, "-r", "kpi-summary")
    assert result.exit_code == 0, result.output
    assert manifest_matches_files(folder)
    paths = [e["path"] for e in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["documents"]]
    assert paths == ["kpi-results.model.json", "kpi-summary.model.json"]


def test_a_second_build_waits_for_the_lock_then_gives_up(built: Path) -> None:
    from reportgen.errors import OutputError
    from reportgen.outputs import locked
    folder = built / "shizuoka/R5"
    said: list[str] = []
    with locked(folder), pytest.raises(OutputError, match="待って"), locked(folder, said.append, timeout=0.3):
        pass
    assert said and "待ちます" in said[0]
    with locked(folder):  # released by the holder's close
        pass


def subprocess_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def build_command(data: Path, output: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "reportgen", "build", *ARGS, "-f", "model-json", "--force",
            "--data", str(data), "--output", str(output), *extra]


@pytest.mark.slow
def test_a_kill_at_every_step_of_the_swap_leaves_the_old_or_the_new_set(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "out"
    assert subprocess.run(build_command(data_copy, out), capture_output=True).returncode == 0
    folder = out / "shizuoka/R5"
    saved = tmp_path / "old-set"
    shutil.copytree(folder, saved)
    old = tree_digest(folder)
    (data_copy / KPI).write_text((data_copy / KPI).read_text(encoding="utf-8").replace(
        "サービス水準の向上", "サービス水準の一層の向上"), encoding="utf-8")
    new: dict[str, str] | None = None
    after_kill: list[dict[str, str]] = []
    killed = 0
    for step in range(1, 40):
        how = "TERM" if step % 4 == 0 else "KILL"  # a scheduler's timeout now and then
        run = subprocess.run(build_command(data_copy, out), capture_output=True, text=True,
                             env=subprocess_env(REPORTGEN_TEST_KILL_AT_STEP=f"{step}:{how}"))
        assert "Traceback" not in run.stderr
        now = tree_digest(folder)
        assert manifest_matches_files(folder), step
        if run.returncode == 0:  # past the last step: the new set, complete
            new = now
            break
        assert run.returncode == -getattr(signal, f"SIG{how}"), run.stderr
        killed += 1
        after_kill.append(now)
        shutil.rmtree(folder)  # the old set again, leaving the killed run's leftovers
        shutil.copytree(saved, folder)
    assert new is not None and new != old and killed >= 8
    assert all(state in (old, new) for state in after_kill)  # each kill: the old or the new set
    assert old in after_kill and new in after_kill  # both sides of the swap were hit
    assert sorted(p.name for p in folder.parent.iterdir()) == [".R5.lock", "R5"]


@pytest.mark.slow
def test_builds_racing_on_one_folder_all_complete(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runs = [subprocess.Popen(build_command(DATA, out, *extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=subprocess_env())
            for extra in (("-r", "kpi-results"), ("-r", "kpi-summary"), ("-r", "kpi-summary", "-f", "xlsx"))]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode()
    folder = out / "shizuoka/R5"
    assert sorted(p.name for p in folder.iterdir()) == [
        "kpi-results.model.json", "kpi-summary.model.json", "kpi-summary.xlsx", "manifest.json"]
    assert manifest_matches_files(folder)


# --- 3-5. Data: bounds, characters, tags, syntax, messages -----------------------------------

TITLE = "    title: サービス水準の向上\n"
ACTUAL = "        actual: 98.7％\n"
INDICATOR = "        indicator: サービススタンダード達成状況\n"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefg", "bcdefgh", strict=True))
M = ("kpi_results.yaml:{line}",)


def at(marker: str, file: str = KPI) -> tuple[str, str]:
    return (file, marker)


DATA_CASES = [
    # bounds
    Case("alias-bomb", {KPI: BOMB}, 3, ("kpi_results.yaml", "大きすぎます")),
    Case("alias-recursive", {KPI: "grading: &a [1, *a]\n"}, 3, ("kpi_results.yaml:1", "自分自身を含んで")),
    Case("alias-many", {KPI: "a: &a x\nb: [" + ", ".join(["*a"] * 150) + "]\n"}, 3,
         ("kpi_results.yaml:2", "別名（*名前）が多すぎます")),
    Case("nesting-deep", {KPI: "a: " + "[" * 200 + "]" * 200 + "\n"}, 3, ("kpi_results.yaml:1", "入れ子が深すぎます")),
    Case("nesting-deep-block", {KPI: "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "x\n"}, 3,
         ("kpi_results.yaml", "入れ子が深すぎます")),
    Case("file-too-large", {KPI: "# " + "x" * (5 * 1024 * 1024) + "\n"}, 3, ("kpi_results.yaml", "大きすぎます")),
    Case("figure-28-digits", kpi_edit(ACTUAL, "        actual: 1234567890123456789012345678901％\n"), 3,
         (*M, "桁が多すぎます"), at("1234567890123456789012345678901")),
    Case("figure-huge-exponent-like", kpi_edit(ACTUAL, "        actual: 9" + "9" * 40 + ".5％\n"), 3,
         (*M, "桁が多すぎます"), at("99999999999")),
    # characters and tags, after escapes are decoded
    Case("escape-x01", kpi_edit(TITLE, '    title: "サービス\\x01水準"\n'), 3, (*M, "U+0001"), at("\\x01")),
    Case("escape-x0b", kpi_edit(TITLE, '    title: "サービス\\x0b水準"\n'), 3, (*M, "U+000B"), at("\\x0b")),
    Case("escape-ufffe", kpi_edit(TITLE, '    title: "サービス\\uFFFE水準"\n'), 3, (*M, "U+FFFE"), at("\\uFFFE")),
    Case("escape-uffff", kpi_edit(TITLE, '    title: "サービス\\uFFFF水準"\n'), 3, (*M, "U+FFFF"), at("\\uFFFF")),
    Case("escape-lone-surrogate", kpi_edit(TITLE, '    title: "サービス\\uD800水準"\n'), 3, (*M, "U+D800"),
         at("\\uD800")),
    Case("escape-c1", kpi_edit(TITLE, '    title: "サービス\\x85水準"\n'), 3, (*M, "U+0085"), at("\\x85")),
    Case("raw-control", kpi_edit(TITLE, "    title: サービス\x1b水準\n"), 3, (*M, "制御文字 U+001B"), at("\x1b")),
    Case("tag-python-apply", kpi_edit(TITLE, "    title: !!python/object/apply:os.system [ls]\n"), 3,
         (*M, "タグ「!!python/object/apply:os.system」"), at("!!python")),
    Case("tag-python-name", kpi_edit(TITLE, "    title: !!python/name:os.system ''\n"), 3, (*M, "タグ"),
         at("!!python")),
    Case("tag-local", kpi_edit(TITLE, "    title: !secret abc\n"), 3, (*M, "タグ「!secret」"), at("!secret")),
    Case("tag-binary", kpi_edit(TITLE, "    title: !!binary aGVsbG8=\n"), 3, (*M, "タグ「!!binary」"), at("!!binary")),
    Case("complex-key", kpi_edit(TITLE, "    ? [a, b]\n    : c\n" + TITLE), 3, (*M, "項目名は一つの文字列"),
         at("? [a, b]")),
    Case("whitespace-only-text", kpi_edit(INDICATOR, '        indicator: "  \\u3000 "\n'), 3,
         (*M, "空白だけです"), at('indicator: "')),
    Case("data-file-is-a-folder", {}, 3, ("kpi_results.yaml", "フォルダです")),
    Case("not-utf8", {}, 3, ("kpi_results.yaml", "UTF-8 で保存されていません")),
    # syntax, in Japanese, where the construct starts
    Case("unterminated-quote", kpi_edit(TITLE, '    title: "サービス水準の向上\n'), 3,
         (*M, "引用符", "行目まで一つの文字列"), at('title: "サービス')),
    Case("bad-indent", kpi_edit(TITLE, "   title: サービス水準の向上\n"), 3, ("kpi_results.yaml:", "字下げ")),
    Case("unquoted-colon", kpi_edit(TITLE, "    title: 説明: ここ\n"), 3, (*M, "引用符"), at("説明: ここ")),
    Case("colon-in-list-item", kpi_edit("    plan:\n", "    plan:\n      - 注: 郵送\n"), 3,
         (*M, "「名前: 値」と読まれました"), at("注: 郵送")),
    Case("tab-indent", kpi_edit(TITLE, "\ttitle: サービス水準の向上\n"), 3, ("kpi_results.yaml:", "タブ")),
    Case("unclosed-bracket", kpi_edit(TITLE, "    title: [サービス\n"), 3, ("kpi_results.yaml:", "[ ]")),
    Case("undefined-alias", kpi_edit(TITLE, "    title: *nowhere\n"), 3, (*M, "アンカー"), at("*nowhere")),
    Case("bad-escape", kpi_edit(TITLE, '    title: "a\\qb"\n'), 3, (*M, "\\"), at('"a\\qb"')),
    # meaning
    Case("unclosed-target", kpi_edit("{target}とする", "{targetとする"), 3, (*M, "{ } の組が閉じられていません"),
         at("{targetとする")),
    Case("misspelt-key", kpi_edit(INDICATOR, INDICATOR.replace("indicator", "indicatr")), 3,
         (*M, "「indicator」の誤りではありませんか"), at("indicatr")),
    Case("misspelt-top-key", kpi_edit("grading:", "gradng:"), 3,
         ("kpi_results.yaml:8", "「grading」の誤りではありませんか")),
    Case("meta-date-1800", {META: "council:\n  number: 5\n  date: 1800-01-01\n"}, 3,
         ("meta.yaml:3", "council.date", "和暦に変換できません")),
    Case("meta-misspelt-confidentiality", {META: "confidentialty: 機密性2\n"}, 3,
         ("meta.yaml:1", "「confidentiality」の誤りではありませんか")),
    Case("meta-multiline-ok-but-tag", {META: "confidentiality: !!str |-\n  機密性2\n  x\ntitle: !x y\n"}, 3,
         ("meta.yaml:4", "タグ「!x」")),
    # arguments and environment
    Case("year-8000", {}, 2, ("令和8000年度", "扱えません"), args=("-b", "shizuoka", "-y", "令和8000年度")),
    Case("year-99999", {}, 2, ("99999",), args=("-b", "shizuoka", "-y", "99999")),
    Case("source-date-epoch-text", {}, 2, ("SOURCE_DATE_EPOCH", "abc"), env={"SOURCE_DATE_EPOCH": "abc"}),
    Case("source-date-epoch-huge", {}, 2, ("SOURCE_DATE_EPOCH",), env={"SOURCE_DATE_EPOCH": "9" * 30}),
    Case("missing-required-file", {}, 3, ("plan.yaml", "ファイルがありません", "docs/data-format.md"),
         args=(*ARGS, "-r", "plan-budget")),
]


@pytest.mark.parametrize("case", DATA_CASES, ids=[c.id for c in DATA_CASES])
def test_hostile_data(case: Case, data_copy: Path, good_output: Path) -> None:
    apply(case, data_copy)
    if case.id == "data-file-is-a-folder":
        (data_copy / KPI).unlink()
        (data_copy / KPI).mkdir()
    if case.id == "not-utf8":
        (data_copy / KPI).write_bytes("grading: 2段階\n".encode("shift_jis"))
    if case.id == "source-date-epoch-text" or case.id == "source-date-epoch-huge":
        case = Case(case.id, {}, case.status, case.expected, args=(*ARGS, "-f", "xlsx"), env=case.env)
    check(case, data_copy, good_output)


def test_a_data_file_that_cannot_be_read_is_a_message(
    data_copy: Path, good_output: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "kpi_results.yaml" and sys._getframe(1).f_globals["__name__"].startswith("reportgen."):
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    check(Case("unreadable", {}, 3, ("kpi_results.yaml", "読む権限がありません")), data_copy, good_output)


def test_full_width_choices_are_read_in_nfkc(data_copy: Path) -> None:
    apply(Case("", kpi_edit("grading: 2段階", "grading: ３段階"), 0, ()), data_copy)
    result = run_cli("validate", *ARGS, "--data", str(data_copy))
    assert result.exit_code == 0, result.output


def test_nfd_and_nfc_titles_are_one_row_group(data_copy: Path) -> None:
    import unicodedata

    from reportgen.branches import get_branch
    from reportgen.build import load_for
    from reportgen.wareki import parse_fiscal_year
    text = (data_copy / KPI).read_text(encoding="utf-8")
    title = "サービス水準の向上"  # ビ and ス: NFD splits the voiced mark
    assert unicodedata.normalize("NFD", title) != title
    (data_copy / KPI).write_text(text.replace(TITLE, f"    title: {unicodedata.normalize('NFD', title)}\n", 1),
                                 encoding="utf-8")
    data = load_for(data_copy, get_branch("shizuoka"), parse_fiscal_year("R5"), ["kpi-summary"])
    assert data.kpi_results is not None and data.kpi_results.sections[0].title == title


def test_a_quote_left_open_at_the_end_names_its_line(data_copy: Path, good_output: Path) -> None:
    case = Case("quote-open-at-end", {KPI: lambda t: t + '      - "最後の行\n'}, 3, (*M, "引用符"),
                at('- "最後の行'))
    apply(case, data_copy)
    check(case, data_copy, good_output)


# --- 6. Fonts and locale; no file read outside the project and the system ---------------------

EMPTY_FONTCONFIG = '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig></fontconfig>\n'


@pytest.mark.parametrize("command", ["validate", pytest.param("build", marks=pytest.mark.slow)])
def test_missing_fonts_are_named_with_the_package_to_install(command: str, tmp_path: Path) -> None:
    config = tmp_path / "fonts.conf"
    config.write_text(EMPTY_FONTCONFIG, encoding="utf-8")
    args = [sys.executable, "-m", "reportgen", command, *ARGS, "--data", str(DATA)]
    if command == "build":
        args += ["-r", "kpi-summary", "-f", "pdf", "--output", str(tmp_path / "out")]
    run = subprocess.run(args, capture_output=True, text=True, timeout=120,
                         env=subprocess_env(FONTCONFIG_FILE=str(config)))
    assert run.returncode == 5, run.stderr
    assert "BIZ UDGothic がインストールされていません" in run.stderr
    assert "apt-get install fonts-morisawa-bizud-gothic" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_the_pdf_bytes_do_not_depend_on_the_locale(tmp_path: Path) -> None:
    digests = set()
    for i, env in enumerate(({"LANG": "C", "LC_ALL": "C"}, {"LANG": "ja_JP.UTF-8", "LC_ALL": "ja_JP.UTF-8"},
                             {"LANG": "C.UTF-8", "TZ": "Asia/Tokyo"})):
        out = tmp_path / str(i)
        run = subprocess.run([*build_command(DATA, out, "-r", "kpi-summary"), "-f", "pdf"], capture_output=True,
                             text=True, timeout=300, env=subprocess_env(**env))
        assert run.returncode == 0, run.stderr
        digests.add(hashlib.sha256((out / "shizuoka/R5/kpi-summary.pdf").read_bytes()).hexdigest())
    assert len(digests) == 1


AUDIT = '''
import os, sys, tempfile
allowed = [os.path.realpath(p) for p in sys.argv[1].split(os.pathsep)]
temp = os.path.realpath(tempfile.gettempdir())
outside = []

def own_temporary(path):  # tempfile's probe of the temporary folder (and its own files)
    return path == temp or os.path.dirname(path) == temp and os.path.basename(path).startswith("tmp")

def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        path = os.path.realpath(os.path.abspath(os.fsdecode(args[0])))
        if not any(path == a or path.startswith(a + os.sep) for a in allowed) and not own_temporary(path):
            outside.append(path)

sys.addaudithook(hook)
from reportgen.cli import main
try:
    main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
print("OUTSIDE", sorted(set(outside)), file=sys.stderr)
sys.exit(code if not outside else 99)
'''


@pytest.mark.slow
def test_a_pdf_build_of_hostile_data_reads_no_file_outside(
    data_copy: Path, tmp_path: Path, listener: Listener
) -> None:
    """An audit hook sees every file Python opens (WeasyPrint's fetcher included); fonts
    are opened by fontconfig in C, from the system font folders."""
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    local = png(secret / "local.png")
    image = yaml_string(f'<img src="file://{local}">')
    (data_copy / META).write_text(f"confidentiality: {yaml_string(injection(listener.port, local))}\n"
                                  f"title: {image}\n", encoding="utf-8")
    out = tmp_path / "out"
    allowed = [str(ROOT), str(data_copy), str(out), sys.prefix, sys.base_prefix, sys.exec_prefix,
               "/usr/lib", "/usr/share/fonts", "/etc/fonts", "/var/cache/fontconfig", "/usr/share/zoneinfo",
               "/etc/localtime", "/dev/null", str(Path.home() / ".cache" / "fontconfig"), "/usr/share/poppler",
               "/etc/ssl", "/usr/share/fontconfig", "/etc/mime.types"]
    before = tree_digest(data_copy)
    run = subprocess.run([sys.executable, "-c", AUDIT, os.pathsep.join(allowed), "build", *ARGS, "-r",
                          "kpi-summary", "-f", "pdf", "--data", str(data_copy), "--output", str(out)],
                         capture_output=True, text=True, timeout=300, env=subprocess_env())
    assert run.returncode == 0, run.stderr
    assert listener.connections == 0
    assert tree_digest(data_copy) == before


def test_ampersands_in_the_xlsx_header_are_text_not_codes() -> None:
    import io

    import openpyxl

    from reportgen.document import Document, para
    from reportgen.writers import WRITERS, WriterOptions
    doc = Document("test", "テスト", (para("本文"),), header_lines=("R&D &Z &F", "二行目\n三行目"),
                   legend="凡例 &P")
    ws = openpyxl.load_workbook(io.BytesIO(WRITERS["xlsx"](doc, WriterOptions()).data)).active
    assert ws is not None
    assert ws.oddHeader.right.text == "R&&D &&Z &&F　二行目　三行目"
    assert ws.oddHeader.left.text == "凡例 &&P"


def test_five_mistakes_in_one_file_are_reported_in_one_run(data_copy: Path, good_output: Path) -> None:
    """Shape and meaning problems together: an item with a shape problem is set aside and
    the rest of the file is still checked."""
    edits = [
        ("grading: 2段階\n", "grading: 4段階\n", "grading: 4段階", "grading: 「4段階」は使えない値です"),
        ("        indicator: サービススタンダード達成状況\n", "        indicatr: サービススタンダード達成状況\n",
         "indicatr:", "sections[0].kpis[0].indicatr: この項目は使えません。「indicator」の誤りではありませんか"),
        ("        actual: 98.7％\n", "        actual: 九十八点六\n", "actual: 九十八点六",
         "sections[0].kpis[1].actual: 「九十八点六」は数値ではありません"),
        ("        actual: 0.54％\n", "        actual: 0.54円\n", "      - id: judo-therapy-claim-rate",
         "sections[2].kpis[0]: 単位がそろっていません"),
        ("      - id: overpayment-recovery-rate\n", "      - id: card-collection-rate\n",
         "      - id: overpayment-recovery-rate", "sections[7].kpis[1].id: id「card-collection-rate」が重複しています"),
    ]
    path = data_copy / KPI
    original = text = path.read_text(encoding="utf-8")
    for old, new, _, _ in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    expected = ["データに 5 件の誤りがあります"]
    for _, _, marker, said in edits:  # the edits keep every line where it was
        expected.append(f"kpi_results.yaml:{line_of(original if marker in original else text, marker)}: {said}")
    check(Case("five-mistakes", {}, 3, tuple(expected), command="validate", args=ARGS), data_copy, good_output)


def test_a_quarterly_cell_may_be_text_as_the_data_format_says(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA / "saitama", data / "saitama")
    path = data / "saitama/R2/progress/Q3.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("              - 5,089件\n            total: 13,845件\n",
                        "              - 集計中\n            total: 13,845件\n", 1)
    text = text.replace("              - 3,134件\n", "              - －\n", 1)
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "-b", "saitama", "-y", "R2", "-r", "progress", "-f", "model-json", "--data", str(data),
                     "--output", str(out))
    assert result.exit_code == 0, result.output
    model = (out / "saitama/R2/progress-Q3.model.json").read_text(encoding="utf-8")
    assert "集計中" in model and "13,845件" in model  # the typed 合計 printed where none is computed


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KB tmpfs, where mounting is allowed (root in a container); skipped elsewhere."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    try:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                                 capture_output=True, check=False).returncode == 0
    except OSError:
        mounted = False
    if not mounted:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_keeps_the_earlier_outputs(tiny_disk: Path) -> None:
    first = build_json(DATA, tiny_disk, "-r", "kpi-summary")
    assert first.exit_code == 0, first.output
    before = tree_digest(tiny_disk)
    result = build_json(DATA, tiny_disk)  # kpi-results.model.json alone is about 240 KB
    assert result.exit_code == 5, result.output
    assert "ディスクの空きがありません" in result.output and "Traceback" not in result.output
    assert tree_digest(tiny_disk) == before
    assert sorted(p.name for p in (tiny_disk / "shizuoka").iterdir()) == [".R5.lock", "R5"]


def test_a_read_only_disk_keeps_the_earlier_outputs(tiny_disk: Path) -> None:
    first = build_json(DATA, tiny_disk, "-r", "kpi-summary")
    assert first.exit_code == 0, first.output
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    before = tree_digest(tiny_disk)
    result = build_json(DATA, tiny_disk, "-r", "kpi-summary")
    assert result.exit_code == 5, result.output
    assert "読み取り専用" in result.output and "Traceback" not in result.output
    assert tree_digest(tiny_disk) == before
