"""What the questionnaire needs at run time, put into the built site: Pyodide, the wheel, tree.json."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
# Only what loadPyodide() fetches to boot; the rest of the npm package (consoles, maps, types) stays out.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
WHEEL_CACHE = ROOT / "build" / "wheel"


def runtime_sources() -> list[Path]:
    """The files that go into the wheel: the runtime package, not the authoring side."""
    return sorted(p for p in (ROOT / "decision_tree").glob("*.py")) + [ROOT / "pyproject.toml"]


def build_wheel() -> Path:
    """Build the pure-Python wheel with ``python -m build`` (cached by the sources' hash)."""
    digest = hashlib.sha256()
    for path in runtime_sources():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    out = WHEEL_CACHE / digest.hexdigest()[:16]
    wheels = sorted(out.glob("*.whl"))
    if wheels:
        return wheels[0]
    WHEEL_CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=WHEEL_CACHE) as tmp:
        # --no-isolation: setuptools is pinned in requirements.txt, so no build-time download.
        proc = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", tmp, str(ROOT)],
            capture_output=True, text=True,
        )
        if proc.returncode != 0:
            raise SystemExit(f"building the decision_tree wheel failed:\n{proc.stdout}\n{proc.stderr}")
        # Built beside the cache and renamed in, so parallel builds never see half a wheel.
        try:
            Path(tmp).rename(out)
        except OSError:
            pass  # another build got there first with the same sources
    return sorted(out.glob("*.whl"))[0]


def copy_pyodide(site_dir: Path) -> None:
    """Copy the pinned Pyodide core into ``site_dir/pyodide/``."""
    missing = [f for f in PYODIDE_FILES if not (PYODIDE_DIR / f).is_file()]
    if missing:
        raise SystemExit(
            f"Pyodide is not installed ({', '.join(missing)} missing in {PYODIDE_DIR}); run ./dev build"
        )
    target = site_dir / "pyodide"
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copy2(PYODIDE_DIR / name, target / name)
    # The boot reads the lock file, but the site installs no Pyodide packages: keep only its header,
    # so nothing can ever be fetched from a package index (120 kB less to download, too).
    lock = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text(encoding="utf-8"))
    (target / "pyodide-lock.json").write_text(json.dumps({"info": lock["info"], "packages": {}}), encoding="utf-8")


def write_runtime(site_dir: Path, tree_json: str) -> None:
    """Write tree.json, the wheel and Pyodide into the built site."""
    target = site_dir / "engine"
    target.mkdir(parents=True, exist_ok=True)
    (target / "tree.json").write_text(tree_json, encoding="utf-8")
    wheel = build_wheel()
    for old in target.glob("*.whl"):
        old.unlink()
    shutil.copy2(wheel, target / wheel.name)
    (target / "wheel.txt").write_text(wheel.name + "\n", encoding="utf-8")
    copy_pyodide(site_dir)
