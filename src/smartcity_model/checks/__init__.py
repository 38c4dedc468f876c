"""Consistency checks on a masterplan: rules with stable codes, findings as data, a report."""

from smartcity_model.checks.config import (
    CHECKS_FILE,
    CheckConfig,
    CheckThresholds,
    Waiver,
    find_check_config,
    load_check_config,
)
from smartcity_model.checks.registry import CHECK_CODES, CheckSpec, Family, Severity
from smartcity_model.checks.report import FINDING_COLUMNS, Finding, PlanCheckError, ValidationReport
from smartcity_model.checks.run import RULES, check

__all__ = [
    "CHECKS_FILE",
    "CHECK_CODES",
    "FINDING_COLUMNS",
    "RULES",
    "CheckConfig",
    "CheckSpec",
    "CheckThresholds",
    "Family",
    "Finding",
    "PlanCheckError",
    "Severity",
    "ValidationReport",
    "Waiver",
    "check",
    "find_check_config",
    "load_check_config",
]
