"""Findings and the validation report: plan-quality results as data, not exceptions."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, ClassVar

import pandas as pd
from pydantic import BaseModel, ConfigDict

from smartcity_model.checks.registry import CHECK_CODES, Family, Severity
from smartcity_model.errors import SmartCityError
from smartcity_model.i18n import N_, _, n_

__all__ = ["FINDING_COLUMNS", "Finding", "PlanCheckError", "ValidationReport"]

#: Columns of :meth:`ValidationReport.to_frame`, in order.
FINDING_COLUMNS: tuple[str, ...] = (
    "code",
    "severity",
    "family",
    "subject_kind",
    "subject_id",
    "message",
    "hint",
    "related",
    "waived",
    "waiver_reason",
)


#: The kinds of subject a finding names, as messages name them.
_SUBJECT_KINDS = {
    "opd": N_("OPD"),
    "initiative": N_("initiative"),
    "indicator": N_("indicator"),
    "element": N_("element"),
    "dimension": N_("dimension"),
    "plan": N_("plan"),
    "waiver": N_("waiver"),
    "goal": N_("goal"),
    "issue": N_("issue"),
    "stakeholder": N_("stakeholder"),
    "body": N_("body"),
    "area": N_("area"),
    "pillar": N_("pillar"),
}


class Finding(BaseModel):
    """One result of a consistency check, about one subject (an OPD, initiative, dimension, the plan)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    """Stable code, e.g. ``siloed-opd`` (see ``docs/checks.md``)."""
    severity: Severity
    """Error, warning or info (after configuration)."""
    subject_kind: str
    """Kind of the subject: ``opd``, ``initiative``, ``indicator``, ``element``, ``dimension``, ``plan``, ``waiver``."""
    subject_id: str | None
    """Id of the subject (``None`` for the plan as a whole)."""
    message: str
    """What was found, in one sentence."""
    hint: str
    """The usual way to fix it."""
    related: tuple[str, ...] = ()
    """Ids of other objects involved, e.g. the members of a cycle in order."""
    waived: bool = False
    """Whether a waiver in the configuration excuses it."""
    waiver_reason: str | None = None
    """The written reason of the waiver."""

    @property
    def family(self) -> Family:
        """The rule family the code belongs to."""
        return CHECK_CODES[self.code].family

    def subject(self) -> str:
        """Return what the finding is about, in the current language: ``opd 'dinkes'``, ``plan``."""
        kind = _(_SUBJECT_KINDS[self.subject_kind]) if self.subject_kind in _SUBJECT_KINDS else self.subject_kind
        return kind if self.subject_id is None else f"{kind} {self.subject_id!r}"

    def __str__(self) -> str:
        """Render as ``severity code subject: message``."""
        waived = _(" (waived: {reason})").format(reason=self.waiver_reason) if self.waived else ""
        return f"{self.severity.value} {self.code} {self.subject()}: {self.message}{waived}"


class PlanCheckError(SmartCityError):
    """A plan has error-level findings; :attr:`report` holds them all."""

    def __init__(self, report: ValidationReport) -> None:
        """Wrap ``report``, whose unwaived errors are listed in the message."""
        self.report = report
        errors = [f for f in report.findings if f.severity is Severity.ERROR and not f.waived]
        lines = [f"{len(errors)} error-level finding{'s' if len(errors) != 1 else ''} in {report.subject}:"]
        lines += [f"  {finding}" for finding in errors]
        super().__init__("\n".join(lines))


class ValidationReport(BaseModel):
    """Every finding of the consistency checks on one plan, in a fixed order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    subject: str
    """What was checked, e.g. ``Kabupaten Solok Selatan 2024-2033``."""
    findings: tuple[Finding, ...] = ()
    """The findings, waived ones included, in the order the checks ran."""

    #: How many findings of one code ``str()`` shows before summing up the rest.
    SHOWN_PER_CODE: ClassVar[int] = 5

    @property
    def active(self) -> tuple[Finding, ...]:
        """The findings no waiver excuses."""
        return tuple(f for f in self.findings if not f.waived)

    @property
    def ok(self) -> bool:
        """Whether no unwaived error-level finding remains."""
        return not any(f.severity is Severity.ERROR for f in self.active)

    @property
    def counts(self) -> dict[str, int]:
        """Unwaived findings by severity (``error``, ``warning``, ``info``) plus ``waived``."""
        counts = Counter(f.severity.value for f in self.active)
        return {s.value: counts[s.value] for s in Severity} | {"waived": len(self.findings) - len(self.active)}

    @property
    def counts_by_code(self) -> dict[str, int]:
        """Unwaived findings by code, in registry order."""
        counts = Counter(f.code for f in self.active)
        return {code: counts[code] for code in CHECK_CODES if counts[code]}

    def select(
        self, *, code: str | None = None, severity: Severity | str | None = None, waived: bool | None = None
    ) -> tuple[Finding, ...]:
        """Return the findings with the given code, severity and waived state (``None`` matches all)."""
        return tuple(
            f
            for f in self.findings
            if (code is None or f.code == code)
            and (severity is None or f.severity == severity)
            and (waived is None or f.waived == waived)
        )

    def raise_for_errors(self) -> None:
        """Raise :class:`PlanCheckError` if any unwaived error-level finding remains."""
        if not self.ok:
            raise PlanCheckError(self)

    def to_frame(self) -> pd.DataFrame:
        """Return the findings as a table with the columns of :data:`FINDING_COLUMNS`."""
        rows = [
            {
                "code": f.code,
                "severity": f.severity.value,
                "family": f.family.value,
                "subject_kind": f.subject_kind,
                "subject_id": f.subject_id,
                "message": f.message,
                "hint": f.hint,
                "related": list(f.related),
                "waived": f.waived,
                "waiver_reason": f.waiver_reason,
            }
            for f in self.findings
        ]
        return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data, with ``ok`` and the counts."""
        return {
            "subject": self.subject,
            "ok": self.ok,
            "counts": self.counts,
            "counts_by_code": self.counts_by_code,
            "findings": [f.model_dump(mode="json") for f in self.findings],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """Return :meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def __repr__(self) -> str:
        """Summarise in one line: the subject and the counts (the findings are in ``.findings``)."""
        counts = self.counts
        return (
            f"<ValidationReport {self.subject}: {'ok' if self.ok else 'not ok'}; {counts['error']} errors, "
            f"{counts['warning']} warnings, {counts['info']} info, {counts['waived']} waived; "
            ".findings .to_frame() .select(...)>"
        )

    def _repr_html_(self) -> str:
        """Show the counts and the findings in a notebook."""
        from smartcity_model.views import report_html  # noqa: PLC0415 - views import the checks

        return report_html(self)

    def __str__(self) -> str:
        """Render a readable summary: counts, then findings grouped by code, repeats capped."""
        counts = self.counts
        shown = ", ".join(
            [
                n_("{n} error", "{n} errors", counts["error"]).format(n=counts["error"]),
                n_("{n} warning", "{n} warnings", counts["warning"]).format(n=counts["warning"]),
                _("{n} info").format(n=counts["info"]),
            ]
        )
        head = _("Checks on {subject}: {counts}").format(subject=self.subject, counts=shown)
        waived = _(" ({n} waived)").format(n=counts["waived"]) if counts["waived"] else ""
        lines = [head + waived]
        groups: dict[str, list[Finding]] = {}
        for finding in self.findings:
            groups.setdefault(finding.code, []).append(finding)
        order = {code: position for position, code in enumerate(CHECK_CODES)}
        ordered = sorted(groups.values(), key=lambda group: (group[0].severity.rank, order[group[0].code]))
        width = max((len(severity.label) for severity in Severity), default=0)
        for group in ordered:
            code = group[0].code
            lines.append(f"{group[0].severity.label:<{width}} {code} ({len(group)}): {_(CHECK_CODES[code].title)}")
            for finding in group[: self.SHOWN_PER_CODE]:
                subject = finding.subject()
                note = _(" [waived: {reason}]").format(reason=finding.waiver_reason) if finding.waived else ""
                lines.append(f"  {subject}: {finding.message}{note}")
            if len(group) > self.SHOWN_PER_CODE:
                lines.append("  " + _("... and {n} more").format(n=len(group) - self.SHOWN_PER_CODE))
            lines.append("  " + _("hint: {hint}").format(hint=group[0].hint))
        if len(lines) == 1:
            lines.append(_("No findings."))
        return "\n".join(lines)
