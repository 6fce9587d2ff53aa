"""What a finished run measured: headline KPIs and breakdown tables (either engine)."""

from sim.metrics.breakdowns import breakdowns
from sim.metrics.headline import kpis, retention_rate

__all__ = ["breakdowns", "kpis", "retention_rate"]
