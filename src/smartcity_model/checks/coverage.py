"""Coverage rules: dimensions and elements without indicators or initiatives, and unlinked parts."""

from __future__ import annotations

from collections.abc import Iterator

from smartcity_model.checks.context import Context, Raw
from smartcity_model.i18n import N_, _

__all__ = ["coverage_rules"]

_NONE_OF_ITS_ELEMENTS = {
    "indicator": N_("no indicator measures any of its elements ({elements})"),
    "initiative": N_("no initiative serves any of its elements ({elements})"),
}
_NONE_FOR_THE_ELEMENT = {
    "indicator": N_("no indicator measures it (dimension {dimension})"),
    "initiative": N_("no initiative serves it (dimension {dimension})"),
}


def coverage_rules(ctx: Context) -> Iterator[Raw]:
    """Yield gaps in coverage, in framework order, then indicators and initiatives in plan order.

    An element is served by an initiative that names it or moves one of its indicators. Element
    findings are left out for a dimension that already has the same finding as a whole.
    """
    plan = ctx.plan
    measured = {indicator.element for indicator in plan.indicators}
    served = set().union(*ctx.elements_served.values()) if ctx.elements_served else set()
    for dimension in plan.framework.dimensions:
        elements = [e.id for e in dimension.elements]
        for missing, covered in (("indicator", measured), ("initiative", served)):
            if not covered.intersection(elements):
                message = _(_NONE_OF_ITS_ELEMENTS[missing]).format(elements=", ".join(elements))
                yield Raw(f"dimension-without-{missing}", "dimension", dimension.id, message, tuple(elements))
                continue
            for element_id in elements:
                if element_id not in covered:
                    message = _(_NONE_FOR_THE_ELEMENT[missing]).format(dimension=repr(dimension.id))
                    yield Raw(f"element-without-{missing}", "element", element_id, message, (dimension.id,))
    moved = {indicator_id for initiative in ctx.initiatives for indicator_id in initiative.indicator_ids}
    for indicator in plan.indicators:
        if indicator.id not in moved:
            yield Raw(
                "indicator-not-moved",
                "indicator",
                indicator.id,
                _("no initiative moves it (element {element})").format(element=repr(indicator.element)),
            )
    for initiative in ctx.initiatives:
        if not initiative.indicators:
            message = _("it names no indicator it should move")
            yield Raw("initiative-moves-nothing", "initiative", initiative.id, message)
