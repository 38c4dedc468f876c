"""Reading and writing masterplan files: folders of YAML + CSV, or one YAML/JSON file."""

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
    "FOLDER_FILES",
    "SCHEMA_PARTS",
    "PlanSet",
    "UnsupportedFormatError",
    "dump",
    "dumps",
    "find_plans",
    "json_schema",
    "load",
    "load_framework",
    "load_many",
    "plan_to_data",
]
