"""The tidy table every scoring stage reads and writes, and the full grid the engine computes on.

A tidy table has one row per observation: ``region, year, indicator, value``, and optionally
``imputed`` (``True`` where a missing-data method filled the value) and ``imputation`` (the
method). Absent rows are missing values. :class:`Panel` holds the same data as a matrix over
**every** region × year in scope (rows, region-major) and indicator (columns), so a region-year
with no rows is present as a row of gaps rather than vanishing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartcity_model.errors import suggest
from smartcity_model.i18n import N_, _, n_
from smartcity_model.scoring.structure import ScoringError, listing, raise_problems, unknown_names, warn

__all__ = ["DATA_COLUMNS", "FLAG_COLUMNS", "Panel", "StageResult", "check_table"]

#: Columns every tidy table has.
DATA_COLUMNS: tuple[str, ...] = ("region", "year", "indicator", "value")
#: Columns a tidy table may add: whether each value was imputed, and by which method.
FLAG_COLUMNS: tuple[str, ...] = ("imputed", "imputation")

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]
CodeArray = npt.NDArray[np.int16]


def _rows(data: pd.DataFrame, mask: npt.ArrayLike) -> str:
    """Name the rows of ``data`` under ``mask`` by their index labels."""
    return listing(data.index[np.asarray(mask, dtype=bool)].tolist())


@dataclass(frozen=True)
class _Checked:
    """A tidy table after checking: regions and indicators as codes into their names."""

    index: pd.Index
    region: IntArray
    regions: list[str]
    indicator: IntArray
    indicators: list[str]
    year: npt.NDArray[np.int64]
    value: FloatArray
    imputed: BoolArray | None
    imputation: npt.NDArray[np.object_] | None

    def take(self, keep: BoolArray) -> _Checked:
        """Return the rows marked ``keep``."""
        return replace(
            self,
            index=self.index[keep],
            region=self.region[keep],
            indicator=self.indicator[keep],
            year=self.year[keep],
            value=self.value[keep],
            imputed=None if self.imputed is None else self.imputed[keep],
            imputation=None if self.imputation is None else self.imputation[keep],
        )

    def labels(self, column: Literal["region", "indicator"]) -> npt.NDArray[np.object_]:
        """Return the names of one column, row by row."""
        names = self.regions if column == "region" else self.indicators
        codes = self.region if column == "region" else self.indicator
        return np.asarray(names, dtype=object)[codes]


def _coded(
    column: pd.Series, data: pd.DataFrame, problems: list[str], known: Sequence[str] | None = None
) -> tuple[IntArray, list[str]]:
    """Factorise ids once: blank or missing ids are problems; ids equal as text share a code.

    With ``known`` ids, a column that holds only them is looked up (faster than factorising).
    """
    if known is not None:
        found = pd.Index(list(known), dtype=object).get_indexer(pd.Index(column))
        if (found >= 0).all():
            return np.asarray(found, dtype=np.intp), list(known)
    codes, uniques = pd.factorize(column)
    names = [str(u).strip() if isinstance(u, str) else str(u) for u in uniques]
    blank = (codes < 0) | np.isin(codes, [n for n, name in enumerate(names) if not name])
    if blank.any():
        problems.append(_("{column} missing in rows {rows}").format(column=column.name, rows=_rows(data, blank)))
    merged, distinct = pd.factorize(np.asarray(names, dtype=object))
    return np.where(codes < 0, -1, merged[np.clip(codes, 0, None)] if len(merged) else codes), list(distinct)


def _check(data: pd.DataFrame, what: str, indicators: Sequence[str] | None = None) -> _Checked:
    if not isinstance(data, pd.DataFrame):
        msg = _("{what} must be a pandas DataFrame with columns {columns}, not {type}").format(
            what=what, columns=", ".join(DATA_COLUMNS), type=type(data).__name__
        )
        raise ScoringError(msg)
    missing = [column for column in DATA_COLUMNS if column not in data.columns]
    if missing:
        msg = _("{what} need columns {columns}; missing: {missing}").format(
            what=what, columns=", ".join(DATA_COLUMNS), missing=", ".join(missing)
        )
        if "region_id" in data.columns and "region" in missing:
            msg += _(" (rename 'region_id' to 'region')")
        raise ScoringError(msg)
    problems: list[str] = []
    region, regions = _coded(data["region"], data, problems)
    indicator, names = _coded(data["indicator"], data, problems, indicators)
    year, year_problems = _years(data)
    value, value_problems = _values(data)
    problems += year_problems + value_problems
    raise_problems(problems, what)
    imputed = imputation = None
    if "imputed" in data.columns or "imputation" in data.columns:
        method = data["imputation"] if "imputation" in data.columns else pd.Series(None, index=data.index)
        named = method.notna().to_numpy() & (method.astype(str).str.strip() != "").to_numpy()
        imputed = _flags(data["imputed"], what) if "imputed" in data.columns else named
        labels = np.where(named, method.astype(str).to_numpy(dtype=object), "given")
        imputation = np.where(imputed, labels, np.asarray(None, dtype=object))
    return _Checked(data.index, region, regions, indicator, names, year.astype(np.int64), value, imputed, imputation)


def check_table(data: pd.DataFrame, what: str = N_("the data")) -> pd.DataFrame:
    """Return a clean copy of a tidy table, or raise one :class:`ScoringError` naming every bad row.

    Regions and indicators become text, years whole numbers (``int64``), values finite floats.
    Rows are named by the table's index labels.
    """
    checked = _check(data, _(what))
    clean = pd.DataFrame(
        {
            "region": checked.labels("region"),
            "year": checked.year,
            "indicator": checked.labels("indicator"),
            "value": checked.value,
        },
        index=checked.index,
    )
    if checked.imputed is not None:
        clean["imputed"] = checked.imputed
        clean["imputation"] = checked.imputation
    return clean


#: Years a table may hold; anything else is a misread column (a date, a code, a value).
YEARS = (1000, 9999)
#: Largest magnitude of a value: beyond it, squares and sums of squares overflow.
LARGEST = 1e150


def _numbers(column: pd.Series) -> FloatArray | None:
    """Read a column as real numbers (``nan`` where not a number); ``None`` for complex numbers."""
    numbers = pd.to_numeric(column, errors="coerce")
    if pd.api.types.is_complex_dtype(numbers):
        return None
    return np.asarray(numbers, dtype=float)


def _years(data: pd.DataFrame) -> tuple[FloatArray, list[str]]:
    column = data["year"]
    if pd.api.types.is_datetime64_any_dtype(column) or isinstance(column.dtype, pd.PeriodDtype):
        return np.zeros(len(data)), [
            _("years are dates ({dtype}); give the year as a number, e.g. data['year'].dt.year").format(
                dtype=column.dtype
            )
        ]
    problems = []
    year = _numbers(column)
    if year is None:
        return np.zeros(len(data)), [_("years are complex numbers; give each year as a whole number")]
    absent = column.isna().to_numpy()
    if absent.any():
        problems.append(_("year missing in rows {rows}").format(rows=_rows(data, absent)))
    unreadable = np.isnan(year) & ~absent
    if unreadable.any():
        problems.append(_("year is not a number in rows {rows}").format(rows=_rows(data, unreadable)))
    with np.errstate(invalid="ignore"):
        fractional = np.isfinite(year) & (year != np.round(year))
        outside = np.isfinite(year) & ~fractional & ((year < YEARS[0]) | (year > YEARS[1]))
    if fractional.any():
        shown = listing(
            _("{year:g} (row {row})").format(year=year[n], row=data.index[int(n)]) for n in np.flatnonzero(fractional)
        )
        problems.append(_("years must be whole numbers: {years}").format(years=shown))
    if outside.any():
        shown = listing(
            _("{year:g} (row {row})").format(year=year[n], row=data.index[int(n)]) for n in np.flatnonzero(outside)
        )
        problems.append(
            _("years must lie between {low} and {high}: {years}").format(low=YEARS[0], high=YEARS[1], years=shown)
        )
    if np.isinf(year).any():
        problems.append(_("year is infinite in rows {rows}").format(rows=_rows(data, np.isinf(year))))
    return year, problems


def _values(data: pd.DataFrame) -> tuple[FloatArray, list[str]]:
    problems = []
    value = _numbers(data["value"])
    if value is None:
        return np.zeros(len(data)), [_("values are complex numbers; give real numbers")]
    absent = data["value"].isna().to_numpy()
    if absent.any():
        problems.append(
            _("value missing in rows {rows}; leave missing observations out (data.dropna(subset=['value']))").format(
                rows=_rows(data, absent)
            )
        )
    if (np.isnan(value) & ~absent).any():
        problems.append(_("value is not a number in rows {rows}").format(rows=_rows(data, np.isnan(value) & ~absent)))
    if np.isinf(value).any():
        problems.append(_("value is infinite in rows {rows}").format(rows=_rows(data, np.isinf(value))))
    huge = np.isfinite(value) & (np.abs(value) >= LARGEST)
    if huge.any():
        problems.append(
            _("values of {largest:g} or more cannot be scored reliably, in rows {rows}; rescale").format(
                largest=LARGEST, rows=_rows(data, huge)
            )
        )
    return value, problems


_TRUE = {"true", "1", "1.0", "yes", "ya", "y"}
_FALSE = {"false", "0", "0.0", "no", "tidak", "n", ""}


def _flags(column: pd.Series, what: str) -> npt.NDArray[np.bool_]:
    """Read the ``imputed`` column: booleans, 0/1 (as read from a CSV) or true/false words; blank is false."""
    if pd.api.types.is_bool_dtype(column):
        return column.fillna(value=False).to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(column):
        numbers = column.to_numpy(dtype=float)
        bad = ~np.isnan(numbers) & ~np.isin(numbers, [0.0, 1.0])
        if bad.any():
            msg = _("{what}: 'imputed' must be true or false (1 or 0), not {values}").format(
                what=what, values=listing(sorted(set(numbers[bad].tolist())))
            )
            raise ScoringError(msg)
        flags: npt.NDArray[np.bool_] = numbers == 1
        return flags
    text = column.astype(object).where(column.notna(), "").astype(str).str.strip().str.lower()
    unknown = ~text.isin(_TRUE | _FALSE)
    if unknown.any():
        msg = _("{what}: 'imputed' must be true or false, not {values}").format(
            what=what, values=listing(sorted(set(column[unknown].astype(str))))
        )
        raise ScoringError(msg)
    return text.isin(_TRUE).to_numpy()


@dataclass(frozen=True, eq=False)
class Panel:
    """Values on the full grid: rows are every region × year (region-major), columns indicators.

    ``filled`` codes each cell's imputation: 0 observed (or missing), ``k`` the method
    ``methods[k]``.
    """

    regions: tuple[str, ...]
    years: tuple[int, ...]
    indicators: tuple[str, ...]
    matrix: FloatArray
    filled: CodeArray
    methods: tuple[str, ...] = ("",)

    # ------------------------------------------------------------------------- building

    @classmethod
    def from_table(
        cls,
        data: pd.DataFrame,
        *,
        indicators: Sequence[str] | None = None,
        regions: Iterable[str] | None = None,
        years: Iterable[int] | None = None,
        what: str = N_("the data"),
    ) -> Panel:
        """Check a tidy table and lay it on the grid of every region × year in scope.

        ``indicators`` fixes the columns (an indicator of the table outside them is an error);
        ``regions`` fixes the regions (a region of the table outside them is an error; one
        without rows gets a row of gaps); ``years`` fixes the years (rows of other years are
        left out; years without rows get rows of gaps). By default all three come from the table.
        """
        what = _(what)
        checked = _check(data, what, indicators)
        if years is not None:
            year_list = _whole_years(years)
            checked = checked.take(np.isin(checked.year, year_list))
        else:
            year_list = np.unique(checked.year).tolist()
        if indicators is None:
            indicators = tuple(checked.indicators[n] for n in pd.unique(checked.indicator))
        column_of = pd.Index(list(indicators)).get_indexer(pd.Index(checked.indicators, dtype=object))
        used = np.zeros(len(checked.indicators), dtype=bool)
        used[checked.indicator] = True
        problem = unknown_names(
            _("indicators"), [n for n, u in zip(checked.indicators, used, strict=True) if u], indicators
        )
        if problem:
            msg = f"{what}: {problem}"
            raise ScoringError(msg)
        present = np.zeros(len(checked.regions), dtype=bool)
        present[checked.region] = True
        region_list = _regions([r for r, p in zip(checked.regions, present, strict=True) if p], regions, what)
        region_of = pd.Index(region_list, dtype=object).get_indexer(pd.Index(checked.regions, dtype=object))
        row = region_of[checked.region] * len(year_list) + _positions(checked.year, year_list)
        column = column_of[checked.indicator]
        cell = row * len(indicators) + column
        counts = np.bincount(cell, minlength=len(region_list) * len(year_list) * len(indicators))
        if (counts > 1).any():
            twice = np.isin(cell, np.flatnonzero(counts > 1))
            seen = dict.fromkeys(
                zip(
                    checked.labels("region")[twice],
                    checked.year[twice],
                    checked.labels("indicator")[twice],
                    strict=True,
                )
            )
            named = listing(
                _("region {region}, year {year}, indicator {indicator}").format(
                    region=repr(r), year=y, indicator=repr(i)
                )
                for r, y, i in list(seen)[:5]
            )
            repeated = int((counts > 1).sum())
            msg = n_(
                "{what}: {n} cell observed more than once: {cells}",
                "{what}: {n} cells observed more than once, e.g. {cells}",
                repeated,
            ).format(what=what, n=repeated, cells=named)
            raise ScoringError(msg)
        values = np.full((len(region_list) * len(year_list), len(indicators)), np.nan)
        values[row, column] = checked.value
        filled = np.zeros(values.shape, dtype=np.int16)
        methods: tuple[str, ...] = ("",)
        if checked.imputed is not None and checked.imputed.any():
            flagged = checked.imputed
            labels, codes = np.unique(checked.imputation[flagged].astype(str), return_inverse=True)  # type: ignore[index]  # present with the flags
            methods = ("", *labels.tolist())
            filled[row[flagged], column[flagged]] = codes + 1
        return cls(tuple(region_list), tuple(int(y) for y in year_list), tuple(indicators), values, filled, methods)

    # ------------------------------------------------------------------------- views

    @property
    def shape(self) -> tuple[int, int, int]:
        """Regions, years, indicators."""
        return len(self.regions), len(self.years), len(self.indicators)

    @property
    def imputed(self) -> BoolArray:
        """Cells whose value a missing-data method filled."""
        return self.filled > 0

    @property
    def observed(self) -> BoolArray:
        """Cells with a value that was observed (not imputed)."""
        observed: BoolArray = ~np.isnan(self.matrix) & (self.filled == 0)
        return observed

    def unit_region(self) -> npt.NDArray[np.object_]:
        """Return the region of each row."""
        return np.repeat(np.asarray(self.regions, dtype=object), len(self.years))

    def unit_year(self) -> npt.NDArray[np.int64]:
        """Return the year of each row."""
        return np.tile(np.asarray(self.years, dtype=np.int64), len(self.regions))

    def year_code(self) -> IntArray:
        """Return the year number of each row."""
        return np.tile(np.arange(len(self.years)), len(self.regions))

    def units(self) -> pd.DataFrame:
        """Return the rows as a table: ``region, year``."""
        return pd.DataFrame({"region": self.unit_region(), "year": self.unit_year()})

    def with_values(
        self, values: FloatArray, filled: CodeArray | None = None, methods: tuple[str, ...] | None = None
    ) -> Panel:
        """Return the panel with new values (and imputation codes)."""
        return replace(
            self,
            matrix=values,
            filled=self.filled if filled is None else filled,
            methods=self.methods if methods is None else methods,
        )

    def method_code(self, method: str) -> tuple[int, tuple[str, ...]]:
        """Return the code of imputation ``method``, adding it to the methods if new."""
        if method in self.methods:
            return self.methods.index(method), self.methods
        return len(self.methods), (*self.methods, method)

    def select_rows(self, keep: BoolArray) -> Panel:
        """Return the panel without the regions whose rows are all dropped by ``keep``.

        ``keep`` is one flag per row; a region keeps all its years when any is kept, the others
        becoming gaps.
        """
        by_region = keep.reshape(len(self.regions), len(self.years))
        regions = np.asarray(by_region.any(axis=1), dtype=bool)
        rows = np.repeat(regions, len(self.years))
        values = np.where(keep[:, None], self.matrix, np.nan)[rows]
        filled = np.where(keep[:, None], self.filled, 0).astype(np.int16)[rows]
        kept = tuple(r for r, k in zip(self.regions, regions.tolist(), strict=True) if k)
        return replace(self, regions=kept, matrix=values, filled=filled)

    def to_table(self) -> pd.DataFrame:
        """Return the values as a tidy table with ``imputed`` and ``imputation`` columns."""
        n_units, n_ind = self.matrix.shape
        present = ~np.isnan(self.matrix).ravel()
        codes = self.filled.ravel()[present]
        labels = np.asarray([None, *self.methods[1:]], dtype=object)
        return pd.DataFrame(
            {
                "region": np.repeat(self.unit_region(), n_ind)[present],
                "year": np.repeat(self.unit_year(), n_ind)[present],
                "indicator": np.tile(np.asarray(self.indicators, dtype=object), n_units)[present],
                "value": self.matrix.ravel()[present],
                "imputed": codes > 0,
                "imputation": labels[codes],
            }
        )

    def to_wide(self) -> pd.DataFrame:
        """Return the values as a table: (region, year) × indicators."""
        index = pd.MultiIndex.from_arrays([self.unit_region(), self.unit_year()], names=["region", "year"])
        return pd.DataFrame(self.matrix, index=index, columns=pd.Index(self.indicators, name="indicator"))

    def __repr__(self) -> str:
        """Summarise the grid and how much of it has values."""
        regions, years, indicators = self.shape
        cells = max(self.matrix.size, 1)
        observed = self.observed.sum() / cells
        imputed = self.imputed.sum() / cells
        span = f"{self.years[0]}–{self.years[-1]}" if self.years else "no years"
        return (
            f"<Panel {regions} regions × {years} years ({span}) × {indicators} indicators: "
            f"{observed:.1%} observed, {imputed:.1%} imputed>"
        )


def _positions(years: npt.NDArray[np.int64], year_list: Sequence[int]) -> IntArray:
    """Return the position of each year in the sorted ``year_list`` (a table look-up for a short span)."""
    if not len(years):
        return np.zeros(0, dtype=np.intp)
    first, last = year_list[0], year_list[-1]
    if last - first > 10_000:  # noqa: PLR2004 - a look-up table that large is not worth it
        return np.searchsorted(np.asarray(year_list), years)
    table = np.zeros(last - first + 1, dtype=np.intp)
    table[np.asarray(year_list) - first] = np.arange(len(year_list))
    return table[years - first]


def _whole_years(years: Iterable[int]) -> list[int]:
    if isinstance(years, str | bytes) or not isinstance(years, Iterable):
        msg = _("years= must be a list of years, e.g. [2023, 2024], not {value}").format(value=repr(years))
        raise ScoringError(msg)
    chosen = []
    for year in years:
        if isinstance(year, bool) or not isinstance(year, int | float | np.integer | np.floating):
            msg = _("years= must be whole numbers, not {value}").format(value=repr(year))
            raise ScoringError(msg)
        if not float(year).is_integer() or not YEARS[0] <= year <= YEARS[1]:
            msg = _("years= must be whole numbers between {low} and {high}, not {value}").format(
                low=YEARS[0], high=YEARS[1], value=repr(year)
            )
            raise ScoringError(msg)
        chosen.append(int(year))
    return sorted(set(chosen))


def _regions(present: list[str], regions: Iterable[str] | None, what: str) -> list[str]:
    if regions is None:
        return sorted(present)
    if isinstance(regions, str | bytes) or not isinstance(regions, Iterable):
        msg = _("regions= must be a list of region ids, not {value}").format(value=repr(regions))
        raise ScoringError(msg)
    chosen = list(dict.fromkeys(str(r) for r in regions))
    problem = unknown_names(_("regions"), present, chosen)
    if problem:
        msg = _("{what}: {problem}; they are not among the regions given").format(what=what, problem=problem)
        raise ScoringError(msg)
    # A listed region without any observation is scored with coverage 0 (and may be a typo).
    observed = set(present)
    empty = [f"{r!r}{suggest(r, observed)}" for r in chosen if r not in observed]
    if empty and observed:  # with nothing observed at all, the caller refuses the table
        warn(
            _("{what}: no observation at all for regions {regions}; they are scored with coverage 0").format(
                what=what, regions=listing(empty)
            )
        )
    return chosen


@dataclass(frozen=True, eq=False)
class StageResult:
    """What a stage returns: the new tidy table and a table of what it did.

    It unpacks as ``data, details = impute(...)``; ``changes`` lists the cells the stage changed
    (where it tracks them) and ``notes`` what it had to assume.
    """

    stage: str
    data: pd.DataFrame
    details: pd.DataFrame
    changes: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[pd.DataFrame]:
        """Unpack as ``(data, details)``."""
        yield self.data
        yield self.details

    def __repr__(self) -> str:
        """One or two lines: the stage, its size, and its notes."""
        changed = "" if self.changes is None else f", {len(self.changes)} cells changed"
        head = f"<StageResult {self.stage}: {len(self.data)} rows{changed}; .data .details"
        head += "" if self.changes is None else " .changes"
        return head + "".join(f"\n  note: {note}" for note in self.notes) + ">"
