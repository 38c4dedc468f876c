"""smartcity-model: plan, check and score Indonesian smart city masterplans.

Load a masterplan, get a fully validated object graph or one error listing every problem::

    import smartcity_model as scm

    plan = scm.load(scm.example_path())
    plan.opd("diskominfo").sector
"""

from importlib.metadata import PackageNotFoundError, version

from smartcity_model.errors import (
    PROBLEM_CODES,
    MasterplanError,
    PlanNotFoundError,
    Problem,
    SmartCityError,
    UnknownIdError,
)
from smartcity_model.examples import EXAMPLES, example_path
from smartcity_model.frameworks import BUILTIN_FRAMEWORKS, builtin_framework
from smartcity_model.io import (
    FOLDER_FILES,
    SCHEMA_PARTS,
    UnsupportedFormatError,
    dump,
    dumps,
    json_schema,
    load,
    load_framework,
    plan_to_data,
)
from smartcity_model.model import (
    OPD,
    Band,
    Baseline,
    Bounds,
    BudgetLine,
    Dimension,
    Direction,
    DistanceToTarget,
    Document,
    DocumentStatus,
    Element,
    Framework,
    FundingSource,
    Goalposts,
    Horizon,
    Horizons,
    Indicator,
    IndicatorLink,
    Initiative,
    InitiativeStatus,
    Masterplan,
    MaturityLevels,
    Normalisation,
    Observation,
    ObservationStatus,
    OPDKind,
    Period,
    Pillar,
    Region,
    RegionKind,
    Thresholds,
)

try:
    __version__ = version("smartcity-model")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = [
    "BUILTIN_FRAMEWORKS",
    "EXAMPLES",
    "FOLDER_FILES",
    "OPD",
    "PROBLEM_CODES",
    "SCHEMA_PARTS",
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
    "MasterplanError",
    "MaturityLevels",
    "Normalisation",
    "OPDKind",
    "Observation",
    "ObservationStatus",
    "Period",
    "Pillar",
    "PlanNotFoundError",
    "Problem",
    "Region",
    "RegionKind",
    "SmartCityError",
    "Thresholds",
    "UnknownIdError",
    "UnsupportedFormatError",
    "__version__",
    "builtin_framework",
    "dump",
    "dumps",
    "example_path",
    "json_schema",
    "load",
    "load_framework",
    "plan_to_data",
]
