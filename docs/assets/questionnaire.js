// The questionnaire's page glue: shows what the Python engine (engine-worker.js) decides and
// decides nothing itself. Markup and DOM contract: overrides/partials/questionnaire.html.

// Every URL comes from this file's own (SITE/assets/questionnaire.js), so any sub-path works.
const SITE_ROOT = new URL("../", import.meta.url);
const ANSWERS_KEY = "cdg:answers";
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
// The share fragment: #a=question_id:option_id,question_id:option_id (ids are ASCII snake_case).

function encodeAnswers(answers) {
  const text = answers.map(([q, o]) => `${q}:${o}`).join(",");
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
    if (pair.length !== 2 || !/^[A-Za-z0-9_-]{1,80}$/.test(pair[0]) || !/^[A-Za-z0-9_-]{1,80}$/.test(pair[1])) {
      return { invalid: true };
    }
    answers.push(pair);
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
    saved.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === "string" && x.length <= 80));
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
      if (response.ok) this.firstSteps = new Map(Object.entries(await response.json()));
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
    if (this.state !== "ready") return Promise.resolve({ status: "error", error: this.failure ?? "" });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ id, type: "ask", payload: { answers } });
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

function citationText(c) {
  const when = [c.version, c.effective ? `${c.effective} 起施行` : null].filter(Boolean).join("，");
  return `《${c.law_name || c.law}》${c.article}${when ? `（${when}）` : ""}`;
}

// ---------------------------------------------------------------------------------------------
// One questionnaire on the page.

class Questionnaire {
  constructor(root, engine) {
    this.root = root;
    this.engine = engine;
    this.answers = [];
    this.shown = null; // "question" | "pending" | "result" | "error"
    this.shownAnswers = []; // the answers that lead to what is on screen
    this.seq = 0;
    this.interacted = false;
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
    this.fromLink = false; // the answers on their way came from a link, not from this device
    this.saved = []; // what this device had saved when a link arrived, offered back if the link fails
    this.first = this.readFirstQuestion();
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
      text: fieldset.querySelector("legend").textContent,
      help: fieldset.querySelector("[data-help]")?.textContent ?? null,
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
    root.addEventListener("cdg:restart", () => this.go([]));
    window.addEventListener("hashchange", () => {
      const fragment = decodeFragment(location.hash);
      if (fragment) this.start(fragment);
    });
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
    if (fragment) this.start(fragment);
    else this.go(savedAnswers(), { initial: true });
    if (this.engine.state === "ready") this.onReady();
  }

  // A link's answers (on load or pasted later). Until the engine accepts them nothing is saved,
  // so a stale or damaged link never replaces or deletes what this device had.
  start(fragment) {
    this.saved = savedAnswers();
    if (fragment.invalid) {
      this.answers = [];
      this.showLinkError();
      return;
    }
    this.go(fragment.answers, { initial: true, fromLink: fragment.answers.length > 0 });
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
    this.go(this.answers, { initial: !this.interacted, fromLink: this.fromLink });
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

  async go(answers, { initial = false, fromLink = false } = {}) {
    this.answers = answers.map((p) => [...p]);
    this.fromLink = fromLink;
    this.remember();
    if (this.engine.state === "error") return;
    if (this.engine.state !== "ready") {
      // The engine's own answer, computed at build time, while it boots (the first few questions).
      const early = this.engine.preview(this.answers);
      return early && this.answers.length ? this.showQuestion(early, { initial }) : this.showPending();
    }
    // Only the latest request is shown: a quicker second click supersedes the first.
    const seq = ++this.seq;
    this.root.setAttribute("aria-busy", "true");
    const response = await this.engine.ask(this.answers);
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
      this.remember(); // the link's answers are good: now they are this device's answers
    }
    if (response.status === "question") this.showQuestion(response, { initial });
    else if (response.status === "result") this.showResult(response.result);
  }

  remember() {
    if (!this.fromLink) store.set(ANSWERS_KEY, this.answers);
    const hash = encodeAnswers(this.answers);
    if (location.hash !== hash && (hash || location.hash.startsWith("#a="))) {
      history.replaceState(history.state, "", location.pathname + location.search + hash);
    }
  }

  onClick(event) {
    const target = event.target.closest("button, a");
    if (!target || !this.root.contains(target)) return;
    if (target.matches("button[data-option]")) {
      const fieldset = target.closest("fieldset[data-question]");
      if (this.shown !== "question" || !fieldset) return;
      this.interacted = true;
      // Answer the question on screen, even while an earlier request is still out.
      this.go([...this.shownAnswers, [fieldset.dataset.question, target.dataset.option]]);
    } else if (target.matches('[data-action="back"]')) {
      this.interacted = true;
      if (this.answers.length) this.go(this.answers.slice(0, -1));
    } else if (target.matches('[data-action="retry"]')) {
      this.engine.restart();
      this.go(this.answers, { fromLink: this.fromLink });
    } else if (target.matches('[data-action="restart"]')) {
      this.interacted = true;
      this.go([]);
    } else if (target.matches('[data-action="forget"]')) {
      store.remove(ANSWERS_KEY);
      store.remove(TICKS_KEY);
      this.interacted = true;
      this.go([]);
      this.flash("已清除保存在这台设备上的回答和勾选。");
    } else if (target.matches('[data-action="print"]')) {
      window.print();
    } else if (target.matches('[data-action="restore"]')) {
      this.interacted = true;
      this.go(this.saved);
    }
  }

  onTick(event) {
    const box = event.target.closest("input[data-tick]");
    if (!box) return;
    const ticks = storedTicks();
    if (box.checked) ticks[box.dataset.tick] = true;
    else delete ticks[box.dataset.tick];
    store.set(TICKS_KEY, ticks);
  }

  flash(text) {
    const status = this.parts.status;
    status.hidden = false;
    status.textContent = text;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => this.showEngineState(), 4000);
  }

  // --- views ----------------------------------------------------------------------------------

  setStage(kind, ...nodes) {
    this.shown = kind;
    this.shownAnswers = this.answers.map((p) => [...p]);
    this.parts.error.hidden = true;
    this.root.dataset.errorReason = "";
    this.parts.stage.hidden = false;
    this.parts.stage.replaceChildren(...nodes);
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
    const left = Number(this.remaining[questionId]) || 1;
    bar.hidden = false;
    const meter = bar.querySelector("progress");
    meter.max = done + left;
    meter.value = done;
    bar.querySelector("[data-progress-text]").textContent =
      `第 ${done + 1} 题` + (left > 1 ? `，最多还有 ${left - 1} 题` : "，最后一题");
  }

  questionNode(q) {
    return el(
      "fieldset",
      { class: "cdg-question", "data-question": q.id },
      el("legend", { tabindex: "-1", text: q.text }),
      q.help ? el("p", { class: "cdg-help", "data-help": true, text: q.help }) : null,
      el(
        "div",
        { class: "cdg-options" },
        q.options.map((o) =>
          el(
            "button",
            { type: "button", class: "cdg-option", "data-option": o.id },
            el("span", { "data-option-text": true, text: o.text }),
            o.help ? el("small", { "data-option-help": true, text: o.help }) : null,
          ),
        ),
      ),
    );
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
    const current = this.parts.stage.querySelector("fieldset[data-question]");
    const same = this.shown === "question" && current?.dataset.question === question.id;
    // The same question already on screen (the first one, from the HTML): keep its buttons, so a
    // click that lands while the engine comes up is not lost.
    if (!same) this.setStage("question", this.questionNode(question));
    else {
      this.shownAnswers = this.answers.map((p) => [...p]);
      this.parts.back.disabled = this.answers.length === 0;
    }
    this.setProgress(question.id);
    this.lastQuestion = question.id;
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
    const ticks = storedTicks();
    const routes = [r.primary_route, ...r.alternatives];
    const section = (title, cls, ...body) =>
      el("section", { class: `cdg-section ${cls}` }, el("h3", { text: title }), ...body);

    const routeList = el(
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

    const evidence = r.evidence.length
      ? section(
          "要准备的证据",
          "cdg-evidence",
          el("p", { class: "cdg-hint", text: "备好一项就勾上；勾选只保存在这台设备上。" }),
          el(
            "ul",
            { class: "cdg-checklist" },
            r.evidence.map((e) =>
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
        )
      : null;

    const list = (tag, items, attr, cls) =>
      el(tag, { class: cls }, items.map(([key, text]) => el("li", { [attr]: key, text })));

    const nodes = [
      el("h2", { class: "cdg-result-title", tabindex: "-1", text: r.outcome.title }),
      el("p", { class: "cdg-summary", text: r.outcome.summary }),
      section("推荐的维权途径", "cdg-route-section", routeList),
      evidence,
      r.next_steps.length
        ? section("下一步", "cdg-next", list("ol", r.next_steps.map((s, i) => [i + 1, s]), "data-step", "cdg-steps"))
        : null,
      r.deadlines.length
        ? section(
            "期限",
            "cdg-deadline-section",
            list("ul", r.deadlines.map((d, i) => [r.deadline_ids?.[i] ?? "", d]), "data-deadline", "cdg-deadlines"),
          )
        : null,
      r.compensation
        ? section("赔偿", "cdg-compensation", el("p", { "data-compensation": r.compensation.id, text: r.compensation.text }))
        : null,
      r.citations.length
        ? section(
            "法律依据",
            "cdg-citation-section",
            el(
              "ul",
              { class: "cdg-citations" },
              r.citations.map((c) =>
                el(
                  "li",
                  { "data-citation": `${c.law_id}:${c.article}` },
                  c.url
                    ? el("a", { href: c.url, target: "_blank", rel: "noopener noreferrer", text: citationText(c) })
                    : citationText(c),
                  c.caution ? el("small", { class: "cdg-caution", text: ` 注意：${c.caution}` }) : null,
                ),
              ),
            ),
          )
        : null,
      section(
        "为什么是这个结果：你的回答",
        "cdg-trace-section",
        el(
          "ol",
          { class: "cdg-trace" },
          r.trace.map((t) =>
            el(
              "li",
              { "data-trace": t.question_id },
              el("span", { class: "cdg-trace-q", text: t.question }),
              " ",
              el("strong", { class: "cdg-trace-a", text: t.answer }),
            ),
          ),
        ),
      ),
      el(
        "p",
        { class: "cdg-result-actions" },
        el("button", { type: "button", class: "cdg-secondary", "data-action": "print", text: "打印结果" }),
        " ",
        el("a", { class: "cdg-share", "data-share": true, href: location.pathname + location.search + encodeAnswers(this.answers), text: "本结果的链接（可收藏或分享，回答只在链接的 # 之后，不会发给服务器）" }),
      ),
      el("p", { class: "cdg-disclaimer", text: "本结果是一般性信息，不是法律意见。" }),
    ];
    const result = el("div", { class: "cdg-result", "data-result": true }, nodes);
    this.setStage("result", result);
    this.setProgress(null);
    this.emit("cdg:result", { primary: r.primary_route.id, routes: routes.map((x) => x.id) });
    if (this.interacted) result.querySelector("h2").focus();
  }

  // `reason` ("engine", "link", "answers") is all an embedding portal hears (embed-frame.js).
  showError(message, { staticLink = false, retry = false, restore = 0, reason = "engine" } = {}) {
    this.shown = "error";
    this.root.dataset.view = "error";
    this.root.dataset.errorReason = reason;
    this.parts.errorText.textContent = message;
    this.parts.staticLink.hidden = !staticLink;
    // The static tree has a page per question: land on the one the visitor had reached.
    this.parts.staticLink.href = new URL(`../${this.lastQuestion ?? this.first.id}/`, this.parts.staticLink.href).href;
    if (this.parts.retry) this.parts.retry.hidden = !retry;
    if (this.parts.restore) {
      this.parts.restore.hidden = !restore;
      this.parts.restore.textContent = `恢复上次保存的 ${restore} 个回答`;
    }
    this.parts.error.hidden = false;
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
