"""The roadmap: when each initiative can happen, what it brings, what to fund first, and how it is going."""

from smartcity_model.roadmap.effects import (
    EFFECT_COLUMNS,
    PATH_COLUMNS,
    effective_weights,
    expected_effects,
    indicator_effects,
    readiness_path,
)
from smartcity_model.roadmap.monitoring import (
    PROGRESS_STATES,
    STATE_COLUMNS,
    absorption,
    as_of_year,
    delivered_shares,
    progress_table,
    readiness_gap,
)
from smartcity_model.roadmap.prioritise import DECISIONS, PRIORITY_COLUMNS, Priorities, prioritise, yearly_budget
from smartcity_model.roadmap.schedule import (
    SCHEDULE_COLUMNS,
    TARGET_COLUMNS,
    Anchor,
    RoadmapError,
    RoadmapWarning,
    critical_paths,
    current_status,
    dimension_target_years,
    schedule,
    target_years,
)
from smartcity_model.roadmap.whatif import WhatIf, what_if

__all__ = [
    "DECISIONS",
    "EFFECT_COLUMNS",
    "PATH_COLUMNS",
    "PRIORITY_COLUMNS",
    "PROGRESS_STATES",
    "SCHEDULE_COLUMNS",
    "STATE_COLUMNS",
    "TARGET_COLUMNS",
    "Anchor",
    "Priorities",
    "RoadmapError",
    "RoadmapWarning",
    "WhatIf",
    "absorption",
    "as_of_year",
    "critical_paths",
    "current_status",
    "delivered_shares",
    "dimension_target_years",
    "effective_weights",
    "expected_effects",
    "indicator_effects",
    "prioritise",
    "progress_table",
    "readiness_gap",
    "readiness_path",
    "schedule",
    "target_years",
    "what_if",
    "yearly_budget",
]
