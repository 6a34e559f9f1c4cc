"""The questionnaire page arriving in pieces: a server that pauses inside the questionnaire's
<section>, loaded again and again under 4x CPU throttling; every load must reach a result.

    ./dev bench chunked                (BENCH_RUNS=20 by default; BENCH_PAUSE=1.5 seconds)

A slow or chunked connection made the page mount a half-parsed questionnaire, throw, and say
"正在准备问卷引擎……" forever (issue 11); the test suite runs one such load
(tests/test_page_faults.py), this runs twenty in a row and prints how each ended.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_scripts.serve import Handler, SiteServer, serve_in_thread  # noqa: E402

PAGE = "/questionnaire/"
# Where the pause goes: after the section's status and error box, before its first question.
MARKER = b'<div class="cdg-stage'


def make_pausing_server(site: Path, pause: float, page: str = PAGE, marker: bytes = MARKER) -> SiteServer:
    """A server for ``site`` that sends ``page`` up to ``marker``, waits ``pause`` seconds, then
    the rest (HTTP/1.0, no Content-Length: the browser parses what it has as it arrives)."""

    class Pausing(Handler):
        def do_GET(self):  # noqa: N802
            if self.path.split("?", 1)[0] != page:
                return super().do_GET()
            body = (site / page.strip("/") / "index.html").read_bytes()
            cut = body.index(marker)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body[:cut])
            self.wfile.flush()
            time.sleep(pause)
            self.wfile.write(body[cut:])

    return SiteServer(("127.0.0.1", 0), functools.partial(Pausing, directory=str(site)))


def answer(page, qid: str, value, timeout: float = 30_000) -> None:
    """Answer question ``qid`` as a visitor does: tap an option, tick several and go on, type an
    amount or a date and go on, or tap 不清楚 (``None``)."""
    fs = page.locator(f'[data-questionnaire] fieldset[data-question="{qid}"]')
    fs.wait_for(timeout=timeout)
    if value is None:
        fs.locator('[data-action="unknown"]').click()
    elif isinstance(value, list):
        for oid in value:
            fs.locator(f'[data-option="{oid}"]').click()
        fs.locator('[data-action="next"]').click()
    elif fs.locator(f'[data-option="{value}"]').count():
        fs.locator(f'[data-option="{value}"]').click()
    else:
        fs.locator('input[name="value"]').fill(str(value))
        fs.locator('[data-action="next"]').click()


def load_to_result(browser, url: str, throttle: float, answers) -> tuple[str, float]:
    """Open ``url`` in a fresh context with the CPU throttled, answer ``answers``; how it ended."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    started = time.monotonic()
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        page.goto(url)
        for qid, value in answers:
            answer(page, qid, value, timeout=180_000)
        page.wait_for_selector("[data-questionnaire] [data-result]", timeout=180_000)
        return "result", time.monotonic() - started
    except Exception as exc:  # a benchmark reports every load, whatever happened
        return f"failed: {type(exc).__name__}: {str(exc).splitlines()[0]}", time.monotonic() - started
    finally:
        context.close()


def main() -> int:
    from playwright.sync_api import sync_playwright

    from benchmarks.questionnaire import CHROMIUM, CHROMIUM_ARGS
    from decision_tree.authoring import CONTENT_DIR, compile_tree
    from decision_tree.engine import static_paths
    from decision_tree.model import Tree

    runs = int(os.environ.get("BENCH_RUNS", "20"))
    pause = float(os.environ.get("BENCH_PAUSE", "1.5"))
    answers = min(static_paths(Tree.from_json(compile_tree(CONTENT_DIR)), date.today()), key=len)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", tmp],
                       cwd=ROOT, check=True)
        server = make_pausing_server(Path(tmp), pause)
        serve_in_thread(server)
        url = f"http://127.0.0.1:{server.server_address[1]}{PAGE}"
        ok = 0
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for i in range(1, runs + 1):
                how, seconds = load_to_result(browser, url, 4, answers)
                ok += how == "result"
                print(f"load {i:2d}: {how} in {seconds:.1f} s", flush=True)
            browser.close()
        server.shutdown()
    print(f"{ok}/{runs} loads reached a result (pause {pause} s inside the section, 4x CPU throttle)")
    return 0 if ok == runs else 1
