"""Monitoring: what an initiative achieved in one year (status, physical progress, money realised)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from smartcity_model.model.base import Amount, FrozenModel, Slug, Text, Year
from smartcity_model.model.initiative import Status

__all__ = ["Percent", "Progress"]

#: A share in percent, 0-100.
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]


class Progress(FrozenModel):
    """Where an initiative stood at the end of one year: the record of a monitoring round.

    A plan's progress records live beside it (``progress.csv`` in a folder, the ``Realisasi``
    sheet of a workbook); one record per initiative and year.
    """

    initiative: Slug
    """Id of the initiative."""
    year: Year
    """Year reported."""
    status: Status | None = None
    """Where the initiative stood at the end of the year (Indonesian words such as ``berjalan`` are read too)."""
    physical: Percent | None = None
    """Physical progress (realisasi fisik), in percent of the whole initiative."""
    realised: Amount | None = None
    """Money spent in the year (realisasi anggaran), in rupiah."""
    note: Text = None
    """Free remark (what held it up, what was delivered)."""
