"""Benchmark the questionnaire page in headless Chromium: a visitor's waits, next to a bare Pyodide boot.

Each run, alternating which goes first, on a server that gzips like a production host:
- a first visit (fresh browser context): bytes sent, first question visible, engine ready, and the
  wait after each of the first three answers, clicked one per second from landing;
- a return visit in the same context (service worker and caches filled): engine ready again;
- a bare page that boots the stock Pyodide (its own full python_stdlib.zip) in a module worker.
Then first visits at 1.6 Mbps / 150 ms (Chromium's network emulation): time to ready, whether the
byte progress line showed, and any error. All of it at normal speed and at 4x CPU throttling.
Medians of the runs; timings vary on a shared machine, so read the ratios.

    ./dev bench questionnaire                 (BENCH_RUNS=9 for more runs; default 5)
    .venv/bin/python -m benchmarks questionnaire --runs 5 --site site --no-throttle --no-slow
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
SLOW_LINK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 0.75e6 / 8}
FLOORS = {"bytes_mb": 5.0, "ready_ratio": 0.6, "return_ratio": 0.5, "click_ms": 100}

# The bare boot: a module worker and loadPyodide with the stock stdlib, nothing else.
BARE_HTML = """<!doctype html>
<html lang="zh"><meta charset="utf-8"><title>bare Pyodide boot</title>
<p>bare Pyodide boot</p>
<script type="module">
const worker = new Worker(new URL("bare-worker.js" + location.search, import.meta.url), { type: "module" });
worker.onmessage = () => { window.__engineReady = performance.now(); };
</script>
</html>
"""
BARE_WORKER = """const PYODIDE_DIR = new URL("../" + new URL(import.meta.url).searchParams.get("pyodide"), import.meta.url);
const { loadPyodide } = await import(new URL("pyodide.mjs", PYODIDE_DIR).href);
await loadPyodide({ indexURL: PYODIDE_DIR.href, packageBaseUrl: PYODIDE_DIR.href,
                    stdLibURL: new URL("python_stdlib.zip", import.meta.url).href, stdout: () => {} });
self.postMessage("ready");
"""

# Before the page's scripts: when the first question is visible, when the engine is ready, every
# step shown, the progress lines, and errors.
PROBE = """
(() => {
  window.__steps = [];
  window.__progress = [];
  const poll = () => {
    const q = document.querySelector("[data-questionnaire] fieldset[data-question]");
    if (q && q.checkVisibility()) { window.__firstQuestion = performance.now(); return; }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
  document.addEventListener("cdg:ready", () => { window.__engineReady = performance.now(); });
  document.addEventListener("cdg:error", (e) => { window.__error = e.detail?.message ?? "error"; });
  new MutationObserver(() => {
    const s = document.querySelector("[data-status]");
    if (s && !s.hidden && /已下载/.test(s.textContent)) window.__progress.push(s.textContent);
  }).observe(document, { subtree: true, childList: true, characterData: true });
})();
"""

# At `atMs` after landing, answer the question on screen; the wait until the next step is shown.
CLICK_AT = """
async (atMs) => {
  while (performance.now() < atMs) await new Promise((r) => setTimeout(r, 5));
  const root = document.querySelector("[data-questionnaire]");
  // A choice is one tap; a multi is a tick, then 继续 (timed from the tap that moves on).
  const fieldset = root.querySelector("[data-stage] fieldset[data-question]");
  const option = fieldset?.querySelector("button[data-option]");
  const button = fieldset?.dataset.type === "multi" ? fieldset.querySelector('[data-action="next"]') : option;
  if (!option || !button) return null;
  if (button !== option) option.click();
  const shown = new Promise((resolve) => {
    root.addEventListener("cdg:step", resolve, { once: true });
    root.addEventListener("cdg:result", resolve, { once: true });
  });
  const t0 = performance.now();
  button.click();
  await shown;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return performance.now() - t0;
}
"""


def build_site(out: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if proc.returncode != 0:
        raise SystemExit(f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}")


def add_bare_page(site: Path) -> str:
    """The bare boot's page, with the stock stdlib beside it; returns its path under the site."""
    bench = site / "bench"
    bench.mkdir(exist_ok=True)
    (bench / "bare.html").write_text(BARE_HTML, encoding="utf-8")
    (bench / "bare-worker.js").write_text(BARE_WORKER, encoding="utf-8")
    shutil.copy2(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip", bench / "python_stdlib.zip")
    runtime = json.loads((site / "engine" / "runtime.json").read_text(encoding="utf-8"))
    return f"bench/bare.html?pyodide={runtime['pyodide']}"


class ByteCounter:
    """Counts the body bytes the server sends (gzip-compressed where it compresses)."""

    def __init__(self, server):
        self.sent = 0
        self.requests = 0
        handler = server.RequestHandlerClass.func  # make_server wraps the class in a partial
        original = handler.copyfile
        counter = self

        def copyfile(handler_self, source, outputfile):
            size = len(source.getbuffer()) if hasattr(source, "getbuffer") else os.fstat(source.fileno()).st_size
            counter.sent += size
            counter.requests += 1
            return original(handler_self, source, outputfile)

        handler.copyfile = copyfile

    def reset(self) -> tuple[int, int]:
        taken = (self.sent, self.requests)
        self.sent = self.requests = 0
        return taken


def new_context(browser, throttle: float, slow: bool):
    context = browser.new_context(viewport={"width": 390, "height": 844})  # fresh: cold cache
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    if throttle != 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    if slow:
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
    return context, page


def wait_ready(page, timeout: int = 180_000) -> None:
    page.wait_for_function("window.__engineReady !== undefined || window.__error !== undefined", timeout=timeout)
    error = page.evaluate("window.__error")
    if error:
        raise RuntimeError(f"the questionnaire failed: {error}")


def measure_visits(browser, url: str, throttle: float, counter: ByteCounter) -> dict:
    """A first visit with three clicks at one per second, then a return visit in the same context."""
    context, page = new_context(browser, throttle, slow=False)
    try:
        page.add_init_script(PROBE)
        counter.reset()
        page.goto(url)
        clicks = [page.evaluate(CLICK_AT, 1000 * k) for k in (1, 2, 3)]
        wait_ready(page)
        first, ready = page.evaluate("[window.__firstQuestion, window.__engineReady]")
        # Offline use is ready once the page says so; the return visit comes after that.
        page.wait_for_selector("[data-offline]:not([hidden])", timeout=60_000)
        sent, requests = counter.reset()
        page.goto(url)
        wait_ready(page)
        again = page.evaluate("window.__engineReady")
        sent_again, _ = counter.reset()
    finally:
        context.close()
    return {"first_question": first, "engine_ready": ready, "clicks": clicks, "bytes": sent,
            "requests": requests, "return_ready": again, "return_bytes": sent_again}


def measure_bare(browser, url: str, throttle: float) -> float:
    context, page = new_context(browser, throttle, slow=False)
    try:
        page.goto(url)
        page.wait_for_function("window.__engineReady !== undefined", timeout=180_000)
        return page.evaluate("window.__engineReady")
    finally:
        context.close()


def measure_slow(browser, url: str, throttle: float) -> dict:
    context, page = new_context(browser, throttle, slow=True)
    try:
        page.add_init_script(PROBE)
        page.goto(url, timeout=120_000)
        page.wait_for_function("window.__engineReady !== undefined || window.__error !== undefined", timeout=240_000)
        ready, progress, error = page.evaluate("[window.__engineReady, window.__progress, window.__error ?? null]")
    finally:
        context.close()
    return {"ready": ready, "progress": progress, "error": error}


def retried(measure, *args, attempts: int = 3):
    """A run that fails (a stuck page on a loaded machine) is run again, and said so."""
    for attempt in range(1, attempts + 1):
        try:
            return measure(*args)
        except Exception as exc:  # noqa: BLE001 - report and retry whatever went wrong
            if attempt == attempts:
                raise
            print(f"  retrying {measure.__name__}: {str(exc).splitlines()[0]}", file=sys.stderr, flush=True)


def run(browser, served: str, bare_path: str, runs: int, throttle: float, counter: ByteCounter, slow: bool) -> dict:
    q_url, bare_url = served + "questionnaire/", served + bare_path
    visits, bares, slows = [], [], []
    for i in range(runs):
        # Alternate the order so neither page always runs on a warmer machine.
        if i % 2:
            bares.append(retried(measure_bare, browser, bare_url, throttle))
            visits.append(retried(measure_visits, browser, q_url, throttle, counter))
        else:
            visits.append(retried(measure_visits, browser, q_url, throttle, counter))
            bares.append(retried(measure_bare, browser, bare_url, throttle))
        v = visits[-1]
        print(f"  run {i + 1}/{runs} (CPU x{throttle:g}): ready {v['engine_ready']:.0f} ms, bare {bares[-1]:.0f} ms, "
              f"return {v['return_ready']:.0f} ms, clicks {[round(c or -1) for c in v['clicks']]} ms",
              file=sys.stderr, flush=True)
    if slow:
        for i in range(runs):
            slows.append(measure_slow(browser, q_url, throttle))
            s = slows[-1]
            print(f"  slow link {i + 1}/{runs} (CPU x{throttle:g}): ready {s['ready'] or -1:.0f} ms, "
                  f"{len(s['progress'])} progress lines, error: {s['error']}", file=sys.stderr, flush=True)
    med = statistics.median
    out = {
        "bytes_mb": med(v["bytes"] for v in visits) / 1e6,
        "requests": med(v["requests"] for v in visits),
        "first_question_ms": med(v["first_question"] for v in visits),
        "engine_ready_ms": med(v["engine_ready"] for v in visits),
        "bare_boot_ms": med(bares),
        "ready_ratio": med(v["engine_ready"] for v in visits) / med(bares),
        "ready_ratio_per_run": med(v["engine_ready"] / b for v, b in zip(visits, bares)),
        "return_ready_ms": med(v["return_ready"] for v in visits),
        "return_ratio": med(v["return_ready"] / v["engine_ready"] for v in visits),
        "return_bytes_kb": med(v["return_bytes"] for v in visits) / 1e3,
    }
    for k in range(3):
        waits = [v["clicks"][k] for v in visits if v["clicks"][k] is not None]
        out[f"click{k + 1}_ms"] = med(waits) if waits else float("nan")
    if slows:
        readies = [s["ready"] for s in slows if s["ready"] is not None]
        out["slow_ready_ms"] = med(readies) if readies else float("nan")
        out["slow_progress_runs"] = sum(bool(s["progress"]) for s in slows)
        out["slow_errors"] = sum(bool(s["error"]) for s in slows)
        out["slow_last_progress"] = next((s["progress"][-1] for s in slows if s["progress"]), "")
    return out


ROWS = [
    ("first visit: bytes sent (gzip host)", "bytes_mb", "{:.2f} MB"),
    ("first visit: requests", "requests", "{:.0f}"),
    ("first question visible", "first_question_ms", "{:.0f} ms"),
    ("engine ready (first visit)", "engine_ready_ms", "{:.0f} ms"),
    ("bare Pyodide boot (same runs)", "bare_boot_ms", "{:.0f} ms"),
    ("engine ready / bare boot (ratio of medians)", "ready_ratio", "{:.2f}"),
    ("engine ready / bare boot (median per-run ratio)", "ready_ratio_per_run", "{:.2f}"),
    ("return visit: engine ready", "return_ready_ms", "{:.0f} ms"),
    ("return visit / first visit (median per-run ratio)", "return_ratio", "{:.2f}"),
    ("return visit: bytes sent", "return_bytes_kb", "{:.0f} kB"),
    ("wait after click 1 (at 1 s)", "click1_ms", "{:.0f} ms"),
    ("wait after click 2 (at 2 s)", "click2_ms", "{:.0f} ms"),
    ("wait after click 3 (at 3 s)", "click3_ms", "{:.0f} ms"),
    ("1.6 Mbps / 150 ms: engine ready", "slow_ready_ms", "{:.0f} ms"),
    ("1.6 Mbps / 150 ms: runs showing byte progress", "slow_progress_runs", "{:.0f}"),
    ("1.6 Mbps / 150 ms: runs with an error", "slow_errors", "{:.0f}"),
]


def table(results: dict[str, dict], runs: int) -> str:
    names = list(results)
    width = max(len(r[0]) for r in ROWS)
    out = [f"Questionnaire, headless Chromium, gzip server on loopback, median of {runs} runs", "",
           f"{'':{width}}  " + "  ".join(f"{n:>12}" for n in names)]
    for label, key, fmt in ROWS:
        if all(key in results[n] for n in names):
            out.append(f"{label:{width}}  " + "  ".join(f"{fmt.format(results[n][key]):>12}" for n in names))
    normal = results[names[0]]
    checks = [
        (f"first-visit transfer <= {FLOORS['bytes_mb']} MB", normal["bytes_mb"] <= FLOORS["bytes_mb"]),
        (f"engine ready <= {FLOORS['ready_ratio']}x bare boot", normal["ready_ratio"] <= FLOORS["ready_ratio"]),
        (f"return visit <= {FLOORS['return_ratio']}x first visit", normal["return_ratio"] <= FLOORS["return_ratio"]),
        (f"median wait after each of the first three clicks <= {FLOORS['click_ms']} ms",
         all(normal[f"click{k}_ms"] <= FLOORS["click_ms"] for k in (1, 2, 3))),
    ]
    if "slow_errors" in normal:
        checks.append(("slow link: byte progress shown, no error",
                       normal["slow_errors"] == 0 and normal["slow_progress_runs"] == runs))
        out += ["", f"last progress line seen on the slow link: {normal['slow_last_progress']}"]
    out += ["", "floors (normal CPU):"] + [f"  {'met    ' if ok else 'NOT met'}  {text}" for text, ok in checks]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 5)),
                        help="runs per setting (median; default 5, or $BENCH_RUNS)")
    parser.add_argument("--site", type=Path, help="a built site to copy (default: build one)")
    parser.add_argument("--no-throttle", action="store_true", help="skip the 4x CPU runs")
    parser.add_argument("--no-slow", action="store_true", help="skip the 1.6 Mbps / 150 ms runs")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args, _ = parser.parse_known_args(argv)  # benchmarks/__main__.py may have options of its own

    from playwright.sync_api import sync_playwright

    from build_scripts.serve import make_server, serve_in_thread

    with tempfile.TemporaryDirectory(prefix="cdg-bench-") as tmp:
        site = Path(tmp) / "site"
        if args.site:
            shutil.copytree(args.site, site)
        else:
            print("building the site…", file=sys.stderr, flush=True)
            build_site(site)
        bare_path = add_bare_page(site)
        server = make_server(site, gzip=True)
        counter = ByteCounter(server)
        serve_in_thread(server)
        host, port = server.server_address[:2]
        served = f"http://{host}:{port}/"
        results = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                results["normal"] = run(browser, served, bare_path, args.runs, 1, counter, not args.no_slow)
                if not args.no_throttle:
                    results["4x CPU"] = run(browser, served, bare_path, args.runs, 4, counter, not args.no_slow)
            finally:
                browser.close()
                server.shutdown()
    print(json.dumps(results, indent=2, ensure_ascii=False) if args.json else table(results, args.runs))


if __name__ == "__main__":
    main()
