"""Shared browser journeys and the privacy checks every journey ends with.

A journey is a function (page, base) -> None that walks through part of the app as a person would,
typing hostile.SENTINEL into every field it meets. Other tests may reuse them.

Two independent records of traffic are kept:
- Playwright's: every request the browser context makes, the page's, the engine worker's and the
  service worker's (checked in tests/test_privacy_journeys.py that all three are seen);
- the server's: RecordingServer notes every request line and header block that reaches it, so
  even a request Playwright failed to report would be caught if it carried a typed word.
"""

import base64
import json
from functools import partial
from urllib.parse import quote, quote_plus, unquote_plus, urlsplit

from playwright.sync_api import expect

from builder.server import SiteServer

from .hostile import SENTINEL


class RecordingServer:
    """builder.server.SiteServer, plus a list of every request that reached it."""

    def __init__(self, site_dir, root, prefix="/"):
        self.server = SiteServer(site_dir, root, prefix=prefix)
        base = self.server.httpd.RequestHandlerClass  # functools.partial(Handler, site=..., ...)
        seen = self.seen = []

        class Recording(base.func):
            def parse_request(self):
                ok = super().parse_request()
                seen.append({"line": self.requestline, "method": self.command,
                             "headers": dict(self.headers.items()) if ok else {}})
                return ok

        self.server.httpd.RequestHandlerClass = partial(Recording, *base.args, **base.keywords)
        self.server.start()
        self.url = self.server.url
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.url))

    def stop(self):
        self.server.stop()


def encodings(secret):
    """The secret as it could appear in a request: plain, URL-encoded, JSON-escaped, base64 at any alignment."""
    forms = {secret, quote(secret), quote_plus(secret), quote(secret, safe=""), json.dumps(secret)[1:-1]}
    raw = secret.encode("utf-8")
    for pad in range(3):
        # The middle of the encoding is the same whatever bytes come before or after the secret.
        forms.add(base64.b64encode(b"\0" * pad + raw).decode()[4:-4])
    return {f for f in forms if len(f) >= 8}


def carries(text, secrets):
    if not text:
        return False
    text = str(text)
    decoded = unquote_plus(text) if "%" in text or "+" in text else text
    return any(form in text or form in decoded for secret in secrets for form in encodings(secret))


def request_problems(requests, origin, secrets=(SENTINEL,)):
    """Every request: same origin, GET only (not even HEAD), no secret in URL, headers or body."""
    problems = []
    for r in requests:
        url = r.url
        who = "service worker" if r.service_worker else "page or worker"
        scheme = urlsplit(url).scheme
        if scheme not in ("blob", "data") and "{0.scheme}://{0.netloc}".format(urlsplit(url)) != origin:
            problems.append(f"{who} request to another origin: {r.method} {url}")
        if r.method != "GET":
            problems.append(f"{who} {r.method} request: {url}")
        if carries(url, secrets):
            problems.append(f"typed text in a URL ({who}): {url}")
        try:
            headers = r.all_headers()
        except Exception:  # the request is gone (e.g. its worker ended): the provisional headers remain
            headers = r.headers
        for name, value in headers.items():
            if name.lower() == "cookie":
                problems.append(f"cookie sent with {url}")
            if carries(value, secrets):
                problems.append(f"typed text in header {name} of {url}")
        body = r.post_data_buffer
        if body and carries(body.decode("utf-8", "replace"), secrets):
            problems.append(f"typed text in the body of {r.method} {url}")
    return problems


def server_problems(seen, secrets=(SENTINEL,)):
    problems = []
    for req in seen:
        if req["method"] != "GET":
            problems.append(f"server got {req['line']}")
        if carries(req["line"], secrets):
            problems.append(f"typed text reached the server: {req['line']}")
        for name, value in req["headers"].items():
            if name.lower() == "cookie":
                problems.append(f"server got a cookie with {req['line']}")
            if carries(value, secrets):
                problems.append(f"typed text reached the server in {name}: {req['line']}")
    return problems


def page_problems(page, secrets=(SENTINEL,)):
    """Title, URL, cookies and storage other than localStorage: none may hold typed text."""
    problems = []
    if carries(page.url, secrets):
        problems.append(f"typed text in the page URL: {page.url}")
    if carries(page.title(), secrets):
        problems.append(f"typed text in the title: {page.title()}")
    state = page.evaluate("""async () => {
        const out = {cookie: document.cookie, session: JSON.stringify(Object.entries(sessionStorage)),
                     history: JSON.stringify(history.state ?? null), cached: [], databases: []};
        if (indexedDB.databases) out.databases = (await indexedDB.databases()).map((d) => d.name);
        for (const name of await caches.keys()) {
            out.cached.push(name);
            for (const request of await (await caches.open(name)).keys()) out.cached.push(request.url);
        }
        return out;
    }""")
    if state["cookie"]:
        problems.append(f"document.cookie is set: {state['cookie']!r}")
    for where in ("session", "history"):
        if carries(state[where], secrets):
            problems.append(f"typed text kept in {where}: {state[where][:200]}")
    if state["databases"]:
        problems.append(f"IndexedDB databases exist: {state['databases']}")
    for item in state["cached"]:
        if carries(item, secrets):
            problems.append(f"typed text in the service worker cache: {item}")
    if page.context.cookies():
        problems.append(f"cookies in the browser context: {page.context.cookies()}")
    return problems


def local_storage(page):
    return page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")


# --- journeys -------------------------------------------------------------------------------

def cards_journey(page, base):
    """Browse the skills, search for the typed word, open a card and carry a skill to the worksheet."""
    page.goto(base + "skills/index.html")
    search = page.get_by_label("Find a skill by name, feeling, urge or situation")
    search.fill(SENTINEL)
    expect(page.get_by_text("No skill matches that.")).to_be_visible()
    search.fill("anger")
    expect(page.get_by_text("No skill matches that.")).to_be_hidden()
    page.locator("main li[data-search]:not([hidden]) a").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("link", name="Use this in my worksheet").click()
    page.wait_for_url("**/worksheet.html#plan=*")
    page.get_by_role("link", name="Skills").first.click()
    page.get_by_role("link", name="which skill when").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Which skill when?")


def help_journey(page, base):
    """Open help from another page's header, pick a region, and read the privacy page."""
    page.goto(base + "index.html")
    page.get_by_role("link", name="Get help now").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")
    region = page.get_by_label("Where are you?")
    expect(region).to_be_visible()
    region.select_option("all")
    region.select_option(index=0)
    page.get_by_role("link", name="Privacy and quick exit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy and quick exit")


def typed(label):
    """What a journey types into the field with this label: the sentinel, and which field it was."""
    return f"{SENTINEL} {label}"


def fill_every_textbox(page, scope="main", text=typed):
    """Type into every visible, enabled text field under scope. Returns {label: what was typed}."""
    done = {}
    boxes = page.locator(scope).get_by_role("textbox").or_(page.locator(scope).get_by_role("searchbox"))
    for i in range(boxes.count()):
        box = boxes.nth(i)
        if not box.is_visible() or not box.is_enabled():
            continue
        label = box.evaluate("(el) => el.labels?.[0]?.textContent.trim() || el.getAttribute('aria-label') || el.id")
        box.fill(text(label))
        if box.evaluate("(el) => el.tagName") == "INPUT":
            box.press("Enter")  # "add my own" fields keep their words on Enter
        done[label] = text(label)
    return done


def quick_worksheet(page, base):
    """A short worksheet, typed without waiting for the engine (for journeys that need one saved)."""
    page.goto(base + "worksheet.html")
    page.get_by_role("radio", name="Skills coaching: help me pick a skill").check()
    page.get_by_label("What happened, in a sentence or two").fill(typed("what happened"))
    page.get_by_label("Another emotion, in my own words").fill(SENTINEL)
    page.get_by_role("button", name="Add emotion").click()
    expect(page.get_by_role("status").filter(has_text="Saved on this device")).to_be_visible()


def worksheet_journey(page, base):
    """Fill in every part of a worksheet, take an idea from the engine, and finish the 'afterwards' part."""
    page.goto(base + "worksheet.html")
    page.get_by_role("radio", name="Skills coaching: help me pick a skill").check()
    page.get_by_label("Can this be changed right now?").select_option("no")
    page.get_by_role("checkbox", name="anger").check()
    page.get_by_label("Another emotion, in my own words").fill(SENTINEL)
    page.get_by_role("button", name="Add emotion").click()
    page.get_by_label("Does the feeling fit the facts?").select_option("not-sure")
    page.get_by_role("checkbox", name="Isolate or hide").check()
    page.get_by_label("Another urge, in my own words").fill(typed("urge"))
    page.get_by_role("button", name="Add urge").click()
    sliders = page.get_by_role("slider")
    expect(sliders).to_have_count(4)
    for i in range(sliders.count()):
        sliders.nth(i).fill("6")
    page.get_by_label("If someone else is involved, what matters most?").select_option("relationship")
    page.get_by_label("A skill I have tried").select_option(index=1)
    page.get_by_role("button", name="Add skill").click()
    page.get_by_label("How did").select_option("a-little")
    # Every remaining text field: what happened, goal, plan, note, and any the page adds later.
    filled = fill_every_textbox(page)
    assert len(filled) >= 4, filled
    # Ideas from the engine, made from everything typed above.
    idea = page.get_by_role("button", name="to my plan").first
    expect(idea).to_be_visible(timeout=60_000)
    idea.click()
    page.get_by_label("Add a skill to my plan").select_option(index=2)
    page.get_by_role("button", name="Add to plan").click()
    page.get_by_label("Which skill did I use?").select_option("none")
    page.get_by_role("radio", name="3").check()
    page.get_by_label("How strong is the feeling now? (0 to 10)").select_option("4")
    page.get_by_label("What got in the way?").fill(typed("what got in the way"))
    page.get_by_role("button", name="Copy summary").click()
    page.get_by_role("button", name="Large text to read out").click()
    expect(page.locator("#summary")).to_contain_text(SENTINEL)
    expect(page.get_by_role("status").filter(has_text="Saved on this device")).to_be_visible()
    return filled


def history_journey(page, base):
    """Find a saved worksheet by a word in it, open it, and look at the week summary."""
    quick_worksheet(page, base)
    page.get_by_role("link", name="History").click()
    search = page.get_by_label("Search my worksheets")
    search.fill(SENTINEL)
    expect(page.get_by_text("1 of 1 worksheets match.")).to_be_visible()
    expect(page.locator("#entries")).to_contain_text(typed("what happened"))
    page.get_by_label("Which week?").select_option(index=0)
    page.get_by_role("link", name="Open the worksheet from").first.click()
    expect(page.get_by_label("What happened, in a sentence or two")).to_have_value(typed("what happened"))


def export_import_journey(page, base, tmp_path):
    """Download a backup and a CSV, delete everything, and restore the backup. Returns the file names."""
    quick_worksheet(page, base)
    page.goto(base + "history.html")
    names = []
    for button in ("Download a backup", "Download for a spreadsheet (CSV)"):
        with page.expect_download() as info:
            page.get_by_role("button", name=button).click()
        download = info.value
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        assert SENTINEL in path.read_text(encoding="utf-8-sig"), "the file holds what was typed"
        names.append(download.suggested_filename)
    page.get_by_role("button", name="Delete everything…").click()
    page.get_by_role("button", name="Yes, delete everything").click()
    expect(page.get_by_text("No worksheets yet.")).to_be_visible()
    assert SENTINEL not in json.dumps(local_storage(page)), "delete everything leaves nothing typed behind"
    page.get_by_label("Restore from a backup file").set_input_files(tmp_path / names[0])
    page.get_by_role("button", name="Add them to my worksheets").click()
    expect(page.get_by_text("Done. 1 worksheet added")).to_be_visible()
    expect(page.locator("#entries")).to_contain_text(typed("what happened"))
    return names
