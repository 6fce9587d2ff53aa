"""The side panel's inputs: Mesa's `model_params` convention, each slider showing its value.

Mesa's own `UserInputs` draws sliders without their values, and a class reads the values from
the back row, so every slider's label carries its current value ("A · integration: 0.95").
The specification is Mesa's (`Slider` objects and dicts with a `type`); anything else is a
fixed value passed on to the model as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import solara
from mesa.visualization import Slider


def initial_values(params: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments the model starts from: every input's value and the fixed ones."""
    return {name: _value(spec) for name, spec in params.items()}


def _value(spec: Any) -> Any:
    if isinstance(spec, Slider):
        return spec.value
    if isinstance(spec, dict) and "type" in spec:
        return spec.get("value")
    return spec


@solara.component
def LabelledSlider(spec: Slider, on_value: Callable[[float], None]):
    """A slider whose label shows its value, e.g. 'A · integration: 0.95'."""
    value = solara.use_reactive(spec.value)

    def changed(new: float) -> None:
        value.set(new)
        on_value(new)

    solara.SliderFloat(f"{spec.label}: {value.value:g}", value=value.value, on_value=changed,
                       min=spec.min, max=spec.max, step=spec.step)


@solara.component
def Choice(spec: dict, on_value: Callable[[Any], None]):
    """A Select or a text field of Mesa's dict form, keeping its own value between renders."""
    value = solara.use_reactive(spec["value"])

    def changed(new: Any) -> None:
        value.set(new)
        on_value(new)

    if spec["type"] == "Select":
        solara.Select(spec["label"], value=value.value, values=spec["values"], on_value=changed)
    else:
        solara.InputText(spec["label"], value=value.value, on_value=changed)


@solara.component
def Inputs(params: dict[str, Any], on_change: Callable[[str, Any], None]):
    """One input per adjustable entry of `params`; `on_change(name, value)` on every change."""
    for name, spec in params.items():
        def changed(value, name=name):
            on_change(name, value)

        if isinstance(spec, Slider):
            LabelledSlider(spec, changed)
        elif isinstance(spec, dict) and spec.get("type") in ("Select", "InputText"):
            Choice({"label": name, **spec}, changed)
