"""Read composite indices in the table layout of COINr (the R package for composite indicators).

COINr describes an index with an ``iMeta`` table (``Level``, ``iCode``, ``Direction``, ``Weight``,
``Parent``, ``Type``, and optionally ``Target`` and ``Denominator``) and its data with a wide
``iData`` table (one row per unit, one column per indicator, plus the columns that ``iMeta``
lists as ``Group`` and ``Denominator``). These helpers turn both into a :class:`Structure`, a
tidy table and a table of units (groups and denominators), so an index built in COINr can be
rebuilt, stage by stage, and compared here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from smartcity_model.errors import suggest
from smartcity_model.i18n import _
from smartcity_model.scoring.structure import ScoringError, Structure, listing, raise_problems, warn

__all__ = [
    "CoinrData",
    "coinr_columns",
    "read_coinr",
    "structure_from_coinr",
    "tidy_from_coinr",
    "units_from_coinr",
    "wide_for_coinr",
]

_META_COLUMNS = ("Level", "iCode", "Direction", "Weight", "Parent", "Type")
_KNOWN_TYPES = {"Indicator", "Aggregate", "Group", "Denominator", "Other"}


def _check_meta(meta: pd.DataFrame) -> None:
    missing = [c for c in _META_COLUMNS if c not in meta.columns]
    if missing:
        msg = _("the iMeta table needs columns {columns}; missing: {missing}").format(
            columns=", ".join(_META_COLUMNS), missing=", ".join(missing)
        )
        raise ScoringError(msg)
    types = sorted(set(meta["Type"].dropna().astype(str)) - _KNOWN_TYPES)
    if types:
        shown = listing(f"{t!r}{suggest(t, _KNOWN_TYPES)}" for t in types)
        msg = _("iMeta: unknown Type {types}; COINr's types are {known}").format(
            types=shown, known=", ".join(sorted(_KNOWN_TYPES))
        )
        raise ScoringError(msg)


def structure_from_coinr(meta: pd.DataFrame, level_names: Sequence[str] | None = None) -> Structure:
    """Return the structure of a COINr ``iMeta`` table (rows of ``Type`` Indicator and Aggregate).

    ``level_names`` names the levels from ``Level`` 1 upward (default ``indicator``, ``level 2``…).
    ``Direction`` 1 or -1, ``Weight`` (0 excludes an indicator or aggregate, as in COINr),
    ``Target`` and ``Denominator`` are read for every indicator.

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({
    ...     "Level": [1, 1, 2], "iCode": ["a", "b", "Index"], "Direction": [1, -1, 1],
    ...     "Weight": [1, 0, 1], "Parent": ["Index", "Index", None], "Type": ["Indicator", "Indicator", "Aggregate"]})
    >>> structure = structure_from_coinr(meta, ["indicator", "index"])
    >>> structure.spec("b").direction.value, sorted(structure.excluded)
    ('lower', ['b'])
    """
    _check_meta(meta)
    rows = meta[meta["Type"].isin(["Indicator", "Aggregate"])].copy()
    levels = pd.to_numeric(rows["Level"], errors="coerce")
    if levels.isna().any() or not (levels == levels.round()).all() or (levels < 1).any():
        bad = rows.loc[levels.isna() | (levels != levels.round()) | (levels < 1), "iCode"]
        msg = _("iMeta: Level must be a whole number from 1 for {codes}").format(codes=listing(bad.astype(str)))
        raise ScoringError(msg)
    depth = int(levels.max())
    names = (
        tuple(level_names) if level_names is not None else ("indicator", *(f"level {n}" for n in range(2, depth + 1)))
    )
    if len(names) != depth:
        msg = _("the iMeta table has {depth} levels but {n} names were given").format(depth=depth, n=len(names))
        raise ScoringError(msg)
    frame = pd.DataFrame(
        {
            "node": rows["iCode"].astype(str).to_numpy(),
            "level": [names[int(level) - 1] for level in levels],
            "parent": rows["Parent"].where(rows["Parent"].notna(), None).to_numpy(dtype=object),
            "weight": pd.to_numeric(rows["Weight"], errors="coerce").to_numpy(dtype=float),
        }
    )
    indicators = rows[levels == 1]
    codes = indicators["iCode"].astype(str)
    directions = dict(zip(codes, indicators["Direction"], strict=True))
    targets = {}
    if "Target" in indicators.columns:
        target = pd.to_numeric(indicators["Target"], errors="coerce")
        targets = {c: float(t) for c, t in zip(codes, target, strict=True) if not np.isnan(t)}
    denominators = {}
    if "Denominator" in indicators.columns:
        denominators = {c: str(d) for c, d in zip(codes, indicators["Denominator"], strict=True) if pd.notna(d)}
        listed = set(meta.loc[meta["Type"] == "Denominator", "iCode"].astype(str))
        unknown = sorted(set(denominators.values()) - listed)
        if unknown:
            shown = listing(f"{d!r}{suggest(d, listed)}" for d in unknown)
            msg = _("iMeta: Denominator names {names}, not rows of Type Denominator").format(names=shown)
            raise ScoringError(msg)
    return Structure.from_frame(frame, names, directions=directions, targets=targets, denominators=denominators)


def coinr_columns(meta: pd.DataFrame, kind: str) -> tuple[str, ...]:
    """Return the ``iCode`` of the iMeta rows of ``Type`` ``kind`` (``Group``, ``Denominator``...)."""
    _check_meta(meta)
    return tuple(meta.loc[meta["Type"] == kind, "iCode"].astype(str))


def _needs(data: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        shown = listing(f"{c!r}{suggest(c, [str(x) for x in data.columns])}" for c in missing)
        msg = _("the iData table has no {what} column {columns}").format(what=what, columns=shown)
        raise ScoringError(msg)


def tidy_from_coinr(
    data: pd.DataFrame, structure: Structure, *, unit: str = "uCode", time: str = "Time"
) -> pd.DataFrame:
    """Return a wide COINr data table as ``region, year, indicator, value`` rows (gaps left out).

    The ``unit`` and ``time`` columns and every indicator of ``structure`` must be columns.
    """
    _needs(data, [unit], _("unit"))
    _needs(data, [time], _("time (name it with time=)"))
    _needs(data, list(structure.indicators), _("indicator"))
    long = data.melt(
        id_vars=[unit, time], value_vars=list(structure.indicators), var_name="indicator", value_name="value"
    )
    long = long.rename(columns={unit: "region", time: "year"}).dropna(subset=["value"])
    return long[["region", "year", "indicator", "value"]].reset_index(drop=True)


def units_from_coinr(
    data: pd.DataFrame, meta: pd.DataFrame, *, unit: str = "uCode", time: str = "Time"
) -> pd.DataFrame:
    """Return ``region, year`` and the group and denominator columns iMeta lists, from an iData table."""
    return _units(data, coinr_columns(meta, "Group"), coinr_columns(meta, "Denominator"), unit=unit, time=time)


def _units(
    data: pd.DataFrame, groups: Sequence[str], denominators: Sequence[str], *, unit: str, time: str
) -> pd.DataFrame:
    _needs(data, [unit, time], _("unit or time"))
    _needs(data, [*groups, *denominators], _("group or denominator"))
    units = data[[unit, time, *groups, *denominators]].rename(columns={unit: "region", time: "year"})
    return units.reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class CoinrData:
    """A COINr index read whole: tidy data, structure, and the units' groups and denominators."""

    data: pd.DataFrame
    structure: Structure
    units: pd.DataFrame
    groups: tuple[str, ...]
    denominators: tuple[str, ...]

    def __repr__(self) -> str:
        """Summarise on one line: units, observations, structure, groups and denominators."""
        return (
            f"<CoinrData {self.units['region'].nunique()} units, {len(self.data)} observations; {self.structure!r}; "
            f"groups {', '.join(self.groups) or 'none'}; denominators {', '.join(self.denominators) or 'none'}>"
        )


def read_coinr(
    data: pd.DataFrame,
    meta: pd.DataFrame,
    level_names: Sequence[str] | None = None,
    *,
    unit: str = "uCode",
    time: str = "Time",
) -> CoinrData:
    """Read COINr's ``iData`` and ``iMeta`` tables (the input of ``new_coin``)."""
    columns = [str(c) for c in data.columns]
    problems = [
        _("no column {column}{hint}").format(column=repr(c), hint=suggest(c, columns))
        for c in (unit, time)
        if c not in data.columns
    ]
    raise_problems(problems, "iData")
    structure = structure_from_coinr(meta, level_names)
    groups, denominators = coinr_columns(meta, "Group"), coinr_columns(meta, "Denominator")
    described = {unit, time, *groups, *denominators, *meta["iCode"].astype(str)}
    unused = [c for c in map(str, data.columns) if c not in described and pd.api.types.is_numeric_dtype(data[c])]
    if unused:
        shown = listing(f"{c!r}{suggest(c, described)}" for c in unused)
        warn(_("iData columns that iMeta does not describe are left out: {columns}").format(columns=shown))
    return CoinrData(
        data=tidy_from_coinr(data, structure, unit=unit, time=time),
        structure=structure,
        units=_units(data, groups, denominators, unit=unit, time=time),
        groups=groups,
        denominators=denominators,
    )


def wide_for_coinr(wide: pd.DataFrame, *, unit: str = "uCode", keep_year: bool = False) -> pd.DataFrame:
    """Return a (region, year) × columns table as COINr lays a data set out: one row per unit.

    The region becomes the ``unit`` column; the year is dropped unless ``keep_year`` (then
    ``Time``).
    """
    table = wide.reset_index()
    table = table.rename(columns={"region": unit, "year": "Time"})
    if not keep_year:
        if len(set(table["Time"].tolist())) > 1:
            msg = _("the table has several years: pass keep_year=True to keep them apart")
            raise ScoringError(msg)
        table = table.drop(columns="Time")
    table.columns.name = None
    return table
