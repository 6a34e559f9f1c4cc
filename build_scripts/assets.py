"""What the questionnaire needs at run time, put into the built site: Pyodide, the engine, tree.json."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
# Only what loadPyodide() fetches to boot; the rest of the npm package (consoles, maps, types) stays out.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "pyodide-lock.json",
)  # Pyodide's own python_stdlib.zip is not shipped: runtime_zip() makes a trimmed one from it.
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


RUNTIME_CACHE = ROOT / "build" / "runtime"
STDLIB_BUILDER = ROOT / "build_scripts" / "pyodide_stdlib.mjs"
EXERCISE = ROOT / "build_scripts" / "engine_exercise.py"
WORKER = ROOT / "docs" / "assets" / "engine-worker.js"
# The first-steps file covers every run of up to this many one-option answers (the first clicks a
# visitor makes while the engine boots), unless that grows past FIRST_STEPS_MAX_BYTES.
FIRST_STEPS_DEPTH = 3
FIRST_STEPS_MAX_BYTES = 250_000


@dataclass(frozen=True)
class Runtime:
    """The engine's files for one build, in two content-named folders of the site.

    ``pyodide/<hash>/`` holds the pinned Pyodide core (its name changes only with Pyodide);
    ``engine/<hash>/`` holds the trimmed stdlib with the engine's bytecode, tree.json and the
    first steps, and its hash covers the worker's source and the Pyodide folder's name too. The
    page names both folders in the worker's URL, so a deploy never pairs an old worker with a new
    tree, and everything under them can be cached for good.
    """

    pyodide_dir: str
    pyodide_files: dict[str, bytes]
    engine_dir: str
    engine_files: dict[str, bytes]
    modules: int

    @property
    def worker(self) -> str:
        """The worker's URL relative to the site root; engine-worker.js reads the two folders from it."""
        return f"assets/engine-worker.js?p={self.pyodide_dir.split('/')[1]}&e={self.engine_dir.split('/')[1]}"

    @property
    def first_steps(self) -> str:
        return f"{self.engine_dir}first-steps.json"

    def sizes(self) -> dict[str, dict[str, int]]:
        """Each file's size and gzip size, keyed by its path under the site root."""
        out = {}
        for folder, files in ((self.pyodide_dir, self.pyodide_files), (self.engine_dir, self.engine_files)):
            for name, data in sorted(files.items()):
                out[folder + name] = {"bytes": len(data), "gzip": _gzip_size(name, data)}
        return out


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:16]


def _gzip_size(name: str, data: bytes) -> int:
    """What a host that compresses text (and wasm) sends; zips are sent as they are."""
    if name.endswith((".zip", ".whl")):
        return len(data)
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def pyodide_files() -> dict[str, bytes]:
    """The pinned Pyodide core that the boot fetches, with the lock file trimmed to its header."""
    missing = [f for f in (*PYODIDE_FILES, "python_stdlib.zip") if not (PYODIDE_DIR / f).is_file()]
    if missing:
        raise SystemExit(
            f"Pyodide is not installed ({', '.join(missing)} missing in {PYODIDE_DIR}); run ./dev build"
        )
    files = {name: (PYODIDE_DIR / name).read_bytes() for name in PYODIDE_FILES}
    # The boot reads the lock file, but the site installs no Pyodide packages: keep only its header,
    # so nothing can ever be fetched from a package index (120 kB less to download, too).
    lock = json.loads(files["pyodide-lock.json"])
    files["pyodide-lock.json"] = json.dumps({"info": lock["info"], "packages": {}}).encode()
    return files


def runtime_zip(wheel: Path, tree_json: str) -> tuple[bytes, int]:
    """The trimmed, precompiled stdlib plus the engine's bytecode (build_scripts/pyodide_stdlib.mjs),
    cached under build/runtime/ by everything it is made from; returns (zip, stdlib module count)."""
    key = _digest(
        (PYODIDE_DIR / "python_stdlib.zip").read_bytes(), (PYODIDE_DIR / "pyodide.asm.wasm").read_bytes(),
        wheel.read_bytes(), tree_json.encode(), STDLIB_BUILDER.read_bytes(), EXERCISE.read_bytes(),
    )
    out = RUNTIME_CACHE / key
    if (out / "python_stdlib.zip").is_file():
        return (out / "python_stdlib.zip").read_bytes(), json.loads((out / "info.json").read_text())["modules"]
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is missing: the trimmed stdlib is compiled by Pyodide under Node (./dev build)")
    RUNTIME_CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=RUNTIME_CACHE) as tmp:
        src, tree = Path(tmp) / "src", Path(tmp) / "tree.json"
        with zipfile.ZipFile(wheel) as whl:  # the wheel's contents, as pip would install them
            whl.extractall(src, [n for n in whl.namelist() if ".dist-info/" not in n])
        tree.write_text(tree_json, encoding="utf-8")
        built = Path(tmp) / "out"
        built.mkdir()
        proc = subprocess.run(
            [node, str(STDLIB_BUILDER), str(PYODIDE_DIR), str(src), str(tree), str(built / "python_stdlib.zip")],
            capture_output=True, text=True, encoding="utf-8",
        )
        if proc.returncode != 0:
            raise SystemExit(f"building the trimmed stdlib inside Pyodide failed:\n{proc.stderr[-4000:]}")
        (built / "info.json").write_text(proc.stdout.strip().splitlines()[-1], encoding="utf-8")
        try:  # renamed in whole, so a parallel build never sees half of it
            built.rename(out)
        except OSError:
            pass  # another build got there first with the same inputs
    return runtime_zip(wheel, tree_json)


def first_steps(tree_json: str) -> dict[str, dict]:
    """What the engine says to every run of up to FIRST_STEPS_DEPTH answers — each option of a choice,
    each single option of a multi (typed amounts and dates wait for the engine) — computed by the
    real engine (decision_tree.api.respond) at build time, keyed by the answers' compact JSON (as
    the page's JSON.stringify writes it). Only questions: a result is never shipped precomputed."""
    from decision_tree import api

    api.load(tree_json)
    steps: dict[str, dict] = {}
    level: list[list] = [[]]
    for depth in range(FIRST_STEPS_DEPTH + 1):
        found = {}
        for answers in level:
            reply = json.loads(api.respond(json.dumps(answers)))
            if reply.get("status") == "question":
                found[json.dumps(answers, separators=(",", ":"))] = reply
        if steps and len(pack_first_steps({**steps, **found})) > FIRST_STEPS_MAX_BYTES:
            break
        steps.update(found)
        level = [
            json.loads(key) + [[reply["question"]["id"], _one(reply["question"], option["id"])]]
            for key, reply in found.items()
            if reply["question"].get("type", "choice") in ("choice", "multi")
            for option in reply["question"]["options"]
        ]
    return steps


def pack_first_steps(steps: dict[str, dict]) -> bytes:
    """The file the page reads: each distinct reply once, and every answers key naming its reply's
    index — ``{"replies": [...], "steps": {"[[...]]": 0, ...}}`` (thousands of keys, a few replies)."""
    replies: list[dict] = []
    index: dict[str, int] = {}
    keys: dict[str, int] = {}
    for key, reply in steps.items():
        text = json.dumps(reply, ensure_ascii=False, sort_keys=True)
        if text not in index:
            index[text] = len(replies)
            replies.append(reply)
        keys[key] = index[text]
    return json.dumps({"replies": replies, "steps": keys}, ensure_ascii=False, separators=(",", ":")).encode()


def unpack_first_steps(data: bytes) -> dict[str, dict]:
    packed = json.loads(data)
    return {key: packed["replies"][i] for key, i in packed["steps"].items()}


def _one(question: dict, option: str) -> str | list[str]:
    """The answer a visitor gives by picking one option: the id, or a list of one for a multi."""
    return [option] if question.get("type") == "multi" else option


@lru_cache(maxsize=2)
def prepare(tree_json: str) -> Runtime:
    """Everything the engine needs for this tree, named by content (computed once per build)."""
    pyodide = pyodide_files()
    pyodide_dir = f"pyodide/{_digest(*(pyodide[n] for n in sorted(pyodide)))}/"
    stdlib, modules = runtime_zip(build_wheel(), tree_json)
    engine = {
        "python_stdlib.zip": stdlib,
        # Without the indentation (key order kept): 5 % less to download, gzip included.
        "tree.json": json.dumps(json.loads(tree_json), ensure_ascii=False, separators=(",", ":")).encode(),
        "first-steps.json": pack_first_steps(first_steps(tree_json)),
    }
    engine_hash = _digest(*(engine[n] for n in sorted(engine)), WORKER.read_bytes(), pyodide_dir.encode())
    return Runtime(pyodide_dir, pyodide, f"engine/{engine_hash}/", engine, modules)


def write_runtime(site_dir: Path, tree_json: str) -> Runtime:
    """Write the engine's two content-named folders and engine/runtime.json into the built site."""
    runtime = prepare(tree_json)
    for folder, files in ((runtime.pyodide_dir, runtime.pyodide_files), (runtime.engine_dir, runtime.engine_files)):
        target = site_dir / folder
        target.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (target / name).write_bytes(data)
    # Sizes for the worker's progress line ("已下载 2.1 / 4.4 MB"); made from the hashed files.
    sizes = json.dumps({k: v for k, v in runtime.sizes().items() if not k.endswith("first-steps.json")}, indent=1)
    (site_dir / runtime.engine_dir / "sizes.json").write_text(sizes, encoding="utf-8")
    # For tools, tests and benchmarks (the page reads the folders from its own HTML, not from here).
    (site_dir / "engine" / "runtime.json").write_text(json.dumps({
        "pyodide": runtime.pyodide_dir, "engine": runtime.engine_dir, "worker": runtime.worker,
        "first_steps": runtime.first_steps, "stdlib_modules": runtime.modules, "files": runtime.sizes(),
    }, indent=1), encoding="utf-8")
    return runtime
