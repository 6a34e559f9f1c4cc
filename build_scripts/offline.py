"""Offline use and the home screen: the service worker, the web app manifest and its icons.

``write(site_dir, runtime)`` runs after every other build step: the service worker's page cache is
named after a hash of the whole built site, so a deploy that changes anything installs a new
worker, which drops the old caches when it takes over (no mixed versions). The icons are drawn here
(a check mark on the site's colour), so nothing is fetched to make them.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from functools import lru_cache
from pathlib import Path

from build_scripts.assets import Runtime

ROOT = Path(__file__).resolve().parent.parent
SERVICE_WORKER = ROOT / "build_scripts" / "service_worker.js"
COLOUR = (0x0B, 0x55, 0x63)  # --md-primary-fg-color in docs/assets/site.css
ICON_SIZES = (192, 512)


def site_hash(site_dir: Path) -> str:
    """A hash of every built file but the service worker itself."""
    h = hashlib.sha256()
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file() and p.name != "sw.js"):
        h.update(path.relative_to(site_dir).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]


def write(site_dir: Path, runtime: Runtime, name: str) -> None:
    """Write sw.js, manifest.webmanifest and the icons into the built site."""
    icons = site_dir / "assets" / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    for size in ICON_SIZES:
        (icons / f"icon-{size}.png").write_bytes(icon_png(size))
    manifest = {
        "name": name,
        "short_name": "维权指南",
        "lang": "zh-CN",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#%02x%02x%02x" % COLOUR,
        "icons": [
            {"src": f"assets/icons/icon-{s}.png", "sizes": f"{s}x{s}", "type": "image/png", "purpose": "any maskable"}
            for s in ICON_SIZES
        ],
    }
    (site_dir / "manifest.webmanifest").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    p, e = runtime.pyodide_dir.split("/")[1], runtime.engine_dir.split("/")[1]
    constants = (
        f'const ENGINE_CACHE = "cdg-engine-{p}-{e}";\n'
        f'const PAGES_CACHE = "cdg-pages-{site_hash(site_dir)}";\n'
    )
    (site_dir / "sw.js").write_text(constants + SERVICE_WORKER.read_text(encoding="utf-8"), encoding="utf-8")


@lru_cache(maxsize=4)
def icon_png(size: int) -> bytes:
    """A square PNG: the site's colour with a white check mark (safe inside a maskable icon's circle)."""
    # The check mark's two strokes, in units of the icon's width.
    strokes = (((0.30, 0.52), (0.44, 0.66)), ((0.44, 0.66), (0.71, 0.37)))
    half_width = 0.055 * size
    rows = []
    for y in range(size):
        row = bytearray([0])  # PNG filter: none
        py = y + 0.5
        for x in range(size):
            px = x + 0.5
            d = min(_distance(px, py, a, b, size) for a, b in strokes)
            cover = min(1.0, max(0.0, half_width + 0.5 - d))  # one pixel of anti-aliasing
            row += bytes(round(c + (255 - c) * cover) for c in COLOUR)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _distance(px: float, py: float, a, b, size: int) -> float:
    ax, ay, bx, by = a[0] * size, a[1] * size, b[0] * size, b[1] * size
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return ((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5
