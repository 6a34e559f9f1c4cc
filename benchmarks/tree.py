"""How fast the engine answers (CPython, in-process): every static path, a sample of typed walks,
and the longest single walk; each with the result composed and turned into JSON."""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from decision_tree.authoring import CONTENT_DIR, compile_tree
from decision_tree.engine import static_paths, walk
from decision_tree.model import Tree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from test_tree import random_walk  # noqa: E402  (the same typed walks the tests use)

TODAY = date(2026, 11, 30)
RUNS = 5             # runs over every path; the median is reported
WALK_REPEATS = 2000  # walks of the longest typed walk, timed one by one


def _all(tree: Tree, walks) -> float:
    start = time.perf_counter()
    for answers in walks:
        walk(tree, answers, TODAY).to_json()
    return time.perf_counter() - start


def main() -> int:
    tree = Tree.from_json(compile_tree(CONTENT_DIR))
    paths = [list(map(list, p)) for p in static_paths(tree, TODAY)]
    rng = random.Random(1)
    typed = [random_walk(tree, rng) for _ in range(1000)]
    longest = max(typed, key=len)

    every = [_all(tree, paths) for _ in range(RUNS)]
    sample = [_all(tree, typed) for _ in range(RUNS)]
    one = [_all(tree, [longest]) for _ in range(WALK_REPEATS)]

    depths = [len(a) for a in typed]
    print(f"facts: {len(tree.facts)}  rules: {len(tree.rules)}  static paths: {len(paths)}")
    print(f"answers per typed walk: median {statistics.median(depths)}, max {max(depths)}")
    print(f"every static path (walk + JSON), median of {RUNS}: {statistics.median(every) * 1e3:.1f} ms "
          f"({statistics.median(every) / len(paths) * 1e6:.1f} µs per path)")
    print(f"1000 random typed walks, median of {RUNS}: {statistics.median(sample) * 1e3:.1f} ms "
          f"({statistics.median(sample) / len(typed) * 1e6:.1f} µs per walk)")
    print(f"the longest typed walk ({len(longest)} answers), median of {WALK_REPEATS}: "
          f"{statistics.median(one) * 1e6:.1f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
