"""The code's layers as a newcomer reads them: no import cycles, imports point down, and every
module imports on its own as the first thing a program imports."""

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx

REPO = Path(__file__).resolve().parents[1]
# Bottom to top; a module may import only from its own layer or the ones before it.
LAYERS = [
    ("sim.rules", "agents", "agents.archetypes", "agents.generations"),
    ("sim.scenario",),
    ("sim.world",),
    ("sim.engines", "agents.customer"),
    ("sim.metrics",),
    ("sim.runs",),
    ("sim.outputs",),
    ("sim.experiments", "sim.validation", "sim.fit"),
    ("sim.dashboard",),
    ("sim.api", "sim.cli", "sim"),
]


def modules() -> list[str]:
    """Every module of the packages `sim` and `agents`, by dotted name."""
    names = []
    for path in sorted([*(REPO / "sim").rglob("*.py"), *(REPO / "agents").rglob("*.py")]):
        parts = path.relative_to(REPO).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def imports_of(module: str) -> set[str]:
    """The project modules `module` imports, at module level or inside functions."""
    path = REPO / Path(*module.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    found, known = set(), set(modules())
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from package import submodule` needs the submodule; names need the module.
            subs = {f"{node.module}.{alias.name}" for alias in node.names} & known
            found |= subs if len(subs) == len(node.names) else {node.module, *subs}

    return {name for name in found if name in known and name != module}


def layer(module: str) -> int:
    """Index of the layer a module belongs to (the longest matching prefix wins)."""
    best, rank = -1, None
    for i, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), i
    assert rank is not None, f"{module} belongs to no layer; add it to LAYERS"
    return rank


def test_there_are_no_import_cycles_between_modules():
    graph = nx.DiGraph((m, i) for m in modules() for i in imports_of(m) if i != "sim")
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, f"import cycles: {cycles[:5]}"


def test_imports_point_down_the_layers():
    upward = [f"{m} -> {i}" for m in modules() for i in imports_of(m)
              if i != "sim" and layer(i) > layer(m)]
    assert not upward, "imports pointing up a layer:\n" + "\n".join(upward)


def test_the_rules_import_neither_mesa_simpy_nor_an_engine():
    for module in (m for m in modules() if layer(m) == 0):
        path = REPO / Path(*module.split("."))
        tree = ast.parse((path / "__init__.py" if path.is_dir() else path.with_suffix(".py"))
                         .read_text())
        used = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
        used |= {node.module for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
        banned = {u for u in used if u.split(".")[0] in ("mesa", "simpy")
                  or u.startswith(("sim.engines", "agents.customer"))}
        assert not banned, f"{module} imports {banned}"


def test_every_module_imports_cleanly_as_the_first_import():
    # One interpreter; before each module, every project module is forgotten, so each import
    # runs as if it were the program's first (third-party packages stay loaded: faster).
    script = (
        "import importlib, sys\n"
        "failed = []\n"
        f"for name in {modules()!r}:\n"
        "    for loaded in [m for m in sys.modules if m.split('.')[0] in ('sim', 'agents')]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as exc:\n"
        "        failed.append(f'{name}: {type(exc).__name__}: {exc}')\n"
        "print('\\n'.join(failed))\n"
        "sys.exit(1 if failed else 0)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
