"""How far to trust a composite index: statistical audit, uncertainty and sensitivity, weights, trends.

- :mod:`~smartcity_model.analysis.audit`: per-indicator statistics, correlations with flags,
  Cronbach's alpha, PCA, denominator correlations (COINr's ``get_stats``, ``get_corr``…);
- :mod:`~smartcity_model.analysis.uncertainty`: Monte Carlo draws of the uncertain choices of a
  study (weights, normalisation, aggregation, missing data, treatment, one indicator left out),
  every score and rank with its median and 5–95 % interval, and the one-at-a-time table;
- :mod:`~smartcity_model.analysis.sensitivity`: first-order and total variance-based indices
  with bootstrap intervals (SALib, the ``sensitivity`` extra);
- :mod:`~smartcity_model.analysis.weights`: effective, noisy and optimised weights;
- :mod:`~smartcity_model.analysis.trends`: growth, change between years, two results compared.
"""

from smartcity_model.analysis.audit import (
    Audit,
    audit,
    correlation_flags,
    correlations,
    cronbach_alpha,
    denominator_correlations,
    indicator_stats,
    pca_loadings,
    pca_variance,
)
from smartcity_model.analysis.choices import Factor, Uncertainty
from smartcity_model.analysis.sensitivity import SensitivityResult, sensitivity, sobol_indices, sobol_sample
from smartcity_model.analysis.trends import change, compare, compare_summary, growth
from smartcity_model.analysis.uncertainty import UncertaintyResult, one_at_a_time, uncertainty
from smartcity_model.analysis.weights import OptimisedWeights, effective_weights, noisy_weights, optimise_weights

__all__ = [
    "Audit",
    "Factor",
    "OptimisedWeights",
    "SensitivityResult",
    "Uncertainty",
    "UncertaintyResult",
    "audit",
    "change",
    "compare",
    "compare_summary",
    "correlation_flags",
    "correlations",
    "cronbach_alpha",
    "denominator_correlations",
    "effective_weights",
    "growth",
    "indicator_stats",
    "noisy_weights",
    "one_at_a_time",
    "optimise_weights",
    "pca_loadings",
    "pca_variance",
    "sensitivity",
    "sobol_indices",
    "sobol_sample",
    "uncertainty",
]
