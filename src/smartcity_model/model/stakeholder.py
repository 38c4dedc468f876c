"""Stakeholders beyond the regional government: the pentahelix partners of a smart city.

A smart city is built by the government and the people together. Besides the OPDs, a plan names
its partners by their role in the *pentahelix* — government bodies outside the regional
government, academia, business, the community and the media — and each initiative names the
partners that take part in it.
"""

from __future__ import annotations

from enum import StrEnum

from smartcity_model.model.base import Entity, Text

__all__ = ["PentahelixRole", "Stakeholder"]


class PentahelixRole(StrEnum):
    """A partner's place in the pentahelix."""

    GOVERNMENT = "government"
    """Government outside the regional government's OPDs: a ministry, a province, a village, a BUMN."""
    ACADEMIA = "academia"
    """A university, a school or a research body."""
    BUSINESS = "business"
    """A company, a bank, an operator, a business association."""
    COMMUNITY = "community"
    """Citizens and their organisations: community groups, NGOs, customary (adat) institutions."""
    MEDIA = "media"
    """The press, broadcasters and online media."""

    @property
    def from_society(self) -> bool:
        """Whether the role is outside government: academia, business, community or media."""
        return self is not PentahelixRole.GOVERNMENT


class Stakeholder(Entity):
    """A partner of the plan outside the regional government, e.g. a university or a nagari community."""

    role: PentahelixRole
    """Its place in the pentahelix."""
    acronym: Text = None
    """Short name used in documents."""
    note: Text = None
    """Free remark, e.g. the agreement (MoU) that binds it."""
