"""Benchmark: 1,000 uncertainty draws on the national panel against one roll-up and a loop of roll-ups.

514 regions × 60 indicators × 10 years (about 300,000 observations, illustrative random data),
indicator → element → dimension → overall. Two sets of uncertain choices: every weight ±25 %
alone, and the weights with three normalisations, arithmetic or geometric means and one
indicator left out at a time. Reported in the same run: one ``roll_up``, ``uncertainty`` with
``--draws`` draws (its ratio to one roll-up: the draws cost less than roll-ups when the ratio is
below the number of draws), the same draws written as a Python loop of ``roll_up`` calls (timed
on ``--loop`` draws and scaled), and the peak memory the analysis allocates (tracemalloc).

    python benchmarks/bench_uncertainty.py [--regions 514] [--indicators 60] [--years 10] [--draws 1000]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd
from bench_rollup import synthetic
from timing import print_report

import smartcity_model as scm

FULL = {
    "weights": 0.25,
    "normalisation": ["zscore", "percentile"],
    "aggregation": ["geometric"],
    "nonpositive": "zero",
    "exclude": True,
}


def arguments() -> argparse.Namespace:
    """Parse the panel's size, the number of draws and how to report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=514)
    parser.add_argument("--indicators", type=int, default=60)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--loop", type=int, default=20, help="draws timed as a loop of roll_up calls")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    return parser.parse_args()


def looped(data: pd.DataFrame, structure: scm.Structure, draws: int, seed: int = 0) -> None:
    """Score ``draws`` weight draws the plain way: a new structure and a roll-up for each."""
    rng = np.random.default_rng(seed)
    nodes = structure.nodes
    below_top = nodes["level"] != structure.levels[-1]
    for _draw in range(draws):
        weights = nodes["weight"].to_numpy(dtype=float).copy()
        weights[below_top.to_numpy()] *= rng.uniform(0.75, 1.25, int(below_top.sum()))
        noisy = scm.Structure(structure.levels, nodes.assign(weight=weights), structure.specs)
        scm.roll_up(data, noisy, method="minmax").wide("overall")


def best(repeat: int, work: object) -> float:
    """Return the best wall time of ``repeat`` runs of ``work``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def peak_mb(work: object) -> float:
    """Return the peak memory ``work`` allocates, in MB (numpy's arrays included)."""
    tracemalloc.start()
    work()  # type: ignore[operator]
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    """Run the benchmark and print the timings, ratios and peak memory."""
    args = arguments()
    data, structure = synthetic(args.regions, args.indicators, args.years)
    nominal = scm.roll_up(data, structure, method="minmax")
    warnings.simplefilter("ignore", scm.ScoringWarning)  # draws that leave a node unscored are said, not timed

    def weights_only() -> scm.UncertaintyResult:
        return scm.uncertainty(nominal, n=args.draws, seed=1, weights=0.25)

    def everything() -> scm.UncertaintyResult:
        return scm.uncertainty(nominal, n=args.draws, seed=1, **FULL)

    one = best(args.repeat, lambda: scm.roll_up(data, structure, method="minmax"))
    first = best(args.repeat, weights_only)
    second = best(args.repeat, everything)
    loop = best(1, lambda: looped(data, structure, args.loop)) / args.loop * args.draws
    report = {
        "observations": len(data),
        "draws": args.draws,
        "roll_up_s": round(one, 4),
        "uncertainty_weights_s": round(first, 3),
        "uncertainty_all_choices_s": round(second, 3),
        "loop_of_roll_ups_s": round(loop, 2),
        "ratio_weights_to_one_roll_up": round(first / one, 1),
        "ratio_all_choices_to_one_roll_up": round(second / one, 1),
        "speedup_over_loop": round(loop / first, 1),
        "peak_memory_mb_weights": round(peak_mb(weights_only), 1),
        "peak_memory_mb_all_choices": round(peak_mb(everything), 1),
    }
    print_report(report, as_json=args.json)


if __name__ == "__main__":
    main()
