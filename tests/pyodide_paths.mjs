// Runs the decision tree inside Pyodide under Node, the way the browser's worker does:
//   node tests/pyodide_paths.mjs WHEEL TREE_JSON [REQUESTS_JSON]
// Prints decision_tree.api.paths_report as the line-one JSON, then one line per request
// (a JSON request: a list of answers, or {answers, today}) with what decision_tree.api.respond returns for it, then a last line
// with the interpreter's sys.platform and version (to show it really was Pyodide).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "../node_modules/pyodide/pyodide.mjs";

const [wheelPath, treePath, requestsPath] = process.argv.slice(2);
const indexURL = fileURLToPath(new URL("../node_modules/pyodide/", import.meta.url));
const pyodide = await loadPyodide({ indexURL, stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") });
// A Node Buffer is not a typed array Pyodide accepts: copy it into a plain Uint8Array.
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");
const api = pyodide.pyimport("decision_tree.api");
api.load(readFileSync(treePath, "utf8"));
pyodide.globals.set("tree_json", readFileSync(treePath, "utf8"));
// The static paths are reported for a fixed "today", the same one the CPython side uses.
const report = pyodide.runPython(`
import json
from datetime import date
from decision_tree import api
from decision_tree.model import Tree
api.dumps(api.paths_report(Tree.from_json(json.loads(tree_json)), date(2026, 11, 30)))
`);
const lines = [report];
const requests = requestsPath ? JSON.parse(readFileSync(requestsPath, "utf8")) : [];
for (const answers of requests) lines.push(api.respond(JSON.stringify(answers)));
lines.push(pyodide.runPython("import sys; f'{sys.platform} {sys.version.split()[0]}'"));
process.stdout.write(lines.join("\n") + "\n");
