"""What each KPI measures and how it is printed: its unit, its words, its number format.

One place for the units of docs/results-format.md, so the terminal table, summary.md and the
axes of every figure say the same thing. A value that was not measured (NaN: NPS when no
journey was rated, a wait when nobody reached a desk) prints as `n/a`, never as 0.
"""

from __future__ import annotations

import numpy as np

from sim.metrics.money import COST_ITEMS, MONEY_KPIS

NOT_MEASURED = "n/a"
UNITS = {  # docs/results-format.md
    "retention_rate": "share", "cohort_survival": "share", "acquisitions_wom_share": "share",
    "promoters_share": "share", "detractors_share": "share", "fragmented_share": "share",
    "satisfaction_mean": "0..1", "customers_start": "customers", "customers_end": "customers",
    "acquisitions": "customers", "churned": "customers", "purchases": "count",
    "channel_switches": "count", "fragmented_experiences": "count", "revenue": "EUR",
    "clv_mean": "EUR", "nps": "points", "wom_positive": "contacts", "wom_negative": "contacts",
    "wom_reach_positive_mean": "contacts/sharer", "wom_reach_negative_mean": "contacts/sharer",
    "mean_wait_minutes": "minutes", "awareness_to_purchase_days": "days",
    "detractors_recovered": "journeys", "reviews_positive": "reviews",
    "reviews_negative": "reviews", "interactions": "touchpoints",
    "checkouts_abandoned": "purchases", "complaint_online_resources": "share",
    "complaint_purchase_process": "share", "complaint_customer_service": "share",
    "complaint_communication": "share",
    **{kpi: "EUR" for kpi in MONEY_KPIS}, "clv_to_cac": "ratio",
    "cost_to_serve": "EUR/customer-year",
}
_FORMATS = {"share": "{:.3f}", "0..1": "{:.3f}", "customers": "{:,.0f}", "count": "{:,.0f}",
            "contacts": "{:,.0f}", "EUR": "{:,.0f}", "minutes": "{:.1f}", "days": "{:.1f}",
            "points": "{:.1f}", "contacts/sharer": "{:.1f}", "journeys": "{:,.0f}",
            "reviews": "{:,.0f}", "touchpoints": "{:,.0f}", "purchases": "{:,.0f}",
            "ratio": "{:.1f}", "EUR/customer-year": "{:,.2f}"}
# Words for axes and sentences; a KPI not listed reads as its key with spaces.
NAMES = {
    "retention_rate": "retention rate", "cohort_survival": "day-0 customers kept",
    "acquisitions": "customers acquired", "nps": "net promoter score",
    "detractors_share": "detractors", "promoters_share": "promoters",
    "fragmented_share": "channel switches that lost the context",
    "mean_wait_minutes": "mean wait at the service desks",
    "wom_negative": "contacts told a bad story", "wom_positive": "contacts told a good story",
    "clv_mean": "customer lifetime value", "revenue": "revenue",
    "satisfaction_mean": "journey satisfaction",
    "awareness_to_purchase_days": "awareness to purchase",
    "checkouts_abandoned": "online checkouts abandoned",
    "complaint_online_resources": "main complaint: online resources",
    "complaint_purchase_process": "main complaint: purchase process",
    "complaint_customer_service": "main complaint: customer service",
    "complaint_communication": "main complaint: communication",
    "gross_margin": "gross margin", "operating_profit": "operating profit",
    "cost_total": "total cost", "cac": "customer acquisition cost", "clv_to_cac": "CLV / CAC",
    "cost_to_serve": "cost to serve a customer",
    **{f"cost_{item}": f"cost: {item.replace('_', ' ')}" for item in COST_ITEMS},
    "cost_setup": "cost: set-up (one-off)",
}


def format_value(kpi: str, value: float) -> str:
    """`value` in the precision of the KPI's unit: shares 0.123, counts 1,234, minutes 1.2.

    A KPI without a known unit gets a plain number (thousands separated, never 1.2e+03);
    NaN prints as `n/a`.
    """
    if value is None or not np.isfinite(value):
        return NOT_MEASURED
    fmt = _FORMATS.get(UNITS.get(kpi, ""))
    if fmt is None:
        fmt = "{:,.0f}" if abs(value) >= 100 else "{:.3g}"
    return fmt.format(value)


def format_interval(kpi: str, row) -> str:
    """`mean [low, high]` of a row with `mean`, `ci_low`, `ci_high`; `n/a` without a mean."""
    if not np.isfinite(row["mean"]):
        return NOT_MEASURED
    return (f"{format_value(kpi, row['mean'])} "
            f"[{format_value(kpi, row['ci_low'])}, {format_value(kpi, row['ci_high'])}]")


def cost_words(item: str) -> str:
    """A cost item in words: `setup` → 'set-up (one-off)', `one_click` → 'one click'."""
    return NAMES.get(f"cost_{item}", item.replace("_", " ")).removeprefix("cost: ")


def format_change(kpi: str, value: float) -> str:
    """A difference in the KPI's precision with its sign: `+0.613`, `-1,234`, `0.000`, `n/a`."""
    text = format_value(kpi, value)
    if text == NOT_MEASURED:
        return text
    if not any(digit in text for digit in "123456789"):  # prints as zero: no sign
        return text.removeprefix("-")
    return text if text.startswith("-") else f"+{text}"


def format_change_interval(kpi: str, row) -> str:
    """`+mean [+low, +high]` of a difference row (`mean`, `ci_low`, `ci_high`); `n/a` without."""
    if not np.isfinite(row["mean"]):
        return NOT_MEASURED
    return (f"{format_change(kpi, row['mean'])} "
            f"[{format_change(kpi, row['ci_low'])}, {format_change(kpi, row['ci_high'])}]")


def label(kpi: str) -> str:
    """Axis label of a KPI: its words and unit, e.g. 'retention rate (share)'."""
    unit = UNITS.get(kpi)
    words = NAMES.get(kpi, kpi.replace("_", " "))
    return f"{words} ({unit})" if unit else words


_LEAF_WORDS = {"staff_per_1000": "staff per 1,000 people", "handle_minutes": "minutes per contact",
               "mean_degree": "contacts per person", "size": "people"}


def factor_label(key: str) -> str:
    """Axis label of a factor's key path.

    `strategy.service.phone.staff_per_1000` reads 'phone: staff per 1,000 people',
    `strategy.integration` 'integration'; the key itself stays in tables and files.
    """
    parts = [p for p in key.split(".") if p not in ("strategy", "service")]
    if not parts:
        return key
    leaf = _LEAF_WORDS.get(parts[-1], parts[-1].replace("_", " "))
    context = [p.replace("_", " ") for p in parts[:-1]]
    return f"{' '.join(context)}: {leaf}" if context else leaf
