"""A small static server for the built site: right MIME types, optional CSP, optional sub-path.

Used by ``./dev serve``, the tests and the benchmarks, so all three see the same thing.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import os
import threading
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


@functools.lru_cache(maxsize=64)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    """A file's gzip body, compressed once per version (the wasm is 9.6 MB)."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME}
    prefix = "/"
    csp: str | None = None
    extra_headers: dict[str, str] = {}
    gzip = False

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if not (self.gzip and path.endswith(COMPRESSIBLE) and os.path.isfile(path)
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = _gzipped(path, os.stat(path).st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + path[len(self.prefix):])

    def end_headers(self) -> None:
        if self.csp:
            self.send_header("Content-Security-Policy", self.csp)
        for k, v in self.extra_headers.items():
            self.send_header(k, v)
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if self.server_verbose:
            super().log_message(format, *args)

    server_verbose = False


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A browser that cancels a download (a test closing its page mid-boot) is not an error.
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def make_server(directory: Path, port: int = 0, prefix: str = "/", csp: str | None = None,
                headers: dict[str, str] | None = None, host: str = "127.0.0.1",
                verbose: bool = False, gzip: bool = False) -> SiteServer:
    """A server for ``directory`` at ``http://host:port{prefix}`` (port 0 picks a free one)."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = type("SiteHandler", (Handler,), {
        "prefix": prefix, "csp": csp, "extra_headers": headers or {}, "server_verbose": verbose,
        "gzip": gzip,
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
    parser.add_argument("--prefix", default="/", help="serve under a sub-path, e.g. /consumer/guide/")
    parser.add_argument("--csp", action="store_true", help="send the site's Content-Security-Policy")
    parser.add_argument("--gzip", action="store_true", help="send text files gzip-compressed")
    args = parser.parse_args()
    server = make_server(args.directory, args.port, args.prefix, SITE_CSP if args.csp else None, verbose=True,
                         gzip=args.gzip)
    host, port = server.server_address[:2]
    print(f"http://{host}:{port}{args.prefix}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
