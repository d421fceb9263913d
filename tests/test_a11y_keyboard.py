"""Keyboard use: "Get help now" within two Tab presses everywhere, a visible focus that no sticky
bar hides, and a whole worksheet completed without a mouse. Real pages, production CSP."""

from html.parser import HTMLParser

import pytest
from conftest import engine_ready
from support.axe import PAGE_TYPES, page_paths

pytestmark = pytest.mark.browser

# Where focus is and whether a person can see it: an outline or ring (on the control or its
# label), inside the viewport, and not hidden under any sticky or fixed element.
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return { where: 'nothing focused', problems: ['focus is lost'] };
  const name = (n) => `${n.tagName.toLowerCase()}${n.id ? '#' + n.id : ''} "${(n.getAttribute('aria-label') || n.textContent || n.value || '').trim().slice(0, 40)}"`;
  const ring = (n) => {
    const cs = getComputedStyle(n);
    return (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || (cs.boxShadow && cs.boxShadow !== 'none');
  };
  const problems = [];
  const labels = [...(el.labels || [])];
  if (!el.matches(':focus-visible')) problems.push('not :focus-visible');
  if (!(ring(el) || labels.some(ring))) problems.push('no visible focus indicator');
  const r = el.getBoundingClientRect();
  if (!(r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth)) problems.push('focused control is off screen');
  for (const other of document.body.querySelectorAll('*')) {
    const pos = getComputedStyle(other).position;
    if ((pos === 'sticky' || pos === 'fixed') && !other.contains(el) && other.checkVisibility()) {
      const o = other.getBoundingClientRect();
      // Hidden: the bar covers the control's centre or a quarter of it. Stricter than WCAG 2.4.11
      // (not entirely hidden); a floating button over the far corner of a full-width field is allowed.
      const w = Math.max(0, Math.min(o.right, r.right) - Math.max(o.left, r.left));
      const h = Math.max(0, Math.min(o.bottom, r.bottom) - Math.max(o.top, r.top));
      const cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
      const centre = o.left <= cx && cx <= o.right && o.top <= cy && cy <= o.bottom;
      if (centre || w * h > 0.25 * r.width * r.height) problems.push(`hidden under ${name(other)}`);
    }
  }
  return { where: name(el), problems };
}"""


def press(page, key):
    page.keyboard.press(key)
    focus = page.evaluate(FOCUS_JS)
    assert not focus["problems"], f"after {key}, focus on {focus['where']}: {', '.join(focus['problems'])}"
    return focus


def tab_to(page, locator, limit=150):
    """Press Tab (checking the focus at every stop) until the locator's element has focus."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        press(page, "Tab")
    raise AssertionError(f"{locator} not reached in {limit} Tab presses")


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_get_help_now_is_within_two_tabs(page, site_dir, kind):
    page.goto(page_paths(site_dir)[kind])
    names = []
    for _ in range(2):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.textContent.trim()"))
        if names[-1] == "Get help now":
            break
    assert names[-1] == "Get help now", f"{kind}: Tab reaches {names}"
    assert page.evaluate("new URL(document.activeElement.href).pathname.endsWith('/help.html')")
    # On help.html the link reloads the same URL, which wait_for_url would not wait for: wait for the load.
    with page.expect_event("load"):
        page.keyboard.press("Enter")
    assert page.url.endswith("/help.html")


class FirstFocusable(HTMLParser):
    FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}

    def __init__(self):
        super().__init__()
        self.found, self.current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if len(self.found) >= 2 or attrs.get("tabindex") == "-1" or "hidden" in attrs:
            return
        if (tag == "a" and "href" in attrs) or tag in self.FOCUSABLE - {"a"} or attrs.get("tabindex") == "0":
            self.current = [tag, attrs.get("href", ""), ""]
            self.found.append(self.current)

    def handle_data(self, data):
        if self.current is not None:
            self.current[2] += data

    def handle_endtag(self, tag):
        if self.current is not None and tag == self.current[0]:
            self.current = None


def test_every_built_page_starts_with_skip_link_then_help(site_dir):
    """Every page in the build, not only one of each type: skip link first, "Get help now" second."""
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        parser = FirstFocusable()
        parser.feed(path.read_text(encoding="utf-8"))
        (tag1, href1, text1), (tag2, href2, text2) = parser.found[:2]
        rel = path.relative_to(site_dir)
        assert href1 == "#main", f"{rel}: first focusable is {tag1} {href1} {text1.strip()!r}"
        assert text2.strip() == "Get help now" and href2.endswith("help.html"), f"{rel}: second is {text2.strip()!r}"


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_focus_is_always_visible_and_never_hidden(page, site_dir, kind):
    """Tab through the whole page, on a phone-size screen, checking every stop."""
    page.set_viewport_size({"width": 375, "height": 640})
    page.goto(page_paths(site_dir)[kind])
    last = page.evaluate("document.querySelectorAll('a[href], button, input, select, textarea').length")
    seen = []
    for _ in range(min(last, 150) + 2):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        if seen and (focus["where"] == "nothing focused" or focus["where"] == seen[0]):
            break  # past the last control: focus left the page or wrapped round
        assert not focus["problems"], f"{kind}: focus on {focus['where']}: {', '.join(focus['problems'])}"
        seen.append(focus["where"])
    assert len(seen) >= 4


def test_whole_worksheet_by_keyboard(page):
    """A person who uses only a keyboard fills in every step and finds the worksheet in History."""
    page.set_viewport_size({"width": 390, "height": 700})
    page.goto("worksheet.html")

    press(page, "Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.keyboard.press("Enter")  # skip link: focus moves to <main>
    assert page.evaluate("document.activeElement.id") == "main"

    # 1. Kind of call: Tab into the radio group, arrows choose.
    tab_to(page, page.get_by_role("radio", name="Crisis"))
    press(page, "ArrowDown")
    assert page.get_by_role("radio", name="Skills coaching").is_checked()

    # 2. What happened.
    what = page.get_by_label("What happened, in a sentence or two")
    tab_to(page, what)
    page.keyboard.type("My friend cancelled our plans again and I want to hide.")
    change = page.get_by_label("Can this be changed right now?")
    tab_to(page, change)
    press(page, "ArrowDown")
    assert change.input_value() == "yes"

    # 3. Feelings: a chip, then its strength slider.
    tab_to(page, page.get_by_role("checkbox", name="sadness"))
    press(page, " ")
    slider = page.get_by_role("slider", name="sadness")
    tab_to(page, slider)
    for _ in range(3):
        press(page, "ArrowRight")
    assert slider.input_value() == "8"
    fits = page.get_by_label("Does the feeling fit the facts?")
    tab_to(page, fits)
    press(page, "ArrowDown")

    # 4. Urges.
    tab_to(page, page.get_by_role("checkbox", name="isolate"))
    press(page, " ")
    urge = page.get_by_role("slider", name="isolate")
    tab_to(page, urge)
    press(page, "ArrowLeft")

    # 5. Goal and priority.
    tab_to(page, page.get_by_label("What I want right now (my goal)"))
    page.keyboard.type("To feel less alone tonight.")
    tab_to(page, page.get_by_label("If someone else is involved, what matters most?"))
    press(page, "ArrowDown")

    # 6. A skill already tried, and how it went.
    tab_to(page, page.get_by_label("A skill I have tried"))
    press(page, "ArrowDown")
    tab_to(page, page.get_by_role("button", name="Add skill"))
    press(page, "Enter")
    result = page.get_by_label("go?")
    tab_to(page, result)
    press(page, "ArrowDown")

    # 7. Ideas from the engine: add the first one to the plan.
    engine_ready(page)
    first_idea = page.locator("#ideas .add-idea").first
    first_idea.wait_for()
    tab_to(page, first_idea)
    press(page, "Enter")
    assert first_idea.get_attribute("aria-pressed") == "true"

    # 8. My plan, in my own words.
    tab_to(page, page.get_by_label("What I will do instead, in my own words"))
    page.keyboard.type("Text my friend and go for a walk.")

    # 9. Afterwards: the skill used, a rating by arrows, how strong the feeling is now, a note.
    tab_to(page, page.get_by_label("Which skill did I use?"))
    press(page, "ArrowDown")
    tab_to(page, page.get_by_role("radio", name="0", exact=True))
    for _ in range(4):
        press(page, "ArrowRight")
    assert page.get_by_role("radio", name="4", exact=True).is_checked()
    tab_to(page, page.get_by_label("How strong is the feeling now? (0 to 10)"))
    press(page, "ArrowDown")
    tab_to(page, page.get_by_label("A note for myself or my therapist"))
    page.keyboard.type("It helped to write it down.")

    # Saved: History, reached by keyboard, lists it.
    tab_to(page, page.get_by_role("link", name="See my past worksheets"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/history.html")
    page.get_by_text("My friend cancelled our plans again").first.wait_for()
