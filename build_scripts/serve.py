"""A small static server for the built site: right MIME types, optional CSP, optional sub-path.

Used by ``./dev serve``, the tests and the benchmarks, so all three see the same thing.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import email.utils
import io
import os
import re
import sys
import threading
import urllib.parse
from collections import OrderedDict
from pathlib import Path

MIME = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
}

# The Content Security Policy the site needs, and no more (documented on the integrators' page).
SITE_CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)


# With gzip on, text is sent compressed, as any production static host would (to measure page weight).
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".map", ".wasm")

# A file whose name carries a content hash (``pyodide.asm.3f2a9c1b.wasm``, ``tree.a3ddb32b.json``)
# never changes under that name, so browsers may keep it for a year without asking again.
HASHED_NAME = re.compile(r"(?:^|[.\-_])[0-9a-f]{8,64}(?:[.\-_]|$)")
HASHED_DIRS = ("pyodide", "engine")
IMMUTABLE = "public, max-age=31536000, immutable"
IDLE_SECONDS = 30  # a connection that sends nothing for this long is closed

# Compressed bodies, one per file version; one lock per file, so that many first requests for the
# 9.6 MB wasm arriving together compress it once while the others wait for that result.
_gzip_cache: OrderedDict[tuple[str, int], bytes] = OrderedDict()
_gzip_locks: dict[str, threading.Lock] = {}
_gzip_guard = threading.Lock()


def _gzipped(path: str, mtime_ns: int) -> bytes:
    """A file's gzip body, compressed once per version."""
    key = (path, mtime_ns)
    with _gzip_guard:
        lock = _gzip_locks.setdefault(path, threading.Lock())
    with lock:
        with _gzip_guard:
            if key in _gzip_cache:
                _gzip_cache.move_to_end(key)
                return _gzip_cache[key]
        body = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
        with _gzip_guard:
            _gzip_cache[key] = body
            while len(_gzip_cache) > 64:
                _gzip_cache.popitem(last=False)
        return body


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header allows gzip: ``gzip;q=0`` (or ``*;q=0``) refuses it."""
    quality: dict[str, float] = {}
    for part in header.split(","):
        name, _, params = part.partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name.strip():
            quality[name.strip().lower()] = q
    return quality.get("gzip", quality.get("x-gzip", quality.get("*", 0.0))) > 0


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME}
    prefix = "/"
    csp: str | None = None
    extra_headers: dict[str, str] = {}
    gzip = False
    timeout = IDLE_SECONDS  # socket timeout: an idle or trickling client is dropped
    cache_control = "no-cache"

    def send_head(self):
        """Headers for the file the request names, and the open body; None after an error reply.

        Never a directory listing, never a file reached through a link out of the directory,
        validators (ETag, Last-Modified) and 304 for plain and compressed replies alike.
        """
        self.cache_control = "no-cache"
        path = self._file()
        if path is None:
            return None
        stat = os.stat(path)
        compress = (self.gzip and path.endswith(COMPRESSIBLE)
                    and accepts_gzip(self.headers.get("Accept-Encoding", "")))
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}{"-gz" if compress else ""}"'
        name = os.path.basename(path)
        rel = os.path.relpath(path, self._root()).split(os.sep)
        if rel[0] in HASHED_DIRS and HASHED_NAME.search(name):
            self.cache_control = IMMUTABLE
        if self._not_modified(etag, stat.st_mtime):
            self.send_response(304)
            self._validators(etag, stat.st_mtime)
            self.end_headers()
            return None
        if compress:
            body = io.BytesIO(_gzipped(path, stat.st_mtime_ns))
            size = len(body.getvalue())
        else:
            body, size = open(path, "rb"), stat.st_size  # closed by do_GET/do_HEAD
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(size))
        self._validators(etag, stat.st_mtime)
        self.end_headers()
        return body

    def _root(self) -> str:
        return os.path.realpath(self.directory)

    def _file(self) -> str | None:
        """The real path of the regular file the request names under the directory, else an error
        reply (400 for a malformed path, 301 to add a slash to a folder, 404 for anything else)."""
        raw = urllib.parse.urlsplit(self.path).path
        try:
            path = self.translate_path(raw)
            if "\x00" in path:
                raise ValueError("NUL in path")
            real = os.path.realpath(path)
            if os.path.isdir(real):
                if not raw.endswith("/"):
                    if os.path.isfile(os.path.join(real, "index.html")):
                        self.send_response(301)
                        self.send_header("Location", raw + "/")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return None
                real = os.path.join(real, "index.html")
            root = self._root()
            inside = real.startswith(root + os.sep)
            if inside and os.path.isfile(real):
                return real
        except ValueError:  # NUL, lone surrogates from %-escapes and the like
            self.send_error(400, "Bad request path")
            return None
        self.send_error(404, "File not found")
        return None

    def _not_modified(self, etag: str, mtime: float) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            return etag in [m.strip() for m in match.split(",")] or match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return int(mtime) <= email.utils.parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                return False
        return False

    def _validators(self, etag: str, mtime: float) -> None:
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", self.date_time_string(int(mtime)))
        if self.gzip:
            self.send_header("Vary", "Accept-Encoding")

    def list_directory(self, path):  # never reached through send_head; refuse all the same
        self.send_error(404, "File not found")
        return None

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + path[len(self.prefix):])

    def end_headers(self) -> None:
        if self.csp:
            self.send_header("Content-Security-Policy", self.csp)
        for k, v in self.extra_headers.items():
            self.send_header(k, v)
        self.send_header("Cache-Control", self.cache_control)
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if self.server_verbose:
            super().log_message(format, *args)

    server_verbose = False


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A browser that cancels a download (a test closing its page mid-boot) or a client that
        # went idle is not an error; anything else is one line on stderr, never a traceback.
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, TimeoutError)):
            print(f"{client_address[0]}: request failed: {exc!r}", file=sys.stderr)


def make_server(directory: Path, port: int = 0, prefix: str = "/", csp: str | None = None,
                headers: dict[str, str] | None = None, host: str = "127.0.0.1",
                verbose: bool = False, gzip: bool = False, idle: float = IDLE_SECONDS) -> SiteServer:
    """A server for ``directory`` at ``http://host:port{prefix}`` (port 0 picks a free one);
    a connection idle for ``idle`` seconds is closed."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = type("SiteHandler", (Handler,), {
        "prefix": prefix, "csp": csp, "extra_headers": headers or {}, "server_verbose": verbose,
        "gzip": gzip, "timeout": idle,
    })
    return SiteServer((host, port), functools.partial(handler, directory=str(directory)))


def serve_in_thread(server: http.server.ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the built site.")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 to serve the whole LAN")
    parser.add_argument("--prefix", default="/", help="serve under a sub-path, e.g. /consumer/guide/")
    parser.add_argument("--csp", action="store_true", help="send the site's Content-Security-Policy")
    parser.add_argument("--gzip", action="store_true", help="send text files gzip-compressed")
    args = parser.parse_args()
    try:
        server = make_server(args.directory, args.port, args.prefix, SITE_CSP if args.csp else None,
                             host=args.host, verbose=True, gzip=args.gzip)
    except OSError as exc:
        raise SystemExit(f"error: cannot serve on {args.host}:{args.port}: {exc.strerror}") from None
    host, port = server.server_address[:2]
    print(f"http://{host}:{port}{args.prefix}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
