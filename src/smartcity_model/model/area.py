"""Places: the kecamatan, nagari, desa, kelurahan and kawasan where initiatives happen.

Managing areas is part of a smart city (the *smart living* of a district, a tourism kawasan, an
industrial estate). A plan lists its places as :class:`Area` objects, each inside another if it
says so; an initiative names the places it reaches, or none when it serves the whole region.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import ConfigDict

from smartcity_model.model.base import Entity, Slug, Text

__all__ = ["Area", "AreaKind"]


class AreaKind(StrEnum):
    """What kind of place an area is."""

    KECAMATAN = "kecamatan"
    """A district (kecamatan)."""
    NAGARI = "nagari"
    """A nagari, the village of Sumatera Barat."""
    DESA = "desa"
    """A village (desa)."""
    KELURAHAN = "kelurahan"
    """An urban village (kelurahan)."""
    KAWASAN = "kawasan"
    """An area planned as one: a tourism, industrial, agricultural or strategic kawasan."""


class Area(Entity):
    """A place of the region."""

    model_config = ConfigDict(coerce_numbers_to_str=True)

    kind: AreaKind
    """Kecamatan, nagari, desa, kelurahan or kawasan."""
    parent: Slug | None = None
    """Id of the area it lies in (a nagari's kecamatan), if the plan lists it."""
    code: Text = None
    """Its official code (Kemendagri or BPS)."""
