"""Turn pydantic validation errors into messages a scenario author can act on.

Each message says where (key path), what was found, and what is allowed, in the words of a YAML
author ("a whole number", "a mapping"), not pydantic's ("valid integer", "instance of Strategy").
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Annotated, Any

from pydantic import BaseModel, ValidationError

# What a pydantic type error expected, said in YAML terms.
EXPECTED = {
    "int_parsing": "a whole number", "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number", "float_type": "a number", "string_type": "text",
    "bool_parsing": "true or false", "bool_type": "true or false",
    "dict_type": "a mapping (indented 'key: value' lines)",
    "model_type": "a mapping (indented 'key: value' lines)",
    "list_type": "a list", "tuple_type": "a list", "path_type": "a file name (text)",
}
BOUND_KINDS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}
BOUND_WORDS = {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than"}
# Numbers refused before their bounds are checked: the message still says what is allowed.
OUT_OF_RANGE = {"finite_number": "not a finite number (.nan and .inf are refused)",
                "int_parsing_size": "too large a number"}
MAX_PROBLEMS = 20  # listed in one message; the rest are counted


def describe_errors(exc: ValidationError, data: dict, source: str, root: type[BaseModel]) -> str:
    """One line per problem: `file: key.path = value: what is wrong (allowed: ...)`."""
    # dict.fromkeys: a list short by several items reports once, not once per missing item.
    # Only the first MAX_PROBLEMS are described: a file of a million unknown keys gets a
    # message of twenty lines, not of hundreds of megabytes.
    errors = exc.errors(include_url=False, include_context=True, include_input=False)
    lines = _allowed_once(list(dict.fromkeys(_describe(err, data, root)
                                             for err in errors[:MAX_PROBLEMS])))
    if len(lines) == 1 and len(errors) == 1:
        return f"{source}: {lines[0]}"
    more = len(errors) - MAX_PROBLEMS
    tail = f"\n  - ... and {more:,} more" if more > 0 else ""
    count = f"{len(errors):,}" if more > 0 else f"{len(lines)}"
    return f"{source}: {count} problems:\n" + "\n".join(f"  - {line}" for line in lines) + tail


def _allowed_once(lines: list[str]) -> list[str]:
    """The same list of allowed values is spelled out once; later lines say "as above"."""
    seen: set[str] = set()
    out = []
    for line in lines:
        head, sep, allowed = line.rpartition(" (allowed: ")
        if sep and allowed in seen:
            line = f"{head} (allowed: as above)"
        elif sep:
            seen.add(allowed)
        out.append(line)
    return out


def yaml_kind(value: Any) -> str:
    """What a YAML value is, in an author's words (bool before int: True is an int in Python)."""
    for kind, words in ((bool, "true/false"), (int, "a whole number"), (float, "a number"),
                        (str, "text"), (list, "a list"), (dict, "a mapping")):
        if isinstance(value, kind):
            return words
    return "nothing (null)" if value is None else type(value).__name__


def _describe(err: dict, data: dict, root: type[BaseModel]) -> str:
    kind = err["type"]
    # pydantic ends the path of a bad dict key with the marker "[key]"; a key a user named
    # "[key]" is a key like any other (found by make fuzz).
    bad_key = kind != "extra_forbidden" and err["loc"][-1:] == ("[key]",)
    loc = [str(p) for p in (err["loc"][:-1] if bad_key else err["loc"])]
    where = ".".join(loc) or "(top level)"
    if kind == "extra_forbidden":
        return f"{where}: {_unknown_key(loc[-1], _allowed_keys(root, loc[:-1]))}"
    if bad_key:  # a dict key outside its Literal choices
        return f"{where}: {_unknown_key(loc[-1], _choices(err))}"
    if kind == "missing" and loc and loc[-1].isdigit():
        return _short_list(loc[:-1], data, root)
    if kind == "missing":
        return f"{where}: required key is missing"
    value = _value_at(data, loc)
    shown = "" if value is _MISSING else f" = {_shown(value)}"
    return f"{where}{shown}: {_explain(err, value, root, loc)}"


def _explain(err: dict, value: Any, root: type[BaseModel], loc: list[str]) -> str:
    kind = err["type"]
    if kind in BOUND_KINDS or kind in OUT_OF_RANGE:
        _, metadata = _field_at(root, loc)
        allowed = _allowed_range(metadata, err.get("ctx"))
        return f"{OUT_OF_RANGE.get(kind, 'out of range')} (allowed: {allowed or 'any'})"
    if kind == "literal_error":
        choices = _choices(err)
        return f"not allowed{_did_you_mean(value, choices)} (allowed: {', '.join(choices)})"
    if kind in EXPECTED:
        return f"expected {EXPECTED[kind]}, found {yaml_kind(value)}"
    if kind in ("too_short", "too_long"):
        ctx = err["ctx"]
        limit = ctx.get("min_length", ctx.get("max_length"))
        bound = "at least" if kind == "too_short" else "at most"
        return f"has {ctx['actual_length']} items; needs {bound} {limit}"
    return err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _unknown_key(key: str, allowed: list[str]) -> str:
    listed = f" (allowed: {', '.join(allowed)})" if allowed else ""
    return f"unknown key '{key}'{_did_you_mean(key, allowed)}{listed}"


# What users call a channel, by the model's channel that stands for it (docs/economics.md).
CHANNEL_ALIASES = {
    "whatsapp": "messaging", "telegram": "messaging", "chat": "messaging",
    "live_chat": "messaging", "chatbot": "messaging", "messenger": "messaging",
    "wechat": "messaging", "website": "web", "online": "web", "ecommerce": "web",
    "mobile": "app", "mobile_app": "app", "instagram": "social", "facebook": "social",
    "tiktok": "social", "twitter": "social", "x": "social", "call_centre": "phone",
    "call_center": "phone", "telephone": "phone", "contact_centre": "phone",
    "branch": "store", "shop": "store", "office": "store", "text": "sms", "newsletter": "email",
}


def _did_you_mean(value: Any, choices: list[str]) -> str:
    alias = CHANNEL_ALIASES.get(str(value).lower().replace(" ", "_").replace("-", "_"))
    if alias in choices:
        return f"; {value} is the channel '{alias}' in cxsim"
    hint = difflib.get_close_matches(str(value), choices, n=1)
    return f"; did you mean '{hint[0]}'?" if hint else ""


def _choices(err: dict) -> list[str]:
    # pydantic lists Literal choices as "'a', 'b' or 'c'" in ctx['expected'].
    return re.findall(r"'([^']*)'", (err.get("ctx") or {}).get("expected", ""))


def _short_list(loc: list[str], data: dict, root: type[BaseModel]) -> str:
    annotation, _ = _field_at(root, loc)
    needed = len(typing.get_args(annotation)) or "more"
    value = _value_at(data, loc)
    found = len(value) if isinstance(value, list) else "fewer"
    return f"{'.'.join(loc)} = {_shown(value)}: expected {needed} items, found {found}"


def _allowed_range(metadata: list, ctx: dict | None) -> str:
    bounds = {k: getattr(m, k) for m in metadata for k in BOUND_WORDS
              if getattr(m, k, None) is not None} or dict(ctx or {})
    if "ge" in bounds and "le" in bounds:
        return f"{_number(bounds['ge'])} to {_number(bounds['le'])}"
    return " and ".join(f"{BOUND_WORDS[k]} {_number(v)}" for k, v in bounds.items()
                        if k in BOUND_WORDS)


def _number(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _shown(value: Any) -> str:
    # A whole block (e.g. `strategy` when a cross-field rule fails) would drown the message.
    text = repr(value)
    return text if len(text) <= 70 else text[:67] + "..."


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
    """Field names of the model found at `loc`."""
    model = _as_model(_field_at(root, loc)[0])
    return list(model.model_fields) if model else []


def _field_at(root: type[BaseModel], loc: list[str]) -> tuple[Any, list]:
    """The type at `loc` and its constraints (Ge, Le, ...), walking model fields and dict values."""
    annotation: Any = root
    metadata: list = []
    for key in loc:
        annotation, metadata = _step(annotation, key)
        if annotation is None:
            return None, []
    return annotation, metadata


def _step(annotation: Any, key: str) -> tuple[Any, list]:
    model = _as_model(annotation)
    if model is not None:
        field = model.model_fields.get(key)
        return _unwrap(field.annotation, list(field.metadata)) if field else (None, [])
    if typing.get_origin(annotation) is dict:
        return _unwrap(typing.get_args(annotation)[1], [])
    return None, []


def _unwrap(annotation: Any, metadata: list) -> tuple[Any, list]:
    # `Share | None` hides its bounds in Annotated[float, FieldInfo(metadata=[Ge, Le])].
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        annotation = args[0]
    if typing.get_origin(annotation) is Annotated:
        base, *extras = typing.get_args(annotation)
        return base, metadata + [m for e in extras for m in getattr(e, "metadata", [e])]
    return annotation, metadata


def _as_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):  # Optional[Model]
        return next((a for a in typing.get_args(annotation)
                     if isinstance(a, type) and issubclass(a, BaseModel)), None)
    return None
