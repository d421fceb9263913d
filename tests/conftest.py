"""Shared test fixtures: one built site, a local server with production headers, and a guarded browser.

Every browser test fails on a page error, a console error (CSP violations are console errors),
or any request to an origin other than the test server.
"""

import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from builder.server import SiteServer  # noqa: E402
from builder.site import build  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Every kind of page the site has, one example each.
PAGE_TYPES = [
    "index.html",
    "worksheet.html",
    "history.html",
    "help.html",
    "safety.html",
    "skills/index.html",
    "modules/distress-tolerance.html",
    "skills/tipp.html",
    "guide.html",
]
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def build_site(out, **kwargs):
    """Build the real project (or fixtures, via kwargs) into out and return the path."""
    return build(ROOT, out, **kwargs)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def serve():
    """Factory: serve(path, prefix='/') starts a server and returns it; all are stopped at the end."""
    servers = []

    def start(path, prefix="/"):
        server = SiteServer(path, ROOT, prefix=prefix).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def site_url(site_dir, serve):
    return serve(site_dir).url


@pytest.fixture(scope="session")
def base_url(site_url):
    # pytest-playwright resolves page.goto("worksheet.html") against this.
    return site_url


@pytest.fixture
def browser_context_args(playwright, device, base_url):
    """Per test, not per session (pytest-playwright's default), so a module may serve its own site
    by overriding base_url without leaking that URL into every other module's tests."""
    args = dict(playwright.devices[device]) if device else {}
    if base_url:
        args["base_url"] = base_url
    return args


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, playwright):
    """Use Playwright's own Chromium when installed; otherwise Debian's."""
    args = dict(browser_type_launch_args)
    own = Path(playwright.chromium.executable_path)
    if not own.exists() and DEBIAN_CHROMIUM.exists():
        args["executable_path"] = str(DEBIAN_CHROMIUM)
        args["args"] = [*args.get("args", []), *CHROMIUM_FLAGS]
    return args


WORKER_CSP_HOOK = """() => self.addEventListener("securitypolicyviolation", (e) =>
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`))"""


class Guard:
    """Collects what must never happen in a browser test."""

    def __init__(self):
        self.problems = []
        self.requests = []
        self.allowed_origins = set()
        self.expected_console = []  # substrings a test declares it expects

    def watch_context(self, context):
        context.on("page", self.watch_page)
        context.on("request", self.on_request)
        context.on("serviceworker", self.watch_worker)
        for page in context.pages:
            self.watch_page(page)

    def watch_page(self, page):
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("console", self.on_console)
        page.on("dialog", lambda d: (self.problems.append(f"unexpected dialog: {d.message}"), d.dismiss()))
        page.on("worker", self.watch_worker)

    def watch_worker(self, worker):
        # Workers do not run report-csp.js and Playwright does not report their CSP blocks: hook them.
        worker.on("console", self.on_console)
        try:
            worker.evaluate(WORKER_CSP_HOOK)
        except Exception:  # the worker ended before it could be hooked
            pass

    def on_console(self, msg):
        if msg.type == "error" and not any(s in msg.text for s in self.expected_console):
            where = (msg.location or {}).get("url", "")
            self.problems.append(f"console error: {msg.text} ({where})")

    def on_request(self, request):
        self.requests.append(request)
        url = request.url
        scheme = urlsplit(url).scheme
        if scheme in ("data", "blob", "about", "chrome-extension"):
            return
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        if origin not in self.allowed_origins:
            self.problems.append(f"request to another origin: {request.method} {url}")

    def check(self):
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def guard(site_url):
    g = Guard()
    g.allowed_origins.add("{0.scheme}://{0.netloc}".format(urlsplit(site_url)))
    return g


@pytest.fixture
def context(context, guard):
    """pytest-playwright's context, watched by the guard; the test fails on anything it saw."""
    context.add_init_script(path=str(Path(__file__).parent / "support" / "report-csp.js"))
    guard.watch_context(context)
    yield context
    guard.check()


def engine_ready(page, timeout=60_000):
    """Wait until the page says the in-browser engine is ready (data-engine on <html>)."""
    # A function, not an expression: Playwright evals expression strings, which the CSP forbids.
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=timeout)
