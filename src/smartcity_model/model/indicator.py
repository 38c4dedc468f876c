"""Indicators: what is measured, how it is normalised, and the targets set for it."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from smartcity_model.i18n import _
from smartcity_model.model.base import Entity, FrozenModel, Label, Slug, Text, Weight, Year, YearValues

__all__ = [
    "Band",
    "Baseline",
    "Bounds",
    "Direction",
    "DistanceToTarget",
    "Goalposts",
    "Indicator",
    "MaturityLevels",
    "Normalisation",
    "Thresholds",
]

Score = Annotated[float, Field(ge=0, le=100)]


class Direction(StrEnum):
    """Which values of an indicator are better."""

    HIGHER = "higher"
    """Higher is better (e.g. internet access)."""
    LOWER = "lower"
    """Lower is better (e.g. poverty rate)."""
    BAND = "band"
    """Best inside a target band (e.g. inflation between 2 and 4 %)."""


class _Method(FrozenModel):
    """A normalisation method; its ``method`` tag is always written, even when it is the default."""

    @model_serializer(mode="wrap")
    def _with_method(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {"method": getattr(self, "method"), **data}  # noqa: B009 - each subclass defines it


class Goalposts(_Method):
    """Min-max normalisation between fixed goalposts, clipped to 0-100 (direction-aware)."""

    method: Literal["goalposts"] = "goalposts"
    min: float
    """Value that scores 0 for higher-is-better (100 for lower-is-better)."""
    max: float
    """Value that scores 100 for higher-is-better (0 for lower-is-better)."""

    @model_validator(mode="after")
    def _ordered(self) -> Goalposts:
        if not self.min < self.max:
            raise PydanticCustomError("invalid-normalisation", _("goalposts need min < max"))
        return self


class DistanceToTarget(_Method):
    """Progress from a worst value (score 0) to a target (score 100), clipped to 0-100."""

    method: Literal["target"] = "target"
    target: float | None = None
    """Value that scores 100; by default the indicator's last target."""
    worst: float | None = None
    """Value that scores 0; by default 0 for higher-is-better (required for lower-is-better)."""


class MaturityLevels(_Method):
    """Maturity levels 1..``levels`` mapped linearly to 0-100 (e.g. SPBE levels 1-5)."""

    method: Literal["maturity"] = "maturity"
    levels: Annotated[int, Field(ge=2, le=10)] = 5
    """Number of levels; level 1 scores 0 and the top level scores 100."""


class Thresholds(_Method):
    """Threshold bands: a value below ``breaks[0]`` scores ``scores[0]``, and so on upward."""

    method: Literal["thresholds"] = "thresholds"
    breaks: tuple[float, ...]
    """Strictly increasing band limits; a value equal to a limit belongs to the band above it."""
    scores: tuple[Score, ...]
    """Score of each band, one more than ``breaks``."""

    @model_validator(mode="after")
    def _consistent(self) -> Thresholds:
        if not self.breaks or any(a >= b for a, b in zip(self.breaks, self.breaks[1:], strict=False)):
            raise PydanticCustomError("invalid-normalisation", _("threshold breaks must be strictly increasing"))
        if len(self.scores) != len(self.breaks) + 1:
            raise PydanticCustomError(
                "invalid-normalisation",
                _("thresholds need one score more than breaks ({breaks} breaks, {scores} scores)"),
                {"breaks": len(self.breaks), "scores": len(self.scores)},
            )
        return self


def _method_shorthand(value: Any) -> Any:
    """Accept a bare method name (``maturity``) for methods whose settings all have defaults."""
    return {"method": value} if isinstance(value, str) else value


#: How an indicator's values become 0-100 scores, chosen by its ``method`` field.
Normalisation = Annotated[
    Goalposts | DistanceToTarget | MaturityLevels | Thresholds,
    Field(discriminator="method"),
    BeforeValidator(
        _method_shorthand,
        json_schema_input_type=Goalposts | DistanceToTarget | MaturityLevels | Thresholds | Literal["maturity"],
    ),
]


class Bounds(FrozenModel):
    """The range an indicator's values can take (e.g. 0-100 for a percentage)."""

    min: float | None = None
    """Smallest possible value, if any."""
    max: float | None = None
    """Largest possible value, if any."""

    @model_validator(mode="after")
    def _ordered(self) -> Bounds:
        if self.min is not None and self.max is not None and not self.min < self.max:
            raise PydanticCustomError("out-of-range", _("bounds need min < max"))
        return self

    def contains(self, value: float) -> bool:
        """Tell whether ``value`` lies inside the bounds."""
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def __str__(self) -> str:
        """Render as ``[min, max]`` with ``-inf``/``inf`` for open ends."""
        low = "-inf" if self.min is None else f"{self.min:g}"
        high = "inf" if self.max is None else f"{self.max:g}"
        return f"[{low}, {high}]"


class Band(FrozenModel):
    """A target band for indicators whose direction is ``band``."""

    low: float
    """Lower edge of the band."""
    high: float
    """Upper edge of the band."""

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if not self.low <= self.high:
            raise PydanticCustomError("out-of-range", _("a band needs low <= high"))
        return self


class Baseline(FrozenModel):
    """The value of an indicator when the plan was drawn up."""

    year: Year
    """Year of the baseline value."""
    value: float
    """Baseline value, in the indicator's unit."""


class Indicator(Entity):
    """An indicator that shows progress of an element, with its normalisation and targets."""

    description: Text = None
    """Definition and formula."""
    unit: Label
    """Unit of the values, e.g. ``percent``, ``years``, ``index``."""
    element: Slug
    """Id of the framework element the indicator measures."""
    pillar: Slug | None = None
    """Id of a readiness pillar of the framework (second axis), if any."""
    direction: Direction = Direction.HIGHER
    """Which values are better."""
    band: Band | None = None
    """Target band; required when ``direction`` is ``band``."""
    bounds: Bounds | None = None
    """Range the values can take; maturity indicators are bounded by their levels."""
    normalisation: Normalisation | None = None
    """How values become 0-100 scores; ``None`` leaves it to the scoring method."""
    weight: Weight = 1.0
    """Weight inside its element."""
    baseline: Baseline | None = None
    """Value when the plan was drawn up."""
    targets: YearValues = Field(default_factory=dict)
    """Targets by year."""
    custodian: Slug | None = None
    """Id of the OPD that produces the data (walidata/produsen data)."""
    source: Text = None
    """Where the data come from (agency, survey, regulation)."""
    code: Text = None
    """Code of the indicator in an external standard, e.g. ``ISO 37120 5.1``."""
    goals: tuple[Slug, ...] = ()
    """Ids of the RPJMD and Renstra statements it measures (see :class:`~smartcity_model.Goal`)."""

    @field_validator("targets", mode="after")
    @classmethod
    def _sorted_targets(cls, value: dict[int, float]) -> dict[int, float]:
        return dict(sorted(value.items()))

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        if self.direction is Direction.BAND and self.band is None:
            raise PydanticCustomError("missing-band", _("direction 'band' needs a 'band' with low and high"))
        norm = self.normalisation
        if isinstance(norm, DistanceToTarget):
            if norm.target is None and not self.targets:
                raise PydanticCustomError("invalid-normalisation", _("distance to target needs a target or targets"))
            if norm.worst is None and self.direction is not Direction.HIGHER:
                raise PydanticCustomError(
                    "invalid-normalisation", _("distance to target needs 'worst' unless higher is better")
                )
        return self

    @property
    def value_bounds(self) -> Bounds:
        """The range values may take: ``bounds`` if given, else the maturity levels, else open."""
        if self.bounds is not None:
            return self.bounds
        if isinstance(self.normalisation, MaturityLevels):
            return Bounds(min=1, max=self.normalisation.levels)
        return Bounds()
