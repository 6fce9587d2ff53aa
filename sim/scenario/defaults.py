"""The defaults written out: `scenarios/base.yaml` and the ODD's parameter table, from the schema.

The schema (sim/scenario/schema.py, with the archetypes' and generations' profiles in
agents/) is the one source of every default, its meaning, its unit and its source: a field's
`description` says what it is, its `json_schema_extra` may add `unit`, `source` (a seed file or
a publication, docs/sources.md) and `plausible` ([low, high], the range the sensitivity
analysis explores). `base_yaml()` writes every setting with that as its comment, and
`parameter_table()` the same as a markdown table; `make defaults` rewrites both files and a
test checks they are current, so neither is maintained by hand.

    python -m sim.scenario.defaults          # rewrite scenarios/base.yaml and docs/parameters.md
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from sim.scenario.schema import Scenario

REPO = Path(__file__).resolve().parents[2]
BASE_YAML = REPO / "scenarios" / "base.yaml"
PARAMETERS_MD = REPO / "docs" / "parameters.md"
COMMENT_COLUMN = 34
WIDTH = 100
HEADER = """\
# cxsim base scenario: the market, the people, their network and how they respond.
# Generated from the schema (sim/scenario/schema.py) by `make defaults`: do not edit by hand.
# Every other bundled scenario `extends:` this file and changes only what differs. Each
# comment gives the meaning, the unit and the source; seed files (e.g. 002_622c1351b7e0738c.txt)
# are the source documents (docs/sources.md), other sources are in docs/parameters.md, and
# "assumption" marks a modelling choice (docs/ODD.md). Strategy levers are 0..1 unless stated.
"""


def about(model: type[BaseModel], name: str) -> str:
    """A field's comment: meaning (unit; source; plausible low–high)."""
    field = model.model_fields[name]
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    notes = [str(extra[key]) for key in ("unit", "source") if extra.get(key)]
    if extra.get("plausible"):
        low, high = extra["plausible"]
        notes.append(f"plausible {low:g}–{high:g}")
    text = field.description or ""
    if not notes:
        return text
    return f"{text} ({'; '.join(notes)})" if text else "; ".join(notes)


def _scalar(value: Any) -> str:
    if isinstance(value, tuple):
        value = list(value)
    text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=10_000)
    return text.strip().removesuffix("\n...").removesuffix("...").strip()


def _line(indent: int, key: str, value: str, comment: str) -> str:
    """`key: value  # comment`, the comment aligned and wrapped onto comment lines."""
    text = f"{'  ' * indent}{key}: {value}".rstrip()
    if not comment:
        return text
    if len(text) > WIDTH - 30:  # a long value: its comment goes on the lines above
        above = textwrap.wrap(comment, WIDTH - 2 * indent - 2)
        return "\n".join([*(f"{'  ' * indent}# {line}" for line in above), text])
    width = max(COMMENT_COLUMN, len(text) + 2)
    wrapped = textwrap.wrap(comment, WIDTH - width - 2) or [""]
    lines = [f"{text:<{width - 1}} # {wrapped[0]}"]
    lines += [f"{'':<{width - 1}} # {more}" for more in wrapped[1:]]
    return "\n".join(lines)


def _is_models(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and isinstance(next(iter(value.values())),
                                                                   BaseModel)


def _flow(model: BaseModel) -> str:
    """A small model in one line: its set values, `{quality: 0.7}`."""
    return _scalar({k: _plain(v) for k, v in model.model_dump().items() if v is not None})


def _block(model: BaseModel, indent: int) -> list[str]:
    lines = []
    for name in type(model).model_fields:
        value, comment = getattr(model, name), about(type(model), name)
        if isinstance(value, BaseModel):
            lines += [_line(indent, name, "", comment or _doc(value)), *_block(value, indent + 1)]
        elif _is_models(value) and len(type(next(iter(value.values()))).model_fields) > 7:
            lines.append(_line(indent, name, "", comment))
            for key, item in value.items():
                lines += [_line(indent + 1, key, "", ""), *_block(item, indent + 2)]
        elif _is_models(value):
            lines.append(_line(indent, name, "", comment))
            lines += [_line(indent + 1, key, _flow(item), "") for key, item in value.items()]
        elif isinstance(value, dict):
            lines.append(_line(indent, name, "", comment))
            lines += [_line(indent + 1, key, _scalar(item), "") for key, item in value.items()]
        else:
            lines.append(_line(indent, name, _scalar(_plain(value)), comment))
        if indent == 0 and isinstance(value, BaseModel | dict):
            lines.append("")
    return lines


def _doc(model: BaseModel) -> str:
    """The first line of a block's docstring."""
    return (type(model).__doc__ or "").strip().splitlines()[0]


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Path) else value


def base_yaml() -> str:
    """`scenarios/base.yaml`: every default of the schema, with its comment."""
    return HEADER + "\n".join(_block(Scenario(), 0)).rstrip() + "\n"


def _rows(model: BaseModel, prefix: str) -> list[str]:
    rows = []
    for name in type(model).model_fields:
        value, key = getattr(model, name), f"{prefix}{name}"
        if isinstance(value, BaseModel):
            rows += _rows(value, f"{key}.")
        elif isinstance(value, dict) and value and isinstance(next(iter(value.values())),
                                                               BaseModel):
            for item, profile in value.items():
                rows += _rows(profile, f"{key}.{item}.")
        else:
            shown = _scalar(_plain(value)).replace("|", "\\|")
            rows.append(f"| `{key}` | {shown} | {about(type(model), name)} |")
    return rows


def parameter_table() -> str:
    """docs/parameters.md: every parameter, its default and its comment, as in base.yaml."""
    return ("# Parameters\n\nGenerated from the schema by `make defaults` (do not edit by hand): "
            "every setting of a scenario, its default (`scenarios/base.yaml`), its meaning, unit "
            "and source, and the plausible range the sensitivity analysis explores where one is "
            "known. docs/ODD.md explains how each enters the model.\n\n"
            "| key | default | meaning (unit; source; plausible range) |\n|---|---|---|\n"
            + "\n".join(_rows(Scenario(), "")) + "\n")


def main() -> int:
    """Rewrite both files; say which changed."""
    for path, text in ((BASE_YAML, base_yaml()), (PARAMETERS_MD, parameter_table())):
        changed = not path.exists() or path.read_text() != text
        path.write_text(text)
        print(f"{path.relative_to(REPO)}: {'rewritten' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
