"""Normalisation: raw indicator values to comparable scores, direction-aware and vectorised.

Declared methods (per indicator, from its :class:`~smartcity_model.Indicator`), all clipped to
0–100:

- goalposts: ``(x - min) / (max - min) × 100`` for higher-is-better, ``(max - x) / (max - min) × 100``
  for lower-is-better; for a target band, 100 inside the band, falling linearly to 0 at the goalposts;
- distance to target: ``(x - worst) / (target - worst) × 100``;
- maturity levels 1…n: ``(x - 1) / (n - 1) × 100``, whole levels only (anything else is refused);
- thresholds: the score of the band the value falls in.

Peer-relative methods compare each value with the others of its **scope**: the whole panel (all
regions and years together, the default, so trends stay comparable) or each year on its own.
Lower-is-better indicators are turned around first (COINr multiplies them by -1); a ``band``
indicator is scored by its distance to the band, so a value inside the band scores best. With
``y`` the turned value:

- ``minmax``: ``(y - min) / (max - min) × (u - l) + l`` for the range ``(l, u)`` (default 0–100);
- ``zscore``: ``mean + sd × (y - ȳ) / s`` (default 50 + 10 z, a T-score, clipped to 0–100);
- ``percentile`` (or ``rank``): ``(rank - 1) / (n - 1) × 100``; ``borda``: ``rank - 1``;
- ``fraction_of_max``: ``x / max × 100`` (higher is better) or ``min / x × 100`` (lower is better);
- ``distance_to_max``: ``(1 - (max - y) / (max - min)) × 100``;
- ``distance_to_reference``: ``(1 - (y_ref - y) / (y_ref - min)) × 100``, ``y_ref`` a reference
  region's value, capped at 100 unless ``cap=False``;
- ``distance_to_target``: ``(y - min) / (target - min) × 100`` with each indicator's target, capped
  likewise.

A peer-relative score needs peers: where an indicator has fewer than two values in a scope, or
they do not differ, it is left missing (never a made-up 50) and a :class:`ScoringWarning` says
which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Literal, get_args

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from smartcity_model.errors import suggest
from smartcity_model.i18n import _, n_
from smartcity_model.model import Direction, DistanceToTarget, Goalposts, MaturityLevels, Thresholds
from smartcity_model.model.base import FrozenModel
from smartcity_model.scoring.groups import Groups
from smartcity_model.scoring.structure import IndicatorSpec, ScoringError, listing, warn

__all__ = [
    "NORMALISATION_METHODS",
    "PEER_METHODS",
    "NormaliseSpec",
    "Scope",
    "Ties",
    "normalise",
    "normalise_matrix",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]
Scope = Literal["panel", "year"]
Ties = Literal["average", "min", "max", "first", "dense"]
Method = Literal[
    "declared",
    "minmax",
    "zscore",
    "percentile",
    "rank",
    "borda",
    "fraction_of_max",
    "distance_to_max",
    "distance_to_reference",
    "distance_to_target",
]
#: ``declared`` uses each indicator's own method (peer-relative ``minmax`` where none is declared).
NORMALISATION_METHODS: tuple[str, ...] = get_args(Method)
#: Peer-relative methods: each value is scored against the others of its scope.
PEER_METHODS: tuple[str, ...] = NORMALISATION_METHODS[1:]
_RANKED = ("percentile", "rank", "borda")
#: The settings each method uses (besides ``scope``); giving another one is an error.
_SETTINGS: dict[str, set[str]] = {
    "declared": {"range"},
    "minmax": {"range"},
    "zscore": {"mean", "sd", "clip"},
    "percentile": {"ties"},
    "rank": {"ties"},
    "borda": {"ties"},
    "fraction_of_max": set(),
    "distance_to_max": set(),
    "distance_to_reference": {"reference", "reference_year", "cap"},
    "distance_to_target": {"cap"},
}


class NormaliseSpec(FrozenModel):
    """How indicators are normalised: the method, its scope and its settings.

    Examples
    --------
    >>> NormaliseSpec(method="minmax", range=(1, 100)).range
    (1.0, 100.0)
    >>> NormaliseSpec.of("zscore").scope
    'panel'
    """

    method: Method = "declared"
    """A name from :data:`NORMALISATION_METHODS`."""
    scope: Scope = "panel"
    """Peers of a value: ``panel`` (every region and year together) or ``year`` (its own year)."""
    range: tuple[float, float] = (0.0, 100.0)
    """``minmax``: the scores of the worst and the best value (COINr's ``l_u``), e.g. ``(1, 100)``."""
    mean: float = 50.0
    """``zscore``: the score of an average value."""
    sd: Annotated[float, Field(gt=0)] = 10.0
    """``zscore``: the score points of one standard deviation."""
    clip: bool = True
    """``zscore``: clip scores to 0–100."""
    ties: Ties = "average"
    """Rank-based methods: the rank tied values share (``min`` is COINr's)."""
    reference: str | None = None
    """``distance_to_reference``: the reference region."""
    reference_year: int | None = None
    """``distance_to_reference``: a fixed year of the reference (default: each value's own year)."""
    cap: bool = True
    """``distance_to_reference`` and ``distance_to_target``: cap scores at 100."""

    @model_validator(mode="after")
    def _consistent(self) -> NormaliseSpec:
        unused = sorted(self.model_fields_set - {"method", "scope"} - _SETTINGS[self.method])
        if unused:
            raise PydanticCustomError(
                "invalid-choice",
                _("{method} does not use {unused}; its settings are {settings}"),
                {
                    "method": self.method,
                    "unused": ", ".join(unused),
                    "settings": ", ".join(sorted(_SETTINGS[self.method])) or _("none but scope"),
                },
            )
        if not self.range[0] < self.range[1]:
            raise PydanticCustomError("out-of-range", _("range needs low < high, e.g. (0, 100)"))
        if self.method == "distance_to_reference" and self.reference is None:
            raise PydanticCustomError("missing-field", _("distance_to_reference needs a reference region"))
        return self

    @classmethod
    def of(cls, method: str | NormaliseSpec) -> NormaliseSpec:
        """Return ``method`` as a spec; a name gets the default settings."""
        if isinstance(method, NormaliseSpec):
            return method
        if method not in NORMALISATION_METHODS:
            msg = _("unknown normalisation {method}{hint}; use one of {methods}").format(
                method=repr(method),
                hint=suggest(str(method), NORMALISATION_METHODS),
                methods=", ".join(NORMALISATION_METHODS),
            )
            raise ScoringError(msg)
        try:
            return cls(method=method)
        except ValidationError as error:
            msg = _("normalisation {method}: {detail}").format(method=repr(method), detail=error.errors()[0]["msg"])
            raise ScoringError(msg) from None

    def describe(self) -> str:
        """Return one line: method, scope and settings that differ from the defaults."""
        changed = self.model_dump(exclude_defaults=True, exclude={"method", "scope"})
        settings = "".join(f", {key}={value}" for key, value in changed.items())
        peers = _("peers: each year") if self.scope == "year" else _("peers: whole panel")
        if self.method == "declared":
            return _("declared (minmax where none is declared, {peers}{settings})").format(
                peers=peers, settings=settings
            )
        return f"{self.method}, {peers}{settings}"


@dataclass
class Normalised:
    """Scores of a normalisation and the indicator-scopes it had to leave missing."""

    scores: FloatArray
    skipped: list[tuple[str, str, str]] = field(default_factory=list)
    """``(indicator, scope, reason)`` for every column and scope left missing."""

    def message(self, method: str) -> str:
        """Describe what was left missing, for a warning."""
        shown = listing(
            _("{indicator} in {scope} ({reason})").format(indicator=repr(ind), scope=scope, reason=reason)
            for ind, scope, reason in self.skipped
        )
        return n_(
            "{method} left {n} indicator scope missing: {scopes}",
            "{method} left {n} indicator scopes missing: {scopes}",
            len(self.skipped),
        ).format(method=method, n=len(self.skipped), scopes=shown)


def _clip(values: FloatArray) -> FloatArray:
    return np.clip(values, 0.0, 100.0)


def _goalposts(x: FloatArray, spec: IndicatorSpec, goal: Goalposts) -> FloatArray:
    span = goal.max - goal.min
    if spec.direction is Direction.LOWER:
        return _clip((goal.max - x) / span * 100)
    if spec.direction is Direction.BAND and spec.band is not None:
        low, high = spec.band.low, spec.band.high
        with np.errstate(invalid="ignore", divide="ignore"):
            below = (x - goal.min) / (low - goal.min) * 100 if low > goal.min else np.where(x >= low, 100.0, 0.0)
            above = (goal.max - x) / (goal.max - high) * 100 if goal.max > high else np.where(x <= high, 100.0, 0.0)
        return _clip(np.where(x < low, below, np.where(x > high, above, 100.0)))
    return _clip((x - goal.min) / span * 100)


def _declared(x: FloatArray, spec: IndicatorSpec, indicator: str) -> FloatArray | None:
    """Score one indicator's column by its declared method; ``None`` if it declares none."""
    norm = spec.normalisation
    if isinstance(norm, Goalposts):
        return _goalposts(x, spec, norm)
    if isinstance(norm, DistanceToTarget):
        target = norm.target if norm.target is not None else spec.last_target
        worst = norm.worst if norm.worst is not None else 0.0
        if target is None or target == worst:
            msg = _("indicator {indicator}: distance to target needs a target different from 'worst'").format(
                indicator=repr(indicator)
            )
            raise ScoringError(msg)
        return _clip((x - worst) / (target - worst) * 100)
    if isinstance(norm, MaturityLevels):
        present = x[~np.isnan(x)]
        wrong = np.unique(present[(present != np.round(present)) | (present < 1) | (present > norm.levels)])
        if wrong.size:
            shown = ", ".join(f"{value:g}" for value in wrong[:10]) + (", ..." if wrong.size > 10 else "")  # noqa: PLR2004
            msg = _(
                "indicator {indicator}: maturity levels are whole numbers from 1 to {top}; {values} are not "
                "(an index on a 1-{top} scale is normalised with goalposts from 1 to {top})"
            ).format(indicator=repr(indicator), top=norm.levels, values=shown)
            raise ScoringError(msg)
        return (x - 1) / (norm.levels - 1) * 100
    if isinstance(norm, Thresholds):
        scores = np.asarray(norm.scores, dtype=float)
        index = np.searchsorted(np.asarray(norm.breaks, dtype=float), np.nan_to_num(x), side="right")
        return np.where(np.isnan(x), np.nan, scores[index])
    if spec.direction is Direction.BAND and spec.band is not None:
        return np.where(np.isnan(x), np.nan, np.where((x >= spec.band.low) & (x <= spec.band.high), 100.0, 0.0))
    return None


def _turned(values: FloatArray, specs: Sequence[IndicatorSpec]) -> tuple[FloatArray, BoolArray]:
    """Return values where higher is better (lower-is-better negated, band as minus its distance)."""
    lower = np.array([s.direction is not Direction.HIGHER for s in specs], dtype=bool)
    turned = values.copy()
    for column, spec in enumerate(specs):
        if spec.direction is Direction.BAND and spec.band is not None:
            x = values[:, column]
            turned[:, column] = np.maximum(np.maximum(spec.band.low - x, x - spec.band.high), 0.0)
    return np.where(lower, -turned, turned), lower


class _Peer:
    """One peer-relative normalisation of a block of columns, with what it had to skip."""

    def __init__(  # noqa: PLR0913 - the arrays and labels of one normalisation
        self,
        values: FloatArray,
        specs: Sequence[IndicatorSpec],
        groups: Groups,
        *,
        names: Sequence[str],
        scope_names: Sequence[str],
        row_names: Sequence[str] | None = None,
    ) -> None:
        self.row_names = None if row_names is None else np.asarray(row_names, dtype=object)
        self.x = values
        self.specs = specs
        self.groups = groups
        self.names = names
        self.scope_names = scope_names
        self.y, self.lower = _turned(values, specs)
        self.count = groups.count(values)
        self.low = groups.min(self.y)
        self.high = groups.max(self.y)
        self.skipped: list[tuple[str, str, str]] = []

    def skip(self, bad: BoolArray, reason: str) -> BoolArray:
        """Record the (group, column) cells of ``bad`` that have values, and return ``bad``."""
        for group, column in np.argwhere(bad & (self.count > 0)):
            self.skipped.append((self.names[column], self.scope_names[group], reason))
        return bad

    def keep(self, scores: FloatArray, bad: BoolArray) -> FloatArray:
        """Blank the rows of the (group, column) cells marked ``bad``."""
        return np.where(self.groups.spread(bad), np.nan, scores)

    def span_checked(self) -> tuple[FloatArray, BoolArray]:
        one = self.skip(self.count == 1, _("one value"))
        flat = self.skip((self.count > 1) & ~(self.high > self.low), _("no spread"))
        return self.groups.spread(self.high - self.low), one | flat

    def run(self, spec: NormaliseSpec, targets: FloatArray, reference: FloatArray | None) -> FloatArray:
        method, y = spec.method, self.y
        low = self.groups.spread(self.low)
        with np.errstate(invalid="ignore", divide="ignore"):
            if method in {"minmax", "distance_to_max"}:
                span, bad = self.span_checked()
                lo, hi = spec.range if method == "minmax" else (0.0, 100.0)
                return self.keep((y - low) / span * (hi - lo) + lo, bad)
            if method == "zscore":
                # Equal values can leave a standard deviation of 1e-17 by rounding: spread is
                # judged exactly, on the largest and smallest value, as for min-max.
                _span, bad = self.span_checked()
                sd = self.groups.std(y)
                z = (y - self.groups.spread(self.groups.mean(y))) / self.groups.spread(sd)
                scores = spec.mean + spec.sd * z
                return self.keep(_clip(scores) if spec.clip else scores, bad)
            if method in _RANKED:
                return self._ranked(spec)
            if method == "fraction_of_max":
                return self._fraction_of_max()
            if method == "distance_to_reference":
                assert reference is not None  # noqa: S101 - the caller passes it for this method
                return self._towards(reference, cap=spec.cap, missing=_("the reference has no value"))
            return self._towards(np.broadcast_to(targets, y.shape), cap=spec.cap, missing=_("no target"))

    def _ranked(self, spec: NormaliseSpec) -> FloatArray:
        _span, bad = self.span_checked()
        labels = self.groups.spread(np.arange(self.groups.size))
        ranks = pd.DataFrame(self.y).groupby(labels).rank(method=spec.ties).to_numpy(dtype=float)
        if spec.method == "borda":
            return self.keep(ranks - 1, bad)
        n = self.groups.spread(self.count)
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.keep((ranks - 1) / (n - 1) * 100, bad)

    def _fraction_of_max(self) -> FloatArray:
        banded = [self.names[c] for c, s in enumerate(self.specs) if s.direction is Direction.BAND]
        if banded:
            msg = _("fraction_of_max is undefined for target-band indicators: {indicators}; use minmax").format(
                indicators=listing(banded)
            )
            raise ScoringError(msg)
        x = self.x
        bad_higher = ~self.lower & (x < 0)
        bad_lower = self.lower & (x <= 0)
        offending = sorted({self.names[int(c)] for c in np.flatnonzero((bad_higher | bad_lower).any(axis=0))})
        if offending:
            msg = _(
                "fraction_of_max needs values >= 0 (and > 0 where lower is better); other values in {indicators}"
            ).format(indicators=listing(offending))
            raise ScoringError(msg)
        one = self.skip(self.count == 1, _("one value"))
        best_high = self.groups.spread(self.groups.max(x))
        best_low = self.groups.spread(self.groups.min(x))
        zero = self.skip((self.count > 1) & ~self.lower & ~(self.groups.max(x) > 0), _("all values 0"))
        with np.errstate(invalid="ignore", divide="ignore"):
            scores = np.where(self.lower, best_low / x, x / best_high) * 100
        return self.keep(scores, one | zero)

    def _towards(self, reference: FloatArray, *, cap: bool, missing: str) -> FloatArray:
        """Score ``(y - min) / (reference - min) × 100``; ``reference`` is per row, already turned."""
        one = self.skip(self.count == 1, _("one value"))
        low = self.groups.spread(self.low)
        reach = reference - low
        has = ~np.isnan(self.y)
        absent = np.isnan(reference) & has
        worst = ~np.isnan(reference) & has & ~(reach > 0)
        if absent.any():
            self._skip_rows(absent & ~self.groups.spread(one), missing)
        if worst.any():
            self._skip_rows(worst & ~self.groups.spread(one), _("the reference is not above the worst value"))
        with np.errstate(invalid="ignore", divide="ignore"):
            scores = np.where(absent | worst, np.nan, (self.y - low) / reach * 100)
        return self.keep(np.minimum(scores, 100.0) if cap else scores, one)

    def _skip_rows(self, rows: BoolArray, reason: str) -> None:
        """Record the rows left missing, named by their years where known, else by their scope."""
        if self.row_names is None:
            self.skip(self.groups.count(np.where(rows, 1.0, np.nan)) > 0, reason)
            return
        for column in np.flatnonzero(rows.any(axis=0)):
            labels = sorted(set(self.row_names[rows[:, column]].tolist()))
            self.skipped.append((self.names[int(column)], listing(labels), reason))


def normalise_matrix(  # noqa: PLR0913 - the arrays of one normalisation
    values: FloatArray,
    specs: Sequence[IndicatorSpec],
    groups: npt.ArrayLike,
    method: str | NormaliseSpec = "declared",
    *,
    names: Sequence[str] | None = None,
    scope_names: Sequence[str] | None = None,
    reference: FloatArray | None = None,
    row_names: Sequence[str] | None = None,
) -> Normalised:
    """Normalise ``values`` (rows × indicators) and say which indicator scopes were left missing.

    ``groups`` labels each row's scope for peer-relative methods; ``reference`` gives, for
    ``distance_to_reference``, each row's reference values (rows × indicators, raw);
    ``row_names`` names each row in messages (its year).
    """
    spec = NormaliseSpec.of(method)
    n_columns = values.shape[1]
    names = list(names) if names is not None else [str(n) for n in range(n_columns)]
    grouping = Groups(groups)
    labels = [str(label) for label in grouping.labels]
    scope_names = list(scope_names) if scope_names is not None else labels
    scores = np.full_like(values, np.nan)
    if spec.method == "declared":
        peer_columns = []
        for column, item in enumerate(specs):
            scored = _declared(values[:, column], item, names[column])
            if scored is None:
                peer_columns.append(column)
            else:
                scores[:, column] = scored
        peer_spec = spec.model_copy(update={"method": "minmax"})
    else:
        peer_columns = list(range(n_columns))
        peer_spec = spec
    if not peer_columns:
        return Normalised(scores)
    chosen = [specs[c] for c in peer_columns]
    peer = _Peer(
        values[:, peer_columns],
        chosen,
        grouping,
        names=[names[c] for c in peer_columns],
        scope_names=scope_names,
        row_names=row_names,
    )
    targets = np.zeros(0)
    if peer_spec.method == "distance_to_target":
        targets = _targets(chosen, [names[c] for c in peer_columns])
    turned_reference = None
    if reference is not None:
        turned_reference, _lower = _turned(reference[:, peer_columns], chosen)
    scores[:, peer_columns] = peer.run(peer_spec, targets, turned_reference)
    return Normalised(scores, peer.skipped)


def _targets(specs: Sequence[IndicatorSpec], names: Sequence[str]) -> FloatArray:
    """Each indicator's target turned like its values (a band's target is the band: distance 0)."""
    missing = [
        n for n, s in zip(names, specs, strict=True) if s.last_target is None and s.direction is not Direction.BAND
    ]
    if missing:
        msg = _("distance_to_target needs a target for every indicator; none for {indicators}").format(
            indicators=listing(missing)
        )
        raise ScoringError(msg)
    values = []
    for spec in specs:
        if spec.direction is Direction.BAND:
            values.append(0.0)
        else:
            target = float(spec.last_target)  # type: ignore[arg-type]  # checked above
            values.append(-target if spec.direction is Direction.LOWER else target)
    return np.asarray(values, dtype=float)[None, :]


def normalise(
    values: FloatArray,
    specs: Sequence[IndicatorSpec],
    groups: npt.ArrayLike,
    method: str | NormaliseSpec = "declared",
    *,
    names: Sequence[str] | None = None,
) -> FloatArray:
    """Return the scores of ``values`` (rows × indicators); ``groups`` labels each row's peers.

    With ``method="declared"`` each indicator uses its own method, and those declaring none are
    scored ``minmax`` against the other rows of their group; any other method applies to all.
    Indicator groups that cannot be scored (one value, no spread) are left missing with a
    :class:`ScoringWarning`.

    Examples
    --------
    >>> import numpy as np
    >>> normalise(np.array([[1.0], [2.0], [3.0]]), [IndicatorSpec()], [0, 0, 0], "minmax").ravel().tolist()
    [0.0, 50.0, 100.0]
    """
    spec = NormaliseSpec.of(method)
    if spec.method == "distance_to_reference":
        msg = _("distance_to_reference needs the regions: use roll_up(..., method=NormaliseSpec(...))")
        raise ScoringError(msg)
    result = normalise_matrix(values, specs, groups, spec, names=names)
    if result.skipped:
        warn(result.message(spec.method))
    return result.scores
