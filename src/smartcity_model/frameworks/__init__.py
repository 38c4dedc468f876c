"""Built-in frameworks, shipped as YAML data inside the package (``gm100sc.yaml``, ...)."""

from smartcity_model.model.framework import BUILTIN_FRAMEWORKS, builtin_framework

__all__ = ["BUILTIN_FRAMEWORKS", "builtin_framework"]
