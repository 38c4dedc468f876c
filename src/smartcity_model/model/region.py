"""Regions: a kabupaten (regency), a kota (city) or a province."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from smartcity_model.model.base import Entity, Slug, Text, Year

__all__ = ["MAX_POPULATION", "Region", "RegionKind"]

#: More people than any region has (ten billion): a larger population is a slip, and could not be saved exactly.
MAX_POPULATION = 10**10


class RegionKind(StrEnum):
    """Kind of region in Indonesian local government."""

    KABUPATEN = "kabupaten"
    """A regency."""
    KOTA = "kota"
    """A city."""
    PROVINCE = "province"
    """A province (provinsi)."""


class Region(Entity):
    """A region that writes a masterplan (kabupaten/kota) or rolls them up (province)."""

    model_config = ConfigDict(coerce_numbers_to_str=True)

    kind: RegionKind
    """Kabupaten, kota or province."""
    code: Annotated[str, StringConstraints(pattern=r"^\d{2}(\.\d{2})?$")] | None = None
    """Official Kemendagri code, e.g. ``13.11``."""
    bps_code: Annotated[str, StringConstraints(pattern=r"^\d{2}(\d{2})?$")] | None = None
    """BPS statistical code, e.g. ``1310`` (a different numbering from Kemendagri's)."""
    capital: Text = None
    """Seat of government."""
    population: Annotated[int, Field(ge=0, le=MAX_POPULATION)] | None = None
    """Population."""
    population_year: Year | None = None
    """Year the population figure refers to."""
    parent: Slug | None = None
    """Id of the province a kabupaten/kota belongs to."""
