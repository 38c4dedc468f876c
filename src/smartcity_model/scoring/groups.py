"""Column-wise reductions over groups of rows that skip gaps and never warn.

numpy's ``nanmean`` and friends warn on an all-missing slice ("Mean of empty slice"); scoring
meets such slices all the time (an indicator nobody measured in a year). :class:`Groups` sorts
the rows once and reduces every column of every group with ``reduceat``, returning ``nan`` for a
group without values, silently and without a Python loop over groups.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import numpy.typing as npt

__all__ = ["Groups"]

FloatArray = npt.NDArray[np.float64]
Cell = TypeVar("Cell", bound=np.generic)
IntArray = npt.NDArray[np.intp]


class Groups:
    """Rows labelled by group; reductions return one row per group (in label order)."""

    def __init__(self, labels: npt.ArrayLike) -> None:
        """Group rows by ``labels`` (any sortable values, one per row)."""
        label_array = np.asarray(labels)
        self.order: IntArray = np.argsort(label_array, kind="stable")
        ordered = label_array[self.order]
        if len(ordered):
            self.starts: IntArray = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        else:
            self.starts = np.zeros(0, dtype=np.intp)
        self.labels = ordered[self.starts]
        group_of_sorted = np.cumsum(np.r_[False, ordered[1:] != ordered[:-1]]) if len(ordered) else self.order
        self.row_group: IntArray = np.empty(len(ordered), dtype=np.intp)
        self.row_group[self.order] = group_of_sorted

    @property
    def size(self) -> int:
        """Number of groups."""
        return len(self.starts)

    def _reduce(self, ufunc: np.ufunc, values: FloatArray) -> FloatArray:
        if not len(self.starts):
            return np.zeros((0, *values.shape[1:]))
        result: FloatArray = ufunc.reduceat(values[self.order], self.starts, axis=0)
        return result

    def count(self, values: FloatArray) -> FloatArray:
        """Count the values (not ``nan``) per group and column."""
        return self._reduce(np.add, (~np.isnan(values)).astype(float))

    def sum(self, values: FloatArray) -> FloatArray:
        """Sum the values per group and column (0 when there are none)."""
        return self._reduce(np.add, np.nan_to_num(values, nan=0.0))

    def min(self, values: FloatArray) -> FloatArray:
        """Return the smallest value per group and column (``nan`` when there are none)."""
        return self._reduce(np.fmin, values)

    def max(self, values: FloatArray) -> FloatArray:
        """Return the largest value per group and column (``nan`` when there are none)."""
        return self._reduce(np.fmax, values)

    def mean(self, values: FloatArray) -> FloatArray:
        """Return the mean per group and column (``nan`` when there are none)."""
        count = self.count(values)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, self.sum(values) / count, np.nan)

    def std(self, values: FloatArray, ddof: int = 1) -> FloatArray:
        """Return the standard deviation per group and column (``nan`` with ``ddof`` values or fewer)."""
        count = self.count(values)
        deviation = values - self.spread(self.mean(values))
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > ddof, np.sqrt(self.sum(deviation**2) / (count - ddof)), np.nan)

    def moments(self, values: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Return count, skewness and excess kurtosis per group and column (sample-adjusted, e1071 type 2).

        Skewness needs 3 values and kurtosis 4 (else ``nan``); both are ``nan`` when all values
        are equal. These are the formulas of COINr's ``skew()`` and ``kurt()``, and of pandas.
        """
        n = self.count(values)
        deviation = values - self.spread(self.mean(values))
        deviation[np.isnan(deviation)] = 0.0
        squared = deviation * deviation
        m2 = self._reduce(np.add, squared)
        m3 = self._reduce(np.add, squared * deviation)
        m4 = self._reduce(np.add, squared * squared)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            skew = np.sqrt(n) * m3 / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
            ratio = n * m4 / m2**2
            kurt = ((n + 1) * (ratio - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
        # Equal values can leave a tiny m2 by rounding: a group is flat when its largest value is
        # its smallest.
        flat = ~(self.max(values) > self.min(values))
        return n, np.where((n >= 3) & ~flat, skew, np.nan), np.where((n >= 4) & ~flat, kurt, np.nan)  # noqa: PLR2004

    def spread(self, per_group: npt.NDArray[Cell]) -> npt.NDArray[Cell]:
        """Return each row's group value (the inverse of a reduction)."""
        return per_group[self.row_group]
