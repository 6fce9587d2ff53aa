"""What a finished run promises about its KPIs (docs/results-format.md): all finite, except
the two that are undefined by definition and then NaN, never infinite."""

import math


def unusable_kpis(kpis: dict) -> list[str]:
    """KPIs that are infinite, or NaN where the KPI is defined."""
    # satisfaction_mean: NaN while no journey has been rated; retention_rate: NaN without
    # customers on day 0 (its denominator).
    undefined = {"satisfaction_mean"} | ({"retention_rate"} if not kpis["customers_start"]
                                         else set())
    return [k for k, v in kpis.items()
            if math.isinf(v) or (math.isnan(v) and k not in undefined)]
