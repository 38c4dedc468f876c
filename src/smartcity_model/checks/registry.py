"""The registry of consistency-check codes: family, default severity, title and hint of each.

Codes are stable: once released, a code keeps its meaning. They are documented in
``docs/checks.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from smartcity_model.i18n import N_, _

__all__ = ["CHECK_CODES", "CheckSpec", "Family", "Severity"]


class Severity(StrEnum):
    """How much a finding matters."""

    ERROR = "error"
    """The plan is inconsistent: fix before it is signed."""
    WARNING = "warning"
    """The plan is weak here: look at it."""
    INFO = "info"
    """Worth knowing."""

    @property
    def rank(self) -> int:
        """Order for sorting: errors first."""
        return {"error": 0, "warning": 1, "info": 2}[self.value]

    @property
    def label(self) -> str:
        """The severity's name in the current language (``kesalahan`` for ``error`` in Bahasa Indonesia)."""
        return _(_SEVERITY_LABELS[self.value])


_SEVERITY_LABELS = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}


class Family(StrEnum):
    """Rule families, in the order the checks run."""

    DEPENDENCIES = "dependencies"
    SCHEDULE = "schedule"
    COVERAGE = "coverage"
    COLLABORATION = "collaboration"
    DATA = "data"
    PARTICIPATION = "participation"
    ALIGNMENT = "alignment"
    ANALYSIS = "analysis"
    SOCIETY = "society"
    GOVERNANCE = "governance"
    PLACES = "places"
    READINESS = "readiness"
    MONITORING = "monitoring"
    CONFIGURATION = "configuration"


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """What a check code means, its family, default severity and the usual fix."""

    code: str
    family: Family
    severity: Severity
    title: str
    hint: str


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO
_SPECS = [
    CheckSpec(
        "dependency-cycle",
        Family.DEPENDENCIES,
        _E,
        N_("initiatives wait on each other in a circle"),
        N_("Break the circle: one of these initiatives must be able to start without the others."),
    ),
    CheckSpec(
        "starts-before-prerequisite-ends",
        Family.SCHEDULE,
        _E,
        N_("an initiative starts before a prerequisite ends"),
        N_("Start it after the prerequisite ends, or drop the dependency."),
    ),
    CheckSpec(
        "quick-win-depends-on-long-term",
        Family.SCHEDULE,
        _E,
        N_("a quick win depends on a medium- or long-term initiative"),
        N_("A quick win must not wait for slow work: remove the dependency or change the horizon."),
    ),
    CheckSpec(
        "dimension-without-indicator",
        Family.COVERAGE,
        _E,
        N_("a dimension has no indicator"),
        N_("Add at least one indicator so progress in this dimension can be shown."),
    ),
    CheckSpec(
        "dimension-without-initiative",
        Family.COVERAGE,
        _E,
        N_("a dimension has no initiative"),
        N_("Add an initiative, or say in the plan why the dimension is left for later."),
    ),
    CheckSpec(
        "element-without-indicator",
        Family.COVERAGE,
        _W,
        N_("an element has no indicator"),
        N_("Add an indicator for the element, or accept that its progress is not measured."),
    ),
    CheckSpec(
        "element-without-initiative",
        Family.COVERAGE,
        _W,
        N_("an element has no initiative"),
        N_("Add an initiative serving the element, or note that it is out of scope."),
    ),
    CheckSpec(
        "indicator-not-moved",
        Family.COVERAGE,
        _W,
        N_("no initiative moves an indicator"),
        N_("Link an initiative to the indicator, or drop the indicator."),
    ),
    CheckSpec(
        "initiative-moves-nothing",
        Family.COVERAGE,
        _W,
        N_("an initiative moves no indicator"),
        N_("Name the indicators the initiative should move, so its effect can be seen."),
    ),
    CheckSpec(
        "unknown-sector",
        Family.COLLABORATION,
        _W,
        N_("an OPD's sector is not in the sector vocabulary"),
        N_(
            "Use a sector id from the vocabulary (docs/checks.md, Sectors) so the cross-sector checks count it "
            "with the OPDs of the same affair, or list the sector under `sectors` in checks.yaml."
        ),
    ),
    CheckSpec(
        "siloed-opd",
        Family.COLLABORATION,
        _W,
        N_("an OPD works with no other sector (ego sektoral)"),
        N_(
            "Bring in a supporting OPD from another sector, or a partner from society, for at least one of its "
            "initiatives."
        ),
    ),
    CheckSpec(
        "fragmented-plan",
        Family.COLLABORATION,
        _W,
        N_("the OPDs fall apart into groups that never work together"),
        N_("Link the groups through a shared initiative or partner."),
    ),
    CheckSpec(
        "single-sector-dimension",
        Family.COLLABORATION,
        _W,
        N_("one sector alone carries a dimension"),
        N_("Involve OPDs of other sectors, or partners from society, in the dimension's initiatives."),
    ),
    CheckSpec(
        "overloaded-opd",
        Family.COLLABORATION,
        _W,
        N_("an OPD leads or takes part in a large share of the plan"),
        N_("Spread the work, or make sure the OPD has the staff and budget for it."),
    ),
    CheckSpec(
        "indicator-without-custodian",
        Family.DATA,
        _W,
        N_("an indicator has no custodian OPD"),
        N_("Name the OPD that produces the data (walidata/produsen data)."),
    ),
    CheckSpec(
        "indicator-without-observations",
        Family.DATA,
        _W,
        N_("an indicator has no observation"),
        N_("Record at least the baseline observation."),
    ),
    CheckSpec(
        "initiative-without-budget",
        Family.DATA,
        _W,
        N_("an initiative has no budget line"),
        N_("Add budget lines with year, amount and source (APBD, APBN, KPBU, CSR...)."),
    ),
    CheckSpec(
        "budget-source-unspecified",
        Family.DATA,
        _I,
        N_("a budget line's source is 'other' with no note"),
        N_("Say in the note where the money comes from."),
    ),
    CheckSpec(
        "opd-leads-nothing",
        Family.PARTICIPATION,
        _W,
        N_("an OPD proposes no service product (leads no initiative)"),
        N_("Ask the OPD for an initiative it can lead, or note why it only supports."),
    ),
    CheckSpec(
        "opd-not-involved",
        Family.PARTICIPATION,
        _W,
        N_("an OPD takes no part in any initiative"),
        N_("Involve the OPD or remove it from the plan."),
    ),
    CheckSpec(
        "ict-heavy-plan",
        Family.PARTICIPATION,
        _W,
        N_("the plan is mostly e-government, branding and ICT"),
        N_(
            "A smart city is not only e-government, branding and ICT: add initiatives for economy, "
            "living, society and environment led by their own sectors."
        ),
    ),
    CheckSpec(
        "quick-wins-miss-dimension",
        Family.PARTICIPATION,
        _W,
        N_("a dimension has no quick win"),
        N_(
            "Plan a quick win in every dimension: Kominfo's evaluation scores quick wins, and each dimension should "
            "show early results."
        ),
    ),
    CheckSpec(
        "no-rpjmd-alignment",
        Family.ALIGNMENT,
        _I,
        N_("the plan names no RPJMD goal it serves"),
        N_("List the RPJMD's missions, goals and targets (goals.yaml) and link each initiative to those it serves."),
    ),
    CheckSpec(
        "initiative-unaligned",
        Family.ALIGNMENT,
        _W,
        N_("an initiative serves no RPJMD or Renstra goal"),
        N_("Link the initiative to the RPJMD target or Renstra goal it serves (goals), or ask why it is in the plan."),
    ),
    CheckSpec(
        "goal-unserved",
        Family.ALIGNMENT,
        _W,
        N_("an RPJMD goal no initiative serves"),
        N_("Plan an initiative for the goal, or record why the smart city plan leaves it to other plans."),
    ),
    CheckSpec(
        "budget-without-code",
        Family.ALIGNMENT,
        _I,
        N_("budget lines carry no budget nomenclature code"),
        N_(
            "Give each budget line the programme, activity or sub-activity it is budgeted under (code, after "
            "Kepmendagri 050-5889/2021), so the plan can be found in the APBD."
        ),
    ),
    CheckSpec(
        "no-analysis",
        Family.ANALYSIS,
        _I,
        N_("the plan has no strategic analysis"),
        N_("List the potentials, problems and strategic issues of each dimension (issues.yaml)."),
    ),
    CheckSpec(
        "issue-unaddressed",
        Family.ANALYSIS,
        _W,
        N_("a problem or strategic issue no initiative addresses"),
        N_("Plan an initiative that addresses it (addresses), or record why the plan leaves it aside."),
    ),
    CheckSpec(
        "initiative-addresses-nothing",
        Family.ANALYSIS,
        _I,
        N_("an initiative addresses no problem or strategic issue"),
        N_("Name the problems or strategic issues of the analysis the initiative answers (addresses)."),
    ),
    CheckSpec(
        "dimension-without-vision",
        Family.ANALYSIS,
        _I,
        N_("a dimension has no vision"),
        N_("Give the dimension its vision and missions (visions.yaml), as the others have."),
    ),
    CheckSpec(
        "society-left-out",
        Family.SOCIETY,
        _W,
        N_("no initiative involves society: academia, business, community or media"),
        N_(
            "A smart city is built by the government and the people together: name the partners beyond government "
            "(stakeholders) that take part in the initiatives."
        ),
    ),
    CheckSpec(
        "stakeholder-idle",
        Family.SOCIETY,
        _I,
        N_("a partner takes part in no initiative and no body"),
        N_("Involve the partner in an initiative or in the forum, or remove it from the plan."),
    ),
    CheckSpec(
        "governance-body-missing",
        Family.GOVERNANCE,
        _W,
        N_("the plan has no smart city council or no implementation team"),
        N_("Name the Dewan Smart City and the Tim Pelaksana (bodies.yaml), with the decrees that set them up."),
    ),
    CheckSpec(
        "body-without-decree",
        Family.GOVERNANCE,
        _I,
        N_("a council, team or forum has no decree"),
        N_("Record the decree (SK) of the regional head that sets the body up, once it is signed."),
    ),
    CheckSpec(
        "opd-without-focal-point",
        Family.GOVERNANCE,
        _I,
        N_("an OPD taking part has no smart city focal point"),
        N_("Name who answers for the OPD in the implementation team (focal_point)."),
    ),
    CheckSpec(
        "area-unreached",
        Family.PLACES,
        _I,
        N_("a place no initiative reaches"),
        N_(
            "Plan an initiative in the place, or note why it is left out; an initiative with no places serves them all."
        ),
    ),
    CheckSpec(
        "readiness-unassessed",
        Family.READINESS,
        _I,
        N_("a readiness pillar has neither an indicator nor an answer to the questionnaire"),
        N_(
            "Answer the readiness questionnaire for the pillar (assessment.yaml), or measure it with an indicator "
            "(pillar)."
        ),
    ),
    CheckSpec(
        "initiative-overdue",
        Family.MONITORING,
        _W,
        N_("an initiative is past its planned end and not done"),
        N_("Finish it, or move its end year in the plan and say why; its followers and targets move too."),
    ),
    CheckSpec(
        "initiative-not-started",
        Family.MONITORING,
        _W,
        N_("an initiative due to start shows no sign of starting"),
        N_("Start it, report its progress (progress.csv), or move its start year in the plan."),
    ),
    CheckSpec(
        "initiative-underspent",
        Family.MONITORING,
        _W,
        N_("an initiative has spent much less than planned"),
        N_("Find what holds the spending up, or plan the money for later years (thresholds.min_absorption)."),
    ),
    CheckSpec(
        "initiative-overspent",
        Family.MONITORING,
        _W,
        N_("an initiative has spent more than planned"),
        N_("Revise its budget lines, or report the realised amount under the right initiative and year."),
    ),
    CheckSpec(
        "progress-inconsistent",
        Family.MONITORING,
        _W,
        N_("a progress record contradicts itself or an earlier one"),
        N_("Correct the record: done means 100% physical progress, planned means nothing done, progress only grows."),
    ),
    CheckSpec(
        "unused-waiver",
        Family.CONFIGURATION,
        _I,
        N_("a waiver matches no finding"),
        N_("Remove the waiver: what it excused is gone."),
    ),
]

#: Every check code with its spec, in the order the checks run.
CHECK_CODES: dict[str, CheckSpec] = {spec.code: spec for spec in _SPECS}
