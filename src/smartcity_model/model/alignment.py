"""Alignment with the regional planning system: RPJMD missions, goals and targets, OPD Renstra, budget codes.

A smart city masterplan serves the region's medium-term development plan (RPJMD: *misi*,
*tujuan*, *sasaran*, after Permendagri 86/2017) and the strategic plans of its OPDs (*Renstra
Perangkat Daerah*); its initiatives are funded through the programmes, activities and
sub-activities of regional budgeting, coded after Kepmendagri 050-5889/2021. A :class:`Goal` is
one statement of those documents; initiatives and indicators name the goals they serve, and a
:class:`~smartcity_model.BudgetLine` may carry its nomenclature code (:data:`BudgetCode`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from smartcity_model.i18n import _
from smartcity_model.model.base import Entity, Slug, Text

__all__ = ["BUDGET_CODE_PATTERN", "BudgetCode", "Goal", "GoalLevel", "PlanningDocument", "budget_code_level"]

#: A programme (``2.16.02``), activity (``2.16.02.2.01``) or sub-activity (``2.16.02.2.01.0001``) code
#: of Kepmendagri 050-5889/2021; ``X.XX`` stands for the programmes every affair shares.
BUDGET_CODE_PATTERN = r"^[0-9X]\.[0-9X]{2}\.\d{2}(\.\d\.\d{2}(\.\d{4})?)?$"
#: A budget nomenclature code (see :data:`BUDGET_CODE_PATTERN`).
BudgetCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=BUDGET_CODE_PATTERN)]


def budget_code_level(code: str) -> str:
    """Return what a nomenclature code names: ``program``, ``kegiatan`` or ``sub_kegiatan``.

    Examples
    --------
    >>> budget_code_level("2.16.02"), budget_code_level("2.16.02.2.01"), budget_code_level("2.16.02.2.01.0001")
    ('program', 'kegiatan', 'sub_kegiatan')
    """
    parts = code.count(".")
    return {2: "program", 4: "kegiatan", 5: "sub_kegiatan"}.get(parts, "program")


class GoalLevel(StrEnum):
    """The level of a planning statement."""

    MISI = "misi"
    """A mission of the regional head's vision."""
    TUJUAN = "tujuan"
    """A goal (under a mission, or of an OPD's Renstra)."""
    SASARAN = "sasaran"
    """A target (under a goal), with the indicators that measure it."""


class PlanningDocument(StrEnum):
    """The planning document a statement comes from."""

    RPJMD = "rpjmd"
    """The regional medium-term development plan (Rencana Pembangunan Jangka Menengah Daerah)."""
    RENSTRA = "renstra"
    """An OPD's strategic plan (Rencana Strategis Perangkat Daerah)."""


class Goal(Entity):
    """One statement of the RPJMD or of an OPD's Renstra: a mission, a goal or a target.

    ``name`` is the statement as the document words it.
    """

    level: GoalLevel
    """Mission, goal or target."""
    document: PlanningDocument = PlanningDocument.RPJMD
    """The document it comes from."""
    parent: Slug | None = None
    """The statement one level up (a target's goal, a goal's mission), if the plan lists it."""
    opd: Slug | None = None
    """The OPD whose Renstra states it (required for, and only for, a Renstra statement)."""
    code: Text = None
    """Its number in the document, e.g. ``M2.T1.S3``."""
    indicators: tuple[Slug, ...] = ()
    """The plan's indicators that measure it (for a target: its performance indicators)."""

    @model_validator(mode="after")
    def _document(self) -> Goal:
        if self.document is PlanningDocument.RENSTRA and self.opd is None:
            raise PydanticCustomError("missing-field", _("a Renstra statement names its OPD (opd)"))
        if self.document is PlanningDocument.RPJMD and self.opd is not None:
            raise PydanticCustomError(
                "wrong-shape", _("an RPJMD statement is the region's, not an OPD's: leave out opd, or say renstra")
            )
        if self.level is GoalLevel.MISI and self.parent is not None:
            raise PydanticCustomError("wrong-shape", _("a mission is the top of the RPJMD: it has no parent"))
        return self
