"""Shared by the bench scripts: build the site with the yardstick pages, serve it and count bytes,
find the Chromium the tests use, and describe the machine.

Nothing here is shipped: the yardstick pages live only in the bench's own copy of the site.
"""

import gzip
import os
import platform
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from builder.runtime import PYODIDE_DIR, version  # noqa: E402
from builder.server import SiteServer  # noqa: E402
from builder.site import build  # noqa: E402

OUT = ROOT / "bench" / "out"
BASELINES = ROOT / "bench" / "baselines"
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
# Pages of our site; the yardsticks are added beside them.
STATIC_PAGE = "bench-static.html"
NAIVE_PAGE = "bench-naive.html"
NAIVE_RUNTIME = "pyodide/naive-{version}/"  # under /pyodide/ so it gets the same immutable caching as ours


def build_bench_site(out=OUT / "site"):
    """The real site plus the two yardsticks:

    - bench-static.html: the built worksheet page with every script removed (same HTML and CSS,
      no JavaScript): the floor for first paint on a page of this size.
    - bench-naive.html: what most Pyodide apps do: loadPyodide() on the main thread with the
      npm package's defaults (lock file, .py stdlib zip), then one Python call.
    """
    build(ROOT, out)
    worksheet = (out / "worksheet.html").read_text(encoding="utf-8")
    static = re.sub(r"<script\b[^>]*>.*?</script>\s*", "", worksheet, flags=re.S)
    static = static.replace('data-engine="idle"', 'data-engine="none"')
    (out / STATIC_PAGE).write_text(static, encoding="utf-8")
    runtime = NAIVE_RUNTIME.format(version=version(ROOT))
    (out / runtime).mkdir(parents=True, exist_ok=True)
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"):
        shutil.copyfile(ROOT / PYODIDE_DIR / name, out / runtime / name)
    naive_js = (BASELINES / "naive.js").read_text(encoding="utf-8").replace("NAIVE_RUNTIME", runtime)
    (out / "bench-naive.js").write_text(naive_js, encoding="utf-8")
    shutil.copyfile(BASELINES / "naive.html", out / NAIVE_PAGE)
    return out


class CountingServer:
    """The project's own server (production headers, ETag and 304 as Netlify sends them), counting every
    response: take() gives (path, bytes) for each GET since the last take(), a 304 as 0 bytes."""

    def __init__(self, site_dir):
        self.site = Path(site_dir)
        self.server = SiteServer(site_dir, ROOT).start()
        self.url = self.server.url

    def take(self):
        return [(path, size) for path, _status, size in self.server.take()]

    def answered(self):
        """How many GETs have been answered in all (bench/startup.py waits until this stops growing)."""
        return len(self.server.httpd.responses)

    def stop(self):
        self.server.stop()


@lru_cache(maxsize=None)
def compressed_size(path, size):
    """Bytes on the wire as a CDN that compresses would send them: brotli (quality 11) if the
    `brotli` package is installed, else gzip -9; whichever is smaller than the raw file."""
    data = Path(path).read_bytes()
    try:
        import brotli

        packed = len(brotli.compress(data, quality=11))
    except ImportError:
        packed = len(gzip.compress(data, 9, mtime=0))
    return min(packed, size)


def codec():
    try:
        import brotli  # noqa: F401

        return "brotli q11"
    except ImportError:
        return "gzip -9"


def wire_bytes(server, log):
    """(raw, compressed) byte totals for a list of (path, bytes) from CountingServer.take()."""
    raw = packed = 0
    for path, size in log:
        raw += size
        file = server.site / path.lstrip("/")
        if file.is_dir():
            file = file / "index.html"
        packed += compressed_size(str(file), size) if file.is_file() else size
    return raw, packed


def chromium(playwright):
    """Launch options for the Chromium the tests use: Playwright's own, else Debian's."""
    own = Path(playwright.chromium.executable_path)
    if own.exists():
        return {"executable_path": str(own), "args": []}
    if DEBIAN_CHROMIUM.exists():
        return {"executable_path": str(DEBIAN_CHROMIUM), "args": list(CHROMIUM_FLAGS)}
    raise SystemExit("no Chromium: run `make browser` (Playwright's) or install Debian's chromium")


def machine(executable=None):
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        mem = 0
    browser = ""
    if executable:
        try:
            browser = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            browser = executable
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, {platform.system()} {platform.release()}; "
            f"{browser}; load average {load:.1f} at start")
