"""Denomination: turn totals into rates (per person, per km², per rupiah of GRDP) before comparing regions.

An indicator ``x`` with denominator ``d`` and scale ``s`` becomes ``x / (d / s)`` (COINr's
``Denominate``; ``s`` = 1000 gives "per thousand"). Denominators come from a table with a
``region`` (or ``id``) column, an optional ``year`` column (without it, one value per region
serves every year) and one column per denominator (``population``, ``area``, ``grdp``...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BeforeValidator, Field, ValidationError

from smartcity_model.errors import suggest
from smartcity_model.i18n import _
from smartcity_model.model.assemble import problems_from_validation
from smartcity_model.model.base import FrozenModel
from smartcity_model.scoring.panel import Panel
from smartcity_model.scoring.structure import ScoringError, Structure, listing, raise_problems, unknown_names

__all__ = ["Denominator", "DenominatorMap", "MissingDenominator", "denominate_panel", "denominators_of"]

IntArray = npt.NDArray[np.intp]
#: What to do with a value whose denominator is missing or 0: refuse (``raise``) or leave a gap.
MissingDenominator = Literal["raise", "gap"]


def _shorthand(value: object) -> object:
    """Accept a bare column name for a denominator with scale 1."""
    return {"column": value} if isinstance(value, str) else value


class Denominator(FrozenModel):
    """The column an indicator is divided by, and the scale of the result."""

    column: str
    """Name of the denominator column (e.g. ``population``)."""
    scale: Annotated[float, Field(gt=0)] = 1.0
    """The result is per ``scale`` units of the denominator (1000: per thousand)."""


#: Indicator → denominator; a bare column name means scale 1.
DenominatorMap = Mapping[str, Annotated[Denominator, BeforeValidator(_shorthand)]]


def denominators_of(by: Mapping[str, str | Denominator | Mapping[str, object]] | Structure) -> dict[str, Denominator]:
    """Return indicator → :class:`Denominator` from a mapping or from a structure's specs."""
    if isinstance(by, Structure):
        return {i: Denominator(column=s.denominator) for i in by.indicators if (s := by.spec(i)).denominator}
    result = {}
    for indicator, given in by.items():
        try:
            result[indicator] = (
                given if isinstance(given, Denominator) else Denominator.model_validate(_shorthand(given))
            )
        except (ValidationError, TypeError, ValueError) as error:
            detail = (
                problems_from_validation(error, prefix=(), kind="denominator", obj_id=None)[0].message
                if isinstance(error, ValidationError)
                else str(error)
            )
            msg = _(
                "denominator of {indicator}: {detail} (give a column name or {{'column': ..., 'scale': ...}})"
            ).format(indicator=repr(indicator), detail=detail)
            raise ScoringError(msg) from None
    return result


def _region_column(table: pd.DataFrame) -> str:
    for name in ("region", "id"):
        if name in table.columns:
            return name
    msg = _("the denominators need a 'region' (or 'id') column")
    raise ScoringError(msg)


def _setting_problems(panel: Panel, denominators: pd.DataFrame, by: Mapping[str, Denominator], key: str) -> list[str]:
    """Check the indicators, the denominator columns and the table's keys, all at once."""
    problems = []
    unknown = unknown_names(_("indicators"), by, panel.indicators)
    if unknown:
        problems.append(
            _("{unknown}; the data's indicators are {indicators}").format(
                unknown=unknown, indicators=listing(panel.indicators)
            )
        )
    columns = [c for c in denominators.columns if c not in {key, "year"}]
    for indicator, denominator in by.items():
        if denominator.column not in columns:
            problems.append(
                _("indicator {indicator}: no denominator column {column}{hint}; the columns are {columns}").format(
                    indicator=repr(indicator),
                    column=repr(denominator.column),
                    hint=suggest(denominator.column, columns),
                    columns=listing(columns),
                )
            )
    keys = [key, "year"] if "year" in denominators.columns else [key]
    twice = denominators[denominators.duplicated(keys)]
    if len(twice):
        shown = listing(twice[keys].astype(str).agg(" ".join, axis=1))
        if "year" in keys:
            problems.append(_("the denominators give some region-years twice: {units}").format(units=shown))
        else:
            problems.append(_("the denominators give some regions twice: {units}").format(units=shown))
    return problems


def _rows_of(panel: Panel, denominators: pd.DataFrame, key: str) -> IntArray:
    """Return, for each row of the panel, its row in the denominators (-1 where there is none)."""
    regions = pd.Index(denominators[key].astype(str))
    if "year" not in denominators.columns:
        return np.asarray(regions.get_indexer(pd.Index(panel.unit_region())), dtype=np.intp)
    years = pd.to_numeric(denominators["year"], errors="coerce")
    lookup = pd.MultiIndex.from_arrays([regions, years])
    return np.asarray(
        lookup.get_indexer(pd.MultiIndex.from_arrays([panel.unit_region(), panel.unit_year()])), dtype=np.intp
    )


def _cells(panel: Panel, mask: npt.NDArray[np.bool_]) -> str:
    return listing(f"{r!r} {y}" for r, y in zip(panel.unit_region()[mask], panel.unit_year()[mask], strict=True))


def denominate_panel(
    panel: Panel,
    denominators: pd.DataFrame,
    by: Mapping[str, Denominator],
    *,
    missing: MissingDenominator = "raise",
) -> tuple[Panel, pd.DataFrame, list[str]]:
    """Divide the indicators of ``by`` by their denominators; return the new panel, a table per indicator, notes.

    Every value of such an indicator needs a finite denominator above 0 for its region (and
    year). With ``missing="raise"`` all the gaps are reported at once; with ``"gap"`` (COINr's
    behaviour) those values become missing and the notes name them.
    """
    if missing not in {"raise", "gap"}:
        msg = _("missing must be 'raise' or 'gap', not {value}").format(value=repr(missing))
        raise ScoringError(msg)
    if not by:
        msg = _("denominate: no indicator names a denominator (give by=, or a structure whose indicators name one)")
        raise ScoringError(msg)
    key = _region_column(denominators)
    raise_problems(_setting_problems(panel, denominators, by, key), "denominate")
    row = _rows_of(panel, denominators, key)
    values = panel.matrix.copy()
    rows, notes, problems = [], [], []
    for indicator, denominator in by.items():
        column = panel.indicators.index(indicator)
        observed = ~np.isnan(values[:, column])
        raw = pd.to_numeric(denominators[denominator.column], errors="coerce").to_numpy(dtype=float)
        divisor = np.where(row >= 0, raw[np.clip(row, 0, None)] if len(raw) else np.nan, np.nan)
        bad = observed & ~(np.isfinite(divisor) & (divisor > 0))
        if bad.any():
            fields = {"indicator": repr(indicator), "column": repr(denominator.column), "units": _cells(panel, bad)}
            if missing == "raise":
                problems.append(
                    _(
                        "indicator {indicator}: no usable {column} (missing, 0 or less, not a number) for {units}"
                    ).format(**fields)
                )
                continue
            notes.append(
                _(
                    "indicator {indicator}: no usable {column} (missing, 0 or less, not a number) for {units}; "
                    "left missing"
                ).format(**fields)
            )
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            values[:, column] = np.where(bad, np.nan, values[:, column] / (divisor / denominator.scale))
        huge = observed & ~bad & ~np.isfinite(values[:, column])
        if huge.any():
            problems.append(
                _("indicator {indicator}: dividing by {column} overflows for {units}").format(
                    indicator=repr(indicator), column=repr(denominator.column), units=_cells(panel, huge)
                )
            )
            continue
        rows.append((indicator, denominator.column, denominator.scale, int((observed & ~bad).sum()), int(bad.sum())))
    raise_problems(problems, "denominate")
    details = pd.DataFrame(rows, columns=["indicator", "denominator", "scale", "values", "left_missing"])
    return panel.with_values(values), details, notes
