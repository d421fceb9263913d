"""Nothing moves under a person's eyes or finger, and nothing runs out of time.

- No layout shift when the engine's suggestions arrive or change, nor when a saved worksheet is
  reopened (layout shifts are recorded by a PerformanceObserver injected before page scripts).
- No form times out: hours of idle time later, everything typed is still there and still saves.
Real pages, production CSP.
"""

import re

import pytest
from conftest import engine_ready
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SHIFTS_JS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const sources = (e.sources || []).map((s) => {
      const n = s.node && s.node.nodeType === 1 ? s.node : s.node && s.node.parentElement;
      return n ? n.tagName.toLowerCase() + (n.id ? '#' + n.id : '') + (typeof n.className === 'string' && n.className ? '.' + n.className.trim().replace(/\\s+/g, '.') : '') : '?';
    });
    window.__shifts.push({ at: e.startTime, value: e.value, recentInput: e.hadRecentInput, sources });
  }
}).observe({ type: 'layout-shift', buffered: true });
"""

FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"
# Tall enough that the first steps and the ideas are all on screen: a shift anywhere counts.
TALL = {"width": 390, "height": 2600}


@pytest.fixture
def shifts_page(page):
    page.add_init_script(script=SHIFTS_JS)
    page.set_viewport_size(TALL)
    return page


def shifts_since(page, t):
    return [s for s in page.evaluate("window.__shifts") if s["at"] > t]


def describe(shifts):
    return "\n".join(f"  {s['value']:.4f} at {s['at']:.0f} ms: {', '.join(s['sources'])}" for s in shifts)


def test_suggestions_arrive_without_moving_anything(shifts_page):
    page = shifts_page
    page.goto("worksheet.html")
    page.get_by_role("radio", name="Skills coaching").check()
    page.get_by_role("checkbox", name="sadness").check()
    page.wait_for_selector("#feel-list input[type=range]")
    settled = page.evaluate(FRAMES)  # the layout change the person made has happened
    assert page.locator("#ideas .idea").count() == 0, "ideas came before the test could watch for them"

    engine_ready(page)
    page.locator("#ideas .idea").first.wait_for()
    page.evaluate(FRAMES)
    moved = shifts_since(page, settled)
    assert not moved, "layout shifted when the ideas arrived:\n" + describe(moved)

    # New ideas for a changed worksheet replace the old ones without moving what is below.
    first = page.locator("#ideas .idea h3").all_text_contents()
    page.get_by_role("checkbox", name="shame").check()
    page.get_by_role("checkbox", name="isolate").check()
    page.wait_for_selector("#urge-list input[type=range]")
    settled = page.evaluate(FRAMES)
    page.wait_for_function("""(before) => {
        const now = [...document.querySelectorAll('#ideas .idea h3')].map(h => h.textContent);
        return now.length && JSON.stringify(now) !== JSON.stringify(before) && !document.getElementById('ideas').hasAttribute('aria-busy');
    }""", arg=first)
    page.evaluate(FRAMES)
    moved = shifts_since(page, settled)
    assert not moved, "layout shifted when the ideas changed:\n" + describe(moved)


def test_reopening_a_saved_worksheet_does_not_shift_the_page(shifts_page):
    """A return visit restores the saved worksheet; the page must not jump while it does."""
    page = shifts_page
    page.goto("worksheet.html")
    page.get_by_role("radio", name="Skills coaching").check()
    page.get_by_label("What happened, in a sentence or two").fill("A hard phone call with my mum.")
    page.get_by_role("checkbox", name="anger").check()
    page.get_by_role("checkbox", name="isolate").check()
    page.get_by_label("A skill I have tried").select_option(index=1)
    page.get_by_role("button", name="Add skill").click()
    page.wait_for_selector("#tried-list li select")
    # The browser's answer to "keep this site's storage?" is stored; "no" shows a note on keeping entries.
    page.wait_for_function("() => localStorage.getItem('bs.kept') !== null")
    kept = page.evaluate("localStorage.getItem('bs.kept')")

    page.reload()
    engine_ready(page)
    page.locator("#ideas .idea").first.wait_for()
    page.evaluate(FRAMES)
    moved = [s for s in page.evaluate("window.__shifts") if not s["recentInput"]]
    assert not moved, "layout shifted while the saved worksheet and its ideas came back:\n" + describe(moved)
    note = page.get_by_text("Your browser may clear saved worksheets")
    expect(note).to_be_visible() if kept == "0" else expect(note).to_be_hidden()


def test_reopened_worksheet_is_shown_once_filled_in(shifts_page):
    """worksheet-early.js keeps a reopened form out of sight only until worksheet.js has filled it in."""
    page = shifts_page
    page.goto("worksheet.html")
    page.get_by_label("What happened, in a sentence or two").fill("Came back to this.")
    page.reload()
    what = page.get_by_label("What happened, in a sentence or two")
    expect(what).to_have_value("Came back to this.")
    assert page.evaluate("document.documentElement.classList.contains('ws-reopening')") is False
    assert what.is_visible() and what.is_editable()


@pytest.mark.browser_context_args(service_workers="block")  # so the route below sees the module request
def test_reopened_worksheet_shows_even_if_its_script_cannot_load(page, guard):
    """If worksheet.js never runs, the form must not stay hidden: it shows within three seconds."""
    page.goto("worksheet.html")
    page.get_by_label("What happened, in a sentence or two").fill("Came back to this.")
    guard.expected_console.append("Failed to load")
    page.route("**/js/worksheet.js", lambda route: route.abort())
    page.reload()
    assert page.evaluate("document.documentElement.classList.contains('ws-reopening')") is True
    expect(page.get_by_label("What happened, in a sentence or two")).to_be_visible(timeout=5_000)
    assert page.get_by_role("link", name="Get help now").first.is_visible()


@pytest.mark.browser_context_args(service_workers="block")  # so the route below sees the module request
def test_reopened_worksheet_takes_a_call_kind_from_the_first_paint(page):
    """The call kinds can be used as soon as a reopened worksheet paints, before worksheet.js runs; a kind
    picked then is kept (it is newer than the saved one), and the rest of the form shows once filled in."""
    page.goto("worksheet.html")
    page.get_by_role("radio", name="Skills coaching").check()
    page.get_by_label("What happened, in a sentence or two").fill("Came back to this.")
    page.wait_for_function("() => localStorage.getItem('bs.kept') !== null")
    note_shows = page.evaluate("localStorage.getItem('bs.kept')") == "0"  # the browser said no: a note shows
    held = []
    page.route("**/js/worksheet.js", lambda route: held.append(route))
    page.reload(wait_until="commit")
    crisis = page.get_by_role("radio", name=re.compile("^Crisis"))
    crisis.check()
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(20)
    assert held, "worksheet.js was asked for"
    assert page.evaluate("document.documentElement.classList.contains('ws-reopening')") is True
    what = page.get_by_label("What happened, in a sentence or two")
    expect(what).to_be_hidden()  # not yet filled in, so out of sight
    kinds_at = page.evaluate("document.getElementById('step-kind').getBoundingClientRect().top + scrollY")
    held[0].continue_()
    expect(what).to_be_visible()
    # Nothing above the call kinds took or gave back space as the form filled in (the note had its place).
    assert page.evaluate("document.getElementById('step-kind').getBoundingClientRect().top + scrollY") == kinds_at
    expect(page.get_by_text("Your browser may clear saved worksheets")).to_be_visible() if note_shows else None
    expect(what).to_have_value("Came back to this.")
    expect(crisis).to_be_checked()
    page.unroute("**/js/worksheet.js")
    page.reload()
    expect(page.get_by_role("radio", name=re.compile("^Crisis"))).to_be_checked()
    expect(page.get_by_label("What happened, in a sentence or two")).to_have_value("Came back to this.")


def test_no_form_times_out(page):
    """Three hours away from an open worksheet: nothing lost, nothing locked, saving still works."""
    page.clock.install()
    page.goto("worksheet.html")
    page.get_by_role("radio", name="Skills coaching").check()
    what = page.get_by_label("What happened, in a sentence or two")
    what.fill("Started this before lunch.")
    url = page.url
    page.clock.fast_forward("03:00:00")
    page.clock.run_for(2000)  # let any timers now due run
    assert page.url == url
    assert what.input_value() == "Started this before lunch."
    assert what.is_editable()
    what.press("End")
    what.type(" Back now.")
    page.reload()
    assert page.get_by_label("What happened, in a sentence or two").input_value() == "Started this before lunch. Back now."
