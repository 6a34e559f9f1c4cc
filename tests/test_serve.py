"""The dev server as someone on a LAN would use it: hostile paths, caching, compression, idling.

Each test starts its own server on a small directory and speaks HTTP to it the way a browser or a
probing client would; what it asserts is what that client receives.
"""

from __future__ import annotations

import gzip
import http.client
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from build_scripts import serve as serve_module
from build_scripts.serve import IMMUTABLE, make_server, serve_in_thread
from conftest import ROOT


@pytest.fixture
def docroot(tmp_path):
    site = tmp_path / "site"
    (site / "engine").mkdir(parents=True)
    (site / "pyodide").mkdir()
    (site / "empty").mkdir()
    (site / "guide").mkdir()
    (site / "index.html").write_text("<!doctype html><p>首页</p>" * 50, encoding="utf-8")
    (site / "guide" / "index.html").write_text("<p>指南</p>", encoding="utf-8")
    (site / "app.js").write_text("console.log('hi');\n" * 200, encoding="utf-8")
    (site / "engine" / "tree.3f2a9c1b7d4e.json").write_text('{"a": 1}', encoding="utf-8")
    (site / "pyodide" / "pyodide.mjs").write_text("export {};\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside the site", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", site / "leak.txt")
    os.symlink(site / "app.js", site / "alias.js")
    return site


@pytest.fixture
def server(docroot):
    started = []

    def start(**options):
        s = make_server(docroot, **options)
        serve_in_thread(s)
        started.append(s)
        return s.server_address[:2]

    yield start
    for s in started:
        s.shutdown()
        s.server_close()


def get(address, path, headers=None, method="GET"):
    conn = http.client.HTTPConnection(*address, timeout=30)
    conn.putrequest(method, path, skip_accept_encoding=True)
    for k, v in (headers or {}).items():
        conn.putheader(k, v)
    conn.endheaders()
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r, body


def raw(address, request: bytes) -> bytes:
    with socket.create_connection(address, timeout=30) as s:
        s.sendall(request)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    return out


HOSTILE = ["/%00", "/index.html%00.js", "/%ff%fe", "/%ed%a0%80", "/..%2f..%2fsecret.txt",
           "/../secret.txt", "/leak.txt", "/empty/", "/empty", "/engine/", "//etc/passwd", "/?%00"]


def test_hostile_paths_get_an_error_reply_and_no_traceback(server, capfd):
    address = server()
    for path in HOSTILE:
        status = raw(address, f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode()).split(b" ", 2)[1]
        # /?%00 is the home page: a query is not part of the file name.
        assert status in ((b"200",) if path == "/?%00" else (b"400", b"404")), path
    r, body = get(address, "/empty/")
    assert r.status == 404 and b"Directory listing" not in body
    assert b"Error code: 400" in raw(address, b"\x00\xff garbage\r\n\r\n")
    assert get(address, "/")[0].status == 200  # still serving
    assert "Traceback" not in capfd.readouterr().err


def test_links_inside_the_site_are_served_and_links_out_of_it_are_not(server):
    address = server()
    assert get(address, "/alias.js")[0].status == 200
    r, body = get(address, "/leak.txt")
    assert r.status == 404 and b"outside the site" not in body


def test_a_folder_without_its_slash_is_redirected_and_never_listed(server):
    address = server()
    r, _ = get(address, "/guide")
    assert (r.status, r.getheader("Location")) == (301, "/guide/")
    assert get(address, "/guide/")[1] == "<p>指南</p>".encode()


@pytest.mark.parametrize(("accept", "gzipped"), [
    ("gzip", True), ("gzip, deflate, br", True), ("br;q=1.0, gzip;q=0.8", True), ("*", True),
    ("gzip;q=0", False), ("gzip;q=0.000", False), ("*;q=0", False), ("identity", False), ("", False),
    ("gzip;q=0, *;q=1", False), ("deflate, *;q=0.5", True),
])
def test_accept_encoding_q_values_are_honoured(server, accept, gzipped):
    address = server(gzip=True)
    r, body = get(address, "/app.js", {"Accept-Encoding": accept})
    assert r.status == 200
    assert (r.getheader("Content-Encoding") == "gzip") is gzipped
    assert (gzip.decompress(body) if gzipped else body) == b"console.log('hi');\n" * 200


@pytest.mark.parametrize("accept", ["gzip", "identity"])
def test_every_reply_has_validators_and_a_revisit_gets_304(server, accept):
    address = server(gzip=True)
    first, _ = get(address, "/app.js", {"Accept-Encoding": accept})
    etag, modified = first.getheader("ETag"), first.getheader("Last-Modified")
    assert etag and modified and first.getheader("Vary") == "Accept-Encoding"
    again, body = get(address, "/app.js", {"Accept-Encoding": accept, "If-None-Match": etag})
    assert (again.status, body, again.getheader("ETag")) == (304, b"", etag)
    by_date, _ = get(address, "/app.js", {"Accept-Encoding": accept, "If-Modified-Since": modified})
    assert by_date.status == 304
    # The other encoding is a different representation: it does not match this ETag.
    other = "identity" if accept == "gzip" else "gzip"
    assert get(address, "/app.js", {"Accept-Encoding": other, "If-None-Match": etag})[0].status == 200


def test_concurrent_first_requests_compress_a_file_once(server, docroot, monkeypatch):
    (docroot / "big.wasm").write_bytes(os.urandom(256 * 1024) * 8)  # 2 MB, compresses slowly
    calls = []
    real_compress = gzip.compress
    monkeypatch.setattr(serve_module.gzip, "compress", lambda *a, **k: calls.append(1) or real_compress(*a, **k))
    address = server(gzip=True)
    bodies = []
    threads = [threading.Thread(target=lambda: bodies.append(get(address, "/big.wasm", {"Accept-Encoding": "gzip"})[1]))
               for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(bodies) == 12 and len({bytes(b) for b in bodies}) == 1
    assert gzip.decompress(bodies[0]) == (docroot / "big.wasm").read_bytes()
    assert len(calls) == 1


def test_an_idle_connection_is_closed(server):
    address = server(idle=1)
    with socket.create_connection(address, timeout=30) as s:
        started = time.monotonic()
        assert s.recv(1) == b""  # the server hung up on a client that sent nothing
        assert time.monotonic() - started < 20


def test_hashed_engine_files_are_immutable_and_pages_are_revalidated(server):
    address = server()
    assert get(address, "/engine/tree.3f2a9c1b7d4e.json")[0].getheader("Cache-Control") == IMMUTABLE
    for path in ("/", "/pyodide/pyodide.mjs", "/app.js"):
        assert get(address, path)[0].getheader("Cache-Control") == "no-cache", path


def test_the_port_is_chosen_on_the_command_line(docroot):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "build_scripts.serve", str(docroot), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == f"http://127.0.0.1:{port}/"
        assert get(("127.0.0.1", port), "/")[0].status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
