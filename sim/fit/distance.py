"""How far a simulated cohort is from the real one: the objective of the fit.

`distance(real, simulated)` is a sum of squared misses, each in units of its own tolerance
(the convention of `run.py calibrate`: a distance below 1 means every statistic is within its
tolerance). Only calibration-window statistics enter: the holdout is what the fitted model must
forecast, so it never informs the fit. Every term is scale-free (shares, per-customer means,
ratios), so a simulated cohort of any size can be compared with the real one.

Terms (statistic; miss; tolerance; why):
- `one_time`: share of customers with no repeat; difference; 0.05. Issue 15's acceptance 2
  (within 5 points).
- `mean`: mean repeats per customer; log ratio; 0.15. Acceptance 2 (within 15%).
- `cv`: coefficient of variation of repeats per customer; log ratio; 0.15. Acceptance 2; how
  much customers differ shows here first.
- `counts`: the distribution of repeat counts 0..7+; total variation distance; 0.10. The
  whole shape, not only its first two moments.
- `weekly`: repeats per customer in each calibration week; mean absolute error over the mean
  week; 0.15. The timing of the tracking curve (BG/NBD misses CDNOW's weeks by about 15%).
- `gaps`: mean days between purchases; log ratio; 0.15. How fast those who return buy,
  apart from how many drop out.
- `spend_cv`: coefficient of variation of spend per transaction; log ratio; 0.15. The spread
  of spend (its mean is matched exactly, by scaling the basket value: `fit.calibration`).

Equal weights: each tolerance already says how much a miss matters. A statistic the simulation
cannot produce (no repeats at all) is a miss of `MISSING` tolerances, so the optimiser moves
away instead of failing.
"""

from __future__ import annotations

import numpy as np

from sim.fit.statistics import CohortStatistics

MISSING = 30.0  # tolerances charged for a statistic the simulated cohort does not have
TOLERANCES = {"one_time": 0.05, "mean": 0.15, "cv": 0.15, "counts": 0.10, "weekly": 0.15,
              "gaps": 0.15, "spend_cv": 0.15}


def misses(real: CohortStatistics, simulated: CohortStatistics) -> dict[str, float]:
    """Each term's miss in units of its tolerance (signed where a direction exists)."""
    raw = {
        "one_time": simulated.repeats["one_time_share"] - real.repeats["one_time_share"],
        "mean": _log_ratio(simulated.repeats["mean_repeats"], real.repeats["mean_repeats"]),
        "cv": _log_ratio(simulated.repeats["cv_repeats"], real.repeats["cv_repeats"]),
        "counts": 0.5 * float(np.abs(simulated.repeat_counts - real.repeat_counts).sum()),
        "weekly": _weekly_error(real, simulated),
        "gaps": _log_ratio(simulated.inter_purchase["mean"], real.inter_purchase["mean"]),
        "spend_cv": _log_ratio(simulated.spend["cv"], real.spend["cv"]),
    }
    return {term: value / TOLERANCES[term] if np.isfinite(value) else MISSING
            for term, value in raw.items()}


def distance(real: CohortStatistics, simulated: CohortStatistics) -> float:
    """Sum of squared misses in tolerance units over the calibration window (see module)."""
    if simulated.customers == 0:
        return float(MISSING**2 * len(TOLERANCES))
    return float(sum(m * m for m in misses(real, simulated).values()))


def _log_ratio(simulated: float, real: float) -> float:
    if not (simulated > 0 and real > 0):
        return np.nan
    return float(np.log(simulated / real))


def _weekly_error(real: CohortStatistics, simulated: CohortStatistics) -> float:
    """Mean absolute error of weekly repeats per customer, relative to the real mean week."""
    weeks = real.window.calibration_weeks
    actual = real.weekly.iloc[:weeks].to_numpy(float) / max(real.customers, 1)
    model = simulated.weekly.iloc[:weeks].to_numpy(float) / max(simulated.customers, 1)
    mean = actual.mean()
    return float(np.abs(model - actual).mean() / mean) if mean > 0 else np.nan
