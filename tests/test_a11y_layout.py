"""Checks axe does not make: target sizes, reflow at 320 px and 200 % text, dark mode and reduced
motion from the system settings, system fonts. Real pages, production CSP."""

import pytest
from support.axe import PAGE_TYPES, page_paths

pytestmark = pytest.mark.browser

MIN_TARGET = 44  # CSS px, both ways

# Every control and its tap target. A checkbox or radio's target includes its label (a tap on
# the label toggles it). Links inside running text are exempt, as WCAG 2.5.5/2.5.8 exempt
# "inline" targets: a link in a sentence cannot be 44 px tall without breaking the text.
TARGETS_JS = """(min) => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], [tabindex]:not([tabindex="-1"])';
  const union = (a, b) => ({ left: Math.min(a.left, b.left), top: Math.min(a.top, b.top),
                             right: Math.max(a.right, b.right), bottom: Math.max(a.bottom, b.bottom) });
  const inRunningText = (el) => {
    if (!el.matches('a') || getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    return block && block.textContent.trim().length > el.textContent.trim().length + 1;
  };
  const small = [];
  for (const el of document.querySelectorAll(sel)) {
    if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: false })) continue;
    if (inRunningText(el)) continue;
    let box = el.getBoundingClientRect();
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      for (const label of el.labels || []) box = union(box, label.getBoundingClientRect());
    }
    const w = box.right - box.left, h = box.bottom - box.top;
    if (w + 0.5 < min || h + 0.5 < min) {
      const name = (el.getAttribute('aria-label') || el.textContent || el.value || el.id || '').trim().slice(0, 40);
      small.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${name}": ${w.toFixed(1)} x ${h.toFixed(1)}`);
    }
  }
  return small;
}"""

# Horizontal scroll, and content cut off: boxes past the right edge, or text clipped by an
# overflow: hidden/clip box. Visually hidden helpers (1 x 1 px, .sr-only) are meant to be clipped.
REFLOW_JS = """() => {
  const doc = document.documentElement;
  const width = doc.clientWidth;
  const problems = [];
  if (doc.scrollWidth > width) problems.push(`page scrolls sideways: ${doc.scrollWidth} > ${width}`);
  for (const el of document.body.querySelectorAll('*')) {
    if (!el.checkVisibility({ visibilityProperty: true })) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 && r.height <= 1) continue;
    const where = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\\s+/g, '.') : ''}`;
    const right = r.right + window.scrollX;
    if (right > width + 1) problems.push(`${where} ends at ${right.toFixed(0)} px, past ${width}`);
    const cs = getComputedStyle(el);
    const clipsX = ['hidden', 'clip'].includes(cs.overflowX), clipsY = ['hidden', 'clip'].includes(cs.overflowY);
    if (clipsX && el.scrollWidth > el.clientWidth + 1) problems.push(`${where} cuts off text sideways`);
    if (clipsY && el.scrollHeight > el.clientHeight + 1) problems.push(`${where} cuts off text below`);
  }
  return problems;
}"""


def fill_worksheet(page):
    """Open the worksheet's dynamic parts: sliders, a tried skill, a plan."""
    page.get_by_role("radio", name="Coaching").check()
    page.get_by_label("What happened, in a sentence or two").fill(
        "My sister said something unkind at dinner and I left the table. Supercalifragilisticexpialidocious.")
    page.get_by_role("checkbox", name="sadness").check()
    page.get_by_role("checkbox", name="isolate").check()
    page.get_by_label("A skill I have tried").select_option(index=1)
    page.get_by_role("button", name="Add skill").click()
    page.get_by_label("Add a skill to my plan").select_option(index=2)
    page.get_by_role("button", name="Add to plan").click()
    page.wait_for_selector("#feel-list li input[type=range]")


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_every_control_is_at_least_44_px(page, site_dir, kind):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(page_paths(site_dir)[kind])
    if kind == "worksheet":
        fill_worksheet(page)
    small = page.evaluate(TARGETS_JS, MIN_TARGET)
    assert not small, f"{kind}: controls smaller than {MIN_TARGET} x {MIN_TARGET} px:\n" + "\n".join(small)


@pytest.mark.parametrize("size", ["320 px, 100 % text", "1280 px, 200 % text", "375 px, 200 % text"])
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_reflows_without_loss(page, site_dir, kind, size):
    width = int(size.split()[0])
    page.set_viewport_size({"width": width, "height": 720})
    page.goto(page_paths(site_dir)[kind])
    if "200" in size:
        # As a person's "text size 200 %" setting does: every rem and em doubles.
        page.evaluate("document.documentElement.style.fontSize = '200%'")
    if kind == "worksheet":
        fill_worksheet(page)
    problems = page.evaluate(REFLOW_JS)
    assert not problems, f"{kind} at {size}:\n" + "\n".join(problems[:20])


def luminance(rgb):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


COLOURS_JS = """() => {
  const rgb = (s) => s.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const body = getComputedStyle(document.body);
  const field = document.querySelector('input, textarea, select');
  return { bg: rgb(body.backgroundColor), fg: rgb(body.color),
           field: field ? rgb(getComputedStyle(field).backgroundColor) : null };
}"""


@pytest.mark.parametrize("kind", ["start", "worksheet", "card", "help"])
def test_colours_follow_the_system_setting(page, site_dir, kind):
    path = page_paths(site_dir)[kind]
    page.emulate_media(color_scheme="light")
    page.goto(path)
    light = page.evaluate(COLOURS_JS)
    assert luminance(light["bg"]) > 0.8 and luminance(light["fg"]) < 0.1
    page.emulate_media(color_scheme="dark")  # no reload: the page follows the setting as it changes
    dark = page.evaluate(COLOURS_JS)
    assert luminance(dark["bg"]) < 0.05 and luminance(dark["fg"]) > 0.6
    if dark["field"]:
        assert luminance(dark["field"]) < 0.1, "form fields stay light in dark mode"


MOTION_JS = """() => {
  const moving = [];
  for (const el of [document.documentElement, ...document.querySelectorAll('*')]) {
    for (const pseudo of [null, '::before', '::after']) {
      const cs = getComputedStyle(el, pseudo);
      const secs = (v) => Math.max(...v.split(',').map(parseFloat));
      if (cs.animationName !== 'none' && secs(cs.animationDuration) > 0.01) moving.push(`${el.tagName}${pseudo || ''} animation ${cs.animationName}`);
      if (secs(cs.transitionDuration) > 0.01) moving.push(`${el.tagName}${pseudo || ''} transition ${cs.transitionProperty}`);
    }
  }
  if (getComputedStyle(document.documentElement).scrollBehavior === 'smooth') moving.push('smooth scrolling');
  return moving;
}"""


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_reduced_motion_stops_all_motion(page, site_dir, kind):
    page.emulate_media(reduced_motion="reduce")
    page.goto(page_paths(site_dir)[kind])
    if kind == "worksheet":
        fill_worksheet(page)
    moving = page.evaluate(MOTION_JS)
    assert not moving, f"{kind} moves although the system asks for reduced motion: {moving[:10]}"


FONTS_JS = """() => {
  const seen = {};
  for (const el of document.querySelectorAll('body, h1, h2, p, a, button, input, select, textarea, label, legend')) {
    seen[getComputedStyle(el).fontFamily] = el.tagName;
  }
  const faces = [];
  for (const sheet of document.styleSheets) {
    for (const rule of sheet.cssRules) if (rule instanceof CSSFontFaceRule) faces.push(rule.cssText.slice(0, 80));
  }
  return { families: Object.keys(seen), faces, loaded: document.fonts.size };
}"""


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_system_fonts_only(page, site_dir, guard, kind):
    page.goto(page_paths(site_dir)[kind])
    if kind == "worksheet":
        fill_worksheet(page)
    fonts = page.evaluate(FONTS_JS)
    assert not fonts["faces"] and fonts["loaded"] == 0, fonts
    for family in fonts["families"]:
        assert family.startswith("system-ui"), f"{kind}: text set in {family}"
    fetched = [r.url for r in guard.requests if r.resource_type == "font"]
    assert not fetched
