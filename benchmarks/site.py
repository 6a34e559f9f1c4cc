"""Page weight of the built site: requests and bytes (raw and gzip) on a first visit, per page type.

``python -m benchmarks site [--site DIR]`` builds the site (unless given one), serves it with gzip like a
production static host, loads each page in Debian's Chromium with a cold cache, and prints a table.
Bytes raw: the size of every file the page requested, as on disk. Bytes gzip: what went over the wire
(Chromium's encoded body size; where it reports none, e.g. a worker's script, the gzip size of the file).
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_scripts.serve import COMPRESSIBLE, make_server, serve_in_thread  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def page_types(site_dir: Path) -> list[tuple[str, str, bool]]:
    """(label, path, open search afterwards) for one page of each type."""
    route = sorted(p.parent.name for p in (site_dir / "routes").glob("*/index.html"))[0]
    return [
        ("home", "", False),
        ("guide (guide/prepare/)", "guide/prepare/", False),
        (f"route (routes/{route}/)", f"routes/{route}/", False),
        ("evidence (evidence/)", "evidence/", False),
        ("glossary (glossary/)", "glossary/", False),
        ("sources (sources/)", "sources/", False),
        ("guide + search opened", "guide/prepare/", True),
        ("questionnaire (engine booted)", "questionnaire/", False),
    ]


def _file(site_dir: Path, url: str) -> Path:
    path = site_dir / unquote(urlsplit(url).path).lstrip("/")
    return path / "index.html" if path.is_dir() else path


def weigh(browser, site_dir: Path, url: str, search: bool) -> tuple[int, int, int]:
    """(requests, bytes raw, bytes gzip) of a first visit to ``url`` with a cold cache."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    rows: list[tuple[int, int]] = []

    def finished(request):
        path = _file(site_dir, request.url)
        data = path.read_bytes() if path.is_file() else b""
        encoded = request.sizes()["responseBodySize"]
        if encoded == 0 and data:
            encoded = len(gzip.compress(data, mtime=0)) if path.name.endswith(COMPRESSIBLE) else len(data)
        rows.append((len(data), encoded))

    context.on("requestfinished", finished)
    page = context.new_page()
    page.goto(url, wait_until="networkidle", timeout=120_000)
    if search:
        page.click("label.md-header__button[for='__search']")
        page.fill("input.md-search__input", "退货")
        page.press("input.md-search__input", "End")
        page.wait_for_function("document.querySelector('.md-search-result__list li') !== null")
        page.wait_for_load_state("networkidle")
    if "questionnaire" in url:
        page.wait_for_function(
            "document.querySelector('[data-questionnaire]')?.dataset.engine !== 'loading'", timeout=120_000
        )
        page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    context.close()
    return len(rows), sum(r for r, _ in rows), sum(e for _, e in rows)


def build(out: Path) -> float:
    import time

    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
                   cwd=ROOT, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks site", description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build one into a temp dir)")
    # `python -m benchmarks site` calls main() with no arguments; its own argv is not ours.
    args = parser.parse_args(argv if argv is not None else [])
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site_dir = args.site or Path(tmp) / "site"
        if not args.site:
            print(f"mkdocs build --strict: {build(site_dir):.1f} s")
        server = make_server(site_dir, gzip=True)
        serve_in_thread(server)
        host, port = server.server_address[:2]
        base = f"http://{host}:{port}/"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            print(f"\n{'page':<32} {'requests':>8} {'bytes raw':>12} {'bytes gzip':>12}")
            print(f"{'-' * 32} {'-' * 8} {'-' * 12} {'-' * 12}")
            for label, path, search in page_types(site_dir):
                if not (site_dir / path / "index.html").is_file():
                    continue
                try:
                    n, raw, enc = weigh(browser, site_dir, base + path, search)
                except Exception as e:  # one page failing (e.g. the engine) should not hide the others
                    print(f"{label:<32} failed: {type(e).__name__}: {str(e).splitlines()[0]}")
                    continue
                print(f"{label:<32} {n:>8} {raw:>12,} {enc:>12,}")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main(sys.argv[1:])
