// The questionnaire's engine: a module Web Worker that boots the site's own copy of Pyodide with a
// trimmed, precompiled standard library that also holds the decision_tree engine, loads the tree
// and answers {id, type, payload} messages with what Python says.
//
// page → worker  {id, type: "ask", payload: {answers: [[question_id, value], ...], today: "YYYY-MM-DD"}}
// worker → page  {id: null, type: "progress", payload: {stage, text, received, total}}
//                {id: null, type: "ready", payload: {version, timings}}
//                {id: null, type: "cached", payload: {ok}}  (engine files kept for offline use)
//                {id: null, type: "failed", payload: {kind, message, detail}}
//                {id, type: "answer", payload: <decision_tree.api.respond's JSON, parsed>}
// page → worker  {id, type: "docx", payload: {text}}
// worker → page  {id, type: "answer", payload: Uint8Array (decision_tree.api.docx) | {status: "error", error}}
// kind: "csp" | "old-browser" | "stall" | "http" | "network" | "boot" | "engine".
//
// Failures are found by their cause, never by the clock: a download that receives nothing for
// STALL_MS is a stall; a slow one is not, and shows bytes received instead.

// The page names this build's two content-named folders in the worker's URL (?p=…&e=…, see
// build_scripts/assets.py), so this worker can only ever load the Pyodide and tree it was built with.
const SITE_ROOT = new URL("../", import.meta.url);
const params = new URL(import.meta.url).searchParams;
const folder = (name, key) => {
  const hash = params.get(key);
  return /^[0-9a-f]{16}$/.test(hash ?? "") ? new URL(`${name}/${hash}/`, SITE_ROOT) : null;
};
const PYODIDE_DIR = folder("pyodide", "p");
const ENGINE_DIR = folder("engine", "e");
const STALL_MS = 15000;
// The engine's files are kept for offline use and return visits in a cache named after both folders
// (SITE/sw.js serves them from it, and deletes it when a deploy brings other folders).
const ENGINE_CACHE = `cdg-engine-${params.get("p")}-${params.get("e")}`;
const cachePuts = [];

function keep(url, response) {
  if (!PYODIDE_DIR || !ENGINE_DIR || typeof caches !== "object") return;
  cachePuts.push(
    caches.open(ENGINE_CACHE).then(async (cache) => {
      // Served from the cache already (a return visit): do not write it again.
      if (await cache.match(url)) return response.body?.cancel();
      return cache.put(url, response);
    }),
  );
}

const post = (type, payload, id = null) => self.postMessage({ id, type, payload });

class BootFailure extends Error {
  constructor(kind, message, detail = "") {
    super(message);
    this.kind = kind;
    this.detail = detail;
  }
}

// Reports the first failure only; the page terminates this worker when it hears of it.
let settled = false;
function fail(err) {
  if (settled) return;
  settled = true;
  downloads.stop();
  const known = err instanceof BootFailure;
  post("failed", {
    kind: known ? err.kind : "engine",
    message: known ? err.message : "问卷引擎启动时出了错。",
    detail: known ? err.detail : String(err?.stack ?? err),
  });
}

// ---------------------------------------------------------------------------------------------
// Downloads: every fetch in this worker (Pyodide's own included) goes through `watched`, which
// counts the bytes, names an HTTP or network error at once, and notices a stall.

const mb = (n) => (n / 1e6).toFixed(1);

const downloads = {
  sizes: {}, // path under the site root → {bytes, gzip}, from sizes.json
  received: new Map(), // URL → bytes received so far (decoded)
  active: 0, // requests and module imports still under way
  lastActivity: performance.now(),
  timer: null,
  lastPost: 0,

  begin() {
    this.active += 1;
    this.touch();
    this.timer ??= setInterval(() => this.check(), 1000);
  },
  end() {
    this.active -= 1;
    this.touch();
  },
  touch() {
    this.lastActivity = performance.now();
  },
  stop() {
    clearInterval(this.timer);
    this.timer = null;
  },
  check() {
    if (this.active > 0 && performance.now() - this.lastActivity > STALL_MS) {
      const { received, total } = this.totals();
      const got = total ? `（已下载 ${mb(received)} / ${mb(total)} MB）` : "";
      fail(new BootFailure("stall", `下载问卷引擎时，已经 ${STALL_MS / 1000} 秒没有收到任何数据${got}：网络可能断了，或者信号太弱。`));
    }
  },
  // Progress as a host that compresses would send it: each file's share of its gzip size.
  totals() {
    let received = 0;
    let total = 0;
    for (const [path, size] of Object.entries(this.sizes)) {
      const got = this.received.get(new URL(path, SITE_ROOT).href) ?? 0;
      total += size.gzip;
      received += size.gzip * Math.min(1, got / size.bytes);
    }
    return { received, total };
  },
  report(force = false) {
    const now = performance.now();
    if (!force && now - this.lastPost < 200) return;
    this.lastPost = now;
    const { received, total } = this.totals();
    if (!total) return;
    post("progress", {
      stage: "download",
      received,
      total,
      text: `正在下载问卷引擎：已下载 ${mb(received)} / ${mb(total)} MB（只需下载一次）。`,
    });
  },
};

const realFetch = self.fetch.bind(self);

async function watched(input, init) {
  const url = new URL(input instanceof Request ? input.url : String(input), self.location.href);
  const name = url.pathname.split("/").pop();
  downloads.begin();
  let response;
  try {
    response = await realFetch(input, init);
  } catch (err) {
    downloads.end();
    fail(new BootFailure("network", `下载 ${name} 时网络连接中断了。`, String(err)));
    throw err;
  }
  if (!response.ok) {
    downloads.end();
    fail(new BootFailure("http", `服务器没有给出问卷引擎的文件 ${name}（HTTP ${response.status}）。网站可能正在更新。`));
    return response;
  }
  downloads.touch();
  keep(url.href, response.clone());
  // Count a copy of the body, so the caller still gets the real response (the browser keeps its
  // compiled-wasm cache only for a response it fetched itself).
  const reader = response.clone().body?.getReader();
  if (!reader) {
    downloads.end();
    return response;
  }
  (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        downloads.received.set(url.href, (downloads.received.get(url.href) ?? 0) + value.byteLength);
        downloads.touch();
        downloads.report();
      }
      downloads.report(true);
    } catch (err) {
      fail(new BootFailure("network", `下载 ${name} 时网络连接中断了。`, String(err)));
    } finally {
      downloads.end();
    }
  })();
  return response;
}
self.fetch = watched;

// A module import cannot be counted byte by byte, but a held one is still a stall.
async function watchedImport(url) {
  downloads.begin();
  try {
    return await import(url.href);
  } catch (err) {
    throw new BootFailure("network", `下载 ${url.pathname.split("/").pop()} 失败。`, String(err));
  } finally {
    downloads.end();
  }
}

// ---------------------------------------------------------------------------------------------
// The boot.

// The smallest valid wasm module. Compiling it throws at once where a Content-Security-Policy lacks
// 'wasm-unsafe-eval'; loadPyodide itself would only log a warning and never settle.
const EMPTY_WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

function checkWasm() {
  if (typeof WebAssembly !== "object") {
    throw new BootFailure("old-browser", "这个浏览器太旧，不支持 WebAssembly，无法运行问卷引擎。");
  }
  try {
    new WebAssembly.Module(EMPTY_WASM);
  } catch (err) {
    throw new BootFailure(
      "csp",
      "网站的内容安全策略（CSP）不允许运行 WebAssembly（缺少 'wasm-unsafe-eval'），问卷引擎因此无法启动。请告诉网站管理员。",
      String(err),
    );
  }
}

async function text(url) {
  const response = await fetch(url);
  if (!response.ok) throw new BootFailure("http", `服务器没有给出 ${url.pathname.split("/").pop()}（HTTP ${response.status}）。`);
  return response.text();
}

async function boot() {
  checkWasm();
  if (!PYODIDE_DIR || !ENGINE_DIR) {
    throw new BootFailure("engine", "问卷引擎的地址不完整（页面可能来自旧版网站），请刷新页面。");
  }
  post("progress", { stage: "download", text: "正在下载问卷引擎……" });
  // Sizes only feed the progress line: the boot does not wait for them.
  text(new URL("sizes.json", ENGINE_DIR)).then(
    (json) => {
      downloads.sizes = JSON.parse(json);
      downloads.report(true);
    },
    () => {},
  );
  const saved = await snapshots.read();
  // From a snapshot the tree is already loaded: nothing more to download.
  const treeJson = saved ? null : text(new URL("tree.json", ENGINE_DIR));
  let pyodide = saved && (await startPyodide({ _loadSnapshot: saved }).catch(() => null));
  if (saved && !pyodide) snapshots.forget(); // a damaged or foreign snapshot: boot as on a first visit
  const fromSnapshot = Boolean(pyodide);
  if (!pyodide && snapshots.usable) {
    // A boot that can be snapshotted; where that fails, a plain one (and no snapshots here).
    try {
      pyodide = await startPyodide({ _makeSnapshot: true });
    } catch {
      snapshots.usable = false;
    }
  }
  pyodide ??= await startPyodide();
  const booted = performance.now();
  post("progress", { stage: "tree", text: "正在载入决策树……" });
  try {
    if (!fromSnapshot) {
      pyodide.globals.set("tree_json", await (treeJson ?? text(new URL("tree.json", ENGINE_DIR))));
      pyodide.runPython("from decision_tree import api\napi.load(tree_json)\ndel tree_json, api");
      // Taken before any answer reaches Python, so it holds the engine and the tree, never a visitor's answers.
      snapshots.take(pyodide);
    }
  } catch (err) {
    if (err instanceof BootFailure) throw err;
    throw new BootFailure("engine", "问卷引擎没能载入决策树。", String(err));
  }
  const api = pyodide.pyimport("decision_tree.api");
  const tree = api.current_tree();
  const version = tree.version;
  tree.destroy();
  // Milliseconds since the worker started, for benchmarks/questionnaire.py.
  const timings = { pyodide: booted, engine: performance.now(), snapshot: fromSnapshot };
  return { respond: api.respond, docx: api.docx, version, timings };
}

// Return visits boot from a memory snapshot of Pyodide taken on the first visit right after the
// engine and tree loaded (Chromium, this machine: 0.36 s to a ready engine instead of 0.92 s). It is
// 31.5 MB, kept as is in this build's engine cache (gzip would make it 4 MB, but unpacking it cost a
// return visit 0.1 s), so a deploy drops it with the rest. Where the Cache API is refused (a
// sandboxed iframe) there is no snapshot and nothing changes.
const snapshots = {
  url: ENGINE_DIR && new URL("pyodide-memory.bin", ENGINE_DIR).href,
  usable: typeof caches === "object",
  taken: null,

  async read() {
    if (!this.usable || !this.url) return null;
    try {
      const hit = await (await caches.open(ENGINE_CACHE)).match(this.url);
      if (!hit) return null;
      return new Uint8Array(await hit.arrayBuffer());
    } catch {
      this.usable = false; // storage refused here (an opaque origin): no snapshots at all
      return null;
    }
  },
  take(pyodide) {
    try {
      if (this.usable) this.taken = pyodide.makeMemorySnapshot();
    } catch {
      this.usable = false; // not in this browser: every visit boots as the first did
    }
  },
  async keep() {
    const bytes = this.taken;
    this.taken = null;
    if (!bytes) return;
    await (await caches.open(ENGINE_CACHE)).put(this.url, new Response(bytes));
  },
  forget() {
    caches.open(ENGINE_CACHE).then((cache) => cache.delete(this.url)).catch(() => {});
  },
};

async function startPyodide(extra = {}) {
  const { loadPyodide } = await watchedImport(new URL("pyodide.mjs", PYODIDE_DIR));
  // Pyodide reports a failed wasm instantiation only as a console warning and then never settles.
  const warn = console.warn;
  console.warn = (...args) => {
    if (String(args[0]).includes("wasm instantiation failed")) {
      fail(new BootFailure("boot", "Python 运行环境没能启动：浏览器没能载入 WebAssembly 模块（设备内存可能不足）。", String(args[0])));
    }
    warn.apply(console, args);
  };
  try {
    return await loadPyodide({
      indexURL: PYODIDE_DIR.href,
      // The trimmed stdlib, precompiled, with the engine's own bytecode in it (nothing to install).
      stdLibURL: new URL("python_stdlib.zip", ENGINE_DIR).href,
      // Without this Pyodide would fall back to its CDN for packages; we install none.
      packageBaseUrl: PYODIDE_DIR.href,
      stdout: () => {},
      stderr: (line) => console.warn("[pyodide]", line),
      ...extra,
    });
  } catch (err) {
    throw new BootFailure("boot", "Python 运行环境没能启动。", String(err));
  } finally {
    console.warn = warn;
  }
}

const engine = boot();

engine.then(
  ({ version, timings }) => {
    if (settled) return;
    settled = true;
    downloads.stop();
    post("ready", { version, timings });
    // The snapshot is kept before "cached" is said: offline then means a fast return visit too.
    snapshots.keep().catch(() => {}).then(keepModules).then((ok) => post("cached", { ok }));
  },
  fail,
);

// Module scripts (this worker, pyodide.mjs, pyodide.asm.mjs) are not fetched through `watched`:
// copy them from the browser's HTTP cache, then report whether every file is kept.
async function keepModules() {
  const modules = [import.meta.url, new URL("pyodide.mjs", PYODIDE_DIR).href, new URL("pyodide.asm.mjs", PYODIDE_DIR).href];
  for (const href of modules) {
    try {
      const response = await realFetch(href, { cache: "force-cache" });
      if (response.ok) keep(href, response);
    } catch {
      /* not kept: the next visit downloads it */
    }
  }
  const results = await Promise.allSettled(cachePuts);
  return cachePuts.length > 0 && results.every((r) => r.status === "fulfilled");
}

self.addEventListener("message", async (event) => {
  const { id, type, payload } = event.data ?? {};
  if (type !== "ask" && type !== "docx") return;
  try {
    const { respond, docx } = await engine;
    if (type === "docx") {
      const file = docx(String(payload?.text ?? ""));
      const bytes = file.toJs();
      file.destroy();
      self.postMessage({ id, type: "answer", payload: bytes }, [bytes.buffer]);
      return;
    }
    post("answer", JSON.parse(respond(JSON.stringify(payload))), id);
  } catch (err) {
    post("answer", { status: "error", error: `问卷引擎出错：${err.message ?? err}` }, id);
  }
});
