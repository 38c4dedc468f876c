"""Read composite indices in the table layout of COINr (the R package for composite indicators).

COINr describes an index with an ``iMeta`` table (``Level``, ``iCode``, ``Direction``, ``Weight``,
``Parent``, ``Type``) and its data with a wide ``iData`` table (one row per unit, one column per
indicator). These helpers turn both into a :class:`Structure` and a tidy table for
:func:`~smartcity_model.roll_up`, so an index built in COINr can be rebuilt and compared here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from smartcity_model.scoring.structure import ScoringError, Structure

__all__ = ["structure_from_coinr", "tidy_from_coinr"]


def structure_from_coinr(meta: pd.DataFrame, level_names: Sequence[str] | None = None) -> Structure:
    """Return the structure of a COINr ``iMeta`` table (rows of ``Type`` Indicator and Aggregate).

    ``level_names`` names the levels from ``Level`` 1 upward (default ``indicator``, ``level 2``…).
    A ``Direction`` of -1 makes an indicator lower-is-better.
    """
    rows = meta[meta["Type"].isin(["Indicator", "Aggregate"])].copy()
    depth = int(rows["Level"].max())
    names = (
        tuple(level_names) if level_names is not None else ("indicator", *(f"level {n}" for n in range(2, depth + 1)))
    )
    if len(names) != depth:
        msg = f"the table has {depth} levels but {len(names)} names were given"
        raise ScoringError(msg)
    frame = pd.DataFrame(
        {
            "node": rows["iCode"].astype(str),
            "level": [names[int(level) - 1] for level in rows["Level"]],
            "parent": rows["Parent"].where(rows["Parent"].notna(), None),
            "weight": rows["Weight"].astype(float),
        }
    )
    indicators = rows[rows["Level"] == 1]
    directions = {
        code: ("lower" if direction < 0 else "higher")
        for code, direction in zip(indicators["iCode"], indicators["Direction"], strict=True)
    }
    return Structure.from_frame(frame, names, directions=directions)


def tidy_from_coinr(
    data: pd.DataFrame, structure: Structure, *, unit: str = "uCode", time: str = "Time"
) -> pd.DataFrame:
    """Return a wide COINr data table as ``region, year, indicator, value`` rows (gaps left out)."""
    indicators = [code for code in structure.indicators if code in data.columns]
    long = data.melt(id_vars=[unit, time], value_vars=indicators, var_name="indicator", value_name="value")
    long = long.rename(columns={unit: "region", time: "year"}).dropna(subset=["value"])
    long["year"] = long["year"].astype("int64")
    return long[["region", "year", "indicator", "value"]].reset_index(drop=True)
