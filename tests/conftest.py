"""Shared fixtures: the compiled tree, one built site per run, local servers, Debian's Chromium."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_scripts.serve import make_server, serve_in_thread  # noqa: E402
from decision_tree.authoring import CONTENT_DIR, compile_tree  # noqa: E402
from decision_tree.model import Tree  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# Chromium must not phone home: this machine has no network and tests assert no outside request.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def tree_data() -> dict:
    return compile_tree(CONTENT_DIR)


@pytest.fixture(scope="session")
def tree(tree_data) -> Tree:
    return Tree.from_json(tree_data)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site as ``mkdocs build --strict`` makes it, built once per test run."""
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    return out


class Served:
    """A running local server: ``url(path)`` gives the full address under its prefix."""

    def __init__(self, server, prefix: str):
        self.server, self.prefix = server, prefix
        host, port = server.server_address[:2]
        self.origin = f"http://{host}:{port}"

    def url(self, path: str = "") -> str:
        return self.origin + self.prefix + path.lstrip("/")


@pytest.fixture(scope="session")
def serve():
    """Start a server for a directory: ``serve(directory, prefix="/", csp=None)``."""
    servers = []

    def start(directory: Path, prefix: str = "/", csp: str | None = None, headers=None) -> Served:
        server = make_server(directory, 0, prefix, csp, headers)
        serve_in_thread(server)
        servers.append(server)
        return Served(server, server.RequestHandlerClass.func.prefix)  # a functools.partial of the handler

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


@pytest.fixture(scope="session")
def site(built_site, serve) -> Served:
    """The built site served at the root of a local origin."""
    return serve(built_site)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run ./dev test (it installs Debian's chromium as root)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class RequestLog:
    """Every URL a page asked for, to prove nothing left the site's origin."""

    def __init__(self):
        self.urls: list[str] = []

    def attach(self, context) -> None:
        context.on("request", lambda r: self.urls.append(r.url))

    def foreign(self, *origins: str) -> list[str]:
        allowed = {urlsplit(o)[:2] for o in origins}
        return [
            u for u in self.urls
            if urlsplit(u).scheme not in ("data", "blob", "about") and urlsplit(u)[:2] not in allowed
        ]


@pytest.fixture
def context(browser):
    """A fresh browser context (empty cache and storage) whose requests are logged."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    ctx.requests = RequestLog()
    ctx.requests.attach(ctx)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    p = context.new_page()
    p.console_errors = []
    p.on("console", lambda m: m.type == "error" and p.console_errors.append(m.text))
    p.on("pageerror", lambda e: p.console_errors.append(str(e)))
    return p


@pytest.fixture(scope="session")
def axe():
    """axe-core from the installed package, evaluated in the page: nothing is fetched from a CDN."""
    from axe_playwright_python.base import AXE_FILE_PATH
    from axe_playwright_python.sync_playwright import Axe

    assert AXE_FILE_PATH.is_file()
    return Axe.from_file(AXE_FILE_PATH)


def serious_violations(results) -> list[str]:
    """axe's serious and critical violations, one readable line each."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def cli_ask(answers: list[list[str]]) -> dict:
    """What ``python -m decision_tree ask --json`` prints for ``answers``."""
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(answers, f)
    proc = subprocess.run(
        [sys.executable, "-m", "decision_tree", "ask", "--answers", f.name, "--json"],
        cwd=ROOT, capture_output=True, text=True,
    )
    os.unlink(f.name)
    return json.loads(proc.stdout)
