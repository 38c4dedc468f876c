"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Mapping


def panel_arguments(description: str) -> argparse.Namespace:
    """Parse the size of the synthetic national panel and how to report (shared by the scoring benchmarks)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--regions", type=int, default=514)
    parser.add_argument("--indicators", type=int, default=60)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    return parser.parse_args()


def scale_arguments(description: str) -> argparse.Namespace:
    """Parse ``--scale`` (a fraction of the full-size plan), ``--repeat`` and ``--json`` for the plan benchmarks."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size (default 1)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser.parse_args()


def interleaved_best(repeat: int, works: Mapping[str, Callable[[], object]]) -> dict[str, float]:
    """Return the best wall time of each work over ``repeat`` rounds that run every work in turn.

    Interleaving puts the library and its baseline under the same conditions on a machine whose
    speed drifts (a shared virtual machine); the best of several runs is the least disturbed one.
    """
    best = dict.fromkeys(works, float("inf"))
    for _ in range(repeat):
        for name, work in works.items():
            start = time.perf_counter()
            work()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def median_time(repeat: int, work: Callable[[], object]) -> float:
    """Return the median wall time of ``repeat`` runs of ``work``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def print_report(report: Mapping[str, object], *, as_json: bool) -> None:
    """Print a benchmark's results as JSON or as aligned lines."""
    if as_json:
        print(json.dumps(report))
        return
    width = max(len(key) for key in report)
    for key, value in report.items():
        print(f"{key:>{width}}: {value}")
