"""Readiness scoring: prepare raw data, normalise indicators, aggregate up the framework, map scores to levels.

The stages, each a plain function on the tidy table ``region, year, indicator, value``:
:func:`denominate` → :func:`impute` → :func:`screen` → :func:`treat` → :func:`roll_up`
(normalise and aggregate). A :class:`Recipe` declares them in one file and runs them all.
"""

from smartcity_model.scoring.aggregate import AGGREGATIONS, Aggregation, NonPositive
from smartcity_model.scoring.coinr import (
    CoinrData,
    read_coinr,
    structure_from_coinr,
    tidy_from_coinr,
    units_from_coinr,
    wide_for_coinr,
)
from smartcity_model.scoring.denominate import Denominator
from smartcity_model.scoring.evaluation import (
    COMPONENT_RULES,
    EVALUATION_COMPONENTS,
    EVALUATION_SCALE,
    Evaluation,
    evaluate,
    evaluate_scores,
    evaluation_weights,
)
from smartcity_model.scoring.impute import IMPUTATION_METHODS, ImputationMethod
from smartcity_model.scoring.normalise import NORMALISATION_METHODS, PEER_METHODS, NormaliseSpec, Scope, Ties, normalise
from smartcity_model.scoring.panel import DATA_COLUMNS, FLAG_COLUMNS, Panel, StageResult, check_table
from smartcity_model.scoring.pillars import (
    PILLAR_COLUMNS,
    PILLAR_LEVELS,
    pillar_readiness,
    pillar_structure,
    questionnaire_scores,
)
from smartcity_model.scoring.province import BLOCKER_COLUMNS, ProvinceReadiness, province_from_rollup, roll_up_province
from smartcity_model.scoring.readiness import READINESS_SCALES, ReadinessBand, ReadinessScale, readiness_scale
from smartcity_model.scoring.recipe import (
    STAGES,
    AggregateStep,
    DataFiles,
    DenominateStep,
    ImputeStep,
    Recipe,
    RecipeError,
    ScreenStep,
    Study,
    TreatStep,
)
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
from smartcity_model.scoring.screen import ScreenUnit
from smartcity_model.scoring.spbe import SPBE_LEVELS, spbe_index, spbe_indicator_id, spbe_structure
from smartcity_model.scoring.stages import denominate, impute, screen, treat
from smartcity_model.scoring.structure import (
    PLAN_LEVELS,
    TOP_NODE,
    IndicatorSpec,
    ScoringError,
    ScoringWarning,
    Structure,
    parse_direction,
)
from smartcity_model.scoring.tables import SCORE_TABLE_COLUMNS, node_names, score_table
from smartcity_model.scoring.treat import TREATMENTS, Treatment

__all__ = [
    "AGGREGATIONS",
    "BLOCKER_COLUMNS",
    "COMPONENT_RULES",
    "DATA_COLUMNS",
    "EVALUATION_COMPONENTS",
    "EVALUATION_SCALE",
    "FLAG_COLUMNS",
    "IMPUTATION_METHODS",
    "MISSING_POLICIES",
    "NORMALISATION_METHODS",
    "PEER_METHODS",
    "PILLAR_COLUMNS",
    "PILLAR_LEVELS",
    "PLAN_LEVELS",
    "READINESS_SCALES",
    "SCORE_COLUMNS",
    "SCORE_TABLE_COLUMNS",
    "SPBE_LEVELS",
    "STAGES",
    "TOP_NODE",
    "TREATMENTS",
    "AggregateStep",
    "Aggregation",
    "CoinrData",
    "DataFiles",
    "DenominateStep",
    "Denominator",
    "Evaluation",
    "ImputationMethod",
    "ImputeStep",
    "IndicatorSpec",
    "MissingPolicy",
    "NonPositive",
    "NormaliseSpec",
    "Panel",
    "ProvinceReadiness",
    "ReadinessBand",
    "ReadinessScale",
    "Recipe",
    "RecipeError",
    "RollUp",
    "Scope",
    "ScoringError",
    "ScoringWarning",
    "ScreenStep",
    "ScreenUnit",
    "StageResult",
    "Structure",
    "Study",
    "Ties",
    "TreatStep",
    "Treatment",
    "check_table",
    "denominate",
    "evaluate",
    "evaluate_scores",
    "evaluation_weights",
    "impute",
    "node_names",
    "normalise",
    "observations_frame",
    "parse_direction",
    "pillar_readiness",
    "pillar_structure",
    "plan_vs_actual",
    "planned_frame",
    "province_from_rollup",
    "questionnaire_scores",
    "read_coinr",
    "readiness_scale",
    "roll_up",
    "roll_up_province",
    "score_table",
    "screen",
    "spbe_index",
    "spbe_indicator_id",
    "spbe_structure",
    "structure_from_coinr",
    "tidy_from_coinr",
    "treat",
    "units_from_coinr",
    "wide_for_coinr",
]
