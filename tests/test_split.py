"""The runtime/authoring split: the runtime is standard library only, so it runs as-is in Pyodide.

Runtime = ``decision_tree/*.py``. Authoring (``decision_tree/authoring``, PyYAML) and the YAML
content are build-time only and must stay out of the wheel the browser installs.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from decision_tree.authoring import compile_tree

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = sorted((ROOT / "decision_tree").glob("*.py"))
RUNTIME_MODULES = {"decision_tree"} | {f"decision_tree.{p.stem}" for p in RUNTIME}
GOOD = Path(__file__).resolve().parent / "fixtures" / "good"


def imports(tree: ast.Module) -> list[tuple[str, int, bool]]:
    """(module, line, at_module_level) for every import statement in the module."""
    nested: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            nested |= {id(n) for n in ast.walk(node) if n is not node}
    found = []
    for node in ast.walk(tree):
        top = id(node) not in nested
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative import inside the package
                module = "decision_tree" + (f".{module}" if module else "")
            if module == "decision_tree":  # from decision_tree import engine
                found += [(f"decision_tree.{a.name}", node.lineno, top) for a in node.names]
            else:
                found.append((module, node.lineno, top))
    return found


def allowed(module: str, at_module_level: bool) -> bool:
    root = module.split(".")[0]
    if root == "__future__" or root in sys.stdlib_module_names:
        return True
    if module in RUNTIME_MODULES:
        return True
    # The CLI's build-time commands (validate, compile, schema) load authoring lazily, inside
    # the command; importing the runtime must never pull it in.
    return not at_module_level and module.startswith("decision_tree.authoring")


def test_runtime_modules_import_only_the_standard_library_and_each_other():
    bad = []
    for path in RUNTIME:
        for module, line, top in imports(ast.parse(path.read_text(encoding="utf-8"))):
            if not allowed(module, top):
                where = "at module level" if top else "inside a function"
                bad.append(f"decision_tree/{path.name}:{line}: imports {module} {where}")
    assert not bad, "\n".join(bad)


def test_import_check_sees_what_it_should():
    sample = ast.parse(
        "import json\nfrom . import engine\nimport yaml\n"
        "def f():\n    from decision_tree.authoring import compile_tree\n"
    )
    verdicts = [(m, allowed(m, top)) for m, _line, top in imports(sample)]
    assert verdicts == [
        ("json", True), ("decision_tree.engine", True), ("yaml", False),
        ("decision_tree.authoring", True),
    ]
    assert not allowed("decision_tree.authoring", True)


def bare_python(code: str, *path: Path) -> subprocess.CompletedProcess:
    """Run ``code`` with ``python -S``: no site-packages, only the stdlib and ``path`` on sys.path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONNOUSERSITE"] = "1"
    prelude = (
        "import sys\n"
        f"sys.path[:] = {[str(p) for p in path]!r} + "
        f"[p for p in sys.path if p.startswith({sysconfig.get_paths()['stdlib']!r})]\n"
    )
    return subprocess.run(
        [sys.executable, "-S", "-I", "-c", prelude + code],
        cwd="/", capture_output=True, text=True, env=env,
    )


def test_runtime_imports_without_site_packages():
    code = (
        "try:\n    import yaml\nexcept ImportError:\n    pass\n"
        "else:\n    raise SystemExit('site-packages leaked into sys.path: yaml imported')\n"
        "import decision_tree, decision_tree.api, decision_tree.cli\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('decision_tree.authoring') or m == 'yaml')\n"
        "assert not loaded, loaded\n"
        "print('ok')\n"
    )
    proc = bare_python(code, ROOT)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


@pytest.fixture(scope="module")
def wheel() -> Path:
    sys.path.insert(0, str(ROOT))
    from build_scripts.assets import build_wheel

    return build_wheel()


def test_wheel_holds_the_runtime_and_nothing_else(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    package = sorted(n for n in names if n.startswith("decision_tree/"))
    assert not [n for n in package if n.startswith(("decision_tree/authoring/", "decision_tree/content/"))]
    assert package == sorted(f"decision_tree/{p.name}" for p in RUNTIME)


def test_runtime_from_the_wheel_answers_without_site_packages(wheel: Path, tmp_path: Path):
    """Unpacked alone, the wheel loads a compiled tree and answers, as it will inside Pyodide."""
    zipfile.ZipFile(wheel).extractall(tmp_path / "wheel")
    tree_json = tmp_path / "tree.json"
    tree_json.write_text(json.dumps(compile_tree(GOOD), ensure_ascii=False), encoding="utf-8")
    code = (
        "import json, pathlib\n"
        "from decision_tree import api\n"
        f"api.load(pathlib.Path({str(tree_json)!r}).read_text(encoding='utf-8'))\n"
        "first = json.loads(api.respond('[]'))\n"
        "assert first['status'] == 'question', first\n"
        "done = json.loads(api.respond(json.dumps({'answers': [['problem', ['quality']], ['price', 30],"
        " ['bought_on', None], ['response', 'refused']], 'today': '2026-11-30'})))\n"
        "assert done['status'] == 'result', done\n"
        "print(done['result']['primary_route']['id'])\n"
    )
    proc = bare_python(code, tmp_path / "wheel")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "complaint_12315"
