"""The engine worker's WebAssembly memory and start-up split, as the worker reports them once ready.

    .venv/bin/python bench/engine_memory.py

Prints Pyodide's wasm heap size after the engine is loaded and warmed up (phones, Safari above all,
have little memory to spare) and the worker's own timings (Pyodide boot, engine import, total).
"""

import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import chromium  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from builder.server import SiteServer  # noqa: E402
from builder.site import build  # noqa: E402


def main():
    site = build(ROOT, Path(tempfile.mkdtemp()) / "site")
    server = SiteServer(site, ROOT).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(**chromium(p))
            page = browser.new_page()
            page.goto(server.url + "worksheet.html")
            page.wait_for_function("() => ['ready', 'unavailable'].includes(document.documentElement.dataset.engine)",
                                   timeout=120_000)
            detail = page.evaluate("() => import('./js/engine.js').then((m) => m.engineDetail())")
            browser.close()
    finally:
        server.stop()
    match = re.search(r"(\{.*\})", detail or "")
    timings = json.loads(match.group(1)) if match else {}
    print(f"engine state detail: {detail}")
    print(f"wasm memory after load: {timings.get('wasm_memory_mb', 'not reported')} MB")
    for key in ("pyodide", "import", "total"):
        if key in timings:
            print(f"{key:>8}: {timings[key]} ms")


if __name__ == "__main__":
    main()
