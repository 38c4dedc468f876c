"""Imputation: fill missing values, flagging every filled cell with its method.

Cross-sectional methods fill a gap from the other regions of the same year: ``mean``,
``median``, ``group_mean`` and ``group_median`` (regions of the same group only, e.g. kota and
kabupaten apart; COINr's ``i_mean_grp``). Temporal methods fill a gap from the same region's other
years: ``locf`` (last observation carried forward), ``nocb`` (next observation carried backward)
and ``linear`` (interpolation between the years either side, never beyond them). ``max_gap``
limits the temporal methods: a value is carried at most that many years, and a run of missing
years is bridged only if it is at most that long.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartcity_model.errors import suggest
from smartcity_model.i18n import _, n_
from smartcity_model.scoring.groups import Groups
from smartcity_model.scoring.panel import Panel
from smartcity_model.scoring.structure import ScoringError, listing

__all__ = ["IMPUTATION_METHODS", "ImputationMethod", "impute_panel", "left_note"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
ImputationMethod = Literal["mean", "median", "group_mean", "group_median", "locf", "nocb", "linear"]
#: The imputation methods.
IMPUTATION_METHODS: tuple[ImputationMethod, ...] = (
    "mean",
    "median",
    "group_mean",
    "group_median",
    "locf",
    "nocb",
    "linear",
)
_GROUPED = ("group_mean", "group_median")
_TEMPORAL = ("locf", "nocb", "linear")


def check_imputation(method: str, *, groups: object, max_gap: int | None) -> None:
    """Refuse an unknown method, or options the method does not use."""
    if method not in IMPUTATION_METHODS:
        msg = _("unknown imputation {method}{hint}; use one of {methods}").format(
            method=repr(method), hint=suggest(str(method), IMPUTATION_METHODS), methods=", ".join(IMPUTATION_METHODS)
        )
        raise ScoringError(msg)
    if method in _GROUPED and groups is None:
        msg = _("{method} needs groups= (region → group)").format(method=method)
        raise ScoringError(msg)
    if method not in _GROUPED and groups is not None:
        msg = _("groups= is used only by group_mean and group_median, not by {method}").format(method=method)
        raise ScoringError(msg)
    if max_gap is not None:
        if method not in _TEMPORAL:
            msg = _("max_gap= is used only by locf, nocb and linear, not by {method}").format(method=method)
            raise ScoringError(msg)
        if isinstance(max_gap, bool) or not isinstance(max_gap, int | np.integer) or max_gap < 1:
            msg = _("max_gap must be a whole number of years >= 1, not {value}").format(value=repr(max_gap))
            raise ScoringError(msg)


def region_groups(regions: Sequence[str], groups: Mapping[str, object] | pd.Series) -> list[str]:
    """Return the group of each region; every region must have one."""
    mapping = {str(k): v for k, v in dict(groups).items()}
    absent = [r for r in regions if r not in mapping]
    blank = [r for r in regions if r in mapping and pd.isna(mapping[r])]
    problems = []
    if absent:
        shown = listing(f"{r!r}{suggest(r, mapping)}" for r in absent)
        problems.append(_("no group for regions {regions}").format(regions=shown))
    if blank:
        shown = listing(repr(r) for r in blank)
        problems.append(_("the group of regions {regions} is missing (NaN)").format(regions=shown))
    if problems:
        msg = "groups=: " + "; ".join(problems)
        raise ScoringError(msg)
    return [str(mapping[r]) for r in regions]


def impute_panel(
    panel: Panel,
    method: str,
    *,
    groups: Mapping[str, object] | pd.Series | None = None,
    max_gap: int | None = None,
) -> tuple[Panel, pd.DataFrame]:
    """Fill the gaps of ``panel`` by ``method``; return the new panel and a table per indicator.

    The table has ``indicator, missing, filled, left`` (cells missing before, filled, still
    missing after).
    """
    check_imputation(method, groups=groups, max_gap=max_gap)
    values = panel.matrix
    gaps = np.isnan(values)
    if method in _TEMPORAL:
        filled_values = _temporal(panel, method, max_gap)
    else:
        labels = panel.year_code()
        if method in _GROUPED:
            assert groups is not None  # noqa: S101 - checked above
            group_of_region = pd.factorize(np.asarray(region_groups(panel.regions, groups), dtype=object))[0]
            labels = labels * (int(group_of_region.max()) + 1) + np.repeat(group_of_region, len(panel.years))
        filled_values = _cross_section(values, labels, "mean" if method in {"mean", "group_mean"} else "median")
    new = gaps & ~np.isnan(filled_values)
    code, methods = panel.method_code(method)
    result = panel.with_values(
        np.where(new, filled_values, values),
        np.where(new, np.int16(code), panel.filled).astype(np.int16),
        methods,
    )
    details = pd.DataFrame(
        {
            "indicator": list(panel.indicators),
            "missing": gaps.sum(axis=0),
            "filled": new.sum(axis=0),
            "left": (gaps & ~new).sum(axis=0),
        }
    )
    return result, details


def _cross_section(values: FloatArray, labels: IntArray, statistic: str) -> FloatArray:
    if statistic == "mean":
        groups = Groups(labels)
        return groups.spread(groups.mean(values))
    frame = pd.DataFrame(values)
    return frame.groupby(labels).transform("median").to_numpy(dtype=float)


def _temporal(panel: Panel, method: str, max_gap: int | None) -> FloatArray:
    """Fill along each region's years: carried forward, backward, or interpolated inside."""
    n_regions, n_years, n_ind = panel.shape
    cube = panel.matrix.reshape(n_regions, n_years, n_ind)
    years = np.asarray(panel.years, dtype=float)
    present = ~np.isnan(cube)
    steps = np.arange(n_years)[None, :, None]
    previous = np.maximum.accumulate(np.where(present, steps, -1), axis=1)
    following = np.flip(np.minimum.accumulate(np.flip(np.where(present, steps, n_years), axis=1), axis=1), axis=1)
    has_previous, has_following = previous >= 0, following < n_years
    prev_index, next_index = np.clip(previous, 0, n_years - 1), np.clip(following, 0, n_years - 1)
    prev_value = np.take_along_axis(cube, prev_index, axis=1)
    next_value = np.take_along_axis(cube, next_index, axis=1)
    here = years[None, :, None]
    prev_year, next_year = years[prev_index], years[next_index]
    limit = np.inf if max_gap is None else float(max_gap)
    if method == "locf":
        result = np.where(has_previous & (here - prev_year <= limit), prev_value, np.nan)
    elif method == "nocb":
        result = np.where(has_following & (next_year - here <= limit), next_value, np.nan)
    else:
        inside = has_previous & has_following & (next_year - prev_year - 1 <= limit)
        with np.errstate(invalid="ignore", divide="ignore"):
            fraction = np.where(next_year > prev_year, (here - prev_year) / (next_year - prev_year), 0.0)
        result = np.where(inside, prev_value + (next_value - prev_value) * fraction, np.nan)
    return np.where(present, cube, result).reshape(n_regions * n_years, n_ind)


def left_note(details: pd.DataFrame, method: str) -> str | None:
    """Say how many cells an imputation left missing (from its table per indicator), or ``None``."""
    left = int(details["left"].sum())
    if not left:
        return None
    return n_(
        "{n} cell left missing: {method} had nothing to fill it from",
        "{n} cells left missing: {method} had nothing to fill them from",
        left,
    ).format(n=left, method=method)
