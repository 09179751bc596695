"""The app graph points one way. Each app may import the apps below it; apps of one layer never
import each other; nothing imports upwards, not even inside a function; and no files import each
other in a circle. A lower app reaches a higher one only through a signal or a registry that the
higher app fills in its AppConfig.ready."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The layer order, lowest first, written once. Apps in one set are peers.
LAYERS = [
    {"meetup.lib"},
    {"meetup.accounts"},
    {"meetup.audit"},
    {"hubsync"},
    {"meetup.events"},
    {"meetup.broadcasts", "meetup.showcase"},
    {"meetup.program", "meetup.demos"},
    {"meetup"},  # project level: settings, urls, the API, the dashboard, wiring, seed data
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _app_of(module: str) -> str:
    for app in sorted(RANK, key=len, reverse=True):
        if module == app or module.startswith(app + "."):
            return app
    raise AssertionError(f"{module} belongs to no layer: add its app to LAYERS")


def source_modules(root: Path = ROOT) -> dict[str, Path]:
    files = [*(root / "meetup").rglob("*.py"), *(root / "hubsync").rglob("*.py")]
    return {_module_name(f, root): f for f in files if "migrations" not in f.parts}


def imports_of(module: str, path: Path, known: set[str]) -> list[tuple[str, int]]:
    """Every project module `module` imports, at any depth in the file (functions included)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    def resolve(name: str) -> str:
        # A name imported from a module is that module; `import a.b.c` imports a.b.c.
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name

    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [resolve(alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            targets = [resolve(f"{source}.{alias.name}") for alias in node.names]
        else:
            continue
        found.extend((target, node.lineno) for target in dict.fromkeys(targets) if target and target != module)
    return found


def graph(root: Path = ROOT) -> dict[str, list[tuple[str, int]]]:
    modules = source_modules(root)
    return {module: imports_of(module, path, set(modules)) for module, path in modules.items()}


def upward_imports(edges) -> list[str]:
    wrong = []
    for module, targets in edges.items():
        source_app = _app_of(module)
        for target, line in targets:
            target_app = _app_of(target)
            if target_app == source_app:
                continue
            if RANK[target_app] >= RANK[source_app]:
                wrong.append(f"{module}:{line} imports {target} ({source_app} may not depend on {target_app})")
    return sorted(wrong)


def file_cycles(edges) -> list[list[str]]:
    """Strongly connected groups of more than one file (Tarjan's algorithm, iterative)."""
    graph_ = {module: sorted({target for target, _ in targets}) for module, targets in edges.items()}
    index, low, on_stack, stack, cycles, counter = {}, {}, set(), [], [], [0]
    for start in graph_:
        if start in index:
            continue
        work = [(start, iter(graph_[start]))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph_.get(child, []))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    cycles.append(sorted(group))
    return cycles


def test_no_app_imports_a_layer_above_it_or_a_peer():
    assert upward_imports(graph()) == []


def test_no_files_import_each_other_in_a_circle():
    assert file_cycles(graph()) == []


def test_services_never_import_tasks():
    edges = graph()
    offenders = [f"{module} imports {target}" for module, targets in edges.items()
                 if module.rpartition(".")[2] in {"services", "selectors"} or ".services." in module
                 for target, _ in targets if target.rpartition(".")[2] == "tasks"]
    assert offenders == []


def test_the_checks_catch_an_upward_import_inside_a_function_and_a_circle(tmp_path):
    """The checks above would fail on the shapes they forbid (so they cannot pass vacuously)."""
    for name, body in {
        "meetup/__init__.py": "",
        "meetup/lib/__init__.py": "",
        "meetup/lib/helper.py": "def f():\n    from meetup.events import models\n",
        "meetup/events/__init__.py": "",
        "meetup/events/models.py": "from meetup.events import services\n",
        "meetup/events/services.py": "from meetup.events.models import Event\n",
        "hubsync/__init__.py": "",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body)
    edges = graph(tmp_path)

    assert upward_imports(edges) == [
        "meetup.lib.helper:2 imports meetup.events.models (meetup.lib may not depend on meetup.events)"]
    assert file_cycles(edges) == [["meetup.events.models", "meetup.events.services"]]
