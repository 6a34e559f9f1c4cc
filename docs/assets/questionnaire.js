// The questionnaire's page glue: shows what the Python engine (engine-worker.js) decides and
// decides nothing itself. Markup and DOM contract: overrides/partials/questionnaire.html.

// Every URL comes from this file's own (SITE/assets/questionnaire.js), so any sub-path works.
const SITE_ROOT = new URL("../", import.meta.url);
const ANSWERS_KEY = "cdg:answers";
const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const TICKS_KEY = "cdg:ticks";
// One walk is a few dozen answers at most; anything longer in the URL or in storage is not ours.
const MAX_ANSWERS = 60;
const MAX_FRAGMENT = 4000; // characters after "#a="
// The build names the worker (with its content-named Pyodide and engine folders) and the engine's
// precomputed first steps on the questionnaire's root; engine-start.js's <script> names the worker too.
const runtimeUrl = (attr) => {
  const holder = document.querySelector(`[data-questionnaire][${attr}], script[${attr}]`);
  const value = holder?.getAttribute(attr);
  return value ? new URL(value, document.baseURI) : null;
};

// ---------------------------------------------------------------------------------------------
// Storage: every access guarded (an opaque origin throws on merely reading `localStorage`).

const store = {
  get(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key) ?? "null");
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch {
      /* storage unavailable or full: the fragment still holds the answers */
    }
  },
  remove(key) {
    try {
      window.localStorage.removeItem(key);
    } catch {
      /* nothing stored */
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Answers: [question_id, value] pairs, where value is an option id (choice), a list of option ids
// (multi), a number of yuan (amount), "YYYY-MM-DD" (date) or null ("不清楚").
// The share fragment writes them as #a=question_id:value,… with value as the option id, +id+id for
// several options, the number, the date, or ~ for "不清楚" (ids are ASCII snake_case).

const ID = /^[A-Za-z0-9_-]{1,80}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^\d{1,11}(\.\d{1,2})?$/;

function encodeValue(value) {
  if (value === null) return "~";
  if (Array.isArray(value)) return value.map((id) => "+" + id).join("");
  return String(value);
}

// The value a fragment's text stands for, or undefined when it stands for none.
function decodeValue(text) {
  if (text === "~") return null;
  if (text.startsWith("+")) {
    const ids = text.slice(1).split("+");
    return ids.every((id) => ID.test(id)) ? ids : undefined;
  }
  if (DATE.test(text)) return text;
  if (NUMBER.test(text)) return Number(text);
  return ID.test(text) ? text : undefined;
}

function isValue(v) {
  return (
    v === null ||
    (typeof v === "string" && (ID.test(v) || DATE.test(v))) ||
    (typeof v === "number" && Number.isFinite(v) && v >= 0) ||
    (Array.isArray(v) && v.length > 0 && v.every((id) => typeof id === "string" && ID.test(id)))
  );
}

function encodeAnswers(answers) {
  const text = answers.map(([q, v]) => `${q}:${encodeValue(v)}`).join(",");
  // Never more than one walk in the URL: an over-long list (from damaged storage) stays out of it.
  return answers.length && answers.length <= MAX_ANSWERS && text.length <= MAX_FRAGMENT ? "#a=" + text : "";
}

// {answers} for a well-formed fragment, {invalid: text} for a damaged one, null when there is none.
function decodeFragment(hash) {
  const match = /^#a=(.*)$/s.exec(hash);
  if (!match) return null;
  if (match[1].length > MAX_FRAGMENT * 3) return { invalid: true };
  let text;
  try {
    text = decodeURIComponent(match[1]);
  } catch {
    return { invalid: true };
  }
  if (text === "") return { answers: [] };
  const answers = [];
  for (const part of text.split(",")) {
    const pair = part.split(":");
    const value = pair.length === 2 && ID.test(pair[0]) ? decodeValue(pair[1]) : undefined;
    if (value === undefined) return { invalid: true };
    answers.push([pair[0], value]);
  }
  return answers.length <= MAX_ANSWERS ? { answers } : { invalid: true };
}

// A stored value of the wrong shape (another script's, an old version's, a damaged one) is
// dropped with a console note, never thrown on.
function discard(key, why) {
  console.info(`questionnaire: ignoring the stored ${key} (${why}); it has been removed.`);
  store.remove(key);
}

function savedAnswers() {
  const saved = store.get(ANSWERS_KEY);
  if (saved === null) return [];
  const ok =
    Array.isArray(saved) &&
    saved.length <= MAX_ANSWERS &&
    saved.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === "string" && isValue(p[1]));
  if (!ok) discard(ANSWERS_KEY, "not a list of answers");
  return ok ? saved : [];
}

// The evidence ticked so far: {evidence_id: true}.
function storedTicks() {
  const ticks = store.get(TICKS_KEY);
  if (ticks === null) return {};
  const ok =
    typeof ticks === "object" &&
    !Array.isArray(ticks) &&
    Object.values(ticks).every((v) => v === true) &&
    Object.keys(ticks).length <= 500;
  if (!ok) discard(TICKS_KEY, "not a set of ticks");
  return ok ? ticks : {};
}

// The visitor's own date, YYYY-MM-DD: the engine dates deadlines from it and refuses later dates.
function localToday() {
  const d = new Date();
  const two = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

function chineseDate(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

function yuan(n) {
  return n.toLocaleString("zh-CN", { maximumFractionDigits: 2 });
}

// ---------------------------------------------------------------------------------------------
// The engine: one worker per page, shared by every questionnaire on it.

const MESSAGES = {
  sandbox:
    "问卷被放在一个沙箱 iframe 里，但没有 allow-same-origin 权限：浏览器因此不允许它启动问卷引擎，" +
    "也不能保存你的回答。嵌入问卷的网站需要在 iframe 的 sandbox 属性里加上 allow-same-origin（与 allow-scripts 一起）。",
  noWasm: "你的浏览器不支持 WebAssembly，无法运行问卷引擎。",
  noWorker: "你的浏览器不支持 Web Worker，无法在后台运行问卷引擎。",
  workerScript: "问卷引擎的脚本没能加载（网络中断，或网站正在更新）。",
  csp:
    "网站的内容安全策略（CSP）不允许运行 WebAssembly（缺少 'wasm-unsafe-eval'），问卷引擎因此无法启动。请告诉网站管理员。",
  // After the cause: what the visitor can do. Retrying cannot help a policy or an old browser.
  retry: "你的回答都已保留：可以点「重试」，或者改用不需要脚本的静态问卷，从你答到的问题接着答，结果相同。",
  noRetry: "你的回答都已保留。可以改用不需要脚本的静态问卷，从你答到的问题接着答，结果相同。",
  // When the page itself broke (showBroken): a reload is the retry.
  fallback: "你可以刷新页面重试，或者改用不需要脚本的静态问卷，结果相同。",
  // Never the link's text or the engine's words about it: a link can be written by anyone.
  badLink: "这个链接里的回答无法打开：它可能来自旧版问卷，或者被截断、改动过。",
  keptSaved: (n) => `你之前保存在这台设备上的 ${n} 个回答没有受影响，可以恢复。`,
  restartHint: "也可以点“重新开始”从头回答。",
  staleAnswers: "保存的回答和当前版本的问卷对不上（问卷可能已更新），请重新开始回答。",
  broken: "问卷出了故障，无法显示。",
};
const NO_RETRY = new Set(["csp", "old-browser", "sandbox"]);

// Compiling the smallest wasm module throws at once where a CSP lacks 'wasm-unsafe-eval'.
function wasmBlocked() {
  try {
    new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    return false;
  } catch {
    return true;
  }
}

class Engine extends EventTarget {
  constructor() {
    super();
    this.pending = new Map();
    this.nextId = 1;
    this.firstSteps = new Map();
    this.loadFirstSteps();
    this.start();
  }

  // What the engine said at build time to the first few answers (questions only), so a visitor
  // can keep answering while it boots. Optional: without it the page just waits for the engine.
  async loadFirstSteps() {
    // This module may run from the <head>, before the questionnaire that names the file is parsed.
    if (!runtimeUrl("data-first-steps") && document.readyState === "loading") {
      await new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }));
    }
    const url = runtimeUrl("data-first-steps");
    if (!url) return;
    try {
      const response = await fetch(url);
      if (response.ok) {
        // {replies: [...], steps: {"[answers]": index}}: each distinct reply once (build_scripts/assets.py).
        const { replies, steps } = await response.json();
        this.firstSteps = new Map(Object.entries(steps).map(([key, i]) => [key, replies[i]]));
      }
      this.dispatchEvent(new Event("first-steps"));
    } catch {
      /* the engine will answer instead */
    }
  }

  // The precomputed response for `answers`, or null.
  preview(answers) {
    const reply = this.firstSteps.get(JSON.stringify(answers));
    return reply?.status === "question" ? reply : null;
  }

  start() {
    this.state = "loading";
    this.progress = "正在准备问卷引擎……";
    this.failure = null;
    this.failureKind = null;
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => {});
    if (self.origin === "null") return this.fail(MESSAGES.sandbox, "", "sandbox");
    if (typeof WebAssembly !== "object") return this.fail(MESSAGES.noWasm, "", "old-browser");
    if (typeof Worker !== "function") return this.fail(MESSAGES.noWorker, "", "old-browser");
    if (wasmBlocked()) return this.fail(MESSAGES.csp, "", "csp");
    // engine-start.js (in the questionnaire page's <head>) may have started the worker already.
    const early = window.__cdgEarlyWorker;
    delete window.__cdgEarlyWorker;
    if (early) {
      this.worker = early.worker;
    } else {
      performance.mark?.("cdg:worker-start"); // read by benchmarks/questionnaire.py
      try {
        this.worker = new Worker(runtimeUrl("data-worker"), { type: "module" });
      } catch (err) {
        return this.fail(err?.name === "SecurityError" ? MESSAGES.sandbox : MESSAGES.noWorker, String(err));
      }
    }
    const onEvent = (event) => {
      if (event.type === "message") return this.receive(event.data ?? {});
      event.preventDefault?.();
      this.fail(MESSAGES.workerScript, event.message ?? "", "network");
    };
    this.worker.addEventListener("error", onEvent);
    this.worker.addEventListener("message", onEvent);
    for (const event of early?.adopt() ?? []) onEvent(event);
  }

  // Retry after a failure: a new worker; the questionnaires keep their answers and listeners.
  restart() {
    if (this.state !== "error") return;
    this.start();
    this.dispatchEvent(new Event("progress"));
  }

  receive({ id, type, payload }) {
    if (type === "progress" && this.state === "loading") {
      this.progress = payload.text;
      this.dispatchEvent(new Event("progress"));
    } else if (type === "ready" && this.state === "loading") {
      this.state = "ready";
      this.version = payload.version;
      performance.mark?.("cdg:engine-ready", { detail: payload.timings ?? null });
      this.resolveReady();
      this.dispatchEvent(new Event("ready"));
    } else if (type === "cached") {
      // For offline.js: the engine's files are kept; it says "已可离线使用" once the page is kept too.
      window.__cdgEngineCached = payload.ok;
      document.dispatchEvent(new CustomEvent("cdg:engine-cached", { detail: { ok: payload.ok } }));
    } else if (type === "failed") {
      this.fail(payload.message, payload.detail, payload.kind);
    } else if (type === "answer" && this.pending.has(id)) {
      this.pending.get(id)(payload);
      this.pending.delete(id);
    }
  }

  fail(message, detail = "", kind = "engine") {
    if (this.state === "error") return;
    this.worker?.terminate();
    this.worker = null;
    this.state = "error";
    this.failure = message;
    this.failureKind = kind;
    if (detail) console.warn("questionnaire engine:", detail);
    for (const resolve of this.pending.values()) resolve({ status: "error", error: message });
    this.pending.clear();
    this.rejectReady(new Error(message));
    this.dispatchEvent(new Event("failed"));
  }

  // The engine's answer (question, result or error) for `answers`; call once ready.
  ask(answers) {
    return this.request("ask", { answers, today: localToday() });
  }

  // A document's text as a .docx file (Uint8Array), made by the engine's Python (decision_tree/docx.py).
  docx(text) {
    return this.request("docx", { text });
  }

  request(type, payload) {
    if (this.state !== "ready") return Promise.resolve({ status: "error", error: this.failure ?? "" });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ id, type, payload });
    });
  }
}

let sharedEngine = null;

// ---------------------------------------------------------------------------------------------
// Small DOM helpers: text always goes in through textContent.

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// The law a group of citations belongs to, with its version and date in force.
function lawText(c) {
  const when = [c.version, c.effective ? `${c.effective} 起施行` : null].filter(Boolean).join("，");
  return `《${c.law_name || c.law}》${when ? `（${when}）` : ""}`;
}

// The citations grouped by law, in the engine's order, each article once.
function citationsByLaw(citations) {
  const laws = new Map();
  for (const c of citations) {
    if (!laws.has(c.law_id)) laws.set(c.law_id, { law: c, articles: new Map() });
    const articles = laws.get(c.law_id).articles;
    if (!articles.has(c.article)) articles.set(c.article, c);
  }
  return [...laws.values()];
}

// A short "依据" line under an entitlement, deadline or defence.
function basis(citations) {
  if (!citations?.length) return null;
  const names = [...new Set(citations.map((c) => `《${c.law}》${c.article}`))];
  return el("small", { class: "cdg-basis", text: `依据：${names.join("、")}` });
}

// An answer as the visitor reads it, from the question the engine asked (for the review list).
function answerText(q, value) {
  if (value === null) return q.unknown || "不清楚";
  const option = (id) => q.options?.find((o) => o.id === id)?.text ?? id;
  if (Array.isArray(value)) return value.map(option).join("；");
  if (q.type === "amount") return `${yuan(value)} 元`;
  if (q.type === "date") return chineseDate(value);
  return option(value);
}

let instances = 0;

// ---------------------------------------------------------------------------------------------
// One questionnaire on the page.

class Questionnaire {
  constructor(root, engine) {
    this.root = root;
    this.engine = engine;
    this.uid = ++instances; // keeps element ids unique when a page has two questionnaires
    this.answers = [];
    this.shown = null; // "question" | "pending" | "result" | "error"
    this.shownAnswers = []; // the answers that lead to what is on screen
    this.seq = 0;
    this.interacted = false;
    this.questions = new Map(); // every question the engine has asked, by id: the review's wording
    this.later = []; // after "修改": the later answers still to give again when the engine asks
    this.given = new Map(); // the last answer given to each question: shown again on Back or 修改
    this.resumed = false;
    this.hash = location.hash;
    this.baseTitle = document.title;
    this.linkTarget = root.dataset.linkTarget || null;
    this.parts = {
      status: root.querySelector("[data-status]"),
      stage: root.querySelector("[data-stage]"),
      progress: root.querySelector("[data-progress]"),
      error: root.querySelector("[data-error]"),
      errorText: root.querySelector("[data-error-message]"),
      staticLink: root.querySelector("[data-static-link]"),
      back: root.querySelector('[data-action="back"]'),
      restart: root.querySelector('[data-action="restart"]'),
      retry: root.querySelector('[data-action="retry"]'),
      restore: root.querySelector('[data-action="restore"]'),
    };
    this.staticBase = new URL(this.parts.staticLink.getAttribute("href"), location.href); // the static tree's first page
    this.fromLink = false; // the answers on their way came from a link, not from this device
    this.saved = []; // what this device had saved when a link arrived, offered back if the link fails
    this.first = this.readFirstQuestion();
    this.questions.set(this.first.id, this.first);
    try {
      this.remaining = JSON.parse(root.querySelector("[data-remaining]")?.textContent || "{}");
    } catch {
      this.remaining = {};
    }
  }

  readFirstQuestion() {
    const fieldset = this.root.querySelector("fieldset[data-question]");
    return {
      id: fieldset.dataset.question,
      type: fieldset.dataset.type || "choice",
      text: fieldset.querySelector("legend").textContent,
      help: fieldset.querySelector("[data-help]")?.textContent ?? null,
      unknown: fieldset.querySelector('[data-action="unknown"]')?.textContent ?? null,
      options: [...fieldset.querySelectorAll("[data-option]")].map((b) => ({
        id: b.dataset.option,
        text: b.querySelector("[data-option-text]")?.textContent ?? b.textContent,
        help: b.querySelector("[data-option-help]")?.textContent ?? null,
      })),
    };
  }

  mount() {
    const { root } = this;
    root.addEventListener("click", (event) => this.onClick(event));
    root.addEventListener("change", (event) => this.onTick(event));
    root.addEventListener("keydown", (event) => this.onKey(event));
    root.addEventListener("cdg:restart", () => this.go([], { history: "push" }));
    // Back, Forward and a pasted link: browsers report them as popstate, hashchange or both.
    window.addEventListener("popstate", () => this.onLocation());
    window.addEventListener("hashchange", () => this.onLocation());
    window.addEventListener("afterprint", () => this.endPrint());
    this.engine.addEventListener("progress", () => this.showEngineState());
    this.engine.addEventListener("ready", () => this.onReady());
    this.engine.addEventListener("failed", () => this.onFailed());
    // Answers given before the precomputed first steps arrived: show where they lead.
    this.engine.addEventListener("first-steps", () => {
      if (this.engine.state === "loading" && this.shown === "pending") {
        this.go(this.answers, { initial: !this.interacted, fromLink: this.fromLink });
      }
    });
    this.showEngineState();
    if (this.engine.state === "error") return this.onFailed();
    const fragment = decodeFragment(location.hash);
    const saved = fragment ? [] : savedAnswers();
    this.resumed = saved.length > 0; // said once, with the list, when the engine has answered
    this.start(fragment ?? { answers: saved }, { initial: true, fromLink: Boolean(fragment) });
    if (this.engine.state === "ready") this.onReady();
  }

  // Answers from a link (on load), or from the URL after Back/Forward. A link's answers are not
  // saved until the engine accepts them, so a stale or damaged link never replaces or deletes
  // what this device had.
  start(fragment, { initial = true, fromLink = false } = {}) {
    this.saved = savedAnswers();
    if (fragment.invalid) {
      this.answers = [];
      this.showLinkError();
      return;
    }
    this.go(fragment.answers, { initial, fromLink: fromLink && fragment.answers.length > 0 });
  }

  // The URL's answers changed under us (Back, Forward, a pasted link): show where they lead.
  onLocation() {
    if (location.hash === this.hash) return;
    const fragment = decodeFragment(location.hash) ?? (location.hash === "" ? { answers: [] } : null);
    if (!fragment) return; // an ordinary anchor on the page
    this.hash = location.hash;
    this.interacted = true;
    this.resumed = false;
    // Our own history entries carry {cdg}; any other new fragment was pasted or followed: a link.
    this.start(fragment, { initial: false, fromLink: !window.history.state?.cdg });
  }

  emit(name, detail = {}) {
    this.root.dispatchEvent(new CustomEvent(name, { bubbles: true, detail }));
  }

  // --- engine state ---------------------------------------------------------------------------

  showEngineState() {
    const { state, progress } = this.engine;
    this.root.dataset.engine = state;
    const status = this.parts.status;
    if (state === "loading") {
      status.hidden = false;
      status.textContent = progress + (this.answers.length === 0 ? "你可以先回答第一个问题。" : "");
    } else {
      status.hidden = true;
      status.textContent = "";
    }
  }

  onReady() {
    this.showEngineState();
    this.emit("cdg:ready");
    // A damaged link's message stays until the visitor restarts.
    if (this.shown === "error") return;
    // Ask even with no answers: the engine, not the HTML, has the last word on the first question.
    this.go(this.answers, { initial: !this.interacted, tail: this.later, fromLink: this.fromLink });
  }

  onFailed() {
    this.showEngineState();
    this.parts.stage.hidden = true;
    this.parts.progress.hidden = true;
    this.parts.back.hidden = true;
    this.parts.restart.hidden = true;
    const retry = !NO_RETRY.has(this.engine.failureKind);
    this.root.dataset.failure = this.engine.failureKind ?? "";
    this.showError(`${this.engine.failure}${retry ? MESSAGES.retry : MESSAGES.noRetry}`, { staticLink: true, retry });
  }

  // --- navigation -----------------------------------------------------------------------------

  // Show where `answers` lead. history "push" makes a new browser history entry (one per step, so
  // the phone's Back goes back one question); `tail` holds later answers to give again (after 修改).
  async go(answers, { initial = false, history = "replace", tail = [], fromLink = false } = {}) {
    this.answers = answers.map((p) => [...p]);
    this.fromLink = fromLink;
    if (!answers.length && !tail.length && history === "push") this.given.clear(); // restart: a clean slate
    for (const [qid, value] of [...answers, ...tail]) this.given.set(qid, value);
    this.later = [];
    this.remember(history);
    if (this.engine.state === "error") return;
    if (this.engine.state !== "ready") {
      this.later = tail;
      // The engine's own answer, computed at build time, while it boots (the first few questions).
      const early = this.engine.preview(this.answers);
      if (!early || !this.answers.length) return this.showPending();
      // The questions already answered come from the same file, for the review list (and a resume).
      this.answers.forEach((_, i) => {
        const asked = this.engine.preview(this.answers.slice(0, i));
        if (asked) this.learn(asked.question);
      });
      return this.showQuestion(early, { initial });
    }
    // Only the latest request is shown: a quicker second click supersedes the first.
    const seq = ++this.seq;
    this.root.setAttribute("aria-busy", "true");
    let response = await this.engine.ask(this.answers);
    // Give the later answers again wherever the engine still asks their question; the ones it
    // no longer asks are dropped when the result is reached.
    let later = tail;
    let kept = 0;
    while (response.status === "question" && seq === this.seq) {
      const i = later.findIndex(([qid]) => qid === response.question.id);
      if (i < 0) break;
      this.learn(response.question);
      const tried = [...this.answers, later[i]];
      later = later.filter((_, j) => j !== i);
      const next = await this.engine.ask(tried);
      if (next.status === "error") break; // that answer no longer fits: ask the question afresh
      this.answers = tried;
      response = next;
      kept += 1;
    }
    if (seq !== this.seq) return;
    if (kept) this.remember("replace");
    if (response.status === "question") await this.learnAnswered(seq);
    if (seq !== this.seq) return;
    this.root.removeAttribute("aria-busy");
    if (response.status === "error") {
      // The engine's words may quote the link's ids: they go to the console, never on screen.
      console.info("questionnaire: the engine refused these answers:", response.error);
      if (this.fromLink) return this.showLinkError();
      store.remove(ANSWERS_KEY); // stale saved answers: do not resume into the same error next time
      return this.showAnswerError(MESSAGES.staleAnswers);
    }
    if (this.fromLink) {
      this.fromLink = false;
      this.remember("replace"); // the link's answers are good: now they are this device's answers
    }
    if (response.status === "question") {
      this.later = later;
      this.showQuestion(response, { initial });
    } else if (response.status === "result") {
      this.showResult(response.result);
    }
    if (tail.length) {
      const dropped = response.status === "result" ? later.length : 0;
      this.flash(
        (kept ? `已保留你后面 ${kept} 个仍然适用的回答。` : "") +
          (dropped ? `另有 ${dropped} 个回答已不再需要，已去掉。` : ""),
      );
    }
  }

  remember(history = "replace") {
    if (!this.fromLink) store.set(ANSWERS_KEY, this.answers);
    const hash = encodeAnswers(this.answers);
    if (location.hash !== hash && (hash || location.hash.startsWith("#a=") || history === "push")) {
      const url = location.pathname + location.search + hash;
      if (history === "push") window.history.pushState({ cdg: (window.history.state?.cdg ?? 0) + 1 }, "", url);
      else window.history.replaceState(window.history.state, "", url);
    }
    this.hash = location.hash;
  }

  learn(question) {
    this.questions.set(question.id, question);
  }

  // The wording of every question answered so far, for the review list: the engine is asked again
  // for any not yet seen on this page (a resumed or shared walk).
  async learnAnswered(seq) {
    for (let i = 0; i < this.answers.length && seq === this.seq; i++) {
      if (this.questions.has(this.answers[i][0])) continue;
      const r = await this.engine.ask(this.answers.slice(0, i));
      if (r.status === "question") this.learn(r.question);
    }
  }

  onClick(event) {
    const target = event.target.closest("button, a");
    if (!target || !this.root.contains(target)) return;
    const fieldset = target.closest("fieldset[data-question]");
    const action = target.dataset.action;
    if (target.matches("button[data-option]")) {
      if (this.shown !== "question" || !fieldset) return;
      if (fieldset.dataset.type === "multi") this.toggle(target, fieldset);
      // Answer the question on screen, even while an earlier request is still out.
      else this.answer(fieldset, target.dataset.option);
    } else if (action === "next" && fieldset) {
      this.submit(fieldset);
    } else if (action === "unknown" && fieldset) {
      if (this.shown === "question") this.answer(fieldset, null);
    } else if (target.matches("button[data-change]")) {
      this.change(target.dataset.change);
    } else if (action === "back") {
      this.interacted = true;
      // Our own history entry: the browser's Back, so in-page and phone Back agree.
      if (window.history.state?.cdg > 0) window.history.back();
      else if (this.answers.length) this.go(this.answers.slice(0, -1));
    } else if (target.matches('[data-action="retry"]')) {
      this.engine.restart();
      this.go(this.answers, { fromLink: this.fromLink });
    } else if (action === "restart") {
      this.interacted = true;
      this.go([], { history: "push" });
    } else if (action === "forget") {
      store.remove(ANSWERS_KEY);
      store.remove(TICKS_KEY);
      this.interacted = true;
      this.go([], { history: "push" });
      this.flash("已清除保存在这台设备上的回答和勾选。");
    } else if (action === "print") {
      this.endPrint();
      window.print();
    } else if (action === "share") {
      this.share();
    } else if (["copy", "download", "download-docx", "print-document"].includes(action)) {
      this.documentAction(action, target.closest("[data-document]"));
    } else if (target.matches('[data-action="restore"]')) {
      this.interacted = true;
      this.go(this.saved);
    }
  }

  onKey(event) {
    if (event.key !== "Enter" || !event.target.matches?.('input[name="value"]')) return;
    event.preventDefault();
    this.submit(event.target.closest("fieldset[data-question]"));
  }

  onTick(event) {
    const box = event.target.closest("input[data-tick]");
    if (!box) return;
    const ticks = storedTicks();
    if (box.checked) ticks[box.dataset.tick] = true;
    else delete ticks[box.dataset.tick];
    store.set(TICKS_KEY, ticks);
  }

  answer(fieldset, value) {
    const qid = fieldset.dataset.question;
    this.interacted = true;
    const tail = this.later.filter(([q]) => q !== qid);
    this.go([...this.shownAnswers, [qid, value]], { history: "push", tail });
  }

  toggle(button, fieldset) {
    button.setAttribute("aria-pressed", String(button.getAttribute("aria-pressed") !== "true"));
    this.invalid(fieldset, null);
  }

  // Multi, amount and date questions: check the input here, so a bad value is never sent.
  submit(fieldset) {
    if (this.shown !== "question" || !fieldset) return;
    const type = fieldset.dataset.type;
    let value;
    let problem = null;
    if (type === "multi") {
      value = [...fieldset.querySelectorAll('[data-option][aria-pressed="true"]')].map((b) => b.dataset.option);
      if (!value.length) problem = "请至少选一项。";
    } else {
      const input = fieldset.querySelector('input[name="value"]');
      const { validity } = input;
      value = input.value;
      if (type === "amount") {
        if (validity.badInput) problem = "请填写一个数字，比如 320 或 99.5。";
        else if (value === "") problem = "请填写金额（元）。";
        else if (validity.rangeUnderflow) problem = "金额不能是负数。";
        else if (validity.rangeOverflow) problem = "金额太大了，请检查一下。";
        value = Math.round(Number(value) * 100) / 100;
      } else if (!DATE.test(value)) {
        problem = "请选择或填写日期。";
      } else if (value > localToday()) {
        problem = `日期不能晚于今天（${chineseDate(localToday())}）。`;
      }
    }
    const unknown = fieldset.querySelector('[data-action="unknown"]');
    if (problem && unknown) problem += `如果不清楚，可以选“${unknown.textContent}”。`;
    this.invalid(fieldset, problem);
    if (!problem) this.answer(fieldset, value);
  }

  // Shows (or, with null, hides) the question's inline message.
  invalid(fieldset, problem) {
    const message = fieldset.querySelector("[data-invalid]");
    const input = fieldset.querySelector('input[name="value"]');
    message.textContent = problem ?? "";
    message.hidden = !problem;
    if (input) {
      if (problem) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
      if (problem) input.focus();
    }
  }

  // 修改: reopen that question; the later answers are given again where they still apply.
  change(qid) {
    const i = this.answers.findIndex(([q]) => q === qid);
    if (i < 0) return;
    this.interacted = true;
    this.resumed = false;
    this.go(this.answers.slice(0, i), { history: "push", tail: this.answers.slice(i + 1) });
  }

  flash(text) {
    if (!text) return;
    const status = this.parts.status;
    status.hidden = false;
    status.textContent = text;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => this.showEngineState(), 6000);
  }

  setTitle(step) {
    document.title = step ? `${step} - ${this.baseTitle}` : this.baseTitle;
  }

  // --- views ----------------------------------------------------------------------------------

  setStage(kind, ...nodes) {
    this.endPrint();
    this.shown = kind;
    this.shownAnswers = this.answers.map((p) => [...p]);
    this.parts.error.hidden = true;
    this.root.dataset.errorReason = "";
    this.parts.stage.hidden = false;
    this.parts.stage.replaceChildren(...nodes.filter(Boolean));
    this.parts.back.disabled = this.answers.length === 0;
    this.parts.back.hidden = false;
    this.parts.restart.hidden = false;
    this.root.dataset.view = kind;
  }

  setProgress(questionId) {
    const bar = this.parts.progress;
    if (questionId === null) {
      bar.hidden = true;
      return;
    }
    const done = this.answers.length;
    const left = Number(this.remaining[questionId]) || 0;
    bar.hidden = false;
    const meter = bar.querySelector("progress");
    meter.max = done + Math.max(left, 1);
    meter.value = done;
    bar.querySelector("[data-progress-text]").textContent =
      `第 ${done + 1} 题` + (left > 1 ? `，最多还有 ${left - 1} 题` : left === 1 ? "，最后一题" : "");
  }

  questionNode(q) {
    const type = q.type ?? "choice";
    const ids = `cdg-${this.uid}-${q.id}`;
    const previous = this.given.get(q.id);
    const options =
      type === "choice" || type === "multi"
        ? el(
            "div",
            { class: "cdg-options" },
            q.options.map((o) =>
              el(
                "button",
                {
                  type: "button",
                  class: "cdg-option",
                  "data-option": o.id,
                  "aria-pressed": type === "multi" ? String(Array.isArray(previous) && previous.includes(o.id)) : null,
                },
                el("span", { "data-option-text": true, text: o.text }),
                o.help ? el("small", { "data-option-help": true, text: o.help }) : null,
                type === "choice" && previous === o.id ? el("small", { class: "cdg-was", text: "（原来的回答）" }) : null,
              ),
            ),
          )
        : null;
    const input =
      type === "amount" || type === "date"
        ? el(
            "p",
            { class: "cdg-field" },
            el("input", {
              name: "value",
              id: `${ids}-value`,
              "aria-labelledby": `${ids}-legend`,
              "aria-describedby": `${ids}-invalid`,
              ...(type === "amount"
                ? { type: "number", inputmode: "decimal", min: "0", max: "10000000000", step: "0.01", placeholder: "例如 320" }
                : { type: "date", max: localToday() }),
              value: typeof previous === "number" || (typeof previous === "string" && type === "date") ? previous : null,
            }),
            type === "amount" ? el("span", { class: "cdg-unit", text: "元" }) : null,
          )
        : null;
    const next = type !== "choice";
    return el(
      "fieldset",
      { class: "cdg-question", "data-question": q.id, "data-type": type },
      el("legend", { id: `${ids}-legend`, tabindex: "-1", text: q.text }),
      q.help ? el("p", { class: "cdg-help", "data-help": true, text: q.help }) : null,
      options,
      input,
      el("p", { class: "cdg-invalid", id: `${ids}-invalid`, "data-invalid": true, role: "alert", hidden: true }),
      next || q.unknown
        ? el(
            "p",
            { class: "cdg-answer-actions" },
            next ? el("button", { type: "button", class: "cdg-go", "data-action": "next", text: "下一步" }) : null,
            q.unknown ? el("button", { type: "button", class: "cdg-secondary", "data-action": "unknown", text: q.unknown }) : null,
          )
        : null,
    );
  }

  // Every answer so far, each with 修改. `entries`: [{question_id, question, answer}].
  reviewNode(entries) {
    return el(
      "ol",
      { class: "cdg-review", "data-review": true },
      entries.map((t) =>
        el(
          "li",
          { "data-trace": t.question_id },
          el("span", { class: "cdg-review-q", text: t.question }),
          " ",
          el("strong", { class: "cdg-review-a", text: t.answer }),
          " ",
          el("button", {
            type: "button",
            class: "cdg-link cdg-change",
            "data-change": t.question_id,
            "aria-label": `修改：${t.question}`,
            text: "修改",
          }),
        ),
      ),
    );
  }

  // The review of the answers that lead to a question, from the questions seen on this page.
  answeredEntries() {
    const entries = this.answers.map(([qid, value]) => {
      const q = this.questions.get(qid);
      return q && { question_id: qid, question: q.text, answer: answerText(q, value) };
    });
    return entries.every(Boolean) ? entries : [];
  }

  resumedNotice(body) {
    this.resumed = false;
    return el("div", { class: "cdg-notice", "data-resumed": true, role: "status" }, el("p", { text: "已恢复你上次的回答。" }), body);
  }

  showPending() {
    if (this.answers.length === 0) {
      const current = this.parts.stage.querySelector("fieldset[data-question]");
      // Keep the HTML's own first question (and a tap already on its way) when it is on screen.
      if (current?.dataset.question === this.first.id && this.shown !== "error" && this.shown !== "result") {
        this.setStage("question", ...this.parts.stage.childNodes);
      } else {
        this.setStage("question", this.questionNode(this.first));
      }
      this.setProgress(this.first.id);
      this.setTitle(`第 1 题：${this.first.text}`);
      this.emit("cdg:step", { question: this.first.id });
    } else {
      this.setStage(
        "pending",
        el("p", {
          class: "cdg-pending",
          "data-pending": true,
          text: `已记下你的 ${this.answers.length} 个回答。问卷引擎准备好后会自动继续。`,
        }),
      );
      this.setProgress(null);
    }
    this.showEngineState();
  }

  showQuestion({ question }, { initial }) {
    this.learn(question);
    const current = this.parts.stage.querySelector("fieldset[data-question]");
    const same = this.shown === "question" && current?.dataset.question === question.id;
    // The same question already on screen (the first one, from the HTML): keep its buttons, so a
    // click that lands while the engine comes up is not lost.
    if (!same) {
      const entries = this.answeredEntries();
      const review = entries.length
        ? el(
            "details",
            { class: "cdg-review-box", open: this.resumed },
            el("summary", { text: `你已回答的 ${entries.length} 个问题（可修改）` }),
            this.reviewNode(entries),
          )
        : null;
      const notice = this.resumed && entries.length ? this.resumedNotice(el("p", { text: "可以接着回答，或在下面修改任何一项。" })) : null;
      this.setStage("question", notice, this.questionNode(question), review);
    } else {
      this.shownAnswers = this.answers.map((p) => [...p]);
      this.parts.back.disabled = this.answers.length === 0;
    }
    this.setProgress(question.id);
    this.setTitle(`第 ${this.answers.length + 1} 题：${question.text}`);
    if (!same) {
      this.emit("cdg:step", { question: question.id });
      if (!initial) this.parts.stage.querySelector("legend").focus({ preventScroll: false });
    }
  }

  link(path, text, attrs = {}) {
    const target = this.linkTarget ? { target: this.linkTarget, rel: "noopener" } : {};
    return el("a", { href: new URL(path, SITE_ROOT).href, ...target, ...attrs, text });
  }

  showResult(r) {
    const routes = [r.primary_route, ...r.alternatives];
    const section = (title, cls, ...body) =>
      el("section", { class: `cdg-section ${cls}` }, el("h3", { text: title }), ...body);
    const when = (items, render) => (items?.length ? render(items) : null);
    // What to do now: the engine's own choice, or else its first step and first document.
    const now = r.now ?? { step: r.next_steps[0] ?? null, date: null, document: r.documents[0]?.id ?? null };
    const nowDocument = r.documents.find((d) => d.id === now.document) ?? null;
    const otherDocuments = r.documents.filter((d) => d !== nowDocument);

    const nodes = [
      this.resumed
        ? this.resumedNotice(el("p", {}, el("a", { href: `#cdg-${this.uid}-review`, text: "查看和修改你的回答" })))
        : null,
      el("h2", { class: "cdg-result-title", tabindex: "-1", text: r.summary.title }),
      r.summary.text ? el("p", { class: "cdg-summary", text: r.summary.text }) : null,
      now.step || nowDocument
        ? el(
            "section",
            { class: "cdg-section cdg-now", "data-now": true },
            el("h3", { text: "现在就做" }),
            now.step ? el("p", { class: "cdg-now-step", text: now.step }) : null,
            now.date
              ? el("p", { class: "cdg-now-date", "data-date": now.date }, "最迟在 ", el("strong", { text: chineseDate(now.date) }), " 之前")
              : null,
            nowDocument ? this.documentNode(nowDocument) : null,
          )
        : null,
      section("推荐的维权途径", "cdg-route-section", this.routesNode(routes), this.excludedNode(r.excluded)),
      when(r.entitlements, (items) => section("你可以主张的", "cdg-entitlements", this.entitlementsNode(items))),
      when(r.deadlines, (items) => section("期限", "cdg-deadline-section", this.deadlinesNode(items))),
      when(r.evidence, (items) => section("要准备的证据", "cdg-evidence", ...this.evidenceNodes(items))),
      when(r.defences, (items) => section("商家可能会这样说", "cdg-defences", this.defencesNode(items))),
      when(r.next_steps, (items) =>
        section("下一步", "cdg-next", el("ol", { class: "cdg-steps" }, items.map((s, i) => el("li", { "data-step": i + 1, text: s })))),
      ),
      when(otherDocuments, (items) =>
        section("其他可以直接用的文书", "cdg-documents", items.map((d) => this.documentNode(d, { folded: true }))),
      ),
      when(r.citations, (items) => section("法律依据", "cdg-citation-section", this.citationsNode(items))),
      el(
        "section",
        { class: "cdg-section cdg-trace-section", id: `cdg-${this.uid}-review` },
        el("h3", { text: "你的回答（这个结果的依据）" }),
        this.reviewNode(r.trace),
      ),
      el(
        "div",
        { class: "cdg-result-actions" },
        el("button", { type: "button", class: "cdg-secondary", "data-action": "print", text: "打印结果" }),
        el("button", { type: "button", class: "cdg-secondary", "data-action": "share", text: "分享结果" }),
        el("a", {
          class: "cdg-share",
          "data-share": true,
          href: location.pathname + location.search + encodeAnswers(this.answers),
          text: "本结果的链接（可收藏或分享，回答只在链接的 # 之后，不会发给服务器）",
        }),
        el("p", { class: "cdg-share-status", "data-share-status": true, role: "status" }),
      ),
      el("p", {
        class: "cdg-print-meta",
        text:
          `打印于 ${chineseDate(localToday())} · ${new URL("questionnaire/", SITE_ROOT).href} · ` +
          "你的回答只保存在你自己的设备上，从未发送到任何地方。",
      }),
      el("p", { class: "cdg-disclaimer", text: "本结果是一般性信息，不是法律意见。" }),
    ];
    const result = el("div", { class: "cdg-result", "data-result": true }, nodes);
    this.setStage("result", result);
    this.setProgress(null);
    this.setTitle(`结果：${r.summary.title}`);
    this.emit("cdg:result", { primary: r.primary_route.id, routes: routes.map((x) => x.id) });
    if (this.interacted) result.querySelector("h2").focus();
  }

  routesNode(routes) {
    return el(
      "ol",
      { class: "cdg-routes" },
      routes.map((route, i) =>
        el(
          "li",
          { "data-route": route.id, "data-rank": i + 1, class: i === 0 ? "cdg-primary" : "cdg-alternative" },
          el("span", { class: "cdg-rank", text: i === 0 ? "首选" : "备选" }),
          " ",
          el("strong", {}, this.link(`routes/${route.id}/`, route.name)),
          el("p", { class: "cdg-reason", text: route.reason }),
        ),
      ),
    );
  }

  excludedNode(excluded) {
    if (!excluded?.length) return null;
    return el(
      "details",
      { class: "cdg-excluded" },
      el("summary", { text: `不适合你的途径（${excluded.length}）` }),
      el(
        "ul",
        {},
        excluded.map((x) =>
          el("li", { "data-excluded": x.id }, el("strong", { text: x.name }), "：", x.reason),
        ),
      ),
    );
  }

  entitlementsNode(items) {
    return el(
      "ul",
      { class: "cdg-entitlement-list" },
      items.map((e) =>
        el(
          "li",
          { "data-entitlement": e.id, "data-amount": e.amount_yuan ?? "" },
          el("span", { text: e.text }),
          e.amount_yuan !== null && e.amount_yuan !== undefined
            ? el("strong", { class: "cdg-amount", text: `${yuan(e.amount_yuan)} 元` })
            : e.formula
              ? el("span", { class: "cdg-formula", text: `金额：${e.formula}` })
              : null,
          basis(e.citations),
        ),
      ),
    );
  }

  deadlinesNode(items) {
    return el(
      "ul",
      { class: "cdg-deadlines" },
      items.map((d) =>
        el(
          "li",
          { "data-deadline": d.id, "data-date": d.date ?? "" },
          d.date ? el("strong", { class: "cdg-date", text: chineseDate(d.date) }) : null,
          el("span", { text: d.text }),
          basis(d.citations),
        ),
      ),
    );
  }

  evidenceNodes(items) {
    const ticks = storedTicks();
    return [
      el("p", { class: "cdg-hint", text: "备好一项就勾上；勾选只保存在这台设备上。" }),
      el(
        "ul",
        { class: "cdg-checklist" },
        items.map((e) =>
          el(
            "li",
            { "data-evidence": e.id, "data-required": String(e.required) },
            el(
              "label",
              {},
              el("input", { type: "checkbox", "data-tick": e.id, checked: Boolean(ticks[e.id]) }),
              " ",
              el("span", { class: "cdg-evidence-name", text: e.name }),
              " ",
              el("span", { class: "cdg-tag", text: e.required ? "必需" : "有帮助" }),
            ),
            el(
              "details",
              {},
              el("summary", { text: "是什么、为什么、怎么取得" }),
              el("p", { text: e.what }),
              el("p", {}, el("strong", { text: "为什么重要：" }), e.why),
              el("p", {}, el("strong", { text: "怎样取得和保存：" }), e.how),
              el("p", {}, this.link(`evidence/#${e.id}`, "在证据清单里查看")),
            ),
          ),
        ),
      ),
    ];
  }

  defencesNode(items) {
    return el(
      "ul",
      { class: "cdg-defence-list" },
      items.map((d) =>
        el(
          "li",
          { "data-defence": d.id },
          el("p", { class: "cdg-claim" }, el("strong", { text: "商家可能说：" }), d.claim),
          el("p", { class: "cdg-answer" }, el("strong", { text: "你可以这样回应：" }), d.answer),
          basis(d.citations),
        ),
      ),
    );
  }

  // Grouped by law, each article once, folded away: the article texts open from [data-citation].
  citationsNode(citations) {
    const groups = citationsByLaw(citations);
    const articles = groups.reduce((n, g) => n + g.articles.size, 0);
    return el(
      "details",
      { class: "cdg-citations", "data-citations": true },
      el("summary", { text: `${groups.length} 部法律法规，${articles} 条（点开查看）` }),
      el(
        "ul",
        { class: "cdg-law-list" },
        groups.map(({ law, articles: byArticle }) =>
          el(
            "li",
            { "data-law-group": law.law_id },
            law.url
              ? el("a", { href: law.url, target: "_blank", rel: "noopener noreferrer", text: lawText(law) })
              : el("span", { text: lawText(law) }),
            el(
              "ul",
              { class: "cdg-articles" },
              // articles.js adds each one's 条文 button and text panel inside the <li>; the law's
              // name, hidden, gives the button its full label.
              [...byArticle.values()].map((c) =>
                el(
                  "li",
                  {
                    class: "cdg-cited",
                    "data-citation": `${c.law_id}:${c.article}`,
                    "data-law": c.law_id,
                    "data-article": c.article,
                  },
                  el("span", { class: "cdg-visually-hidden", text: `《${c.law_name || c.law}》` }),
                  c.article,
                  c.caution ? el("small", { class: "cdg-caution", text: ` 注意：${c.caution}` }) : null,
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }

  // A ready-to-send text: edited in place, then copied, downloaded or printed on its own. The
  // one to send now is open; the others fold (details) to keep the result short on a phone.
  documentNode(d, { folded = false } = {}) {
    const id = `cdg-${this.uid}-doc-${d.id}`;
    const text = el("textarea", {
      class: "cdg-doc-text",
      "data-document-text": true,
      "aria-labelledby": `${id}-title`,
      "aria-describedby": `${id}-hint`,
      rows: Math.min(18, d.text.split("\n").length + 1),
      spellcheck: "false",
    });
    text.value = d.text;
    const title = el(folded ? "span" : "h4", { id: `${id}-title`, class: "cdg-doc-title", "data-doc-title": true, text: d.title });
    return el(
      folded ? "details" : "article",
      { class: "cdg-document", "data-document": d.id, "aria-labelledby": folded ? null : `${id}-title` },
      folded ? el("summary", {}, title) : title,
      d.send_to ? el("p", { class: "cdg-doc-to", text: `交给：${d.send_to}` }) : null,
      el("p", {
        class: "cdg-hint",
        id: `${id}-hint`,
        text: "可以直接在框里修改；【】处请你自己填写。我们不会替你发送，也看不到你写的内容。",
      }),
      text,
      el("div", { class: "cdg-doc-print", "aria-hidden": "true" }),
      el(
        "p",
        { class: "cdg-doc-actions" },
        el("button", { type: "button", class: "cdg-secondary", "data-action": "copy", text: "复制全文" }),
        el("button", { type: "button", class: "cdg-secondary", "data-action": "download", text: "下载 .txt" }),
        el("button", { type: "button", class: "cdg-secondary", "data-action": "download-docx", text: "下载 Word" }),
        el("button", { type: "button", class: "cdg-secondary", "data-action": "print-document", text: "单独打印" }),
        el("span", { class: "cdg-doc-status", "data-doc-status": true, role: "status" }),
      ),
    );
  }

  async documentAction(action, doc) {
    const text = doc.querySelector("textarea").value;
    const status = doc.querySelector("[data-doc-status]");
    const title = doc.querySelector("[data-doc-title]").textContent;
    if (action === "copy") {
      status.textContent = (await copyText(text, doc.querySelector("textarea")))
        ? "已复制，可以粘贴到短信、邮件或网页表单里。"
        : "没能自动复制：请在框里全选后复制。";
    } else if (action === "download") {
      // A byte-order mark, so that older Windows editors read the Chinese as UTF-8.
      saveFile(doc, `${title}.txt`, new Blob(["\ufeff", text], { type: "text/plain;charset=utf-8" }));
    } else if (action === "download-docx") {
      const file = await this.engine.docx(text);
      if (!(file instanceof Uint8Array)) {
        status.textContent = "没能生成 Word 文件：请用“下载 .txt”或“复制全文”。";
        return;
      }
      saveFile(doc, `${title}.docx`, new Blob([file], { type: DOCX_TYPE }));
    } else {
      this.endPrint();
      doc.querySelector(".cdg-doc-print").textContent = text; // a textarea prints clipped
      this.root.dataset.printing = "document";
      doc.setAttribute("data-print-target", "");
      window.print();
    }
  }

  endPrint() {
    delete this.root.dataset.printing;
    this.root.querySelectorAll("[data-print-target]").forEach((n) => n.removeAttribute("data-print-target"));
  }

  // The Web Share sheet where there is one, else the link copied, with a visible confirmation.
  async share() {
    const status = this.root.querySelector("[data-share-status]");
    const url = location.href;
    if (typeof navigator.share === "function") {
      try {
        await navigator.share({ title: document.title, url });
        return;
      } catch (err) {
        if (err?.name === "AbortError") return; // the visitor closed the share sheet
      }
    }
    status.textContent = (await copyText(url))
      ? "链接已复制。粘贴给别人，或存起来以后打开；回答只在链接的 # 之后，不会发给服务器。"
      : "没能自动复制：请长按或右键点下面的链接，选择“复制链接”。";
  }

  // The static tree's page for the question the visitor reached: links.json says where each answer
  // leads from each question page (build_scripts/static_tree.py). Until it arrives, or without it,
  // the link goes to the first page. Answers the static tree does not take (several problems, a
  // typed amount) stop the walk at that question, where the visitor picks again.
  async pointStaticLink() {
    const link = this.parts.staticLink;
    link.href = this.staticBase.href;
    delete link.dataset.pointed;
    try {
      const response = await fetch(new URL("links.json", this.staticBase));
      const links = response.ok ? await response.json() : {};
      const given = new Map(this.answers.map(([id, value]) => [id, value]));
      let page = "index.html";
      while (links[page] && given.has(links[page][0])) {
        const [fact, options] = links[page];
        const value = given.get(fact);
        given.delete(fact); // each answer used once: the walk always ends
        const next = options[value === null ? "unknown" : Array.isArray(value) ? value.join("+") : String(value)];
        if (!next) break;
        page = next;
      }
      link.href = new URL(page === "index.html" ? "./" : page, this.staticBase).href;
    } catch {
      /* offline or never built: the first page it is */
    }
    link.dataset.pointed = "true";
  }

  // `reason` ("engine", "link", "answers") is all an embedding portal hears (embed-frame.js).
  showError(message, { staticLink = false, retry = false, restore = 0, reason = "engine" } = {}) {
    this.shown = "error";
    this.root.dataset.view = "error";
    this.root.dataset.errorReason = reason;
    this.parts.errorText.textContent = message;
    this.parts.staticLink.hidden = !staticLink;
    if (staticLink) this.pointStaticLink();
    if (this.parts.retry) this.parts.retry.hidden = !retry;
    if (this.parts.restore) {
      this.parts.restore.hidden = !restore;
      this.parts.restore.textContent = `恢复上次保存的 ${restore} 个回答`;
    }
    this.parts.error.hidden = false;
    this.setTitle("出错了");
    this.emit("cdg:error", { reason, message });
  }

  showLinkError() {
    const n = this.saved.length;
    this.showAnswerError(MESSAGES.badLink + (n ? MESSAGES.keptSaved(n) : "") + MESSAGES.restartHint, {
      reason: "link",
      restore: n,
    });
  }

  showAnswerError(message, { reason = "answers", restore = 0 } = {}) {
    this.parts.stage.hidden = true;
    this.parts.stage.replaceChildren();
    this.setProgress(null);
    this.parts.back.hidden = true;
    this.parts.restart.hidden = false;
    this.showError(message, { staticLink: true, reason, restore });
  }
}

// Copies `text`: the Clipboard API, else the old selection route (from `field` when given).
// Hand `blob` to the browser as a download named `name` (a link clicked once, then forgotten).
function saveFile(near, name, blob) {
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: name, hidden: true });
  near.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

async function copyText(text, field = null) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const box = field ?? el("textarea", { class: "cdg-offscreen", readonly: true });
    if (!field) {
      box.value = text;
      document.body.append(box);
    }
    box.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    if (!field) box.remove();
    return ok;
  }
}

// ---------------------------------------------------------------------------------------------
// Mounting: idempotent, so it is safe from a `document$` subscriber (Material's instant navigation).

// A questionnaire whose closing tag the parser has passed: anything after it in the document (the
// guard's <script>, whitespace) exists only then. Mounting a half-parsed one would miss its parts.
function complete(root) {
  return document.readyState !== "loading" || root.nextSibling !== null;
}

function mount(root) {
  if (!root.cdgQuestionnaire && complete(root)) {
    root.setAttribute("data-mounted", ""); // the guard script leaves a mounted questionnaire alone
    sharedEngine ??= new Engine();
    try {
      root.cdgQuestionnaire = new Questionnaire(root, sharedEngine);
      root.cdgQuestionnaire.mount();
    } catch (err) {
      // Never dead buttons without a word: say so, with the static tree (and the cause in the console).
      console.error("questionnaire:", err);
      root.cdgQuestionnaire ??= { broken: true };
      showBroken(root);
    }
  }
  return root.cdgQuestionnaire;
}

function showBroken(root) {
  root.dataset.engine = "error";
  root.dataset.view = "error";
  for (const part of root.querySelectorAll("[data-stage], [data-progress], [data-status], .cdg-nav")) part.hidden = true;
  const box = root.querySelector("[data-error]");
  if (!box) return;
  box.querySelector("[data-error-message]").textContent = MESSAGES.broken + MESSAGES.fallback;
  const retry = box.querySelector('[data-action="retry"]');
  if (retry) retry.hidden = false;
  box.hidden = false;
  root.dispatchEvent(new CustomEvent("cdg:error", { bubbles: true, detail: { reason: "engine", message: MESSAGES.broken } }));
}

function mountAll() {
  document.querySelectorAll("[data-questionnaire]").forEach(mount);
}

// The script is async and may run from the <head>: start the engine at once, mount every
// questionnaire already parsed to its end, mount one the moment it is first touched (its listeners
// then see that very click), and mount everything again once parsed and on every page Material's
// document$ announces.
sharedEngine ??= new Engine();
mountAll();
document.addEventListener(
  "click",
  (event) => {
    const root = event.target instanceof Element && event.target.closest("[data-questionnaire]");
    if (root) mount(root);
  },
  true,
);
const onParsed = () => {
  mountAll();
  window.document$?.subscribe?.(mountAll);
};
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onParsed, { once: true });
else onParsed();
