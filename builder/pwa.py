"""Web app manifest, icons and the service worker, written last so the worker can hash every file.

Everything here is a pure function of the built files and the clinic settings: same input, same bytes.
"""

import hashlib
import json
import math
import re
import struct
import zlib
from pathlib import Path

from .errors import BuildError, Problem

SW_TEMPLATE = Path(__file__).with_name("sw.js")
RUNTIME_DIR = "pyodide/"
OFFLINE_PAGE = "offline.html"
FOREGROUND = "#ffffff"
BACKGROUND = "#ffffff"  # the splash screen behind the icon; matches the light page background

# The one icon description, in a 1 x 1 box: a sun rising over the horizon, a calm new start.
# Both the SVG and the PNGs are drawn from it; the clinic's theme colour fills the tile.
MARK = (
    ("halfdisc", 0.5, 0.6, 0.2),  # centre x, centre y, radius: the top half of a disc
    ("line", 0.2, 0.7, 0.8, 0.7, 0.035),  # x0, y0, x1, y1, half width, round ends
    ("line", 0.5, 0.34, 0.5, 0.28, 0.03),  # three rays
    ("line", 0.316, 0.416, 0.274, 0.374, 0.03),
    ("line", 0.684, 0.416, 0.726, 0.374, 0.03),
)
TILE_RADIUS = 0.22  # corner radius of the "any" icon's tile
MASKABLE_SCALE = 0.8  # keeps the mark inside the maskable safe zone (a circle of radius 0.4)

PNG_ICONS = (
    # file, size, purpose, full-bleed tile
    ("icon-192.png", 192, "any", False),
    ("icon-512.png", 512, "any", False),
    ("icon-maskable-192.png", 192, "maskable", True),
    ("icon-maskable-512.png", 512, "maskable", True),
    ("apple-touch-icon.png", 180, None, True),  # iOS rounds corners itself and shows transparency as black
)


def write(root, out, settings):
    out = Path(out)
    theme = _colour(settings.get("theme_color"))
    icons = out / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    (icons / "icon.svg").write_bytes(icon_svg(settings["theme_color"]).encode("utf-8"))
    for name, size, _, full_bleed in PNG_ICONS:
        (icons / name).write_bytes(icon_png(size, theme, full_bleed))
    (out / "manifest.webmanifest").write_bytes(
        (json.dumps(manifest(settings), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))
    (out / "sw.js").write_bytes(service_worker(out).encode("utf-8"))


# --- manifest ---------------------------------------------------------------------------------

def manifest(settings):
    app = settings["app_name"]
    icons = [{"src": "icons/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}]
    icons += [{"src": f"icons/{name}", "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
              for name, size, purpose, _ in PNG_ICONS if purpose]
    shortcut_icon = [{"src": "icons/icon-192.png", "sizes": "192x192", "type": "image/png"}]
    # No "id": it would resolve against the origin, so two installs under sub-paths of one host would clash;
    # without it the id is the start URL, which includes the sub-path.
    return {
        "name": app,
        "short_name": settings["short_name"],
        "description": (f"{app} is a DBT skills helper and coaching worksheet. Everything you write stays on "
                        "this device: nothing is sent anywhere, and it works without the internet."),
        "lang": settings.get("locale", "en"),
        "dir": "auto",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "theme_color": settings["theme_color"],
        "background_color": BACKGROUND,
        "categories": ["health", "lifestyle"],
        "prefer_related_applications": False,
        "icons": icons,
        "shortcuts": [
            {"name": "New worksheet", "short_name": "Worksheet", "url": "./worksheet.html",
             "description": "Get ready for a coaching call or text.", "icons": shortcut_icon},
            {"name": "Get help now", "short_name": "Get help", "url": "./help.html",
             "description": "Crisis lines and your coach, one tap away.", "icons": shortcut_icon},
            {"name": "Skills", "url": "./skills/index.html",
             "description": "Every DBT skill in plain words.", "icons": shortcut_icon},
        ],
    }


# --- service worker ---------------------------------------------------------------------------

def precache_list(out):
    """Every file of the site except the worker itself, as sorted site-relative paths."""
    out = Path(out)
    files = []
    for path in out.rglob("*"):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and rel != "sw.js" and not any(part.startswith(".") for part in rel.split("/")):
            files.append(rel)
    return sorted(files)


def _digest(pairs):
    h = hashlib.sha256()
    for rel, file_hash in pairs:
        h.update(f"{rel}\0{file_hash}\n".encode("utf-8"))
    return h.hexdigest()


def service_worker(out):
    """sw.js: the template with this build's file list, per-file SHA-256 and cache names filled in."""
    out = Path(out)
    hashes = {rel: hashlib.sha256((out / rel).read_bytes()).hexdigest() for rel in precache_list(out)}
    runtime = {rel: h for rel, h in hashes.items() if rel.startswith(RUNTIME_DIR)}
    app = {rel: h for rel, h in hashes.items() if rel not in runtime}
    versions = sorted({rel[len(RUNTIME_DIR):].split("/")[0] for rel in runtime})
    build = {
        # The app's cache is named for the content of every file, so any change makes a new worker.
        "version": _digest(sorted(hashes.items()))[:16],
        # The runtime's cache outlives app updates: named for the Pyodide version (and its bytes).
        "runtime": "-".join(["pyodide", *versions, _digest(sorted(runtime.items()))[:8]]),
        "offline": OFFLINE_PAGE if OFFLINE_PAGE in app else None,
        "app": app,
        "runtime_files": runtime,
    }
    data = json.dumps(build, indent=1, sort_keys=True)
    template = SW_TEMPLATE.read_text(encoding="utf-8")
    if template.count("/*BUILD*/null") != 1:
        raise RuntimeError("builder/sw.js must hold exactly one /*BUILD*/null placeholder")
    return template.replace("/*BUILD*/null", data)


# --- icons ------------------------------------------------------------------------------------

def _colour(value):
    text = str(value or "")
    if re.fullmatch(r"#[0-9a-fA-F]{6}", text):
        return tuple(int(text[i:i + 2], 16) / 255 for i in (1, 3, 5))
    if re.fullmatch(r"#[0-9a-fA-F]{3}", text):
        return tuple(int(c * 2, 16) / 255 for c in text[1:])
    raise BuildError([Problem("clinic.toml", None,
                              f"theme_color {text!r} is not a colour: write it like \"#2f5d62\"")])


def _shapes(full_bleed):
    """The description in draw order, scaled for the icon kind: (kind, params..., colour name)."""
    scale = MASKABLE_SCALE if full_bleed else 1.0

    def at(v):
        return 0.5 + (v - 0.5) * scale

    tile = ("rect", 0.0, 0.0, 1.0, 1.0, 0.0 if full_bleed else TILE_RADIUS, "theme")
    mark = []
    for kind, *p in MARK:
        if kind == "halfdisc":
            cx, cy, r = p
            mark.append(("halfdisc", at(cx), at(cy), r * scale, "fg"))
        else:
            x0, y0, x1, y1, w = p
            mark.append(("line", at(x0), at(y0), at(x1), at(y1), w * scale, "fg"))
    return [tile, *mark]


def _n(v):
    return f"{v:.4f}".rstrip("0").rstrip(".")


def icon_svg(theme_color, size=512):
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}">']
    colours = {"theme": theme_color, "fg": FOREGROUND}
    for kind, *p, colour in _shapes(full_bleed=False):
        fill = colours[colour]
        p = [v * size for v in p]
        if kind == "rect":
            x0, y0, x1, y1, r = p
            parts.append(f'<rect x="{_n(x0)}" y="{_n(y0)}" width="{_n(x1 - x0)}" height="{_n(y1 - y0)}" '
                         f'rx="{_n(r)}" fill="{fill}"/>')
        elif kind == "halfdisc":
            cx, cy, r = p
            parts.append(f'<path d="M{_n(cx - r)} {_n(cy)}A{_n(r)} {_n(r)} 0 0 1 {_n(cx + r)} {_n(cy)}Z" fill="{fill}"/>')
        else:
            x0, y0, x1, y1, w = p
            parts.append(f'<path d="M{_n(x0)} {_n(y0)}L{_n(x1)} {_n(y1)}" stroke="{fill}" '
                         f'stroke-width="{_n(2 * w)}" stroke-linecap="round"/>')
    parts.append("</svg>\n")
    return "".join(parts)


def _sdf(kind, p):
    """A signed distance function (pixels; negative inside) for one shape given in pixels."""
    if kind == "halfdisc":
        cx, cy, r = p
        return lambda x, y: max(math.hypot(x - cx, y - cy) - r, y - cy)
    if kind == "rect":
        x0, y0, x1, y1, r = p
        mx, my, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2 - r, (y1 - y0) / 2 - r

        def rect(x, y):
            qx, qy = abs(x - mx) - hx, abs(y - my) - hy
            return math.hypot(max(qx, 0.0), max(qy, 0.0)) + min(max(qx, qy), 0.0) - r
        return rect
    x0, y0, x1, y1, w = p
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy

    def line(x, y):  # distance to the segment, minus the half width: round ends
        t = min(1.0, max(0.0, ((x - x0) * dx + (y - y0) * dy) / length2))
        return math.hypot(x - x0 - t * dx, y - y0 - t * dy) - w
    return line


def icon_png(size, theme, full_bleed):
    """Rasterise the description: exact coverage from the distance field, evaluated only near edges."""
    colours = {"theme": theme, "fg": _colour(FOREGROUND)}
    clear = (0.0, 0.0, 0.0, 0.0)
    rows = [[clear] * size for _ in range(size)]  # premultiplied RGBA, 0..1
    block = 8
    reach = block * math.sqrt(0.5) + 0.5  # a block whose centre is farther than this from the edge is uniform
    for kind, *p, colour in _shapes(full_bleed):
        sdf = _sdf(kind, [v * size for v in p])
        r, g, b = colours[colour]
        solid = (r, g, b, 1.0)
        for by in range(0, size, block):
            for bx in range(0, size, block):
                x1, y1 = min(bx + block, size), min(by + block, size)
                d = sdf((bx + x1) / 2, (by + y1) / 2)
                if d > reach:
                    continue
                if d < -reach:
                    for y in range(by, y1):
                        rows[y][bx:x1] = [solid] * (x1 - bx)
                    continue
                for y in range(by, y1):
                    row = rows[y]
                    for x in range(bx, x1):
                        a = 0.5 - sdf(x + 0.5, y + 0.5)
                        if a <= 0:
                            continue
                        if a >= 1:
                            row[x] = solid
                            continue
                        dr, dg, db, da = row[x]
                        k = 1 - a
                        row[x] = (r * a + dr * k, g * a + dg * k, b * a + db * k, a + da * k)
    return _png(size, rows)


def _png(size, rows):
    memo = {}

    def rgba(px):
        out = memo.get(px)
        if out is None:
            r, g, b, a = px
            if a <= 0:
                out = b"\0\0\0\0"
            else:
                out = bytes(min(255, round(c / a * 255)) for c in (r, g, b)) + bytes([round(a * 255)])
            memo[px] = out
        return out

    raw = b"".join(b"\0" + b"".join(rgba(px) for px in row) for row in rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))
