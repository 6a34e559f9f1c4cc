"""Benchmark the questionnaire page in headless Chromium (cold cache each run; medians).

Measures, for the questionnaire page: when the first question is visible, when the engine is ready,
and — in the same runs, alternating — a bare page that boots Pyodide the same way (a module worker)
and does nothing else, with the ratio; the bytes transferred; the time from a click to the next
question once the engine is ready. Then all of it again with 4x CPU throttling.

    ./dev bench questionnaire                      (BENCH_RUNS=9 for more runs)
    .venv/bin/python -c "from benchmarks.questionnaire import main; main()" --runs 5 [--site DIR]

Targets: engine ready within 10% of the bare boot; first question visible in under 1 s.
"""

from __future__ import annotations

import argparse
import functools
import gzip
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
# What a production host compresses (the same list as build_scripts/serve.py's --gzip).
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".map", ".wasm")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]

# The bare boot: the same module worker set-up and loadPyodide options as docs/assets/engine-worker.js.
BARE_HTML = """<!doctype html>
<html lang="zh"><meta charset="utf-8"><title>bare Pyodide boot</title>
<p>bare Pyodide boot</p>
<script type="module">
window.__workerStart = performance.now();
const worker = new Worker(new URL("bare-worker.js", import.meta.url), { type: "module" });
worker.onmessage = (e) => { window.__engineReady = performance.now(); window.__inWorker = e.data; };
</script>
</html>
"""
BARE_WORKER = """const PYODIDE_DIR = new URL("../pyodide/", import.meta.url);
const { loadPyodide } = await import(new URL("pyodide.mjs", PYODIDE_DIR).href);
await loadPyodide({ indexURL: PYODIDE_DIR.href, packageBaseUrl: PYODIDE_DIR.href, stdout: () => {} });
self.postMessage({ pyodide: performance.now() });
"""

# Runs before the page's scripts: note when the first question is first rendered and when the engine
# says it is ready.
PROBE = """
(() => {
  const poll = () => {
    const q = document.querySelector("[data-questionnaire] fieldset[data-question]");
    if (q && q.checkVisibility()) { window.__firstQuestion = performance.now(); return; }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
  document.addEventListener("cdg:ready", () => { window.__engineReady = performance.now(); });
})();
"""

# Click an option and wait until the next question (or the result) is on screen.
CLICK = """
async ([qid, oid]) => {
  const root = document.querySelector("[data-questionnaire]");
  const button = root.querySelector(`fieldset[data-question="${qid}"] button[data-option="${oid}"]`);
  const shown = new Promise((resolve) => {
    root.addEventListener("cdg:step", resolve, { once: true });
    root.addEventListener("cdg:result", resolve, { once: true });
  });
  const t0 = performance.now();
  button.click();
  await Promise.race([shown, new Promise((_, fail) => setTimeout(() => fail(new Error("no next question")), 30000))]);
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


def add_bare_page(site: Path) -> None:
    bench = site / "bench"
    bench.mkdir(exist_ok=True)
    (bench / "bare.html").write_text(BARE_HTML, encoding="utf-8")
    (bench / "bare-worker.js").write_text(BARE_WORKER, encoding="utf-8")


def longest_path() -> list[list[str]]:
    from build_scripts import tree_data
    from decision_tree.engine import enumerate_paths

    answers, _ = max(enumerate_paths(tree_data.tree()), key=lambda p: len(p[0]))
    return [list(a) for a in answers]


def new_page(browser, throttle: float):
    context = browser.new_context(viewport={"width": 390, "height": 844})  # fresh: cold cache
    page = context.new_page()
    if throttle != 1:
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    return context, page


class ByteCounter:
    """Counts the body bytes the local server sends (simpler and steadier than asking the browser),
    and what the same files weigh gzip-compressed, as a production host would send them."""

    def __init__(self, server):
        self.paths: list[str] = []
        handler = server.RequestHandlerClass.func  # make_server wraps the class in a partial
        original = handler.copyfile
        counter = self

        def copyfile(handler_self, source, outputfile):
            counter.paths.append(source.name)
            return original(handler_self, source, outputfile)

        handler.copyfile = copyfile

    def reset(self) -> None:
        self.paths = []

    def totals(self) -> tuple[int, int, int]:
        """(requests, raw bytes, gzip bytes) since the last reset."""
        return len(self.paths), sum(os.path.getsize(p) for p in self.paths), sum(map(_gzip_size, self.paths))


@functools.lru_cache(maxsize=None)
def _gzip_size(path: str) -> int:
    data = Path(path).read_bytes()
    if not path.endswith(COMPRESSIBLE):
        return len(data)
    return len(gzip.compress(data, compresslevel=6))


def measure_questionnaire(browser, url: str, path, throttle: float, counter: ByteCounter) -> dict:
    context, page = new_page(browser, throttle)
    try:
        counter.reset()
        page.add_init_script(PROBE)
        page.goto(url)
        page.wait_for_function("window.__engineReady !== undefined", timeout=120_000)
        clicks = [page.evaluate(CLICK, step) for step in path]
        timings = page.evaluate("""[window.__firstQuestion, window.__engineReady,
            performance.getEntriesByName("cdg:worker-start")[0]?.startTime ?? NaN,
            performance.getEntriesByName("cdg:engine-ready")[0]?.detail ?? {}]""")
        requests, sent, sent_gzip = counter.totals()
    finally:
        context.close()
    inside = timings[3] or {}
    return {"first_question": timings[0], "engine_ready": timings[1], "clicks": clicks,
            "bytes": sent, "bytes_gzip": sent_gzip, "requests": requests, "worker_start": timings[2],
            "pyodide_in_worker": inside.get("pyodide", float("nan")),
            "install_and_load": inside.get("engine", float("nan")) - inside.get("pyodide", float("nan"))}


def measure_bare(browser, url: str, throttle: float) -> dict:
    context, page = new_page(browser, throttle)
    try:
        page.goto(url)
        page.wait_for_function("window.__engineReady !== undefined", timeout=120_000)
        ready, start, inside = page.evaluate("[window.__engineReady, window.__workerStart, window.__inWorker]")
    finally:
        context.close()
    return {"engine_ready": ready, "worker_start": start, "pyodide_in_worker": inside["pyodide"]}


def retried(measure, *args, attempts: int = 3):
    """A run that fails (a stuck page on a loaded machine) is run again, and said so."""
    for attempt in range(1, attempts + 1):
        try:
            return measure(*args)
        except Exception as exc:  # noqa: BLE001 - report and retry whatever went wrong
            if attempt == attempts:
                raise
            print(f"  retrying {measure.__name__}: {str(exc).splitlines()[0]}", file=sys.stderr, flush=True)


def run(browser, served, path, runs: int, throttle: float, counter: ByteCounter) -> dict:
    q_url, bare_url = served + "questionnaire/", served + "bench/bare.html"
    pages, bares = [], []
    for i in range(runs):
        # Alternate the order so neither page always runs on a warmer machine.
        if i % 2:
            bares.append(retried(measure_bare, browser, bare_url, throttle))
            pages.append(retried(measure_questionnaire, browser, q_url, path, throttle, counter))
        else:
            pages.append(retried(measure_questionnaire, browser, q_url, path, throttle, counter))
            bares.append(retried(measure_bare, browser, bare_url, throttle))
        print(f"  run {i + 1}/{runs} (CPU x{throttle:g}): engine ready {pages[-1]['engine_ready']:.0f} ms, "
              f"bare boot {bares[-1]['engine_ready']:.0f} ms", file=sys.stderr, flush=True)
    med = statistics.median
    return {
        "first_question_ms": med(p["first_question"] for p in pages),
        "engine_ready_ms": med(p["engine_ready"] for p in pages),
        "bare_boot_ms": med(b["engine_ready"] for b in bares),
        "ratio_of_medians": med(p["engine_ready"] for p in pages) / med(b["engine_ready"] for b in bares),
        "median_ratio": med(p["engine_ready"] / b["engine_ready"] for p, b in zip(pages, bares)),
        "worker_start_ms": med(p["worker_start"] for p in pages),
        "bare_worker_start_ms": med(b["worker_start"] for b in bares),
        "pyodide_in_worker_ms": med(p["pyodide_in_worker"] for p in pages),
        "bare_pyodide_in_worker_ms": med(b["pyodide_in_worker"] for b in bares),
        "install_and_load_ms": med(p["install_and_load"] for p in pages),
        "click_to_next_ms": med(c for p in pages for c in p["clicks"]),
        "bytes": med(p["bytes"] for p in pages),
        "bytes_gzip": med(p["bytes_gzip"] for p in pages),
        "requests": med(p["requests"] for p in pages),
    }


def table(results: dict[str, dict], runs: int, path_len: int) -> str:
    rows = [
        ("first question visible", "first_question_ms", "{:.0f} ms"),
        ("engine ready", "engine_ready_ms", "{:.0f} ms"),
        ("bare Pyodide boot (same runs)", "bare_boot_ms", "{:.0f} ms"),
        ("engine ready / bare boot (ratio of medians)", "ratio_of_medians", "{:.3f}"),
        ("engine ready / bare boot (median per-run ratio)", "median_ratio", "{:.3f}"),
        ("  page: worker started at", "worker_start_ms", "{:.0f} ms"),
        ("  bare: worker started at", "bare_worker_start_ms", "{:.0f} ms"),
        ("  page: Pyodide boot inside the worker", "pyodide_in_worker_ms", "{:.0f} ms"),
        ("  bare: Pyodide boot inside the worker", "bare_pyodide_in_worker_ms", "{:.0f} ms"),
        ("  page: install wheel + load tree", "install_and_load_ms", "{:.0f} ms"),
        (f"click → next question ({path_len} clicks/run)", "click_to_next_ms", "{:.1f} ms"),
        ("bytes transferred (uncompressed, as served here)", "bytes", "{:,.0f} B"),
        ("bytes transferred with gzip (production host)", "bytes_gzip", "{:,.0f} B"),
        ("requests", "requests", "{:.0f}"),
    ]
    names = list(results)
    width = max(len(r[0]) for r in rows)
    out = [f"Questionnaire page, headless Chromium, cold cache, median of {runs} runs", "",
           f"{'':{width}}  " + "  ".join(f"{n:>14}" for n in names)]
    for label, key, fmt in rows:
        out.append(f"{label:{width}}  " + "  ".join(f"{fmt.format(results[n][key]):>14}" for n in names))
    normal = results[names[0]]
    out += ["", "targets: engine ready within 10% of the bare boot "
            f"({'met' if normal['ratio_of_medians'] <= 1.10 else 'NOT met'}); first question visible < 1 s "
            f"({'met' if normal['first_question_ms'] < 1000 else 'NOT met'})"]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 5)),
                        help="runs per setting (median; default 5, or $BENCH_RUNS)")
    parser.add_argument("--site", type=Path, help="a built site to copy (default: build one)")
    parser.add_argument("--no-throttle", action="store_true", help="skip the 4x CPU runs")
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
        add_bare_page(site)
        server = make_server(site)
        counter = ByteCounter(server)
        serve_in_thread(server)
        host, port = server.server_address[:2]
        served = f"http://{host}:{port}/"
        path = longest_path()
        results = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                results["normal"] = run(browser, served, path, args.runs, 1, counter)
                if not args.no_throttle:
                    results["4x CPU"] = run(browser, served, path, args.runs, 4, counter)
            finally:
                browser.close()
                server.shutdown()
    print(json.dumps(results, indent=2) if args.json else table(results, args.runs, len(path)))


if __name__ == "__main__":
    main()
