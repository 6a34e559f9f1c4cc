"""Run every benchmark module that has a ``main()``, or only those named on the command line."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import benchmarks


def available() -> list[str]:
    """Names of the modules in this package that define ``main()``, in alphabetical order."""
    names = []
    for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        if callable(getattr(module, "main", None)):
            names.append(info.name)
    return names


def run(argv: list[str]) -> int:
    """``argv``: benchmark names, then options for them (``questionnaire --runs 3``), which each
    benchmark's ``main()`` reads from ``sys.argv`` itself."""
    names = available()
    first_option = next((i for i, a in enumerate(argv) if a.startswith("-")), len(argv))
    wanted = argv[:first_option] or names
    unknown = [n for n in wanted if n not in names]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(names)}", file=sys.stderr)
        return 2
    status = 0
    for name in wanted:
        print(f"== {name} ==", flush=True)
        result = importlib.import_module(f"benchmarks.{name}").main()
        status = status or (result if isinstance(result, int) else 0)
    return status


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
