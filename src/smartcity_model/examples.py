"""The example masterplans bundled with the library."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from smartcity_model.errors import unknown_id
from smartcity_model.i18n import _

__all__ = ["EXAMPLES", "example_path"]

#: Names of the bundled example masterplans.
EXAMPLES: tuple[str, ...] = ("solok-selatan",)


def example_path(name: str = "solok-selatan") -> Path:
    """Return the folder of a bundled example masterplan (default: Kabupaten Solok Selatan).

    The examples ship inside the wheel; in a source checkout they are read from ``examples/``.
    """
    if name not in EXAMPLES:
        raise unknown_id("example", name, EXAMPLES)
    packaged = Path(str(resources.files(__package__ or "smartcity_model"))) / "_examples" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "examples" / name
    if checkout.is_dir():
        return checkout
    msg = _("example {name} is missing from this installation").format(name=repr(name))
    raise FileNotFoundError(msg)
