"""Run every rule family on a plan and apply the configuration: severities, then waivers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from smartcity_model.checks.alignment import alignment_rules
from smartcity_model.checks.analysis import analysis_rules
from smartcity_model.checks.collaboration import collaboration_rules
from smartcity_model.checks.config import CheckConfig, Waiver, load_check_config
from smartcity_model.checks.context import Context, Raw
from smartcity_model.checks.coverage import coverage_rules
from smartcity_model.checks.data import data_rules
from smartcity_model.checks.dependencies import dependency_rules, schedule_rules
from smartcity_model.checks.governance import governance_rules, society_rules
from smartcity_model.checks.monitoring import monitoring_rules
from smartcity_model.checks.participation import participation_rules
from smartcity_model.checks.places import place_rules, readiness_rules
from smartcity_model.checks.registry import CHECK_CODES, Severity
from smartcity_model.checks.report import Finding, ValidationReport
from smartcity_model.i18n import _
from smartcity_model.model import Masterplan

__all__ = ["RULES", "check"]

#: The rule families, in the order they run.
RULES: tuple[Callable[[Context], Iterator[Raw]], ...] = (
    dependency_rules,
    schedule_rules,
    coverage_rules,
    collaboration_rules,
    data_rules,
    participation_rules,
    alignment_rules,
    analysis_rules,
    society_rules,
    governance_rules,
    place_rules,
    readiness_rules,
    monitoring_rules,
)


def _config(config: CheckConfig | Mapping[str, Any] | str | Path | None) -> CheckConfig:
    if config is None:
        return CheckConfig()
    if isinstance(config, CheckConfig):
        return config
    if isinstance(config, str | Path):
        return load_check_config(config)
    return CheckConfig.model_validate(config)


def _waiver_for(raw: Raw, waivers: Iterable[Waiver]) -> Waiver | None:
    return next((w for w in waivers if w.code == raw.code and w.subject in (None, raw.subject_id)), None)


def check(plan: Masterplan, config: CheckConfig | Mapping[str, Any] | str | Path | None = None) -> ValidationReport:
    """Run the consistency checks on ``plan`` and return every finding as a :class:`ValidationReport`.

    ``config`` is a :class:`CheckConfig`, its data as a mapping, or the path of a ``checks.yaml``.
    Findings come in a fixed order: rule family, then the plan's own order. Waived findings stay
    in the report, marked with their reason; a waiver that matches nothing is reported itself.

    Examples
    --------
    >>> import smartcity_model as scm
    >>> report = scm.check(scm.load(scm.example_path()))
    >>> report.ok
    True
    >>> report.select(code="initiative-without-budget")[0].subject_id
    'lg-04'
    """
    settings = _config(config)
    context = Context(plan, settings)
    findings: list[Finding] = []
    used: set[int] = set()
    for rule in RULES:
        for raw in rule(context):
            override = settings.severity.get(raw.code)
            if override == "off":
                continue
            waiver = _waiver_for(raw, settings.waivers)
            if waiver is not None:
                used.add(id(waiver))
            findings.append(
                Finding(
                    code=raw.code,
                    severity=CHECK_CODES[raw.code].severity if override is None else Severity(override),
                    subject_kind=raw.subject_kind,
                    subject_id=raw.subject_id,
                    message=raw.message,
                    hint=_(CHECK_CODES[raw.code].hint),
                    related=raw.related,
                    waived=waiver is not None,
                    waiver_reason=None if waiver is None else waiver.reason,
                )
            )
    unused = CHECK_CODES["unused-waiver"]
    if settings.severity.get(unused.code) != "off":
        for waiver in settings.waivers:
            if id(waiver) not in used:
                subject = waiver.code if waiver.subject is None else f"{waiver.code}/{waiver.subject}"
                findings.append(
                    Finding(
                        code=unused.code,
                        severity=Severity(settings.severity.get(unused.code, unused.severity)),
                        subject_kind="waiver",
                        subject_id=subject,
                        message=(
                            _("no {code} finding for {subject}").format(code=waiver.code, subject=repr(waiver.subject))
                            if waiver.subject
                            else _("no {code} finding").format(code=waiver.code)
                        ),
                        hint=_(unused.hint),
                    )
                )
    return ValidationReport(subject=f"{plan.region.name} {plan.period}", findings=tuple(findings))
