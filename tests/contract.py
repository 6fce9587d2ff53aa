"""What a finished run promises about its KPIs (docs/results-format.md): never infinite, and
NaN ("n/a") only for a ratio whose denominator the run did not have (`metrics.RATIOS`)."""

import math

from sim.metrics.headline import RATIOS


def unusable_kpis(kpis: dict) -> list[str]:
    """KPIs that are infinite, or NaN although they are not a ratio over nothing."""
    return [k for k, v in kpis.items() if math.isinf(v) or (math.isnan(v) and k not in RATIOS)]
