"""Strategic analysis: the potentials, problems and strategic issues of each dimension, and its vision.

A masterplan starts from an analysis of the region: what it has to build on (*potensi*), what
holds it back (*permasalahan*), the strategic issues that follow (*isu strategis*) and, often, a
SWOT. Each is an :class:`Issue`, tied to a dimension (or to none, when it crosses them);
initiatives name the issues they address. A :class:`DimensionVision` holds a dimension's vision
and missions.
"""

from __future__ import annotations

from enum import StrEnum

from smartcity_model.model.base import Entity, FrozenModel, Label, Slug, Text

__all__ = ["DimensionVision", "Issue", "IssueKind"]


class IssueKind(StrEnum):
    """What an entry of the analysis is."""

    POTENTIAL = "potential"
    """Something the region has to build on (potensi)."""
    PROBLEM = "problem"
    """Something that holds the region back (permasalahan)."""
    STRATEGIC_ISSUE = "strategic_issue"
    """A strategic issue the plan must answer (isu strategis)."""
    STRENGTH = "strength"
    """SWOT: a strength."""
    WEAKNESS = "weakness"
    """SWOT: a weakness."""
    OPPORTUNITY = "opportunity"
    """SWOT: an opportunity."""
    THREAT = "threat"
    """SWOT: a threat."""

    @property
    def needs_answer(self) -> bool:
        """Whether the plan must answer it with an initiative: problems, strategic issues, weaknesses, threats."""
        return self in {IssueKind.PROBLEM, IssueKind.STRATEGIC_ISSUE, IssueKind.WEAKNESS, IssueKind.THREAT}


class Issue(Entity):
    """One entry of the strategic analysis; ``name`` states it."""

    kind: IssueKind
    """Potential, problem, strategic issue or SWOT entry."""
    dimension: Slug | None = None
    """The framework dimension it belongs to; ``None`` when it crosses dimensions."""
    evidence: Text = None
    """What shows it (data, a survey, a consultation)."""
    indicators: tuple[Slug, ...] = ()
    """The plan's indicators that show it."""


class DimensionVision(FrozenModel):
    """A dimension's vision, and the missions that pursue it."""

    dimension: Slug
    """Id of the framework dimension."""
    vision: Label
    """The vision, as the plan words it."""
    vision_en: Label | None = None
    """English wording."""
    missions: tuple[Label, ...] = ()
    """The missions of the dimension."""
