"""Reading and writing masterplan files: folders of YAML + CSV, or one YAML/JSON file; OPD workbooks."""

from smartcity_model.io.collect import (
    CONFLICT_CODES,
    Change,
    Conflict,
    MergeResult,
    merge_templates,
    template_workbook,
    write_template,
    write_templates,
)
from smartcity_model.io.many import PlanSet, find_plans, load_many
from smartcity_model.io.plan import (
    FOLDER_FILES,
    UnsupportedFormatError,
    dump,
    dumps,
    load,
    load_framework,
    plan_to_data,
)
from smartcity_model.io.schema import SCHEMA_PARTS, json_schema

__all__ = [
    "CONFLICT_CODES",
    "FOLDER_FILES",
    "SCHEMA_PARTS",
    "Change",
    "Conflict",
    "MergeResult",
    "PlanSet",
    "UnsupportedFormatError",
    "dump",
    "dumps",
    "find_plans",
    "json_schema",
    "load",
    "load_framework",
    "load_many",
    "merge_templates",
    "plan_to_data",
    "template_workbook",
    "write_template",
    "write_templates",
]
