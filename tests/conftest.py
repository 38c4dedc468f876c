"""Shared fixtures: the bundled example and a small valid plan to break in tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import smartcity_model as scm
from smartcity_model.io import yamlfile

DATA = Path(__file__).parent / "data"
MINIMAL = DATA / "minimal.yaml"


@pytest.fixture
def plan_data() -> dict[str, Any]:
    """A small valid plan (``tests/data/minimal.yaml``) as plain data, safe to modify."""
    data: dict[str, Any] = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def example_plan() -> scm.Masterplan:
    """The bundled Solok Selatan example, loaded once."""
    return scm.load(scm.example_path())


@pytest.fixture
def plan_folder(tmp_path: Path) -> Path:
    """The small valid plan saved as a masterplan folder."""
    return scm.dump(scm.load(MINIMAL), tmp_path / "plan")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def snapshot() -> Callable[[Path], dict[str, bytes]]:
    """Return a function listing every file below a folder with its bytes, to prove nothing changed."""
    return _snapshot


@pytest.fixture(params=["libyaml", "python"] if yamlfile.LIBYAML else ["python"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Read and write YAML with libyaml's C code, then with the pure-Python fallback."""
    if request.param == "python":
        monkeypatch.setattr(yamlfile, "_Loader", yamlfile._PyLoader)  # noqa: SLF001 - the fallback under test
        monkeypatch.setattr(yamlfile, "_Dumper", yamlfile._PyDumper)  # noqa: SLF001
    name: str = request.param
    return name
