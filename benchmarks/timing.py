"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Mapping


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
