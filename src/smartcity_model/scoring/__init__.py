"""Readiness scoring: normalise indicators, aggregate up the framework, map scores to readiness levels."""

from smartcity_model.scoring.aggregate import AGGREGATIONS, Aggregation
from smartcity_model.scoring.normalise import NORMALISATION_METHODS, normalise
from smartcity_model.scoring.province import BLOCKER_COLUMNS, ProvinceReadiness, roll_up_province
from smartcity_model.scoring.readiness import READINESS_SCALES, ReadinessBand, ReadinessScale, readiness_scale
from smartcity_model.scoring.rollup import (
    MISSING_POLICIES,
    SCORE_COLUMNS,
    MissingPolicy,
    RollUp,
    observations_frame,
    plan_vs_actual,
    planned_frame,
    roll_up,
)
from smartcity_model.scoring.spbe import SPBE_LEVELS, spbe_index, spbe_indicator_id, spbe_structure
from smartcity_model.scoring.structure import PLAN_LEVELS, TOP_NODE, IndicatorSpec, ScoringError, Structure

__all__ = [
    "AGGREGATIONS",
    "BLOCKER_COLUMNS",
    "MISSING_POLICIES",
    "NORMALISATION_METHODS",
    "PLAN_LEVELS",
    "READINESS_SCALES",
    "SCORE_COLUMNS",
    "SPBE_LEVELS",
    "TOP_NODE",
    "Aggregation",
    "IndicatorSpec",
    "MissingPolicy",
    "ProvinceReadiness",
    "ReadinessBand",
    "ReadinessScale",
    "RollUp",
    "ScoringError",
    "Structure",
    "normalise",
    "observations_frame",
    "plan_vs_actual",
    "planned_frame",
    "readiness_scale",
    "roll_up",
    "roll_up_province",
    "spbe_index",
    "spbe_indicator_id",
    "spbe_structure",
]
