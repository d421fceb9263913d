"""Nothing a person types leaves the device: every journey's traffic, storage, title and URL, checked.

Each journey types the sentinel (tests/support/hostile.py) into every field it meets. Afterwards:
- every request the browser made (page, engine worker, service worker) went to the app's own origin,
  was a GET, and carried the sentinel nowhere (URL, headers, body; plain, URL-encoded or base64);
- every request that reached the server says the same (an independent record);
- there are no cookies (context and document.cookie), no IndexedDB, and the sentinel is in no title,
  URL, history state, sessionStorage or service worker cache: only in localStorage, where entries live.
The conftest guard also fails the test on any CSP violation, console error, page error or dialog.
"""

import re
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, engine_ready
from support.hostile import SENTINEL
from support.journeys import (RecordingServer, cards_journey, export_import_journey, help_journey,
                              history_journey, local_storage, page_problems, request_problems,
                              server_problems, worksheet_journey)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def recorded(site_dir):
    server = RecordingServer(site_dir, ROOT)
    yield server
    server.stop()


@pytest.fixture
def app(page, guard, recorded):
    """The page, pointed at the recording server, with the server's record cleared."""
    guard.allowed_origins.add(recorded.origin)
    recorded.seen.clear()
    return page


def check_everything(page, guard, recorded):
    problems = request_problems(guard.requests, recorded.origin)
    problems += server_problems(recorded.seen)
    problems += page_problems(page)
    assert not problems, "\n".join(problems)
    assert guard.requests and recorded.seen, "the journey made requests, and both records saw them"


def test_cards_journey(app, guard, recorded):
    cards_journey(app, recorded.url)
    check_everything(app, guard, recorded)


def test_help_journey(app, guard, recorded):
    help_journey(app, recorded.url)
    check_everything(app, guard, recorded)
    assert SENTINEL not in str(local_storage(app))


def test_worksheet_journey_with_suggestions(app, guard, recorded, site_dir):
    filled = worksheet_journey(app, recorded.url)
    check_everything(app, guard, recorded)
    # What was typed is kept, on this device only.
    stored = str(local_storage(app))
    assert SENTINEL in stored
    for text in filled.values():
        assert text in stored or text.replace(SENTINEL, "").strip() == "", text
    # The engine worker's requests and the service worker's are in the record, so the checks above covered them.
    urls = [r.url for r in guard.requests]
    assert any(u.endswith(".wasm") for u in urls), "the engine worker's requests were recorded"
    if (site_dir / "sw.js").exists():
        assert any(r.service_worker for r in guard.requests), "the service worker's requests were recorded"


def test_history_journey(app, guard, recorded):
    history_journey(app, recorded.url)
    check_everything(app, guard, recorded)


def test_export_and_import_journey(app, guard, recorded, tmp_path):
    names = export_import_journey(app, recorded.url, tmp_path)
    check_everything(app, guard, recorded)
    for name in names:
        assert SENTINEL not in name
        assert re.fullmatch(r"between-sessions-(backup|entries)-\d{4}-\d{2}-\d{2}\.(json|csv)", name), name


def test_quick_exit_sends_nothing_typed(app, guard, recorded):
    """Quick exit goes to the clinic's neutral page: a plain navigation, no referrer, nothing typed in it."""
    app.goto(recorded.url + "worksheet.html")
    app.get_by_label("What happened, in a sentence or two").fill(SENTINEL)
    exit_link = app.get_by_role("link", name="Quick exit", exact=True)
    target = exit_link.get_attribute("href")
    # The one navigation to another origin the app makes, and only when the person taps it.
    guard.allowed_origins.add("{0.scheme}://{0.netloc}".format(urlsplit(target)))
    seen = []
    app.route(target + "**", lambda route: (seen.append(route.request), route.fulfill(body="neutral")))
    exit_link.click()
    app.wait_for_url(target + "**")
    assert len(seen) == 1
    request = seen[0]
    assert request.method == "GET" and SENTINEL not in request.url
    assert "referer" not in {k.lower() for k in request.all_headers()}
    assert SENTINEL not in app.url and SENTINEL not in app.title()
    # Everything before the exit stayed on our origin.
    assert not request_problems([r for r in guard.requests if r is not request and not r.url.startswith(target)],
                                recorded.origin)


def test_the_checks_catch_a_leak_from_the_page_the_worker_and_the_service_worker(app, guard, recorded, site_dir):
    """The checks above are not vacuous: leaks made on purpose, from each place code runs, are all caught."""
    app.goto(recorded.url + "worksheet.html")
    engine_ready(app)
    app.evaluate("(s) => fetch('engine/files.json?q=' + encodeURIComponent(s + ' typed'))", SENTINEL)
    app.evaluate("(s) => fetch('engine/files.json', {method: 'POST', body: JSON.stringify({what: s})}).catch(() => 0)", SENTINEL)
    app.workers[0].evaluate("(s) => fetch('../engine/files.json', {headers: {'X-Note': btoa('note: ' + s)}})", SENTINEL)
    app.evaluate("(s) => { document.cookie = 'note=' + s; }", SENTINEL)
    app.evaluate("(s) => { document.title = s; }", SENTINEL)
    sw = app.context.service_workers
    if not sw and (site_dir / "sw.js").exists():
        sw = [app.context.wait_for_event("serviceworker")]
    if sw:
        sw[0].evaluate("(s) => fetch('engine/files.json#' + s).then(() => fetch('engine/skills.json?' + s))", SENTINEL)
    # The deliberate POST gets a 405, which the guard reports; wait for it, then take it off as expected here.
    for _ in range(100):
        if any("405" in p for p in guard.problems):
            break
        app.evaluate("() => new Promise((r) => setTimeout(r, 20))")
    guard.problems[:] = [p for p in guard.problems if "405" not in p]
    seen = request_problems(guard.requests, recorded.origin)
    on_server = server_problems(recorded.seen)
    on_page = page_problems(app)
    assert any("typed text in a URL (page or worker): " in p and "q=" in p for p in seen), seen
    assert any("POST request" in p for p in seen) and any("body of POST" in p for p in seen), seen
    assert any("header x-note" in p.lower() for p in seen), seen
    # The service worker answers the page's and the engine worker's GETs from its cache, so only the browser's
    # record sees those; what does reach the server is caught there too.
    assert any("server got POST" in p for p in on_server), on_server
    assert any("server got a cookie" in p for p in on_server) or any("cookie sent" in p for p in seen), (seen, on_server)
    assert any("document.cookie" in p for p in on_page) and any("title" in p for p in on_page), on_page
    if sw:
        assert any("(service worker)" in p for p in seen), seen
        assert any("reached the server: GET /engine/skills.json?" in p for p in on_server), on_server
