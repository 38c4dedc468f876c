"""The SPBE preset: the Indonesian e-government index (PermenPANRB 59/2020) from 47 maturity levels.

Each indicator is assessed at a maturity level 1–5; aspects, domains and the index are weighted
means of the levels (weights from the regulation), so the index is ``Σ weight × level / 100`` on
the same 1–5 scale, and its predicate (Kurang … Memuaskan) follows from the ``spbe`` bands.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from io import StringIO

import numpy as np
import pandas as pd

from smartcity_model.errors import suggest
from smartcity_model.i18n import N_, _, n_
from smartcity_model.model import Direction, MaturityLevels
from smartcity_model.scoring.normalise import NormaliseSpec
from smartcity_model.scoring.panel import Panel, check_table
from smartcity_model.scoring.readiness import readiness_scale
from smartcity_model.scoring.rollup import score_panel
from smartcity_model.scoring.structure import IndicatorSpec, ScoringError, Structure, listing

__all__ = ["SPBE_LEVELS", "spbe_index", "spbe_indicator_id", "spbe_structure"]

#: Levels of the SPBE index, bottom to top.
SPBE_LEVELS: tuple[str, ...] = ("indicator", "aspect", "domain", "index")
_INDICATORS = 47
_TOP = 5


def spbe_indicator_id(number: int) -> str:
    """Return the id of SPBE indicator ``number`` (1–47), e.g. ``spbe-07``."""
    if not 1 <= number <= _INDICATORS:
        msg = _("SPBE indicators are numbered 1 to {last}, not {number}").format(last=_INDICATORS, number=number)
        raise ScoringError(msg)
    return f"spbe-{number:02d}"


def _table(name: str) -> pd.DataFrame:
    text = resources.files("smartcity_model.scoring").joinpath("data", name).read_text(encoding="utf-8")
    return pd.read_csv(StringIO(text))


@cache
def spbe_structure() -> Structure:
    """Return the SPBE 2020 hierarchy: 47 indicators → 8 aspects → 4 domains → the index."""
    indicators, aspects = _table("spbe_2020_indicators.csv"), _table("spbe_2020_aspects.csv")
    domains = aspects.drop_duplicates("domain")
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "node": [spbe_indicator_id(int(n)) for n in indicators["number"]],
                    "level": "indicator",
                    "parent": indicators["aspect"],
                    "weight": indicators["weight"],
                }
            ),
            pd.DataFrame(
                {"node": aspects["aspect"], "level": "aspect", "parent": aspects["domain"], "weight": aspects["weight"]}
            ),
            pd.DataFrame(
                {"node": domains["domain"], "level": "domain", "parent": "spbe", "weight": domains["domain_weight"]}
            ),
            pd.DataFrame({"node": ["spbe"], "level": "index", "parent": [None], "weight": [1.0]}),
        ],
        ignore_index=True,
    )
    spec = IndicatorSpec(Direction.HIGHER, MaturityLevels(levels=5))
    return Structure(SPBE_LEVELS, frame, dict.fromkeys(frame.loc[frame["level"] == "indicator", "node"], spec))


def spbe_index(levels: pd.DataFrame, *, level: str = "index") -> pd.DataFrame:
    """Return the SPBE index (1–5) and predicate per region and year from 47 maturity levels.

    ``levels`` is tidy: ``region, year, indicator, value`` with ``indicator`` an SPBE id
    (``spbe-01`` … ``spbe-47``) or number (1–47) and ``value`` the maturity level. Every
    indicator must be assessed. ``level`` chooses ``index``, ``domain`` or ``aspect``.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"region": "x", "year": 2023, "indicator": range(1, 48), "value": 3.0})
    >>> spbe_index(data)[["index", "predicate"]].to_numpy().tolist()
    [[3.0, 'Baik']]
    """
    if level not in SPBE_LEVELS[1:]:
        msg = _("level must be one of {levels}, not {level}{hint}").format(
            levels=", ".join(SPBE_LEVELS[1:]), level=repr(level), hint=suggest(str(level), SPBE_LEVELS[1:])
        )
        raise ScoringError(msg)
    what = N_("the SPBE levels")
    if not isinstance(levels, pd.DataFrame) or "indicator" not in levels.columns:
        check_table(levels, what)  # raises the error that names what the table lacks
    structure = spbe_structure()
    panel = Panel.from_table(
        levels.assign(indicator=levels["indicator"].map(_as_id)), indicators=structure.indicators, what=what
    )
    regions, years = panel.unit_region(), panel.unit_year()
    matrix = panel.matrix
    outside = np.argwhere(~np.isnan(matrix) & ((matrix < 1) | (matrix > _TOP) | (matrix != np.round(matrix))))
    if len(outside):
        shown = listing(f"{regions[r]!r} {years[r]} {panel.indicators[c]}: {matrix[r, c]:g}" for r, c in outside)
        msg = n_(
            "SPBE maturity levels are whole numbers from 1 to {top}; {n} value is not: {values}",
            "SPBE maturity levels are whole numbers from 1 to {top}; {n} values are not: {values}",
            len(outside),
        ).format(top=_TOP, n=len(outside), values=shown)
        raise ScoringError(msg)
    gaps = np.argwhere(np.isnan(panel.matrix))
    if len(gaps):
        shown = listing(f"{regions[r]!r} {years[r]}: {panel.indicators[c]}" for r, c in gaps)
        msg = n_(
            "the SPBE index needs all 47 indicators assessed; {n} is not: {cells}",
            "the SPBE index needs all 47 indicators assessed; {n} are not: {cells}",
            len(gaps),
        ).format(n=len(gaps), cells=shown)
        raise ScoringError(msg)
    result = score_panel(
        panel,
        structure,
        normalisation=NormaliseSpec(),
        aggregations=dict.fromkeys(structure.levels[1:], "arithmetic"),
        min_coverage=1.0,
        scale=readiness_scale("spbe"),
    )
    frame = result.readiness()
    frame = frame[frame["level"] == level]
    keys = ["region", "year"] if level == "index" else ["region", "year", "node"]
    out = frame[keys].rename(columns={"node": level})
    out["index"] = 1 + 4 * frame["score"].to_numpy() / 100
    out["predicate"] = frame["readiness"].to_numpy()
    return out.reset_index(drop=True)


def _as_id(indicator: object) -> object:
    """Turn an indicator number (``7``, ``"7"``, ``"spbe-7"``) into its SPBE id (``spbe-07``)."""
    text = str(indicator).strip().lower()
    number = text.removeprefix("spbe-").removeprefix("spbe")
    if isinstance(indicator, int | np.integer | str) and number.isdigit():
        return spbe_indicator_id(int(number))
    return indicator
