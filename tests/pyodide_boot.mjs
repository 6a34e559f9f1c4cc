// Boots the site's own Pyodide the way the browser's worker does — the trimmed, precompiled stdlib
// that also carries the engine, no wheel — and drives the engine with build_scripts/engine_exercise.py:
//   node tests/pyodide_boot.mjs SITE_DIR REQUESTS_JSON
// REQUESTS_JSON is a list of request strings. Prints the exercise's lines (each request with a
// digest of the response), then a last line: {"platform", "python", "engine_file"}.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const site = resolve(process.argv[2]);
const requests = readFileSync(resolve(process.argv[3]), "utf8");
const runtime = JSON.parse(readFileSync(join(site, "engine", "runtime.json"), "utf8"));
const { loadPyodide } = await import(join(site, runtime.pyodide, "pyodide.mjs"));
const pyodide = await loadPyodide({
  indexURL: join(site, runtime.pyodide) + "/",
  stdLibURL: join(site, runtime.engine, "python_stdlib.zip"),
  stdout: () => {},
  stderr: (s) => process.stderr.write(s + "\n"),
});
const api = pyodide.pyimport("decision_tree.api");
api.load(readFileSync(join(site, runtime.engine, "tree.json"), "utf8"));
pyodide.FS.mkdirTree("/tmp/exercise");
pyodide.FS.writeFile(
  "/tmp/exercise/engine_exercise.py",
  readFileSync(new URL("../build_scripts/engine_exercise.py", import.meta.url)),
);
pyodide.globals.set("requests_json", requests);
const lines = pyodide.runPython(`
import json, sys
sys.path.insert(0, "/tmp/exercise")
import engine_exercise
from decision_tree import api
engine_exercise.exercise(api.respond, json.loads(requests_json))
`).toJs();
const about = pyodide.runPython(`
import hashlib, json, sys, decision_tree
json.dumps({"platform": sys.platform, "python": sys.version.split()[0], "engine_file": decision_tree.__file__,
            "docx": hashlib.sha256(api.docx(engine_exercise.DOCX_SAMPLE)).hexdigest()})
`);
process.stdout.write(lines.join("\n") + "\n" + about + "\n");
