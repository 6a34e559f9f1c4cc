// Builds the trimmed, precompiled standard library the questionnaire ships, inside Pyodide itself:
//   node build_scripts/pyodide_stdlib.mjs PYODIDE_DIR ENGINE_SRC TREE_JSON OUT_ZIP
// ENGINE_SRC holds the wheel's contents (decision_tree/*.py), unpacked by build_scripts/assets.py.
// 1. boots the pinned Pyodide with its full python_stdlib.zip, puts the engine on sys.path, loads
//    the tree and drives the engine through build_scripts/engine_exercise.py (random typed
//    walks and every prefix of them, bad requests, a Python error crossing into JavaScript);
// 2. takes every module then in sys.modules that came from the stdlib zip, and the engine's own;
// 3. compiles each with py_compile (what compileall runs per file) under Pyodide's own Python 3.14
//    — the host has no 3.14, and bytecode is version-specific — into one zip of sourceless .pyc
//    files. The engine rides in the same zip: no wheel to unpack in the browser, so the boot
//    needs neither the download nor zipfile/shutil/tempfile to install it.
// Prints one JSON line: {"modules": N, "engine_modules": N, "python": "3.14.x"}.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const [pyodideDir, engineSrc, treePath, outZip] = process.argv.slice(2).map((p) => resolve(p));
const { loadPyodide } = await import(resolve(pyodideDir, "pyodide.mjs"));
const pyodide = await loadPyodide({
  indexURL: pyodideDir + "/",
  // No column ranges in the bytecode's line tables: a quarter smaller, tracebacks keep line numbers.
  env: { PYTHONNODEBUGRANGES: "1" },
  stdout: () => {},
  stderr: (s) => process.stderr.write(s + "\n"),
});
// Copy ENGINE_SRC into Pyodide's file system at /tmp/engine (a plain sys.path entry).
(function copy(from, to) {
  pyodide.FS.mkdirTree(to);
  for (const name of readdirSync(from)) {
    const path = join(from, name);
    if (statSync(path).isDirectory()) copy(path, `${to}/${name}`);
    else pyodide.FS.writeFile(`${to}/${name}`, readFileSync(path));
  }
})(engineSrc, "/tmp/engine");
pyodide.FS.writeFile("/tmp/engine_exercise.py", readFileSync(new URL("engine_exercise.py", import.meta.url)));
pyodide.FS.writeFile("/tmp/tree.json", readFileSync(treePath));

pyodide.runPython(`
import sys
sys.path[:0] = ["/tmp", "/tmp/engine"]
import engine_exercise
from decision_tree import api
api.load(open("/tmp/tree.json", encoding="utf-8").read())
engine_exercise.exercise(api.respond, engine_exercise.random_requests(api.respond, 200))
api.docx(engine_exercise.DOCX_SAMPLE)
sys.path.remove("/tmp")
`);
// The worker's own path for an unexpected Python error: the exception converted to a JS error.
try {
  pyodide.runPython("raise RuntimeError('exercise')");
} catch {
  /* expected */
}

// What the boot and the engine imported, taken before this script imports anything of its own.
// (It over-counts only random and hashlib, which engine_exercise imports: a few kB.)
const imported = pyodide.runPython(`
import sys
sorted({f for m in list(sys.modules.values()) if isinstance(f := getattr(m, "__file__", None), str) and f.endswith(".py")})
`).toJs();

pyodide.globals.set("out_zip", "/tmp/python_stdlib.zip");
pyodide.globals.set("files", imported);
const info = pyodide.runPython(`
import json, os, py_compile, sys, zipfile

stdlib = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip"
std = sorted(f[len(stdlib) + 1:] for f in files if f.startswith(stdlib + "/"))
engine = sorted(f[len("/tmp/engine/"):] for f in files if f.startswith("/tmp/engine/"))
src_root, out_root = "/tmp/stdlib-src", "/tmp/stdlib-pyc"
with zipfile.ZipFile(stdlib) as full:
    for rel in std:
        full.extract(rel, src_root)
wanted = [(os.path.join(src_root, rel), rel) for rel in std]
wanted += [(os.path.join("/tmp/engine", rel), rel) for rel in engine]
with zipfile.ZipFile(out_zip, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
    for source, rel in sorted(wanted, key=lambda w: w[1]):
        cfile = os.path.join(out_root, rel[:-3] + ".pyc")  # sourceless: zipimport finds foo.pyc
        # optimize=2 drops docstrings and asserts in the stdlib (smaller; the boot test proves
        # nothing needs them); the engine keeps its asserts (optimize=0), as under CPython.
        # Unchecked-hash: deterministic bytes, and there is no source to check against anyway.
        py_compile.compile(source, cfile=cfile, dfile=f"{stdlib}/{rel}", doraise=True,
                           optimize=0 if rel in engine else 2,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        entry = zipfile.ZipInfo(rel[:-3] + ".pyc", date_time=(1980, 1, 1, 0, 0, 0))
        entry.compress_type = zipfile.ZIP_DEFLATED
        with open(cfile, "rb") as f:
            out.writestr(entry, f.read())
json.dumps({"modules": len(std), "engine_modules": len(engine), "python": sys.version.split()[0]})
`);
writeFileSync(outZip, pyodide.FS.readFile("/tmp/python_stdlib.zip"));
process.stdout.write(info + "\n");
