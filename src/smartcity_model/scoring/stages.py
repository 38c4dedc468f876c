"""The stages before normalisation, as plain functions on the tidy table.

Each takes a tidy table (``region, year, indicator, value``, optionally ``imputed`` and
``imputation``) and returns a :class:`StageResult`: the new table plus what the stage did, so
stages compose with each other and with pandas::

    data, _ = denominate(raw, regions, {"internet_users": "population"})
    data, filled = impute(data, "group_mean", groups=kinds)
    data, report = treat(data)
    scm.roll_up(data, structure, method="minmax")

A :class:`~smartcity_model.scoring.Recipe` runs the same stages from one declared file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from smartcity_model.i18n import _
from smartcity_model.scoring.denominate import Denominator, MissingDenominator, denominate_panel, denominators_of
from smartcity_model.scoring.impute import impute_panel, left_note
from smartcity_model.scoring.normalise import Scope
from smartcity_model.scoring.panel import Panel, StageResult
from smartcity_model.scoring.screen import ScreenUnit, removed_note, screen_panel
from smartcity_model.scoring.structure import ScoringError, Structure, warn
from smartcity_model.scoring.treat import TreatmentRule, treat_panel, unchecked_message

__all__ = ["denominate", "filled_cells", "impute", "screen", "treat"]


def filled_cells(before: Panel, after: Panel) -> pd.DataFrame:
    """Return the cells a missing-data method filled: ``region, year, indicator, before, after, how``."""
    rows, columns = np.nonzero(np.isnan(before.matrix) & ~np.isnan(after.matrix))
    labels = np.asarray(after.methods, dtype=object)
    return pd.DataFrame(
        {
            "region": after.unit_region()[rows],
            "year": after.unit_year()[rows],
            "indicator": np.asarray(after.indicators, dtype=object)[columns],
            "before": np.nan,
            "after": after.matrix[rows, columns],
            "how": labels[after.filled[rows, columns]],
        }
    )


def denominate(
    data: pd.DataFrame,
    denominators: pd.DataFrame,
    by: Mapping[str, str | Denominator | Mapping[str, object]] | Structure,
    *,
    missing: MissingDenominator = "raise",
) -> StageResult:
    """Divide indicators by their denominators (population, area, GRDP...).

    Parameters
    ----------
    data
        The tidy table.
    denominators
        One row per region (or region and ``year``), one column per denominator.
    by
        Indicator → denominator column (or ``{"column": ..., "scale": 1000}``), or a
        :class:`Structure` whose indicators name their denominator.
    missing
        A value whose denominator is missing or 0 is an error (``raise``, all listed at once) or
        becomes a gap (``gap``, COINr's behaviour), with a warning naming it.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"region": ["a", "b"], "year": 2024, "indicator": "doctors", "value": [50.0, 12.0]})
    >>> people = pd.DataFrame({"region": ["a", "b"], "population": [100_000, 20_000]})
    >>> data, details = denominate(raw, people, {"doctors": {"column": "population", "scale": 1000}})
    >>> data["value"].tolist()
    [0.5, 0.6]
    """
    panel = Panel.from_table(data)
    result, details, notes = denominate_panel(panel, denominators, denominators_of(by), missing=missing)
    for note in notes:
        warn(note)
    return StageResult("denominate", result.to_table(), details, notes=tuple(notes))


def impute(  # noqa: PLR0913 - keyword-only options of one stage
    data: pd.DataFrame,
    method: str,
    *,
    groups: Mapping[str, object] | pd.Series | None = None,
    max_gap: int | None = None,
    regions: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
) -> StageResult:
    """Fill missing values by ``method``, flagging every filled cell (``imputed``, ``imputation``).

    The grid is every region × year of the data (or of ``regions`` and ``years``) and every
    indicator of the data. ``details`` counts, per indicator, the cells missing, filled and
    left; ``changes`` lists the filled cells.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"region": "a", "year": [2020, 2023], "indicator": "x", "value": [1.0, 4.0]})
    >>> filled, details = impute(data, "linear", years=range(2020, 2024))
    >>> filled[["year", "value", "imputed"]].to_numpy().tolist()
    [[2020, 1.0, False], [2021, 2.0, True], [2022, 3.0, True], [2023, 4.0, False]]
    """
    panel = Panel.from_table(data, regions=regions, years=years)
    result, details = impute_panel(panel, method, groups=groups, max_gap=max_gap)
    note = left_note(details, method)
    return StageResult(
        "impute", result.to_table(), details, filled_cells(panel, result), () if note is None else (note,)
    )


def screen(  # noqa: PLR0913 - keyword-only options of one stage
    data: pd.DataFrame,
    *,
    min_availability: float = 2 / 3,
    min_nonzero: float | None = None,
    unit: ScreenUnit = "region-year",
    count_imputed: bool = False,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    indicators: Sequence[str] | Structure | None = None,
) -> StageResult:
    """Remove regions (or region-years) with too little data; ``details`` says who and why.

    ``indicators`` is the full indicator set the availability is counted against (default: the
    indicators of the data; pass the structure so an indicator nobody measured counts too).
    """
    chosen = indicators.indicators if isinstance(indicators, Structure) else indicators
    panel = Panel.from_table(data, indicators=chosen)
    result, details = screen_panel(
        panel,
        min_availability=min_availability,
        min_nonzero=min_nonzero,
        unit=unit,
        count_imputed=count_imputed,
        include=include,
        exclude=exclude,
    )
    note = removed_note(details, unit)
    return StageResult("screen", result.to_table(), details, notes=() if note is None else (note,))


def treat(  # noqa: PLR0913 - keyword-only options of one stage
    data: pd.DataFrame,
    method: str = "coinr",
    *,
    winmax: int | None = None,
    skew: float = 2.0,
    kurtosis: float = 3.5,
    scope: Scope = "panel",
    methods: Mapping[str, str] | None = None,
) -> StageResult:
    """Treat outliers (COINr's default: winsorise up to ``winmax`` points, else log).

    ``details`` has one row per indicator and scope (skewness and kurtosis before and after,
    what was done); ``changes`` lists every changed cell. ``methods`` overrides the method of
    single indicators, e.g. ``{"tir": "none"}``; ``winmax`` (default 5) is for ``coinr`` and
    ``winsorise``.
    """
    if winmax is not None and method in {"log", "none"} and not methods:
        msg = _("winmax= is used only by the coinr and winsorise treatments, not by {method}").format(method=method)
        raise ScoringError(msg)
    panel = Panel.from_table(data)
    rule = TreatmentRule(5 if winmax is None else winmax, skew, kurtosis)
    result, details, changes = treat_panel(panel, method, rule=rule, scope=scope, methods=methods)
    message = unchecked_message(details)
    if message:
        warn(message)
    return StageResult("treat", result.to_table(), details, changes, () if message is None else (message,))
