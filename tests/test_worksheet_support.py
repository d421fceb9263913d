"""Shared fixtures and helpers for the worksheet, storage, history and backup tests (no tests here).

The site is built from the skills-mini fixture cards with one coach in the clinic settings, so these
tests do not depend on cards other helpers are still writing. The real engine runs in it.
"""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from conftest import FIXTURES, build_site

STORAGE_FIXTURES = FIXTURES / "storage"
CLINIC = """
[[coaches]]
name = "Sam"
call = "+1 555 010 0199"
text = "+1 555 010 0198"
"""

# Skill ids in tests/fixtures/skills-mini.
SKILLS = {
    "ask-kindly": "Ask kindly",
    "both-sides": "Both sides",
    "cool-down": "Cool down",
    "look-back": "Look back",
    "notice-this": "Notice this",
    "test-the-story": "Test the story",
}


_SHARED = {}


@pytest.fixture(scope="session")
def ws_server(tmp_path_factory, serve):
    # Each test module imports this fixture, which makes one fixture per module; they must share one
    # server, because pytest-playwright computes its session-wide context arguments (base_url) only once.
    if "server" not in _SHARED:
        settings = tmp_path_factory.mktemp("ws-settings")
        (settings / "clinic.toml").write_text(CLINIC, encoding="utf-8")
        out = build_site(tmp_path_factory.mktemp("ws-site"), settings_root=settings, skills_dir=FIXTURES / "skills-mini")
        _SHARED["server"] = serve(out)
    return _SHARED["server"]


@pytest.fixture
def browser_context_args(browser_context_args, ws_server):
    # Per test, not per session: other modules' tests use the real site as their base URL.
    return {**browser_context_args, "base_url": ws_server.url}


@pytest.fixture(autouse=True)
def _allow_ws_origin(guard, ws_server):
    guard.allowed_origins.add("{0.scheme}://{0.netloc}".format(urlsplit(ws_server.url)))


def seed(context, values, marker="seed"):
    """Put values into localStorage before the first page loads (once, not on every reload).

    values: key -> str (stored as is) or any JSON value (stored as JSON text).
    """
    text = {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}
    context.add_init_script(
        "(() => { const values = %s; const marker = %s;"
        " if (localStorage.getItem(marker) === null) {"
        "   for (const [k, v] of Object.entries(values)) localStorage.setItem(k, v);"
        "   localStorage.setItem(marker, '1'); } })();" % (json.dumps(text), json.dumps("test-" + marker))
    )


def load_fixture(name):
    return json.loads((STORAGE_FIXTURES / name).read_text(encoding="utf-8"))


def stored(page):
    """Everything in localStorage for the page's origin, except test markers."""
    data = page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")
    return {k: v for k, v in data.items() if not k.startswith("test-")}


def entries(page):
    """Stored entries: id -> parsed entry."""
    return {k[5:]: json.loads(v) for k, v in stored(page).items() if k.startswith("bs.e.")}


def entry_with(page, **fields):
    """The one stored entry whose fields include these values."""
    found = [e for e in entries(page).values() if all(e.get(k) == v for k, v in fields.items())]
    assert len(found) == 1, (fields, entries(page))
    return found[0]


def wait_saved(page):
    expect(page.locator("#save-state")).to_have_text(re.compile("^Saved on this device"))


def kind(page, label_start):
    page.get_by_role("radio", name=re.compile("^" + re.escape(label_start))).check()


def add_emotion(page, name, level=None, own=False):
    if own:
        page.get_by_label("Another emotion, in my own words").fill(name)
        page.get_by_role("button", name="Add emotion").click()
    else:
        page.get_by_role("checkbox", name=name, exact=True).check()
    if level is not None:
        page.get_by_role("list", name="How strong each emotion is").get_by_label(f"{name}: how strong, 0 to 10", exact=True).fill(str(level))


def add_urge(page, label, level=None, own=False):
    if own:
        page.get_by_label("Another urge, in my own words").fill(label)
        page.get_by_role("button", name="Add urge").click()
    else:
        page.get_by_role("checkbox", name=label, exact=True).check()
    if level is not None:
        page.get_by_role("list", name="How strong each urge is").get_by_label(f"{label}: how strong, 0 to 10", exact=True).fill(str(level))


def pick_skill(page, select_label, skill_name, button):
    page.get_by_label(select_label, exact=True).select_option(label=skill_name)
    page.get_by_role("button", name=button, exact=True).click()


def engine_ready(page):
    # The conftest helper polls with wait_for_function, which page CSP blocks (no eval); this waits on the DOM.
    expect(page.locator("html")).to_have_attribute("data-engine", "ready", timeout=90_000)


def throwing_storage_script(method, name, code=None, when="true"):
    """An init script making Storage.prototype[method] throw a DOMException named `name` while `when` holds."""
    make = f"new DOMException('simulated', {json.dumps(name)})"
    if code is not None:
        make = f"Object.assign(new Error('simulated'), {{name: {json.dumps(name)}, code: {int(code)}}})"
    return (
        f"(() => {{ const real = Storage.prototype.{method};"
        f" Storage.prototype.{method} = function (...args) {{"
        f"   if ({when}) throw {make};"
        f"   return real.apply(this, args); }}; }})();"
    )


def download_json(page, click):
    with page.expect_download() as info:
        click()
    download = info.value
    path = download.path()
    return download.suggested_filename, json.loads(Path(path).read_text(encoding="utf-8"))


LAYOUT_CHECK = """(width) => {
  const out = [];
  for (const c of document.querySelectorAll('main input, main select, main textarea, main button, main a')) {
    const r = c.getBoundingClientRect();
    if (!r.width && !r.height) continue;  // hidden
    const box = c.closest('label') || c;
    const b = box.getBoundingClientRect();
    // Links inside a sentence are exempt from the target size (WCAG 2.5.8 inline exception).
    const inline = c.tagName === 'A' && !c.classList.contains('button') && getComputedStyle(c).display === 'inline';
    if (!inline && (b.height < 44 || b.width < 44)) out.push(`small: ${c.outerHTML.slice(0, 80)} ${b.width}x${b.height}`);
    if (['INPUT', 'SELECT', 'TEXTAREA'].includes(c.tagName) && c.type !== 'hidden' && !c.labels?.length)
      out.push(`no label: ${c.outerHTML.slice(0, 80)}`);
  }
  if (document.documentElement.scrollWidth > width) out.push(`wider than the screen: ${document.documentElement.scrollWidth}`);
  return out;
}"""


def layout_problems(page, width):
    """Controls under 44x44 CSS px, inputs without a label, and sideways scrolling at this width."""
    return page.evaluate(LAYOUT_CHECK, width)
