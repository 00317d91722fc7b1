"""Benchmark of ``reportgen build --all`` on 47 branches: full, unchanged, one branch changed.

Run as ``./run python scripts/benchmark_branches.py [--formats docx,xlsx,pdf] [--keep DIR]``.

The data set is generated from the samples (deterministic, ``--seed``): every one of the 47
branches gets ``R5/kpi_results.yaml`` (静岡's, each 実績 figure moved by up to ±3 ％ with the
places kept, so grades differ between branches) and ``R5/plan.yaml`` + ``R4/plan.yaml``
(埼玉's two plans, one 取組 line varied), which make kpi-results, kpi-summary and
plan-comparison: 3 documents x each format per branch.

Measured, each as a fresh ``python -m reportgen build --all`` process, one after the other:

1. full build with ``--jobs 1`` (into an empty output folder);
2. full build with ``--jobs 2`` (into another empty output folder);
3. the same build again with nothing changed (``--jobs 2``: every document skipped);
4. after one branch's ``kpi_results.yaml`` changed (``--jobs 2``): only its documents made;
   the script checks this from the manifests' input hashes.

Times are wall-clock from spawn to exit. Memory: "peak tree RSS" is the largest sum of the
resident set sizes of the build's whole process group (main process, forkserver and
workers), sampled every 50 ms from /proc; "max process RSS" is
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` read in a fresh wrapper process that ran
only that build: the high-water mark of the largest single process it waited for.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportgen.branches import BRANCHES  # noqa: E402

_ACTUAL = re.compile(r"^(?P<head>\s*actual: )(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)(?P<unit>\S*)$", re.M)


def vary(text: str, rng: random.Random) -> str:
    def one(m: re.Match[str]) -> str:
        raw = m["num"].replace(",", "")
        places = len(raw.split(".")[1]) if "." in raw else 0
        value = float(raw) * (1 + rng.uniform(-0.03, 0.03))
        shown = f"{value:,.{places}f}" if "," in m["num"] else f"{value:.{places}f}"
        return f"{m['head']}{shown}{m['unit']}"
    return _ACTUAL.sub(one, text)


def generate(root: Path, seed: int) -> None:
    rng = random.Random(seed)
    kpi = (ROOT / "data/shizuoka/R5/kpi_results.yaml").read_text(encoding="utf-8")
    for b in BRANCHES:
        (root / b.slug / "R5").mkdir(parents=True)
        (root / b.slug / "R4").mkdir(parents=True)
        (root / b.slug / "R5/kpi_results.yaml").write_text(vary(kpi, rng), encoding="utf-8")
        for year in ("R4", "R5"):
            shutil.copy(ROOT / f"data/saitama/{year}/plan.yaml", root / b.slug / year / "plan.yaml")


def tree_rss_kb(pgid: int) -> int:
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:  # pgrp
                total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024  # rss pages
        except (OSError, IndexError, ValueError):
            continue
    return total


def measure(args: list[str]) -> dict[str, float]:
    """Run one build in a fresh wrapper; wall time, peak tree RSS, max process RSS."""
    wrapper = ("import resource, subprocess, sys, json\n"
               "code = subprocess.run(sys.argv[1:]).returncode\n"
               "print(json.dumps({'code': code, 'maxrss': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}),"
               " file=sys.stderr)\n")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", wrapper, sys.executable, "-m", "reportgen", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            cwd=ROOT)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    result = json.loads(err.strip().splitlines()[-1])
    if result["code"] != 0:
        raise SystemExit(f"build failed ({result['code']}): {' '.join(args)}\n{err}")
    return {"wall_s": wall, "peak_tree_mb": peak / 1024, "max_process_mb": result["maxrss"] / 1024}


def input_hashes(out: Path) -> dict[str, str]:
    found = {}
    for manifest in sorted(out.glob("*/*/manifest.json")):
        for doc in json.loads(manifest.read_text(encoding="utf-8"))["documents"]:
            found[f"{manifest.parent.relative_to(out)}/{doc['path']}"] = doc["input_hash"]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--formats", default="docx,xlsx,pdf")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--keep", type=Path, default=None, help="generate into DIR and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="reportgen-bench-"))
    data = work / "data"
    if data.exists():
        shutil.rmtree(data)
    generate(data, args.seed)
    print(f"data: 47 branches x (R5 kpi_results + plan, R4 plan), formats {args.formats}, {os.cpu_count()} cores")
    common = ["build", "--all", "--data", str(data), "-f", args.formats]
    rows = []
    for label, jobs, out in (("full build, --jobs 1", 1, work / "out1"), ("full build, --jobs 2", 2, work / "out2")):
        shutil.rmtree(out, ignore_errors=True)
        rows.append((label, measure([*common, "--output", str(out), "--jobs", str(jobs)])))
    out = work / "out2"
    before = input_hashes(out)
    rows.append(("no change, --jobs 2", measure([*common, "--output", str(out), "--jobs", "2"])))
    changed = data / "aichi/R5/kpi_results.yaml"
    changed.write_text(changed.read_text(encoding="utf-8").replace("サービス水準の向上", "サービス水準の一層の向上"),
                       encoding="utf-8")
    rows.append(("one branch changed (aichi), --jobs 2", measure([*common, "--output", str(out), "--jobs", "2"])))
    after = input_hashes(out)
    rebuilt = sorted(k for k in after if after[k] != before.get(k))
    print(f"documents: {len(before)}")
    print(f"{'run':<40}{'wall s':>10}{'peak tree RSS MB':>20}{'max process RSS MB':>22}")
    for label, r in rows:
        print(f"{label:<40}{r['wall_s']:>10.2f}{r['peak_tree_mb']:>20.0f}{r['max_process_mb']:>22.0f}")
    full = rows[1][1]["wall_s"]
    print(f"no-change rebuild: {100 * rows[2][1]['wall_s'] / full:.1f} % of the full --jobs 2 build")
    print(f"after one change, input hashes changed for: {', '.join(rebuilt)}")
    assert rebuilt and all(k.startswith("aichi/") for k in rebuilt), rebuilt
    if args.keep is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
