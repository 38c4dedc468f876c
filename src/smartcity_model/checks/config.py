"""Configuration of the consistency checks: thresholds, severities and waivers.

Set it in code (:class:`CheckConfig`) or in a ``checks.yaml`` beside the plan::

    thresholds:
      max_participation_share: 0.6
    severity:
      indicator-without-observations: info     # or error, warning, off
    waivers:
      - code: opd-leads-nothing
        subject: inspektorat
        reason: The inspectorate oversees the plan; by mandate it proposes no service product.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator
from pydantic_core import PydanticCustomError

from smartcity_model.checks.registry import CHECK_CODES
from smartcity_model.errors import suggest
from smartcity_model.i18n import _
from smartcity_model.model.base import FrozenModel, Label, Slug

__all__ = ["CHECKS_FILE", "CheckConfig", "CheckThresholds", "Waiver", "find_check_config", "load_check_config"]

#: Name of the configuration file looked for beside a plan.
CHECKS_FILE = "checks.yaml"

Share = Annotated[float, Field(gt=0, le=1)]


def _known_code(code: str) -> str:
    if code not in CHECK_CODES:
        message = _("unknown check code {code}").format(code=repr(code)) + suggest(code, CHECK_CODES)
        raise PydanticCustomError("invalid-choice", message)
    return code


#: A check code, refused (with the closest code) when the registry does not know it.
CheckCode = Annotated[str, AfterValidator(_known_code)]
#: A severity for a check, or ``off`` to drop it.
SeverityChoice = Literal["error", "warning", "info", "off"]


class CheckThresholds(FrozenModel):
    """Limits used by the collaboration, balance and monitoring checks."""

    max_lead_share: Share = 0.25
    """An OPD leading more than this share of the initiatives is overloaded."""
    max_participation_share: Share = 0.5
    """An OPD taking part in more than this share of the initiatives is overloaded."""
    max_ict_share: Share = 0.5
    """A plan with more than this share of ICT-led or e-government-only initiatives is ICT-heavy."""
    min_sectors_per_dimension: Annotated[int, Field(ge=1)] = 2
    """A dimension whose initiatives involve fewer sectors is carried by too few."""
    min_initiatives_for_shares: Annotated[int, Field(ge=1)] = 10
    """Share-based checks (overloaded OPD, ICT-heavy plan) need at least this many initiatives."""
    min_absorption: Share = 0.5
    """An initiative under way that has realised less than this share of the money planned so far is under-spent."""
    max_absorption: Annotated[float, Field(ge=1, allow_inf_nan=False)] = 1.0
    """An initiative that has realised more than this multiple of the money planned so far is over-spent."""


class Waiver(FrozenModel):
    """An accepted finding: it stays in the report, marked waived, with the written reason."""

    code: CheckCode
    """The check code waived."""
    subject: Slug | None = None
    """Id of the subject waived; ``None`` waives every finding of the code."""
    reason: Label
    """Why the finding is accepted; required."""


class CheckConfig(FrozenModel):
    """Thresholds, severity overrides, sector and dimension groups, and waivers for :func:`check`."""

    thresholds: CheckThresholds = Field(default_factory=CheckThresholds)
    """Limits of the collaboration and balance checks."""
    severity: dict[CheckCode, SeverityChoice] = Field(default_factory=dict)
    """Severity per code, replacing the default; ``off`` drops the check."""
    sectors: tuple[Slug, ...] = ()
    """Sector ids this plan uses beyond the vocabulary (not reported as ``unknown-sector``)."""
    ict_sectors: tuple[Slug, ...] = ("ict",)
    """Sectors counted as ICT by the ICT-heavy check."""
    egov_dimensions: tuple[Slug, ...] = ("governance", "branding")
    """Dimensions counted as e-government and branding by the ICT-heavy check."""
    waivers: tuple[Waiver, ...] = ()
    """Accepted findings, each with a reason."""

    @field_validator("severity", mode="before")
    @classmethod
    def _off_as_written(cls, value: object) -> object:
        """Read ``off`` as YAML 1.1 does (the boolean false) back as ``off``."""
        if isinstance(value, dict):
            return {code: "off" if level is False else level for code, level in value.items()}
        return value


def load_check_config(path: str | Path) -> CheckConfig:
    """Load a ``checks.yaml`` file; problems are raised as one error with file and line."""
    from smartcity_model.io.plan import load_model_file  # noqa: PLC0415 - io sits above checks; imported on use

    config: CheckConfig = load_model_file(path, CheckConfig, "check configuration")
    return config


def find_check_config(plan_path: str | Path) -> Path | None:
    """Return the ``checks.yaml`` beside a plan (inside its folder, or next to its file), if there is one.

    A ``checks.yaml`` that is not a readable file is returned too, so that it is reported, never skipped.
    """
    path = Path(plan_path)
    candidate = (path if path.is_dir() else path.parent) / CHECKS_FILE
    # anything of that name counts (a folder, a pipe, a broken link): loading it says what is wrong with it
    return candidate if os.path.lexists(candidate) else None
