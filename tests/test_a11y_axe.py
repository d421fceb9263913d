"""axe-core finds no WCAG 2.2 A/AA violations on any page type, light, dark and with reduced motion.

axe runs in its own browser context with CSP bypassed (it is injected as a script tag); every
other browser test runs under the production policy. Pages are the real build.
"""

import pytest
from support.axe import PAGE_TYPES, describe, page_paths, run_axe

pytestmark = pytest.mark.browser

MODES = {
    "light": {"color_scheme": "light", "reduced_motion": "no-preference"},
    "dark": {"color_scheme": "dark", "reduced_motion": "no-preference"},
    "reduced-motion": {"color_scheme": "light", "reduced_motion": "reduce"},
}


@pytest.fixture
def axe_page(browser, site_url, guard):
    """A page in a CSP-bypassing context (for axe only), still watched by the guard."""
    context = browser.new_context(bypass_csp=True, base_url=site_url)
    guard.watch_context(context)
    page = context.new_page()
    yield page
    context.close()
    guard.check()


def settle(page):
    """Wait until the page's scripts have run and any engine start has been decided."""
    page.wait_for_load_state("load")
    page.wait_for_function("document.readyState === 'complete'")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_wcag_violations(axe_page, site_dir, kind, mode):
    page = axe_page
    page.emulate_media(**MODES[mode])
    page.goto(page_paths(site_dir)[kind])
    settle(page)
    violations = run_axe(page)
    assert not violations, f"{kind} in {mode} mode:\n{describe(violations)}"


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_filled_worksheet_has_no_wcag_violations(axe_page, mode):
    """The worksheet with its dynamic parts open: emotion and urge sliders, a tried skill."""
    page = axe_page
    page.emulate_media(**MODES[mode])
    page.goto("worksheet.html")
    settle(page)
    page.get_by_role("radio", name="Coaching").check()
    page.get_by_label("What happened, in a sentence or two").fill("My friend cancelled on me again.")
    page.get_by_role("checkbox", name="sadness").check()
    page.get_by_role("checkbox", name="anger").check()
    page.get_by_role("checkbox", name="isolate").check()
    page.get_by_label("A skill I have tried").select_option(index=1)
    page.get_by_role("button", name="Add skill").click()
    page.wait_for_selector("#feel-list li")
    settle(page)
    violations = run_axe(page)
    assert not violations, f"filled worksheet in {mode} mode:\n{describe(violations)}"
