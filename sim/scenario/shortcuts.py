"""Keyword shortcuts for building a model as Mesa users expect (`n_customers=1000, seed=1`)."""

from __future__ import annotations

from sim.scenario.loading import scenario_from_dict, set_path
from sim.scenario.schema import Scenario

# Keyword shortcuts for the most used parameters, as Mesa users expect (`n_customers=...`).
SHORTCUTS = {
    "n_customers": "population.size",
    "horizon_days": "horizon_days",
    "integration": "strategy.integration",
    "personalisation": "strategy.personalisation",
    "self_service": "strategy.self_service",
    "one_click": "strategy.one_click",
    "social_listening": "strategy.social_listening",
    "content": "strategy.content",
    "advertising": "strategy.advertising",
    "negative_ratio": "word_of_mouth.negative_ratio",
    "network_kind": "network.kind",
    "mean_degree": "network.mean_degree",
}


def configure(scenario: Scenario | None, overrides: dict | None, shortcuts: dict) -> Scenario:
    """The scenario with keyword shortcuts and dotted overrides applied (validated)."""
    unknown = sorted(set(shortcuts) - set(SHORTCUTS))
    if unknown:
        raise TypeError(f"unknown parameter(s) {unknown}; allowed: {sorted(SHORTCUTS)} "
                        "or overrides={'dotted.key': value}")
    if scenario is not None and not overrides and not shortcuts:
        return scenario
    data = (scenario or Scenario()).model_dump(mode="json")
    for name, value in shortcuts.items():
        data = set_path(data, SHORTCUTS[name], value)
    for dotted, value in (overrides or {}).items():
        data = set_path(data, dotted, value)
    return scenario_from_dict(data, "model parameters")
