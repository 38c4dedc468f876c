"""How the smart city is governed: its council, implementation team and forum, and their decrees.

The region sets up a smart city council (*Dewan Smart City*, which steers), an implementation
team (*Tim Pelaksana*, which carries the plan out) and often a forum (*Forum Smart City*, where
citizens and partners take part), each by a decree of the regional head (*Keputusan Bupati* or
*Walikota*). Each is a :class:`GoverningBody`; every OPD names its focal point (see
:class:`~smartcity_model.OPD`).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import ConfigDict

from smartcity_model.model.base import Entity, FrozenModel, Label, Slug, Text

__all__ = ["BodyKind", "Decree", "GoverningBody"]


class BodyKind(StrEnum):
    """What a governing body is for."""

    COUNCIL = "council"
    """The smart city council (Dewan Smart City): steers and decides."""
    TEAM = "team"
    """The implementation team (Tim Pelaksana Smart City): carries the plan out."""
    FORUM = "forum"
    """The smart city forum: where citizens and partners take part."""


class Decree(FrozenModel):
    """The decree that sets a body up."""

    model_config = ConfigDict(coerce_numbers_to_str=True)

    number: Label
    """Its number, e.g. ``188.45/123/KPTS-BUP/2024``."""
    date: dt.date | None = None
    """The date it was signed."""
    title: Text = None
    """Its title."""


class GoverningBody(Entity):
    """A council, team or forum of the smart city."""

    kind: BodyKind
    """Council, implementation team or forum."""
    decree: Decree | None = None
    """The decree that sets it up, once signed."""
    chair: Text = None
    """Who chairs it (a position, e.g. *Sekretaris Daerah*)."""
    members: tuple[Slug, ...] = ()
    """Ids of the OPDs and partners that sit in it."""
