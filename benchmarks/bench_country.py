"""Benchmark: a whole country of masterplans loaded, checked and rolled up, with time and memory.

Writes ``scm.write_synthetic_country`` (38 provinces, 514 kabupaten/kota, each with about 40
OPDs, 60 indicators, 120 initiatives and ten years of observations) once, then times:

- ``scm.load_many`` on the tree (in parallel processes, and in one process for comparison)
  against parsing the same files with PyYAML's libyaml loader and the csv module in one process,
  as a user would (the cycle collector on) and with the collector paused as ``load_many`` does;
- ``PlanSet.check`` (every plan's consistency checks);
- ``PlanSet.roll_up_province`` for each of the 38 provinces.

The peak memory is this process's high-water mark (resident set) after the whole run, and the
largest of the worker processes'.

    python benchmarks/bench_country.py
    python benchmarks/bench_country.py --provinces 3 --regions 20 --folder /tmp/country
"""

from __future__ import annotations

import argparse
import csv
import gc
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from timing import print_report

import smartcity_model as scm


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    """Run ``work`` once; return its result and the wall time in seconds."""
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def libyaml_parse(paths: list[Path]) -> int:
    """Parse every plan's files with libyaml and csv (no validation); return the items read."""
    items = 0
    for folder in paths:
        for name in ("masterplan.yaml", "opds.yaml", "indicators.yaml", "initiatives.yaml"):
            data = yaml.load((folder / name).read_text("utf-8"), Loader=yaml.CSafeLoader)
            items += len(data)
        with (folder / "observations.csv").open(encoding="utf-8", newline="") as handle:
            items += sum(1 for _ in csv.DictReader(handle))
    return items


def roll_up_all(plans: scm.PlanSet, provinces: list[str]) -> dict[str, scm.ProvinceReadiness]:
    """Score every province, population-weighted, with the smart-province rule at 80%."""
    options: dict[str, Any] = {"missing": "locf", "weights": "population", "share": 0.8}
    return {province: plans.roll_up_province(province, **options) for province in provinces}


def peak_megabytes(who: int) -> float:
    """Return the peak resident memory of this process or of its largest child, in megabytes."""
    peak = resource.getrusage(who).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def run(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    """Write the tree if needed, then load, check and roll it up, timing each step."""
    sizes = {"provinces": args.provinces, "regions": args.regions, "initiatives": args.initiatives}
    written = 0.0
    if not root.exists() or not scm.find_plans(root):
        _, written = timed(lambda: scm.write_synthetic_country(root, **sizes))
    plans, loading = timed(lambda: scm.load_many(root, workers=args.workers, progress=not args.json))
    plans.raise_for_errors()
    reports, checking = timed(plans.check)
    provinces = sorted(str(name) for name in plans.provinces())
    rolled, rolling = timed(partial(roll_up_all, plans, provinces))
    memory = peak_megabytes(resource.RUSAGE_SELF)
    workers_memory = peak_megabytes(resource.RUSAGE_CHILDREN)
    counts = {
        "plans": len(plans),
        "initiatives_total": sum(len(plan.initiatives) for plan in plans.values()),
        "observations_total": sum(len(plan.observations) for plan in plans.values()),
        "findings_total": sum(len(report.findings) for report in reports.values()),
    }
    del plans, reports, rolled  # the comparisons below start from the same empty heap
    gc.collect()
    _, serial = timed(lambda: scm.load_many(root, workers=1, progress=False))
    gc.collect()
    paths = scm.find_plans(root)
    _, parsing = timed(lambda: libyaml_parse(paths))
    gc.disable()  # as load_many does while it builds the plans
    try:
        _, parsing_paused = timed(lambda: libyaml_parse(paths))
    finally:
        gc.enable()
    return {
        **sizes,
        **counts,
        "megabytes_on_disk": round(sum(f.stat().st_size for p in paths for f in p.iterdir()) / 1e6, 1),
        "write_s": round(written, 2),
        "load_many_s": round(loading, 2),
        "load_many_one_process_s": round(serial, 2),
        "libyaml_parse_s": round(parsing, 2),
        "libyaml_parse_paused_gc_s": round(parsing_paused, 2),
        "check_s": round(checking, 2),
        "roll_up_provinces_s": round(rolling, 2),
        "total_load_check_roll_up_s": round(loading + checking + rolling, 2),
        "provinces_rolled_up": len(provinces),
        "peak_memory_mb": memory,
        "peak_memory_worker_mb": workers_memory,
        "ratio_load_many_to_libyaml_parse": round(loading / parsing, 2),
        "ratio_one_process_to_libyaml_parse": round(serial / parsing, 2),
        "ratio_load_many_to_libyaml_parse_paused_gc": round(loading / parsing_paused, 2),
        "ratio_one_process_to_libyaml_parse_paused_gc": round(serial / parsing_paused, 2),
    }


def main() -> None:
    """Run the benchmark and print the timings, the memory and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=38)
    parser.add_argument("--regions", type=int, default=514)
    parser.add_argument("--initiatives", type=int, default=120)
    parser.add_argument("--workers", type=int, default=None, help="processes (default: one per CPU)")
    parser.add_argument("--folder", type=Path, default=None, help="where the tree is (written if absent)")
    parser.add_argument("--repeat", type=int, default=1, help="accepted for symmetry; the run is timed once")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    if args.folder is not None:
        result = run(args, args.folder)
    else:
        with tempfile.TemporaryDirectory() as temporary:
            result = run(args, Path(temporary) / "country")
    print_report(result, as_json=args.json)


if __name__ == "__main__":
    main()
