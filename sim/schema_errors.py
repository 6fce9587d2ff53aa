"""Turn pydantic validation errors into messages a scenario author can act on."""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError


def describe_errors(exc: ValidationError, data: dict, source: str, root: type[BaseModel]) -> str:
    """One line per problem: `file: key.path = value: what is wrong; what is allowed`."""
    lines = [_describe(err, data, root) for err in exc.errors()]
    if len(lines) == 1:
        return f"{source}: {lines[0]}"
    return f"{source}: {len(lines)} problems:\n" + "\n".join(f"  - {line}" for line in lines)


def _describe(err: dict, data: dict, root: type[BaseModel]) -> str:
    loc = [str(p) for p in err["loc"] if p != "[key]"]
    where = ".".join(loc) or "(top level)"
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(root, loc[:-1])
        hint = difflib.get_close_matches(loc[-1], allowed, n=1)
        did_you_mean = f"; did you mean '{hint[0]}'?" if hint else ""
        return (f"{where}: unknown key '{loc[-1]}'{did_you_mean} "
                f"(allowed: {', '.join(allowed)})")
    if err["loc"] and err["loc"][-1] == "[key]":
        return f"{where}: '{loc[-1]}' is not an allowed key: {_clean(err['msg'])}"
    message = _clean(err["msg"])
    if kind == "missing":
        return f"{where}: required key is missing"
    value = _value_at(data, loc)
    shown = "" if value is _MISSING else f" = {value!r}"
    return f"{where}{shown}: {message}"


def _clean(msg: str) -> str:
    return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")


_MISSING = object()


def _value_at(data: Any, loc: list[str]) -> Any:
    for key in loc:
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list | tuple) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            return _MISSING
    return data


def _allowed_keys(root: type[BaseModel], loc: list[str]) -> list[str]:
    """Field names of the model found at `loc`, walking model fields and dict values."""
    annotation: Any = root
    for key in loc:
        annotation = _step(annotation, key)
        if annotation is None:
            return []
    model = _as_model(annotation)
    return list(model.model_fields) if model else []


def _step(annotation: Any, key: str) -> Any:
    model = _as_model(annotation)
    if model is not None:
        field = model.model_fields.get(key)
        return field.annotation if field else None
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is dict and len(args) == 2:
        return args[1]
    return None


def _as_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):  # Optional[Model], Annotated[Model, ...]
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None
