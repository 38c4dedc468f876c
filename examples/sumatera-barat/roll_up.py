"""Sumatera Barat toward a smart province: roll up its 19 kabupaten/kota from real statistics.

Reads the BPS and Ombudsman series of the 12 kabupaten and 7 kota (2019-2024), scores them on the
Gerakan Menuju 100 Smart City framework with population weights, applies the smart-province rule
(the province reaches a level in a dimension only when a share of its regions do) and prints
which regions and dimensions hold Sumatera Barat back.

    python examples/sumatera-barat/roll_up.py [--share 0.8] [--year 2024]

Only four of the six dimensions have data here (governance, economy, living, society), each
through one or two of its three elements; the roll-up therefore accepts a dimension when a third
of its elements are measured (``min_coverage=1/3``) and prints the coverage beside each score.
Branding and environment stay empty, and the overall score is left out for that reason.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import yaml

import smartcity_model as scm

HERE = Path(__file__).parent
DIMENSIONS = ("governance", "economy", "living", "society")


def province_readiness(share: float = 0.8) -> scm.ProvinceReadiness:
    """Return Sumatera Barat's readiness from its regions' published statistics."""
    listed = yaml.safe_load((HERE / "indicators.yaml").read_text(encoding="utf-8"))
    indicators = [scm.Indicator.model_validate(item) for item in listed]
    structure = scm.Structure.from_framework(scm.builtin_framework(), indicators)
    regions = pd.read_csv(HERE / "regions.csv")
    regions = regions[regions["kind"] != "province"]
    observations = pd.read_csv(HERE / "observations.csv")
    observations = observations[observations["region_id"].isin(regions["id"])]
    data = observations.rename(columns={"region_id": "region"})[["region", "year", "indicator", "value"]]
    return scm.roll_up_province(
        data,
        structure,
        regions=regions,
        weights="population",
        share=share,
        rule_levels=("dimension",),
        missing="locf",
        min_coverage=1 / 3,
    )


def main() -> None:
    """Print the province's scores, its smart-province levels and the regions holding it back."""
    parser = argparse.ArgumentParser(description="Sumatera Barat smart-province readiness.")
    parser.add_argument("--share", type=float, default=0.8, help="share of regions that must reach a level")
    parser.add_argument("--year", type=int, default=2024)
    args = parser.parse_args()
    result = province_readiness(args.share)
    province = result.province
    print(f"Sumatera Barat, {args.year}: population-weighted scores of its 19 kabupaten/kota")
    this_year = province[(province["year"] == args.year) & province["node"].isin(DIMENSIONS)]
    print(this_year[["node", "score", "coverage", "indicator_coverage"]].round(2).to_string(index=False))
    levels = result.levels[(result.levels["year"] == args.year) & result.levels["node"].isin(DIMENSIONS)]
    print(f"\nSmart-province level (reached by at least {args.share:.0%} of the regions):")
    print(levels[["node", "province_level", "readiness", "share_at_next"]].round(2).to_string(index=False))
    blockers = result.blockers(args.year)
    blockers = blockers[blockers["node"].isin(DIMENSIONS)]
    print("\nRegions below the next level, by dimension (points of score still needed):")
    for node, group in blockers.groupby("node", sort=False):
        listed = ", ".join(
            f"{row.region} ({'no data' if pd.isna(row.points_needed) else f'{row.points_needed:.1f}'})"
            for row in group.itertuples()
        )
        print(f"  {node} -> level {group['target_level'].iloc[0]}: {listed}")


if __name__ == "__main__":
    main()
