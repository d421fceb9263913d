"""Bytes over the network on a first and a repeat visit, and what the offline copy costs on the device.

    .venv/bin/python bench/offline_size.py [--skills tests/fixtures/skills-mini] [--prefix /sub/path/]

Builds the site into a temporary folder, serves it with the production headers, and drives Chromium:

  first visit   the start page (the service worker installs and stores every file), then the worksheet
                until its suggestions are ready; and, in a fresh profile, straight to the worksheet;
  repeat visit  a new tab, same profile: the start page, then the worksheet until suggestions are ready;
  update        a new build with every page changed, until the new service worker has installed.

Bytes are counted at the server (response bodies, headers left out), so they are what really crossed the
network, whichever part of the browser asked. The target for the repeat visit is no bytes for the app's own
files; the browser still checks sw.js for a new version on each visit, and that is shown on its own line.
"""

import argparse
import sys
import tempfile
import time
from collections import Counter
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from builder.server import Handler, SiteServer  # noqa: E402
from builder.site import build  # noqa: E402

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

CACHE_SIZES = """async () => {
  let bytes = 0, files = 0;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      bytes += (await (await cache.match(request)).arrayBuffer()).byteLength;
      files += 1;
    }
  }
  const estimate = await navigator.storage.estimate();
  return { bytes, files, usage: estimate.usage, caches: (await caches.keys()).length };
}"""


UPDATE = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  await registration.update();
  const worker = registration.installing || registration.waiting;
  if (!worker) return "none";
  while (worker.state === "installing") await new Promise((r) => worker.addEventListener("statechange", r, { once: true }));
  return worker.state;
}"""


class Throttled:
    """A response stream paced to a bandwidth (bytes per second), so downloads overlap as on a real network."""

    def __init__(self, stream, rate):
        self.stream, self.rate = stream, rate

    def write(self, data):
        for i in range(0, len(data), 65536):
            chunk = data[i:i + 65536]
            self.stream.write(chunk)
            time.sleep(len(chunk) / self.rate)

    def __getattr__(self, name):
        return getattr(self.stream, name)


def counting_server(site, prefix, rate=None):
    server = SiteServer(site, ROOT, prefix=prefix)
    if rate:
        keywords = server.httpd.RequestHandlerClass.keywords

        class Paced(Handler):
            def setup(self):
                super().setup()
                self.wfile = Throttled(self.wfile, rate)

        server.httpd.RequestHandlerClass = partial(Paced, **keywords)
    return server.start()


def taken(server):
    """(path in the site, body bytes) of each file sent since the last call; a 304 sends none."""
    return [(path.lstrip("/"), size) for path, status, size in server.take() if status != 304]


def mb(n):
    return f"{n / 1_000_000:.2f} MB"


def report(title, hits):
    total = sum(size for _, size in hits)
    worker = sum(size for path, size in hits if path == "sw.js")
    app = total - worker
    print(f"{title}: {mb(total)} in {len(hits)} responses "
          f"(app files {mb(app)} in {sum(1 for p, _ in hits if p != 'sw.js')}, sw.js check {worker} bytes)")
    twice = {path: n for path, n in Counter(path for path, _ in hits).items() if n > 1 and path != "sw.js"}
    if twice:
        # The page and the precache both asked for these and both got the whole file (a 304 is not counted).
        extra = sum(size for path, size in hits if path in twice) - sum(
            next(size for p, size in hits if p == path) for path in twice)
        print(f"  fetched more than once ({mb(extra)} extra): "
              f"{', '.join(f'{p} x{n}' for p, n in sorted(twice.items()))}")
    runtime = sum(size for path, size in hits if path.startswith("pyodide/"))
    print(f"  of which the Pyodide runtime: {mb(runtime)}")
    return total


def wait_controlled(page):
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def start_engine(page):
    page.evaluate("import(new URL('js/engine.js', document.baseURI + document.body.dataset.root).href)"
                  ".then((m) => m.startEngine())")
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=120_000)


def visit(page, url):
    """The start page first, then the worksheet with its suggestions ready."""
    page.goto(url + "index.html")
    wait_controlled(page)
    page.goto(url + "worksheet.html")
    start_engine(page)


def straight_to_worksheet(page, url):
    """The worksheet first: its engine loads the runtime while the service worker stores it too."""
    page.goto(url + "worksheet.html")
    start_engine(page)
    wait_controlled(page)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skills", default=None, help="skills folder (default: the real cards in skills/)")
    parser.add_argument("--prefix", default="/", help="serve under this sub-path")
    parser.add_argument("--mbps", type=float, default=None,
                        help="pace each response to this many megabits per second (default: as fast as it goes)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        site = build(ROOT, Path(tmp) / "site", skills_dir=args.skills)
        files = [p for p in site.rglob("*") if p.is_file()]
        print(f"site: {len(files)} files, {mb(sum(p.stat().st_size for p in files))}")
        server = counting_server(site, args.prefix, args.mbps and args.mbps * 125_000)
        with sync_playwright() as pw:
            launch = {}
            if not Path(pw.chromium.executable_path).exists() and DEBIAN_CHROMIUM.exists():
                launch = {"executable_path": str(DEBIAN_CHROMIUM), "args": FLAGS}
            # Real profiles on disk: an incognito context's small in-memory HTTP cache cannot hold the wasm.
            def profile():
                return pw.chromium.launch_persistent_context(tempfile.mkdtemp(dir=tmp), **launch)

            context = profile()
            straight_to_worksheet(context.new_page(), server.url)
            report("first visit, straight to the worksheet", taken(server))
            context.close()

            context = profile()

            page = context.new_page()
            visit(page, server.url)
            report("first visit", taken(server))
            sizes = page.evaluate(CACHE_SIZES)
            page.close()

            page = context.new_page()
            visit(page, server.url)
            hits = taken(server)
            report("repeat visit", hits)
            own = [path for path, _ in hits if path != "sw.js"]
            print(f"  app files from the network on the repeat visit: {len(own)}{' (' + ', '.join(own) + ')' if own else ''}")

            # An update: the clinic's name changes on every page; unchanged files are reused from the old cache.
            settings = Path(tmp) / "settings"
            settings.mkdir()
            (settings / "clinic.toml").write_text('clinic_name = "Bench Clinic"\n', encoding="utf-8")
            build(ROOT, site, skills_dir=args.skills, settings_root=settings)
            state = page.evaluate(UPDATE)
            report(f"update to a new version (every page changed; new worker {state})", taken(server))

            print(f"offline copy: {mb(sizes['bytes'])} in {sizes['files']} cached files, {sizes['caches']} caches; "
                  f"browser storage estimate {mb(sizes['usage'])}")
            context.close()
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
