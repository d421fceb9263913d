"""Shared by the bench scripts: build the site with the yardstick pages, serve it and count bytes,
find the Chromium the tests use, and describe the machine.

Nothing here is shipped: the yardstick pages live only in the bench's own copy of the site.
"""

import gzip
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
from functools import lru_cache, partial
from http.server import ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from builder.headers import headers_for, load_rules  # noqa: E402
from builder.runtime import PYODIDE_DIR, version  # noqa: E402
from builder.server import Handler  # noqa: E402
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
    """The project's own server (production headers), logging every response: path and bytes."""

    def __init__(self, site_dir):
        self.log = []
        self.lock = threading.Lock()
        log, lock = self.log, self.lock

        etags = {}

        class Counting(Handler):
            """Adds what Netlify does and builder/server.py does not: ETag and 304 Not Modified,
            so a revalidated page costs no body, as it would in production."""

            def do_GET(self):
                rel, file = self._resolve()
                self._etag = None
                if isinstance(file, Path):
                    key = (str(file), file.stat().st_mtime_ns)
                    if key not in etags:
                        etags[key] = '"' + hashlib.sha256(file.read_bytes()).hexdigest()[:20] + '"'
                    self._etag = etags[key]
                    if self.headers.get("If-None-Match") == self._etag:
                        self.send_response(304)
                        self.send_header("ETag", self._etag)
                        for name, value in headers_for(rel, self.rules).items():
                            if name.lower() == "cache-control":
                                self.send_header(name, value)
                        super().end_headers()
                        with lock:
                            log.append((self.path.split("?")[0], 0))
                        return
                super().do_GET()

            def end_headers(self):
                if getattr(self, "_etag", None):
                    self.send_header("ETag", self._etag)
                super().end_headers()

            def send_header(self, name, value):
                if name == "Content-Length" and self.command == "GET":
                    with lock:
                        log.append((self.path.split("?")[0], int(value)))
                super().send_header(name, value)

        handler = partial(Counting, site=Path(site_dir), rules=load_rules(ROOT), prefix="/")
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.site = Path(site_dir)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def take(self):
        with self.lock:
            items = list(self.log)
            self.log.clear()
        return items

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


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
