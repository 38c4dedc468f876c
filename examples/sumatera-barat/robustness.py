"""How robust is Kota Padang Panjang's first place? Sumatera Barat's ranking under uncertainty.

Kota Padang Panjang ranks first of the 19 kabupaten/kota of Sumatera Barat in the society
dimension in 2024 (life expectancy, schooling, internet access; real BPS series, see README.md).
That rank rests on choices: the weights, the normalisation, the missing-data policy, which
indicators count. This script scores the study (``recipe.yaml``) a thousand times with those
choices drawn at random and prints, for every region, the nominal rank beside the median and the
5–95 % interval of its rank; then which single choice moves the ranking most (leave one
indicator out, switch the normalisation or the missing-data policy).

    python examples/sumatera-barat/robustness.py [--node society] [--year 2024] [--draws 1000]
        [--seed 2024] [--out ranks.csv] [--chart ranks.png] [--sensitivity]

``--out`` writes one row per region (``region, rank, rank_p05, rank_median, rank_p95`` and the
scores); ``--chart`` draws the intervals (the ``plot`` extra); ``--sensitivity`` adds first-order
and total variance-based indices (the ``sensitivity`` extra).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np

import smartcity_model as scm

HERE = Path(__file__).parent
FOCUS = "kota-padang-panjang"
#: The choices the study leaves open: every weight ±25 %; goalposts (the study's own) or a
#: peer-relative normalisation; the value carried forward (the study's own), linear interpolation
#: or no filling at all; and each indicator in turn left out.
CHOICES = scm.Uncertainty(
    weights=0.25,
    normalisation=["minmax", "zscore", "percentile"],
    missing=["linear", "coverage"],
    exclude=True,
)


def _say(message: Warning | str, category: type[Warning], *_details: object, **_more: object) -> None:
    """Print a warning as one line (what the analysis had to leave out), without the source line."""
    print(f"{category.__name__}: {message}", file=sys.stderr)


def main() -> None:
    """Run the uncertainty analysis and print the rank intervals."""
    warnings.showwarning = _say
    parser = argparse.ArgumentParser(description="Sumatera Barat: how robust is the ranking?")
    parser.add_argument("--node", default="society", help="the node ranked (default: society)")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", type=Path, help="write the ranking with its intervals to this CSV file")
    parser.add_argument("--chart", type=Path, help="draw the intervals to this PNG or SVG file")
    parser.add_argument("--sensitivity", action="store_true", help="add variance-based sensitivity indices")
    args = parser.parse_args()

    study = scm.Recipe.load(HERE / "recipe.yaml").run()
    result = scm.uncertainty(study, CHOICES, n=args.draws, seed=args.seed, keep_draws=True)
    ranking = result.ranking(args.node, args.year)
    print(f"{args.node}, {args.year}: rank of the 19 kabupaten/kota over {result.n} draws (seed {result.seed})")
    print(f"uncertain: {'; '.join(factor.name for factor in result.factors)}")
    shown = ranking[["region", "rank", "rank_p05", "rank_median", "rank_p95", "score", "score_p05", "score_p95"]]
    print(shown.round(1).to_string(index=False))

    level = result.summary.loc[result.summary["node"] == args.node, "level"].iloc[0]
    draws = result.draws(level)
    focus = draws[(draws["region"] == FOCUS) & (draws["node"] == args.node) & (draws["year"] == args.year)]
    first = float(np.mean(focus["rank"] == 1))
    row = ranking[ranking["region"] == FOCUS].iloc[0]
    print(
        f"\n{FOCUS}: nominal rank {row['rank']:.0f}; first in {first:.0%} of the draws; "
        f"5-95 % interval of its rank {row['rank_p05']:.0f}-{row['rank_p95']:.0f}"
    )

    # the discrete choices, one at a time (weights are continuous: they are left to the draws)
    table = scm.one_at_a_time(study, CHOICES.model_copy(update={"weights": 0.0}), node=args.node, year=args.year)
    print(f"\nOne choice at a time ({args.node}, {args.year}): mean and largest rank shift of the 19 regions")
    print(table.head(8).round(2).to_string(index=False))

    if args.sensitivity:
        sensitivity = scm.sensitivity(
            study, CHOICES, n=256, seed=args.seed, node=args.node, year=args.year, regions=[FOCUS]
        )
        print(f"\n{sensitivity!r}")
    if args.out is not None:
        ranking.to_csv(args.out, index=False)
        print(f"\nwrote {args.out}")
    if args.chart is not None:
        from smartcity_model import plot  # noqa: PLC0415 - the plot extra is optional

        figure = plot.rank_intervals(result, args.node, year=args.year, labels=study.names)
        if args.chart.suffix.lower() == ".svg":
            args.chart.write_text(plot.to_svg(figure), encoding="utf-8")
        else:
            plot.to_png(figure, args.chart)
        print(f"wrote {args.chart}")


if __name__ == "__main__":
    main()
