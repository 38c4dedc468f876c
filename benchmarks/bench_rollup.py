"""Benchmark: a national-scale roll-up against the same arithmetic written by hand in numpy.

514 regions × 60 indicators × 10 years (about 300,000 observations, 5 % missing), four levels
(indicator → element → dimension → overall), goalpost normalisation, weighted arithmetic means
with coverage. ``roll_up`` is timed against a hand-written numpy computation of the same numbers
in the same run, and the two results are checked to agree.

    python benchmarks/bench_rollup.py [--regions 514] [--indicators 60] [--years 10]
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from timing import median_time, panel_arguments, print_report

import smartcity_model as scm

FloatArray = npt.NDArray[np.float64]
#: Share of indicators where lower is better.
LOWER_SHARE = 0.3


def synthetic(regions: int, indicators: int, years: int, seed: int = 0) -> tuple[pd.DataFrame, scm.Structure]:
    """Return a random tidy table and its structure on the built-in framework (illustrative data)."""
    rng = np.random.default_rng(seed)
    framework = scm.builtin_framework()
    elements = [e.id for e in framework.elements]
    specs = []
    for n in range(indicators):
        direction = "lower" if rng.random() < LOWER_SHARE else "higher"
        specs.append(
            scm.Indicator(
                id=f"ind-{n:03d}",
                name=f"Indicator {n}",
                unit="percent",
                element=elements[n % len(elements)],
                direction=scm.Direction(direction),
                weight=float(rng.uniform(0.5, 2)),
                normalisation=scm.Goalposts(min=0, max=100),
            )
        )
    structure = scm.Structure.from_framework(framework, specs)
    grid = pd.MultiIndex.from_product(
        [[f"region-{r:03d}" for r in range(regions)], range(2015, 2015 + years), [s.id for s in specs]],
        names=["region", "year", "indicator"],
    ).to_frame(index=False)
    grid["value"] = rng.uniform(-10, 110, len(grid))
    return grid.sample(frac=0.95, random_state=seed).reset_index(drop=True), structure


def by_hand(data: pd.DataFrame, structure: scm.Structure, min_coverage: float = 0.65) -> list[FloatArray]:
    """Compute the same roll-up in plain numpy: pivot, goalposts, then weighted means with coverage."""
    indicators = list(structure.indicators)
    region, _ = pd.factorize(data["region"], sort=True)
    year, years = pd.factorize(data["year"], sort=True)
    column = pd.Index(indicators).get_indexer(pd.Index(data["indicator"]))
    unit = region * len(years) + year
    seen = np.bincount(unit) > 0
    row = (np.cumsum(seen) - 1)[unit]
    matrix = np.full((int(seen.sum()), len(indicators)), np.nan)
    matrix[row, column] = data["value"].to_numpy()
    lower = np.array([structure.spec(i).direction is scm.Direction.LOWER for i in indicators])
    scores = np.clip(np.where(lower, 100 - matrix, matrix), 0, 100)
    coverage = (~np.isnan(scores)).astype(float)
    levels = [scores]
    for lower_level in structure.levels[:-1]:
        weights, _ = structure.membership(lower_level)
        present = ~np.isnan(scores)
        present_weight = present @ weights
        coverage = np.where(present, coverage, 0.0) @ weights / weights.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = np.where(present, scores, 0.0) @ weights / present_weight
        scores = np.where((present_weight > 0) & (coverage >= min_coverage), scores, np.nan)
        levels.append(scores)
    return levels


def main() -> None:
    """Run the benchmark and print the timings and the ratio."""
    args = panel_arguments(__doc__.splitlines()[0])
    data, structure = synthetic(args.regions, args.indicators, args.years)
    result = scm.roll_up(data, structure)
    expected = by_hand(data, structure)
    for level, matrix in zip(structure.levels, expected, strict=True):
        np.testing.assert_allclose(result.levels[level].score, matrix, rtol=1e-12, atol=1e-9)
    ours = median_time(args.repeat, lambda: scm.roll_up(data, structure))
    tidy = median_time(args.repeat, lambda: scm.roll_up(data, structure).scores)
    baseline = median_time(args.repeat, lambda: by_hand(data, structure))
    report = {
        "observations": len(data),
        "roll_up_s": round(ours, 4),
        "roll_up_with_tidy_scores_s": round(tidy, 4),
        "numpy_by_hand_s": round(baseline, 4),
        "ratio_roll_up_to_numpy": round(ours / baseline, 2),
        "ratio_with_tidy_scores": round(tidy / baseline, 2),
    }
    print_report(report, as_json=args.json)


if __name__ == "__main__":
    main()
