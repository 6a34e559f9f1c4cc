"""The engine inside Pyodide (under Node) gives byte-for-byte what it gives under CPython."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date

import pytest

from conftest import ROOT

from decision_tree import api
from decision_tree.model import Tree

NODE = shutil.which("node")


def _requests(tree: Tree) -> list:
    """Requests to send through ``api.respond`` as well: 400 random typed walks (amounts, dates,
    several choices, 不清楚), their partial prefixes, and every kind of error."""
    import random

    from test_tree import random_walk

    rng = random.Random(314)
    walks = [random_walk(tree, rng) for _ in range(400)]
    first = walks[0][0]
    requests: list = [{"answers": w, "today": "2026-11-30"} for w in walks]
    requests += [{"answers": w[: len(w) // 2], "today": "2026-11-30"} for w in walks[:50]]
    return requests + [
        {"answers": [], "today": "2026-11-30"},
        {"answers": [[first[0], ["no_such_option"]]], "today": "2026-11-30"},
        {"answers": [["no_such_question", "x"]], "today": "2026-11-30"},
        {"answers": [first, first], "today": "2026-11-30"},
        {"answers": [], "today": "not a date"},
        "not a list",
        [[1, 2, 3]],
    ]


@pytest.fixture(scope="module")
def pyodide_run(built_site, tmp_path_factory):
    """One Pyodide boot for the whole module: the report and every respond() line."""
    if NODE is None:
        pytest.fail("node is missing: run ./dev test (it needs Node 20+)")
    from build_scripts.assets import build_wheel

    # The engine's content-named folder (engine/runtime.json names it); the wheel, built as for the site.
    engine = built_site / json.loads((built_site / "engine" / "runtime.json").read_text())["engine"]
    wheel = build_wheel()
    tree_json = (engine / "tree.json").read_text(encoding="utf-8")
    tree = Tree.from_json(json.loads(tree_json))
    requests = _requests(tree)
    req_file = tmp_path_factory.mktemp("pyodide") / "requests.json"
    req_file.write_text(json.dumps(requests), encoding="utf-8")
    proc = subprocess.run(
        [NODE, str(ROOT / "tests" / "pyodide_paths.mjs"), str(wheel), str(engine / "tree.json"), str(req_file)],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )
    assert proc.returncode == 0, f"pyodide_paths.mjs failed:\n{proc.stderr[-3000:]}"
    lines = proc.stdout.rstrip("\n").split("\n")
    return tree_json, tree, requests, lines


def test_paths_report_is_byte_identical_in_pyodide(pyodide_run):
    tree_json, tree, _, lines = pyodide_run
    cpython = api.dumps(api.paths_report(tree, date(2026, 11, 30)))
    assert len(json.loads(cpython)) > 0
    assert lines[0] == cpython, "the path enumeration differs between CPython and Pyodide"


def test_respond_is_byte_identical_in_pyodide(pyodide_run):
    tree_json, _, requests, lines = pyodide_run
    api.load(tree_json)
    for answers, line in zip(requests, lines[1:-1], strict=True):
        assert line == api.respond(json.dumps(answers)), f"respond({answers!r}) differs in Pyodide"


def test_it_really_ran_in_pyodide(pyodide_run):
    platform, version = pyodide_run[3][-1].split()
    assert platform == "emscripten", pyodide_run[3][-1]
    assert version.startswith("3.14"), "the pinned Pyodide 314 runs Python 3.14"
