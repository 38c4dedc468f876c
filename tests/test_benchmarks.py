"""The benchmarks still run (at a tiny scale; their timings are read by people, never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[1]


def run(script: str, *arguments: str) -> dict[str, Any]:
    """Run a benchmark with ``--repeat 1 --json`` and return what it reports."""
    result = subprocess.run(  # noqa: S603 - our own script with fixed arguments
        [sys.executable, str(ROOT / "benchmarks" / script), *arguments, "--repeat", "1", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_checks_benchmark_runs_and_reports_a_ratio() -> None:
    payload = run("bench_checks.py", "--scale", "0.02")
    assert payload["initiatives"] == 200
    assert payload["ratio_check_to_baseline"] > 0
    assert payload["edges"] > payload["initiatives"]


def test_rollup_benchmark_agrees_with_numpy_and_reports_ratios() -> None:
    payload = run("bench_rollup.py", "--regions", "12", "--indicators", "20", "--years", "3")
    assert payload["observations"] == round(12 * 20 * 3 * 0.95)
    assert payload["ratio_roll_up_to_numpy"] > 0


def test_recipe_benchmark_agrees_with_numpy_and_reports_a_ratio() -> None:
    payload = run("bench_recipe.py", "--regions", "30", "--indicators", "24", "--years", "3")
    assert payload["observations"] == round(30 * 24 * 3 * 0.95)
    assert payload["ratio_recipe_to_numpy"] > 0
    assert sum(payload["treated"].values()) == 24


def test_io_benchmark_reports_ratios_against_libyaml() -> None:
    payload = run("bench_io.py", "--scale", "0.005")
    assert payload["initiatives"] == 50
    assert payload["ratio_load_to_libyaml"] > 0
    assert payload["ratio_save_to_libyaml"] > 0
    assert payload["growth_load_2n_to_n"] > 0


def test_country_benchmark_loads_checks_and_rolls_up_every_plan() -> None:
    payload = run("bench_country.py", "--provinces", "2", "--regions", "9", "--initiatives", "5", "--workers", "2")
    assert payload["plans"] == 9
    assert payload["provinces_rolled_up"] == 2
    assert payload["peak_memory_mb"] > 0
    assert payload["ratio_load_many_to_libyaml_parse"] > 0


def test_roadmap_benchmark_reports_ratios_and_solver_times() -> None:
    payload = run("bench_roadmap.py", "--scale", "0.1")
    assert payload["initiatives"] == 1000
    assert payload["ratio_schedule_to_baseline"] > 0
    assert payload["prioritise_exact_s_at_100"] > 0
    assert payload["prioritise_exact_s_at_10"] > 0
    assert payload["gap_at_100"] <= 1e-6  # HiGHS proves its choice optimal at this size
    assert payload["gap_exact"] <= 1e-4  # the full size is solved to this tolerance
    assert payload["gap_greedy"] >= 0


def test_uncertainty_benchmark_reports_ratios_and_peak_memory() -> None:
    payload = run(
        "bench_uncertainty.py", "--regions", "12", "--indicators", "20", "--years", "3", "--draws", "40", "--loop", "4"
    )
    assert payload["draws"] == 40
    assert payload["observations"] == round(12 * 20 * 3 * 0.95)
    # the ratios are the times printed beside them (rounded as printed)
    ratio = payload["uncertainty_weights_s"] / payload["roll_up_s"]
    assert abs(payload["ratio_weights_to_one_roll_up"] - ratio) <= 0.1 * ratio
    assert payload["ratio_all_choices_to_one_roll_up"] > 0
    assert payload["speedup_over_loop"] > 0
    assert payload["peak_memory_mb_all_choices"] > 0
