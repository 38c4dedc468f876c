"""The domain model: frozen, validated pydantic objects for every concept of a masterplan."""

from smartcity_model.model.alignment import BudgetCode, Goal, GoalLevel, PlanningDocument
from smartcity_model.model.analysis import DimensionVision, Issue, IssueKind
from smartcity_model.model.area import Area, AreaKind
from smartcity_model.model.assessment import Answer, Question, Questionnaire
from smartcity_model.model.framework import Dimension, Element, Framework, Pillar
from smartcity_model.model.governance import BodyKind, Decree, GoverningBody
from smartcity_model.model.header import Document, DocumentStatus, Horizons, Period
from smartcity_model.model.indicator import (
    Band,
    Baseline,
    Bounds,
    Direction,
    DistanceToTarget,
    Goalposts,
    Indicator,
    MaturityLevels,
    Normalisation,
    Thresholds,
)
from smartcity_model.model.initiative import (
    BudgetLine,
    FundingSource,
    Horizon,
    IndicatorLink,
    Initiative,
    InitiativeStatus,
)
from smartcity_model.model.masterplan import Masterplan
from smartcity_model.model.observation import Observation, ObservationStatus
from smartcity_model.model.opd import OPD, OPDKind
from smartcity_model.model.progress import Progress
from smartcity_model.model.region import Region, RegionKind
from smartcity_model.model.stakeholder import PentahelixRole, Stakeholder

__all__ = [
    "OPD",
    "Answer",
    "Area",
    "AreaKind",
    "Band",
    "Baseline",
    "BodyKind",
    "Bounds",
    "BudgetCode",
    "BudgetLine",
    "Decree",
    "Dimension",
    "DimensionVision",
    "Direction",
    "DistanceToTarget",
    "Document",
    "DocumentStatus",
    "Element",
    "Framework",
    "FundingSource",
    "Goal",
    "GoalLevel",
    "Goalposts",
    "GoverningBody",
    "Horizon",
    "Horizons",
    "Indicator",
    "IndicatorLink",
    "Initiative",
    "InitiativeStatus",
    "Issue",
    "IssueKind",
    "Masterplan",
    "MaturityLevels",
    "Normalisation",
    "OPDKind",
    "Observation",
    "ObservationStatus",
    "PentahelixRole",
    "Period",
    "Pillar",
    "PlanningDocument",
    "Progress",
    "Question",
    "Questionnaire",
    "Region",
    "RegionKind",
    "Stakeholder",
    "Thresholds",
]
