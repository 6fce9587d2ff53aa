"""One source for every default, unit and source: the schema; base.yaml and the ODD's table
are written from it (`make defaults`) and must be current."""

from sim.scenario import defaults
from sim.scenario.schema import Effects, Heterogeneity, Scenario


def test_base_yaml_is_the_schema_written_out():
    assert defaults.BASE_YAML.read_text() == defaults.base_yaml(), (
        "scenarios/base.yaml differs from the schema: run `make defaults` and commit it")


def test_the_parameter_table_is_the_schema_written_out():
    assert defaults.PARAMETERS_MD.read_text() == defaults.parameter_table(), (
        "docs/parameters.md differs from the schema: run `make defaults` and commit it")


def test_every_effect_size_cites_a_source_or_is_an_assumption_with_a_plausible_range():
    for model in (Effects, Heterogeneity):
        for name, field in model.model_fields.items():
            extra = field.json_schema_extra or {}
            assert extra.get("unit"), f"{model.__name__}.{name} has no unit"
            assert extra.get("source"), f"{model.__name__}.{name} cites no source"
            low, high = extra["plausible"]
            default = getattr(model(), name)
            assert low <= default <= high, f"{model.__name__}.{name} outside its range"


def test_every_lever_and_behavioural_constant_says_what_it_is():
    for block in ("strategy", "behaviour", "word_of_mouth", "industry", "population"):
        model = type(getattr(Scenario(), block))
        for name, field in model.model_fields.items():
            assert field.description, f"{block}.{name} has no description"


def test_every_price_cites_a_public_figure_or_says_it_is_an_assumption():
    from sim.scenario.economics import Economics, LeverCosts

    for model in (Economics, LeverCosts):
        for name, field in model.model_fields.items():
            if name == "levers":  # a block of prices, each checked as LeverCosts
                continue
            extra = field.json_schema_extra or {}
            assert extra.get("unit"), f"{model.__name__}.{name} has no unit"
            assert extra.get("source"), f"{model.__name__}.{name} cites no source"
