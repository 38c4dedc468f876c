"""The domain model: frozen, validated pydantic objects for every concept of a masterplan."""

from smartcity_model.model.framework import Dimension, Element, Framework, Pillar
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
from smartcity_model.model.region import Region, RegionKind

__all__ = [
    "OPD",
    "Band",
    "Baseline",
    "Bounds",
    "BudgetLine",
    "Dimension",
    "Direction",
    "DistanceToTarget",
    "Document",
    "DocumentStatus",
    "Element",
    "Framework",
    "FundingSource",
    "Goalposts",
    "Horizon",
    "Horizons",
    "Indicator",
    "IndicatorLink",
    "Initiative",
    "InitiativeStatus",
    "Masterplan",
    "MaturityLevels",
    "Normalisation",
    "OPDKind",
    "Observation",
    "ObservationStatus",
    "Period",
    "Pillar",
    "Region",
    "RegionKind",
    "Thresholds",
]
