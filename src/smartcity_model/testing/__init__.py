"""Testing tools for masterplans: hypothesis strategies and assertions (needs the ``testing`` extra).

Install with ``pip install "smartcity-model[testing]"``. The pytest plugin that checks masterplan
folders lives in the package ``pytest_smartcity`` and loads without hypothesis.
"""

try:
    import hypothesis  # noqa: F401 - probed only to give a clear message when it is missing
except ModuleNotFoundError as error:  # pragma: no cover - exercised in a separate environment
    msg = 'smartcity_model.testing needs hypothesis: pip install "smartcity-model[testing]"'
    raise ImportError(msg) from error

from smartcity_model.testing.assertions import assert_consistent, assert_readiness, format_findings
from smartcity_model.testing.strategies import (
    DEFECTS,
    DefectivePlan,
    defective_masterplans,
    frameworks,
    indicators,
    initiatives,
    masterplans,
    observations,
    opds,
    plan_data,
    values_of,
)

__all__ = [
    "DEFECTS",
    "DefectivePlan",
    "assert_consistent",
    "assert_readiness",
    "defective_masterplans",
    "format_findings",
    "frameworks",
    "indicators",
    "initiatives",
    "masterplans",
    "observations",
    "opds",
    "plan_data",
    "values_of",
]
