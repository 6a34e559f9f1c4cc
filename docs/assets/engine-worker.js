// The questionnaire's engine: a module Web Worker that boots the site's own copy of Pyodide,
// installs the decision_tree wheel and answers {id, type, payload} messages with what Python says.
//
// page → worker  {id, type: "ask", payload: {answers: [[question_id, value], ...], today: "YYYY-MM-DD"}}
// worker → page  {id: null, type: "progress", payload: {stage, text}}
//                {id: null, type: "ready", payload: {version, timings}}
//                {id: null, type: "failed", payload: {kind: "wasm"|"download"|"boot", message, detail}}
//                {id, type: "answer", payload: <decision_tree.api.respond's JSON, parsed>}

// Every URL is relative to this file (SITE/assets/engine-worker.js), so any sub-path works.
const SITE_ROOT = new URL("../", import.meta.url);
const PYODIDE_DIR = new URL("pyodide/", SITE_ROOT);
const ENGINE_DIR = new URL("engine/", SITE_ROOT);

const post = (type, payload, id = null) => self.postMessage({ id, type, payload });
const progress = (stage, text) => post("progress", { stage, text });

class BootFailure extends Error {
  constructor(kind, message, detail = "") {
    super(message);
    this.kind = kind;
    this.detail = detail;
  }
}

// The smallest valid wasm module. Compiling it throws at once where a Content-Security-Policy lacks
// 'wasm-unsafe-eval'; loadPyodide itself would only log a warning and never settle.
const EMPTY_WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

function checkWasm() {
  if (typeof WebAssembly !== "object") {
    throw new BootFailure("wasm", "这个浏览器不支持 WebAssembly。");
  }
  try {
    new WebAssembly.Module(EMPTY_WASM);
  } catch (err) {
    throw new BootFailure(
      "wasm",
      "浏览器不允许这个页面运行 WebAssembly（网站的内容安全策略 CSP 可能缺少 'wasm-unsafe-eval'）。",
      String(err),
    );
  }
}

async function download(url, as) {
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new BootFailure("download", `下载 ${url.pathname} 失败（网络错误）。`, String(err));
  }
  if (!response.ok) {
    throw new BootFailure("download", `下载 ${url.pathname} 失败（HTTP ${response.status}）。`);
  }
  return as === "text" ? response.text() : response.arrayBuffer();
}

async function boot() {
  checkWasm();
  progress("download", "正在下载 Python 运行环境（Pyodide，约 13 MB，只需下载一次）……");
  // The wheel and the tree are small: fetch them while Pyodide downloads and boots.
  const wheel = download(new URL("wheel.txt", ENGINE_DIR), "text").then((name) =>
    download(new URL(name.trim(), ENGINE_DIR), "bytes"),
  );
  const treeJson = download(new URL("tree.json", ENGINE_DIR), "text");
  // Promise.all fails as soon as any part does: a missing wheel is reported without waiting for Pyodide.
  const [pyodide, wheelBytes, treeText] = await Promise.all([startPyodide(), wheel, treeJson]);
  const booted = performance.now();
  progress("install", "正在安装问卷引擎……");
  pyodide.unpackArchive(wheelBytes, "wheel");
  const api = pyodide.pyimport("decision_tree.api");
  progress("tree", "正在载入决策树……");
  const version = api.load(treeText);
  // Milliseconds since the worker started, for benchmarks/questionnaire.py.
  const timings = { pyodide: booted, engine: performance.now() };
  return { respond: api.respond, version, timings };
}

async function startPyodide() {
  let loadPyodide;
  try {
    ({ loadPyodide } = await import(new URL("pyodide.mjs", PYODIDE_DIR).href));
  } catch (err) {
    throw new BootFailure("download", "下载 Python 运行环境失败。", String(err));
  }
  try {
    return await loadPyodide({
      indexURL: PYODIDE_DIR.href,
      // Without this Pyodide would fall back to its CDN for packages; we install none.
      packageBaseUrl: PYODIDE_DIR.href,
      stdout: () => {},
      stderr: (line) => console.warn("[pyodide]", line),
    });
  } catch (err) {
    throw new BootFailure("boot", "Python 运行环境启动失败。", String(err));
  }
}

const engine = boot();

engine.then(
  ({ version, timings }) => post("ready", { version, timings }),
  (err) =>
    post("failed", {
      kind: err.kind ?? "boot",
      message: err.kind ? err.message : "问卷引擎启动失败。",
      detail: err.detail ?? String(err),
    }),
);

self.addEventListener("message", async (event) => {
  const { id, type, payload } = event.data ?? {};
  if (type !== "ask") return;
  try {
    const { respond } = await engine;
    post("answer", JSON.parse(respond(JSON.stringify(payload))), id);
  } catch (err) {
    post("answer", { status: "error", error: `问卷引擎出错：${err.message ?? err}` }, id);
  }
});
