"""How fast the engine walks the questionnaire: every path, and one full walk (CPython, in-process)."""

from __future__ import annotations

import statistics
import time

from decision_tree.authoring import CONTENT_DIR, compile_tree
from decision_tree.engine import enumerate_paths, walk
from decision_tree.model import Tree

RUNS = 7          # runs over every path; the median is reported
WALK_REPEATS = 2000  # walks of the longest path, timed one by one


def _every_path(tree: Tree, paths) -> float:
    start = time.perf_counter()
    for answers, _ in paths:
        walk(tree, answers).to_json()
    return time.perf_counter() - start


def _one_walk(tree: Tree, answers) -> float:
    start = time.perf_counter()
    walk(tree, answers).to_json()
    return time.perf_counter() - start


def main() -> int:
    tree = Tree.from_json(compile_tree(CONTENT_DIR))
    paths = enumerate_paths(tree)
    longest = max(paths, key=lambda p: len(p[0]))[0]

    every = [_every_path(tree, paths) for _ in range(RUNS)]
    one = [_one_walk(tree, longest) for _ in range(WALK_REPEATS)]

    depths = [len(a) for a, _ in paths]
    print(f"questions: {len(tree.questions)}  outcomes: {len(tree.outcomes)}  paths: {len(paths)}")
    print(f"answers per path: median {statistics.median(depths)}, max {max(depths)}")
    print(f"every path (walk + JSON), median of {RUNS} runs: {statistics.median(every) * 1e3:.1f} ms "
          f"({statistics.median(every) / len(paths) * 1e6:.1f} µs per path)")
    print(f"one full walk of the longest path ({len(longest)} answers), median of {WALK_REPEATS}: "
          f"{statistics.median(one) * 1e6:.1f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
