"""Rebuild COINr's ASEM Sustainable Connectivity index with smartcity-model.

Min-max normalisation to 0–100 with each indicator's direction, then equal-weight arithmetic
means up the tree (49 indicators → 8 pillars → 2 sub-indices → Index), from COINr's treated
data. Writes one row per country: uCode, Index, Conn, Sust and the eight pillar scores.

    python examples/asem_index.py --out asem.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import smartcity_model as scm
from smartcity_model.scoring.coinr import structure_from_coinr, tidy_from_coinr

DATA = Path(__file__).parent / "asem"
LEVELS = ("indicator", "pillar", "sub-index", "index")


def asem_index() -> pd.DataFrame:
    """Return the ASEM index, sub-indices and pillars per country, rebuilt from COINr's treated data."""
    structure = structure_from_coinr(pd.read_csv(DATA / "ASEM_iMeta.csv"), LEVELS)
    treated = pd.read_csv(DATA / "ASEM_COIN_Treated.csv")
    data = tidy_from_coinr(treated, structure, unit="UnitCode", time="Year")
    result = scm.roll_up(data, structure, method="minmax", aggregation="arithmetic")
    wide = pd.concat([result.wide(level) for level in ("index", "sub-index", "pillar")], axis=1)
    wide = wide.reset_index().drop(columns="year").rename(columns={"region": "uCode"})
    return wide[["uCode", "Index", "Conn", "Sust", *structure.level_nodes("pillar")]]


def main() -> None:
    """Write the index to ``--out`` (CSV)."""
    parser = argparse.ArgumentParser(description="Rebuild COINr's ASEM index.")
    parser.add_argument("--out", type=Path, required=True, help="CSV file to write")
    args = parser.parse_args()
    table = asem_index()
    table.to_csv(args.out, index=False)
    top = table.sort_values("Index", ascending=False).head(5)
    print(f"wrote {len(table)} countries to {args.out}; top 5:")
    print(top[["uCode", "Index"]].round(2).to_string(index=False))


if __name__ == "__main__":
    main()
