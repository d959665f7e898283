"""The layout holds: the import graph of perfdsl/ has no cycle, and the layers point one way
(docs/architecture.md). Imports inside functions count; `if TYPE_CHECKING:` blocks do not."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "perfdsl"

# Which packages each layer may import from (besides itself). Lower layers never import upward.
LAYERS = {
    "perfdsl.core": set(),
    "perfdsl.messages": set(),
    "perfdsl.diagnostics": {"perfdsl.core", "perfdsl.messages"},
    "perfdsl.resources": set(),
    "perfdsl.project": {"perfdsl.core", "perfdsl.diagnostics"},
    "perfdsl.rules": {"perfdsl.resources", "perfdsl.core", "perfdsl.diagnostics", "perfdsl.project"},
    "perfdsl.syntax": {"perfdsl.core", "perfdsl.diagnostics", "perfdsl.resources", "perfdsl"},
}
NEVER_BELOW_RENDERING = {"perfdsl.render", "perfdsl.authoring", "perfdsl.cli", "perfdsl.lsp"}
BELOW_RENDERING = ("perfdsl.core", "perfdsl.syntax", "perfdsl.model", "perfdsl.score", "perfdsl.check", "perfdsl.lint")


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for b in node.body for n in ast.walk(b)}
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = name.split(".")
                base_parts = parts[: len(parts) - node.level + (1 if is_package else 0)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        for t in targets:
            while t and t not in MODULES:
                t = t.rpartition(".")[0]
            if t and t != name and t.startswith("perfdsl"):
                found.add(t)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_no_import_cycle():
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles = []
    counter = [0]

    def visit(v: str) -> None:  # Tarjan's strongly connected components (the graph is small)
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            package = min(component, key=len)
            if len(component) > 1 and not all(c == package or c.startswith(package + ".") for c in component):
                cycles.append(sorted(component))

    for v in GRAPH:
        if v not in index:
            visit(v)
    assert not cycles


def _layer_of(module: str) -> str | None:
    return next((layer for layer in LAYERS if module == layer or module.startswith(layer + ".")), None)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _layer_of(m)))
def test_lower_layers_import_only_below_them(module):
    layer = _layer_of(module)
    allowed = LAYERS[layer] | {layer}
    for target in GRAPH[module]:
        assert any(target == a or target.startswith(a + ".") for a in allowed) or target == "perfdsl", (
            f"{module} imports {target}: {layer} may import only {sorted(allowed)}"
        )


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith(BELOW_RENDERING)))
def test_the_model_knows_nothing_of_rendering_or_commands(module):
    assert not {t for t in GRAPH[module] if any(t.startswith(p) for p in NEVER_BELOW_RENDERING)}


def test_exit_codes_are_defined_once():
    homes = [
        name
        for name, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name) and t.id == "EXIT_ERRORS"
    ]
    assert homes == ["perfdsl.cli.common"]


def test_files_are_opened_through_the_project_door():
    """Only perfdsl/project.py reads files by path (perfdsl/atomic.py and perfdsl/outputs.py,
    the doors for writing, open folders and the files they create): new code that reads a file
    a .perf names must come through the door."""
    readers = []
    for name, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        if name in ("perfdsl.project", "perfdsl.atomic", "perfdsl.outputs"):
            continue
        if "os.open(" in text or ".read_bytes()" in text:
            readers.append(name)
    assert not readers, readers


def test_every_package_and_its_data_ship_in_the_wheel():
    """A package left out of pyproject.toml works in a checkout and is missing after `pip install .`."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {
        ".".join(p.relative_to(ROOT).parts[:-1])
        for p in (ROOT / "perfdsl").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"
    data = config["package-data"]
    for folder in (ROOT / "perfdsl").rglob("*.toml"):
        package = ".".join(folder.relative_to(ROOT).parts[:-2]) if folder.parent.name in ("data", "layouts") else None
        assert package in data, f"{folder.relative_to(ROOT)} is not shipped: add its package to package-data"


# Caches kept for the life of a process without a bound: each is keyed by what the package ships
# (its grammar, rulesets, rules, data folders), never by what a file says, so they hold the same
# few entries however many files a run reads.
UNBOUNDED_CACHES = {
    "perfdsl.resources._data_dir",
    "perfdsl.resources.template_words",
    "perfdsl.lint.registry.all_rules",
    "perfdsl.lint.registry.by_code",
    "perfdsl.syntax.parser._fused_loop",
    "perfdsl.syntax.lark_parser._lark",
    "perfdsl.syntax.lark_parser._raw_lark",
    "perfdsl.syntax.lark_parser._terminal_patterns",
    "perfdsl.rules.ruleset.load_ruleset",
    "perfdsl.lsp.vocabulary.keywords",
}


def _caches() -> dict[str, int | None]:
    """Every function perfdsl caches with functools, and its bound (None: unbounded)."""
    found: dict[str, int | None] = {}
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for d in node.decorator_list:
                call = d if isinstance(d, ast.Call) else None
                callee = ast.unparse(call.func if call else d)
                if callee.rpartition(".")[2] not in ("cache", "lru_cache"):
                    continue
                bound: int | None = 128 if callee.endswith("lru_cache") else None  # lru_cache's default
                for arg in (call.args[:1] + [k.value for k in call.keywords if k.arg == "maxsize"]) if call else []:
                    bound = arg.value if isinstance(arg, ast.Constant) else -1
                found[f"{name}.{node.name}"] = bound
    return found


def test_caches_on_what_files_say_are_bounded():
    """A folder of thousands of files, or a language server open all day, must not keep what every
    file said: a cache keyed by a file's figures or texts has a bound (unbounded, `parse_quantity`
    kept 100,000 quantities — 30 MB — over 2,000 files of their own figures)."""
    caches = _caches()
    assert "perfdsl.core.quantity.parse_quantity" in caches  # the walk finds the caches
    unbounded = {name for name, bound in caches.items() if bound is None}
    assert unbounded <= UNBOUNDED_CACHES, sorted(unbounded - UNBOUNDED_CACHES)
    assert all(bound != -1 for bound in caches.values())  # a bound written as a literal


def test_parse_quantity_keeps_only_the_latest():
    from perfdsl.core.quantity import parse_quantity

    for i in range(parse_quantity.cache_info().maxsize + 500):
        assert parse_quantity(f"{i}.5万元").number == Decimal(f"{i}.5")
    assert parse_quantity.cache_info().currsize == parse_quantity.cache_info().maxsize


def test_no_nested_function_calls_itself():
    """A function nested in another that calls itself is a reference cycle (the function, the
    cell that holds it): what it closes over — a file's diagnostics, texts, a sheet's layout — is
    then kept until the collector's next full pass, which a run over thousands of files makes
    rarely. Such a function belongs to the module, or is a loop with a stack."""
    found = []
    for name, path in MODULES.items():
        for outer in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(outer, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(outer):
                if inner is outer or not isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                called = {
                    n.func.id for n in ast.walk(inner) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                }
                if inner.name in called:
                    found.append(f"{name}:{inner.lineno} {outer.name}.{inner.name}")
    assert not found, found


def test_files_are_spread_over_cores_only_by_the_engine():
    """One engine runs a command's files on every core (perfdsl/engine/): its order, its memory
    of one file, its cache and Dask executors hold for every command only if none has a pool of
    its own."""
    pools = [
        name
        for name, path in MODULES.items()
        if not name.startswith("perfdsl.engine")
        and any(w in path.read_text(encoding="utf-8") for w in ("ProcessPoolExecutor", "multiprocessing", "os.fork"))
    ]
    assert not pools, pools
