"""The benchmarks still run (at a tiny scale; their timings are read by people, never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_checks_benchmark_runs_and_reports_a_ratio() -> None:
    script = ROOT / "benchmarks" / "bench_checks.py"
    result = subprocess.run(  # noqa: S603 - our own script with fixed arguments
        [sys.executable, str(script), "--scale", "0.02", "--repeat", "1", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    payload = json.loads(result.stdout)
    assert payload["initiatives"] == 200
    assert payload["ratio_check_to_baseline"] > 0
    assert payload["edges"] > payload["initiatives"]
