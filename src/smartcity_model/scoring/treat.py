"""Outlier treatment: tame skewed indicators before a peer-relative normalisation.

An indicator *passes* when ``|skewness| < 2`` or ``kurtosis < 3.5`` (sample-adjusted skewness and
excess kurtosis, as COINr and pandas compute them). One that fails is treated:

- ``coinr`` (the default, COINr's ``Treat``): winsorise one point at a time — the highest value
  (lowest, when the skew is negative) is set to the next one, ties together — until it passes or
  ``winmax`` points are winsorised; if it still fails, the winsorising is undone and the values
  are log-transformed instead: ``ln(x - min + 0.01 (max - min))``;
- ``winsorise``: the winsorising alone; ``log``: the log transform alone; ``none``: nothing.

Treatment is computed over the **scope** of the values: the whole panel (the default, so a
transformed indicator stays comparable across years) or each year on its own (COINr's purses).
An indicator with fewer than four values or no spread cannot be checked; it is left as it is and
a :class:`ScoringWarning` names it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartcity_model.errors import suggest
from smartcity_model.i18n import N_, _, n_
from smartcity_model.scoring.groups import Groups
from smartcity_model.scoring.normalise import Scope
from smartcity_model.scoring.panel import Panel
from smartcity_model.scoring.structure import ScoringError, listing, unknown_names

__all__ = ["TREATMENTS", "Treatment", "TreatmentRule", "treat_panel"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Treatment = Literal["coinr", "winsorise", "log", "none"]
#: The treatment methods.
TREATMENTS: tuple[Treatment, ...] = ("coinr", "winsorise", "log", "none")
_CODES: dict[str, int] = {name: n for n, name in enumerate(TREATMENTS)}
#: Why an indicator was left as it is, as the status of the table per indicator and scope says it.
_UNCHECKED = N_("fewer than 4 values or no spread")
_COLLAPSED = N_("winsorising left no spread")


@dataclass(frozen=True)
class TreatmentRule:
    """When an indicator fails, and how far winsorising may go."""

    winmax: int = 5
    """Most points winsorised per indicator and scope."""
    skew: float = 2.0
    """An indicator passes when ``|skewness|`` is below this..."""
    kurtosis: float = 3.5
    """...or its excess kurtosis is below this."""

    def __post_init__(self) -> None:
        """Refuse thresholds that mean nothing."""
        if isinstance(self.winmax, bool) or not isinstance(self.winmax, int) or self.winmax < 0:
            msg = _("winmax must be a whole number >= 0, not {value}").format(value=repr(self.winmax))
            raise ScoringError(msg)
        if not (np.isfinite(self.skew) and self.skew > 0 and np.isfinite(self.kurtosis)):
            msg = _("skew must be > 0 and kurtosis finite, not {skew} and {kurtosis}").format(
                skew=repr(self.skew), kurtosis=repr(self.kurtosis)
            )
            raise ScoringError(msg)

    def passes(self, skew: FloatArray, kurtosis: FloatArray) -> BoolArray:
        """Columns that need no treatment (``nan`` statistics never pass)."""
        return (np.abs(skew) < self.skew) | (kurtosis < self.kurtosis)


def check_treatment(method: str, methods: Mapping[str, str] | None, indicators: tuple[str, ...]) -> list[str]:
    """Return the method of each indicator, refusing unknown methods and indicators."""
    chosen = {**dict.fromkeys(indicators, method), **dict(methods or {})}
    problem = unknown_names(_("indicators in methods="), (methods or {}).keys(), indicators)
    if problem:
        raise ScoringError(problem)
    for name in {method, *chosen.values()}:
        if name not in TREATMENTS:
            msg = _("unknown treatment {method}{hint}; use one of {methods}").format(
                method=repr(name), hint=suggest(str(name), TREATMENTS), methods=", ".join(TREATMENTS)
            )
            raise ScoringError(msg)
    return [chosen[i] for i in indicators]


def _scoped(panel: Panel, scope: Scope) -> tuple[FloatArray, Groups, list[str]]:
    """Return the values and their scope groups (rows of one year together, or all rows)."""
    if scope == "year":
        return panel.matrix, Groups(panel.year_code()), [str(y) for y in panel.years]
    if scope == "panel":
        return panel.matrix, Groups(np.zeros(len(panel.unit_year()), dtype=np.intp)), ["panel"]
    msg = _("scope must be 'panel' or 'year', not {value}{hint}").format(
        value=repr(scope), hint=suggest(str(scope), ("panel", "year"))
    )
    raise ScoringError(msg)


def _log(values: FloatArray, groups: Groups) -> FloatArray:
    low = groups.spread(groups.min(values))
    high = groups.spread(groups.max(values))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.log(values - low + 0.01 * (high - low))


def _winsorise(
    values: FloatArray, groups: Groups, rule: TreatmentRule, active: BoolArray
) -> tuple[FloatArray, BoolArray, BoolArray]:
    """Winsorise the (group, column) cells marked ``active`` (COINr's loop, on all of them at once).

    Only the columns still being winsorised are recomputed at each step. Returns the values and
    the points last set down (high) and up (low), as COINr reports them.
    """
    x = values.copy()
    high_points = np.zeros(x.shape, dtype=bool)
    low_points = np.zeros(x.shape, dtype=bool)
    columns = np.flatnonzero(active.any(axis=0))
    if not len(columns):
        return x, high_points, low_points
    block, high, low, live = x[:, columns], high_points[:, columns], low_points[:, columns], active[:, columns]
    _count, skew, _kurtosis = groups.moments(block)
    while live.any():
        upward = groups.spread(live & (skew >= 0))
        downward = groups.spread(live & (skew < 0))
        top = block == groups.spread(groups.max(block))
        bottom = block == groups.spread(groups.min(block))
        next_top = groups.spread(groups.max(np.where(top, np.nan, block)))
        next_bottom = groups.spread(groups.min(np.where(bottom, np.nan, block)))
        lower_top = upward & top & ~np.isnan(next_top)
        raise_bottom = downward & bottom & ~np.isnan(next_bottom)
        block = np.where(lower_top, next_top, np.where(raise_bottom, next_bottom, block))
        high = np.where(upward, lower_top, high)
        low = np.where(downward, raise_bottom, low)
        count = groups.count(np.where(high | low, 1.0, np.nan))
        stuck = groups.count(np.where(lower_top | raise_bottom, 1.0, np.nan)) == 0
        _count, skew, kurtosis = groups.moments(block)
        live = live & ~rule.passes(skew, kurtosis) & (count < rule.winmax) & ~stuck
    x[:, columns], high_points[:, columns], low_points[:, columns] = block, high, low
    return x, high_points, low_points


def treat_panel(
    panel: Panel,
    method: str = "coinr",
    *,
    rule: TreatmentRule | None = None,
    scope: Scope = "panel",
    methods: Mapping[str, str] | None = None,
) -> tuple[Panel, pd.DataFrame, pd.DataFrame]:
    """Treat every indicator of ``panel``; return the new panel, a table per indicator, the changed cells.

    ``methods`` sets the method of single indicators (``{"tir": "none"}``). The table per
    indicator and scope has ``indicator, scope, values, skew, kurtosis, status, winsorised_high,
    winsorised_low, skew_after, kurtosis_after``; the changed cells are ``region, year,
    indicator, before, after, how`` (``winsorised high``, ``winsorised low`` or ``log``).
    """
    rule = rule or TreatmentRule()
    per_column = check_treatment(method, methods, panel.indicators)
    values, groups, scope_names = _scoped(panel, scope)
    codes = np.array([_CODES[m] for m in per_column])
    n, skew, kurtosis = groups.moments(values)
    passed = rule.passes(skew, kurtosis)
    unchecked = ~passed & (np.isnan(skew) | np.isnan(kurtosis))
    failing = ~passed & ~unchecked
    wants_winsor = np.isin(codes, [_CODES["coinr"], _CODES["winsorise"]])[None, :]
    wants_log = np.isin(codes, [_CODES["coinr"], _CODES["log"]])[None, :]
    winsorised, high, low = _winsorise(values, groups, rule, failing & wants_winsor & (rule.winmax > 0))
    _count, w_skew, w_kurt = groups.moments(winsorised)
    # Winsorising a handful of values can leave no spread at all: COINr gives up on such an
    # indicator (its check returns NA) and so does this, leaving it untreated.
    collapsed = failing & wants_winsor & (rule.winmax > 0) & (np.isnan(w_skew) | np.isnan(w_kurt))
    still = failing & ~collapsed & ~rule.passes(w_skew, w_kurt)
    logged = still & wants_log
    kept_winsorised = failing & wants_winsor & ~logged & ~collapsed & (rule.winmax > 0)
    result = np.where(groups.spread(kept_winsorised), winsorised, values)
    result = np.where(groups.spread(logged), _log(values, groups), result)
    _count, skew_after, kurt_after = groups.moments(result)
    undone = ~groups.spread(kept_winsorised)
    high, low = high & ~undone, low & ~undone
    status = np.select(
        [
            passed,
            unchecked,
            collapsed,
            logged,
            kept_winsorised & ~still,
            kept_winsorised,
            failing & wants_winsor,
            failing,
        ],
        [
            "passed",
            f"not checked: {_UNCHECKED}",
            f"not treated: {_COLLAPSED}",
            "log",
            "winsorised",
            "winsorised, still skewed",
            "untreated (winmax 0)",
            "untreated (method none)",
        ],
        default="no values",
    )
    n_groups, n_ind = n.shape
    details = pd.DataFrame(
        {
            "indicator": np.tile(np.asarray(panel.indicators, dtype=object), n_groups),
            "scope": np.repeat(np.asarray(scope_names, dtype=object), n_ind),
            "values": n.ravel().astype(int),
            "skew": skew.ravel(),
            "kurtosis": kurtosis.ravel(),
            "status": status.ravel(),
            "winsorised_high": groups.count(np.where(high, 1.0, np.nan)).ravel().astype(int),
            "winsorised_low": groups.count(np.where(low, 1.0, np.nan)).ravel().astype(int),
            "skew_after": skew_after.ravel(),
            "kurtosis_after": kurt_after.ravel(),
        }
    )
    details = details[details["values"] > 0].reset_index(drop=True)
    changed = (high | low | groups.spread(logged)) & ~np.isnan(values)
    rows, columns = np.nonzero(changed)
    how = np.where(high[rows, columns], "winsorised high", np.where(low[rows, columns], "winsorised low", "log"))
    points = pd.DataFrame(
        {
            "region": panel.unit_region()[rows],
            "year": panel.unit_year()[rows],
            "indicator": np.asarray(panel.indicators, dtype=object)[columns],
            "before": values[rows, columns],
            "after": result[rows, columns],
            "how": how,
        }
    )
    return panel.with_values(result), details, points


def unchecked_message(details: pd.DataFrame) -> str | None:
    """Say which indicators could not be checked, or ``None``."""
    rows = details[details["status"].str.startswith("not ")]
    if rows.empty:
        return None
    shown = listing(
        _("{indicator} in {scope} ({reason})").format(indicator=repr(i), scope=s, reason=_(status.split(": ")[1]))
        for i, s, status in rows[["indicator", "scope", "status"]].itertuples(index=False)
    )
    return n_(
        "treatment left {n} indicator scope untreated: {scopes}",
        "treatment left {n} indicator scopes untreated: {scopes}",
        len(rows),
    ).format(n=len(rows), scopes=shown)
