"""Observations: measured values of indicators by year (and region, for multi-region data)."""

from __future__ import annotations

from enum import StrEnum

from smartcity_model.model.base import FrozenModel, Slug, Text, Year

__all__ = ["Observation", "ObservationStatus"]


class ObservationStatus(StrEnum):
    """How far an observed value can be trusted."""

    VERIFIED = "verified"
    """Published or checked by the data custodian (e.g. BPS)."""
    ESTIMATED = "estimated"
    """Estimated, provisional or illustrative."""
    UNVERIFIED = "unverified"
    """Reported, but no one has said its custodian checked it: what a value without a status is."""


class Observation(FrozenModel):
    """The value of one indicator in one year, optionally for a named region."""

    indicator: Slug
    """Id of the indicator."""
    year: Year
    """Year the value refers to."""
    value: float
    """Observed value, in the indicator's unit."""
    region: Slug | None = None
    """Id of the region, for tables with several regions; ``None`` means the plan's region."""
    status: ObservationStatus = ObservationStatus.UNVERIFIED
    """Verified, estimated, or (when not said) unverified: a value is never taken as verified unless it says so."""
    source: Text = None
    """Where the value comes from."""
    note: Text = None
    """Free remark."""
