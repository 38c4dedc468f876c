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

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartcity_model.scoring.structure import ScoringError, listing, raise_problems, unknown_names

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


def check_table(data: pd.DataFrame, what: str = "the data") -> pd.DataFrame:
    """Return a clean copy of a tidy table, or raise one :class:`ScoringError` naming every bad row.

    Regions and indicators become text, years whole numbers (``int64``), values finite floats.
    Rows are named by the table's index labels.
    """
    if not isinstance(data, pd.DataFrame):
        msg = f"{what} must be a pandas DataFrame with columns {', '.join(DATA_COLUMNS)}, not {type(data).__name__}"
        raise ScoringError(msg)
    missing = [column for column in DATA_COLUMNS if column not in data.columns]
    if missing:
        msg = f"{what} need columns {', '.join(DATA_COLUMNS)}; missing: {', '.join(missing)}"
        if "region_id" in data.columns and "region" in missing:
            msg += " (rename 'region_id' to 'region')"
        raise ScoringError(msg)
    problems = _id_problems(data)
    year, year_problems = _years(data)
    value, value_problems = _values(data)
    problems += year_problems + value_problems
    raise_problems(problems, what)
    clean = pd.DataFrame(
        {
            "region": data["region"].astype(str).to_numpy(dtype=object),
            "year": year.astype(np.int64),
            "indicator": data["indicator"].astype(str).to_numpy(dtype=object),
            "value": value,
        },
        index=data.index,
    )
    if "imputed" in data.columns or "imputation" in data.columns:
        method = data["imputation"] if "imputation" in data.columns else pd.Series(None, index=data.index)
        named = method.notna().to_numpy() & (method.astype(str).str.strip() != "").to_numpy()
        flags = _flags(data["imputed"], what) if "imputed" in data.columns else named
        clean["imputed"] = flags
        labels = np.where(named, method.astype(str).to_numpy(dtype=object), "given")
        clean["imputation"] = pd.Series(labels, index=data.index, dtype=object).where(flags, None)
    return clean


def _id_problems(data: pd.DataFrame) -> list[str]:
    problems = []
    for column in ("region", "indicator"):
        blank = data[column].isna().to_numpy() | (data[column].astype(str).str.strip() == "").to_numpy()
        if blank.any():
            problems.append(f"{column} missing in rows {_rows(data, blank)}")
    return problems


def _years(data: pd.DataFrame) -> tuple[FloatArray, list[str]]:
    problems = []
    year = pd.to_numeric(data["year"], errors="coerce").to_numpy(dtype=float)
    absent = data["year"].isna().to_numpy()
    if absent.any():
        problems.append(f"year missing in rows {_rows(data, absent)}")
    unreadable = np.isnan(year) & ~absent
    if unreadable.any():
        problems.append(f"year is not a number in rows {_rows(data, unreadable)}")
    with np.errstate(invalid="ignore"):
        fractional = np.isfinite(year) & (year != np.round(year))
    if fractional.any():
        shown = listing(f"{data['year'].iloc[n]!r} (row {data.index[int(n)]})" for n in np.flatnonzero(fractional))
        problems.append(f"years must be whole numbers: {shown}")
    if np.isinf(year).any():
        problems.append(f"year is infinite in rows {_rows(data, np.isinf(year))}")
    return year, problems


def _values(data: pd.DataFrame) -> tuple[FloatArray, list[str]]:
    problems = []
    value = pd.to_numeric(data["value"], errors="coerce").to_numpy(dtype=float)
    absent = data["value"].isna().to_numpy()
    if absent.any():
        problems.append(
            f"value missing in rows {_rows(data, absent)}; leave missing observations out "
            "(data.dropna(subset=['value']))"
        )
    if (np.isnan(value) & ~absent).any():
        problems.append(f"value is not a number in rows {_rows(data, np.isnan(value) & ~absent)}")
    if np.isinf(value).any():
        problems.append(f"value is infinite in rows {_rows(data, np.isinf(value))}")
    return value, problems


_TRUE = {"true", "1", "yes", "ya", "y"}
_FALSE = {"false", "0", "no", "tidak", "n", ""}


def _flags(column: pd.Series, what: str) -> npt.NDArray[np.bool_]:
    """Read the ``imputed`` column: booleans, 0/1 or true/false words; blank is false."""
    if column.dtype == bool:
        return column.to_numpy()
    text = column.fillna("").astype(str).str.strip().str.lower()
    unknown = ~text.isin(_TRUE | _FALSE)
    if unknown.any():
        msg = f"{what}: 'imputed' must be true or false, not {listing(sorted(set(column[unknown].astype(str))))}"
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
        what: str = "the data",
    ) -> Panel:
        """Check a tidy table and lay it on the grid of every region × year in scope.

        ``indicators`` fixes the columns (an indicator of the table outside them is an error);
        ``regions`` fixes the regions (a region of the table outside them is an error; one
        without rows gets a row of gaps); ``years`` fixes the years (rows of other years are
        left out; years without rows get rows of gaps). By default all three come from the table.
        """
        clean = check_table(data, what)
        if years is not None:
            year_list = _whole_years(years)
            clean = clean[clean["year"].isin(year_list)]
        else:
            year_list = sorted(set(clean["year"].tolist()))
        if indicators is None:
            indicators = tuple(pd.unique(clean["indicator"]))
        problem = unknown_names("indicators", clean["indicator"], indicators)
        if problem:
            msg = f"{what}: {problem}"
            raise ScoringError(msg)
        region_list = _regions(clean, regions, what)
        region_code = pd.Index(region_list).get_indexer(pd.Index(clean["region"]))
        year_code = pd.Index(year_list).get_indexer(pd.Index(clean["year"]))
        column = pd.Index(list(indicators)).get_indexer(pd.Index(clean["indicator"]))
        row = region_code * len(year_list) + year_code
        cell = row * len(indicators) + column
        counts = np.bincount(cell, minlength=len(region_list) * len(year_list) * len(indicators))
        if (counts > 1).any():
            twice = clean[np.isin(cell, np.flatnonzero(counts > 1))]
            shown = twice.drop_duplicates(["region", "year", "indicator"]).head(5)
            named = listing(
                (
                    f"region {r!r}, year {y}, indicator {i!r}"
                    for r, y, i in shown[["region", "year", "indicator"]].itertuples(index=False)
                ),
            )
            n_cells = int((counts > 1).sum())
            msg = f"{what}: {n_cells} cells observed more than once, e.g. {named}"
            raise ScoringError(msg)
        values = np.full((len(region_list) * len(year_list), len(indicators)), np.nan)
        values[row, column] = clean["value"].to_numpy()
        filled = np.zeros(values.shape, dtype=np.int16)
        methods: tuple[str, ...] = ("",)
        if "imputed" in clean.columns and clean["imputed"].any():
            flagged = clean["imputed"].to_numpy()
            labels, codes = np.unique(clean.loc[flagged, "imputation"].astype(str), return_inverse=True)
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

    def region_code(self) -> IntArray:
        """Return the region number of each row."""
        return np.repeat(np.arange(len(self.regions)), len(self.years))

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


def _whole_years(years: Iterable[int]) -> list[int]:
    chosen = []
    for year in years:
        if isinstance(year, bool) or not float(year).is_integer():
            msg = f"years= must be whole numbers, not {year!r}"
            raise ScoringError(msg)
        chosen.append(int(year))
    return sorted(set(chosen))


def _regions(clean: pd.DataFrame, regions: Iterable[str] | None, what: str) -> list[str]:
    if regions is None:
        return sorted(set(clean["region"].tolist()))
    chosen = list(dict.fromkeys(str(r) for r in regions))
    problem = unknown_names("regions", clean["region"], chosen)
    if problem:
        msg = f"{what}: {problem}; they are not among the regions given"
        raise ScoringError(msg)
    return chosen


@dataclass(frozen=True)
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
