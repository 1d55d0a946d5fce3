"""Rules of the code base: core/ never imports Qt or ui (so it runs headless and is testable)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "ui")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_core_sources_do_not_import_qt_or_ui():
    offenders = []
    for path in sorted((ROOT / "core").rglob("*.py")):
        for name in _imports(path):
            if name.split(".")[0] in FORBIDDEN:
                offenders.append(f"{path.relative_to(ROOT)}: import {name}")
    assert not offenders, "core/ 不能依赖 Qt 或 ui：\n" + "\n".join(offenders)


def _core_modules() -> list[str]:
    return sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "core").rglob("*.py")
    )


def test_importing_all_of_core_loads_no_qt():
    modules = _core_modules()
    assert len(modules) > 30
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'ui')]\n"
        "print(','.join(bad))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def test_import_linter_contract_holds():
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        import pytest

        pytest.skip("import-linter 未安装")
    proc = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_is_clean():
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists():
        import pytest

        pytest.skip("ruff 未安装")
    proc = subprocess.run(
        [str(ruff), "check", "--quiet", "."], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_public_name_of_a_core_package_resolves():
    """ui/ imports ``from core.importing import import_file``: each listed name must exist."""
    import importlib

    for pkg in ("base", "importing", "marketing", "campaign", "documents", "reporting"):
        module = importlib.import_module(f"core.{pkg}")
        assert module.__doc__ and len(module.__all__) >= 3
        for name in module.__all__:
            assert getattr(module, name) is not None, f"core.{pkg}.{name}"


def test_no_module_is_over_600_lines():
    long = [
        f"{p.relative_to(ROOT)}: {n}"
        for folder in ("core", "ui")
        for p in (ROOT / folder).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600
    ]
    assert not long, "模块超过 600 行，请按职责拆分：\n" + "\n".join(long)


def test_resources_hold_data_not_scripts():
    scripts = [str(p.relative_to(ROOT)) for p in (ROOT / "resources").rglob("*.py")]
    assert scripts == [], "resources/ 只放程序自带的数据；脚本放在 tools/"


def test_no_function_in_ui_is_over_80_lines():
    """Pages are built from named panels; a constructor reads like a table of contents."""
    long = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > 80:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {lines}")
    assert not long, "ui/ 中的函数超过 80 行，请拆成有名字的部件或函数：\n" + "\n".join(long)


def _face(init: Path) -> tuple[dict[str, str], dict[str, str]]:
    """A package ``__init__``'s TYPE_CHECKING imports and its lazy export map (name → module)."""
    tree = ast.parse(init.read_text(encoding="utf-8"))
    seen: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom), ast.dump(imp)
                for alias in imp.names:
                    seen[alias.name] = imp.module.rsplit(".", 1)[1]
    call = next(n for n in ast.walk(tree)
                if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "lazy_exports")  # fmt: skip
    return seen, ast.literal_eval(call.args[1])


def test_each_core_package_shows_its_face_to_editors():
    """``from core.marketing import X`` must be followable by editors and type checkers: the
    TYPE_CHECKING block lists exactly what the package exports lazily, from the same module."""
    for init in sorted((ROOT / "core").glob("*/__init__.py")):
        seen, lazy = _face(init)
        assert seen == lazy, f"{init.relative_to(ROOT)}: TYPE_CHECKING 导入与导出表不一致"


def test_ui_uses_core_only_through_package_faces():
    """ui/ and main.py import ``core.<step>`` names, never a module inside a step package."""
    deep = []
    for path in [ROOT / "main.py", *sorted((ROOT / "ui").rglob("*.py"))]:
        for name in _imports(path):
            if name.startswith("core.") and name.count(".") > 1:
                deep.append(f"{path.relative_to(ROOT)}: {name}")
    assert not deep, "ui/ 只能从 core 的包入口导入：\n" + "\n".join(deep)


def test_tests_are_layered_like_the_code():
    """tests/core/ checks the core with plain pytest (no widget, no window); no test module
    imports another (shared frames, lists and campaigns live in tests/*.py helpers)."""
    windows = ("PySide6", "ui.main_window", "ui.pages", "ui.widgets", "ui.dialogs")
    wrong = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for name in _imports(path):
            if name.split(".")[-1].startswith("test_"):
                wrong.append(f"{path.relative_to(ROOT)} imports the test module {name}")
            if "tests/core/" in path.as_posix() and name.startswith(windows):
                wrong.append(f"{path.relative_to(ROOT)} builds Qt widgets ({name})")
    assert not wrong, "\n".join(wrong)


def _core_import_graph() -> dict[str, set[str]]:
    """Module → core modules it imports at run time (inside functions too; not the
    ``if TYPE_CHECKING:`` blocks). A name imported from a package counts as an import of
    the module that defines it (the package's lazy export map says which)."""
    import importlib

    modules = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
        for p in (ROOT / "core").rglob("*.py")
    }
    defining: dict[str, dict[str, str]] = {}
    for pkg in ("base", "importing", "marketing", "campaign", "documents", "reporting"):
        _seen, lazy = _face(ROOT / "core" / pkg / "__init__.py")
        importlib.import_module(f"core.{pkg}")
        defining[f"core.{pkg}"] = {name: f"core.{pkg}.{mod}" for name, mod in lazy.items()}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                       and getattr(node.test, "id", "") == "TYPE_CHECKING"
                       for n in ast.walk(node)}  # fmt: skip
        found: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name in modules}
            elif isinstance(node, ast.ImportFrom) and node.module in modules and node.level == 0:
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    found.add(sub if sub in modules
                              else defining.get(node.module, {}).get(alias.name, node.module))  # fmt: skip
        graph[name] = found - {name}
    return graph


def test_no_import_circle_in_core():
    """Every step of core reads top to bottom: no module imports, even inside a function,
    something that imports it back (type-only imports excepted)."""
    graph = _core_import_graph()
    circles = []

    def visit(node: str, path: list[str], done: set[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                circles.append(" → ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in done:
                visit(nxt, [*path, nxt], done)
        done.add(node)

    done: set[str] = set()
    for module in sorted(graph):
        visit(module, [module], done)
    assert not circles, "core 里有循环导入：\n" + "\n".join(sorted(set(circles)))
