"""Readiness levels: named bands of the 0–100 score, with presets.

Presets:

- ``default``: five equal bands of smart-city readiness — 1 Awal (initial) [0, 20), 2 Berkembang
  (developing) [20, 40), 3 Menengah (intermediate) [40, 60), 4 Maju (advanced) [60, 80), 5 Unggul
  (leading) [80, 100]. Its names are its own: the SPBE's level and predicate names describe an
  e-government index, and a smart-city score read with them would seem to be one;
- ``spbe``: the SPBE index predicates (PermenPANRB 59/2020) on the 1–5 index, mapped to 0–100 by
  ``score = (index - 1) / 4 × 100`` — Kurang [1.0, 1.8), Cukup [1.8, 2.6), Baik [2.6, 3.5),
  Sangat Baik [3.5, 4.2), Memuaskan [4.2, 5.0];
- ``spbe_levels``: five equal bands named after the SPBE maturity levels — Rintisan, Terkelola,
  Terdefinisi, Terpadu dan Terukur, Optimum — for scores of an SPBE-style maturity assessment.

A band's ``name`` (Indonesian) is what tables for programs carry; people are shown
:meth:`ReadinessBand.label` in their language.
"""

from __future__ import annotations

import itertools
from typing import Annotated

import numpy as np
import numpy.typing as npt
from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from smartcity_model.errors import suggest, unknown_id
from smartcity_model.i18n import N_, _, language
from smartcity_model.model.base import FrozenModel, Label
from smartcity_model.scoring.structure import ScoringError

__all__ = ["READINESS_SCALES", "ReadinessBand", "ReadinessScale", "readiness_scale"]


class ReadinessBand(FrozenModel):
    """One readiness level: its rank, its name and the lowest score that reaches it."""

    level: Annotated[int, Field(ge=0)]
    """Rank of the level, higher is better."""
    name: Label
    """Name of the band (what tables for programs carry)."""
    name_en: Label | None = None
    """English name, shown to people reading English."""
    min: Annotated[float, Field(ge=0, le=100)]
    """Lowest score (inclusive) of the band; the band ends where the next one starts."""

    def label(self, lang: str | None = None) -> str:
        """Return the band's name in ``lang`` (default: the current language), falling back to ``name``."""
        chosen = language() if lang is None else lang
        return self.name_en if chosen == "en" and self.name_en else self.name


class ReadinessScale(FrozenModel):
    """Ordered bands covering the 0–100 score."""

    name: Label
    """Name of the scale."""
    bands: tuple[ReadinessBand, ...]
    """Bands from the lowest to the highest; the first starts at 0."""

    @model_validator(mode="after")
    def _ordered(self) -> ReadinessScale:
        mins = [band.min for band in self.bands]
        levels = [band.level for band in self.bands]
        if not self.bands or mins[0] != 0 or any(a >= b for a, b in itertools.pairwise(mins)):
            raise PydanticCustomError("out-of-range", _("bands must start at 0 and rise strictly"))
        if any(a >= b for a, b in itertools.pairwise(levels)):
            raise PydanticCustomError("out-of-range", _("band levels must rise strictly"))
        return self

    def levels_of(self, scores: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Return the level of each score (``nan`` where the score is missing)."""
        values = np.asarray(scores, dtype=float)
        index = np.searchsorted(np.array([b.min for b in self.bands]), np.nan_to_num(values), side="right") - 1
        levels = np.array([b.level for b in self.bands], dtype=float)[np.clip(index, 0, None)]
        return np.where(np.isnan(values), np.nan, levels)

    def band(self, level: int) -> ReadinessBand:
        """Return the band of ``level``."""
        for band in self.bands:
            if band.level == level:
                return band
        raise unknown_id(N_("readiness level"), str(level), [str(b.level) for b in self.bands])

    def names_of(self, levels: npt.ArrayLike) -> list[str | None]:
        """Return the name of each level (``None`` where missing)."""
        names = {band.level: band.name for band in self.bands}
        return [None if np.isnan(level) else names[int(level)] for level in np.asarray(levels, dtype=float)]


def _spbe(index_min: float) -> float:
    return round((index_min - 1) / 4 * 100, 10)


#: The named readiness scales.
READINESS_SCALES: dict[str, ReadinessScale] = {
    "default": ReadinessScale(
        name="default",
        bands=tuple(
            ReadinessBand(level=n + 1, name=name, name_en=english, min=20.0 * n)
            for n, (name, english) in enumerate(
                [
                    ("Awal", "Initial"),
                    ("Berkembang", "Developing"),
                    ("Menengah", "Intermediate"),
                    ("Maju", "Advanced"),
                    ("Unggul", "Leading"),
                ]
            )
        ),
    ),
    "spbe": ReadinessScale(
        name="spbe",
        bands=tuple(
            ReadinessBand(level=n + 1, name=name, min=_spbe(low))
            for n, (name, low) in enumerate(
                [("Kurang", 1.0), ("Cukup", 1.8), ("Baik", 2.6), ("Sangat Baik", 3.5), ("Memuaskan", 4.2)]
            )
        ),
    ),
    "spbe_levels": ReadinessScale(
        name="spbe_levels",
        bands=tuple(
            ReadinessBand(level=n + 1, name=name, min=20.0 * n)
            for n, name in enumerate(["Rintisan", "Terkelola", "Terdefinisi", "Terpadu dan Terukur", "Optimum"])
        ),
    ),
}


def readiness_scale(scale: str | ReadinessScale = "default") -> ReadinessScale:
    """Return a scale by preset name, or ``scale`` itself."""
    if isinstance(scale, ReadinessScale):
        return scale
    if not isinstance(scale, str) or scale not in READINESS_SCALES:
        msg = _("unknown readiness scale {scale}{hint}; use one of {scales} or a ReadinessScale").format(
            scale=repr(scale), hint=suggest(str(scale), READINESS_SCALES), scales=", ".join(READINESS_SCALES)
        )
        raise ScoringError(msg)
    return READINESS_SCALES[scale]
