"""Screening: leave out regions (or region-years) with too little data to be scored fairly.

A region-year's *availability* is the share of the indicators it has a value for (observed
values only, unless imputed ones are counted too); its *non-zero share* the share of those values
that are not 0 (COINr's ``Screen``). Units below the thresholds are removed, except those forced
in; units forced out are removed whatever their data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from smartcity_model.i18n import _, n_
from smartcity_model.scoring.panel import Panel
from smartcity_model.scoring.structure import ScoringError, listing, unknown_names

__all__ = ["ScreenUnit", "removed_note", "screen_panel"]

ScreenUnit = Literal["region-year", "region"]


def screen_panel(  # noqa: PLR0913 - the options of one screening
    panel: Panel,
    *,
    min_availability: float = 2 / 3,
    min_nonzero: float | None = None,
    unit: ScreenUnit = "region-year",
    count_imputed: bool = False,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> tuple[Panel, pd.DataFrame]:
    """Screen ``panel``; return it without the removed units, and a table per unit.

    The table has ``region`` (and ``year`` for region-years), ``indicators, available, zeros,
    availability, nonzero, included, reason``. A removed region-year stays in the grid as a row of
    gaps (so it is scored with coverage 0); a region whose every year is removed leaves the grid.
    """
    for name, value in (("min_availability", min_availability), ("min_nonzero", min_nonzero)):
        if value is not None and not 0 <= value <= 1:
            msg = _("{name} must lie between 0 and 1, not {value}").format(name=name, value=repr(value))
            raise ScoringError(msg)
    if unit not in {"region-year", "region"}:
        msg = _("unit must be 'region-year' or 'region', not {value}").format(value=repr(unit))
        raise ScoringError(msg)
    forced_in, forced_out = [str(r) for r in include], [str(r) for r in exclude]
    for named in (forced_in, forced_out):
        problem = unknown_names(_("regions"), named, panel.regions)
        if problem:
            msg = f"screen: {problem}"
            raise ScoringError(msg)
    both = sorted(set(forced_in) & set(forced_out))
    if both:
        msg = _("screen: regions both included and excluded: {regions}").format(regions=", ".join(both))
        raise ScoringError(msg)
    present = ~np.isnan(panel.matrix) if count_imputed else panel.observed
    zeros = present & (panel.matrix == 0)
    n_ind = len(panel.indicators)
    available, zero_count, total = present.sum(axis=1), zeros.sum(axis=1), np.full(len(present), n_ind)
    if unit == "region":
        n_years = len(panel.years)
        available = np.repeat(available.reshape(-1, n_years).sum(axis=1), n_years)
        zero_count = np.repeat(zero_count.reshape(-1, n_years).sum(axis=1), n_years)
        total = total * n_years
    with np.errstate(invalid="ignore", divide="ignore"):
        availability = np.where(total > 0, available / total, 0.0)
        nonzero = np.where(available > 0, 1 - zero_count / available, np.nan)
    low_data = availability < min_availability - 1e-12
    low_nonzero = np.zeros_like(low_data) if min_nonzero is None else ~(nonzero >= min_nonzero - 1e-12)
    region = panel.unit_region()
    is_in, is_out = np.isin(region, forced_in), np.isin(region, forced_out)
    included = (~(low_data | low_nonzero) | is_in) & ~is_out
    reason = np.select(
        [is_out, is_in & (low_data | low_nonzero), low_data, low_nonzero],
        ["excluded by request", "included by request", "too little data", "too many zeros"],
        default="",
    )
    details = pd.DataFrame(
        {
            "region": region,
            "year": panel.unit_year(),
            "indicators": total,
            "available": available,
            "zeros": zero_count,
            "availability": availability,
            "nonzero": nonzero,
            "included": included,
            "reason": reason,
        }
    )
    if unit == "region":
        details = details.drop_duplicates("region").drop(columns="year").reset_index(drop=True)
    return panel.select_rows(included), details


def removed_note(details: pd.DataFrame, unit: ScreenUnit) -> str | None:
    """Say which units a screening removed (from its table of units), or ``None``."""
    removed = details.loc[~details["included"]]
    if removed.empty:
        return None
    if unit == "region":
        note = n_("screening removed {n} region: {units}", "screening removed {n} regions: {units}", len(removed))
        return note.format(n=len(removed), units=listing(removed["region"]))
    note = n_("screening removed {n} region-year: {units}", "screening removed {n} region-years: {units}", len(removed))
    return note.format(n=len(removed), units=listing(removed["region"] + " " + removed["year"].astype(str)))
