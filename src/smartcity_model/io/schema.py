"""JSON Schemas of the masterplan files, for editors that validate YAML or JSON as people type."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from smartcity_model.model import OPD, Indicator, Initiative, Masterplan
from smartcity_model.model.alignment import Goal
from smartcity_model.model.analysis import DimensionVision, Issue
from smartcity_model.model.area import Area
from smartcity_model.model.assessment import Answer
from smartcity_model.model.governance import GoverningBody
from smartcity_model.model.header import PlanHeader
from smartcity_model.model.progress import Progress
from smartcity_model.model.stakeholder import Stakeholder

__all__ = ["SCHEMA_PARTS", "json_schema"]

_ADAPTERS: dict[str, TypeAdapter[Any]] = {
    "masterplan": TypeAdapter(Masterplan),
    "header": TypeAdapter(PlanHeader),
    "opds": TypeAdapter(list[OPD]),
    "indicators": TypeAdapter(list[Indicator]),
    "initiatives": TypeAdapter(list[Initiative]),
    "goals": TypeAdapter(list[Goal]),
    "issues": TypeAdapter(list[Issue]),
    "visions": TypeAdapter(list[DimensionVision]),
    "stakeholders": TypeAdapter(list[Stakeholder]),
    "bodies": TypeAdapter(list[GoverningBody]),
    "areas": TypeAdapter(list[Area]),
    "assessment": TypeAdapter(list[Answer]),
    "progress": TypeAdapter(list[Progress]),
}
#: The files a schema can be made for: one single-file plan, or each file of a plan folder.
SCHEMA_PARTS: dict[str, str] = {
    "masterplan": "a whole masterplan in one YAML or JSON file",
    "header": "masterplan.yaml in a masterplan folder",
    "opds": "opds.yaml in a masterplan folder",
    "indicators": "indicators.yaml in a masterplan folder",
    "initiatives": "initiatives.yaml in a masterplan folder",
    "goals": "goals.yaml in a masterplan folder (RPJMD and Renstra goals)",
    "issues": "issues.yaml in a masterplan folder (the strategic analysis)",
    "visions": "visions.yaml in a masterplan folder (each dimension's vision)",
    "stakeholders": "stakeholders.yaml in a masterplan folder (partners beyond the OPDs)",
    "bodies": "bodies.yaml in a masterplan folder (council, team, forum)",
    "areas": "areas.yaml in a masterplan folder (places)",
    "assessment": "assessment.yaml in a masterplan folder (readiness answers)",
    "progress": "the rows of progress.csv in a masterplan folder (status, physical progress, money realised)",
}


def json_schema(part: str = "masterplan") -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of one masterplan file (see :data:`SCHEMA_PARTS`).

    Examples
    --------
    >>> schema = json_schema("opds")
    >>> schema["type"], sorted(schema["items"]["$ref"].split("/")[-1:])
    ('array', ['OPD'])
    """
    if part not in _ADAPTERS:
        from smartcity_model.errors import unknown_id  # noqa: PLC0415 - only on error

        raise unknown_id("schema part", part, _ADAPTERS)
    schema = _ADAPTERS[part].json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema.setdefault("title", f"smartcity-model {part}")
    schema["description"] = f"smartcity-model file format: {SCHEMA_PARTS[part]}."
    return schema
