"""Quick exit: the button and Shift three times leave for the neutral page at once, Back never shows the
app again in that tab, and saved data is kept."""

import re
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES, PAGE_TYPES, build_site
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NEUTRAL = "https://www.wikipedia.org/"
PAGES = PAGE_TYPES


def route_neutral(context, guard, url=NEUTRAL):
    """The neutral page is on another origin: serve a blank stand-in for it, and allow that origin."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    guard.allowed_origins.add(origin)
    context.route(origin + "/**", lambda route: route.fulfill(
        status=200, content_type="text/html",
        body="<!doctype html><title>Neutral</title><h1>An everyday page</h1>"))


@pytest.fixture
def neutral(context, guard):
    route_neutral(context, guard)
    return NEUTRAL


def expect_neutral(page, url=NEUTRAL):
    expect(page).to_have_url(url)
    expect(page.get_by_role("heading", name="An everyday page")).to_be_visible()
    expect(page.get_by_role("link", name="Get help now")).to_have_count(0)


def expect_no_app_after_back(page, app_url):
    """Back lands on the neutral page, or on whatever came before the app (about:blank here): never the app."""
    page.go_back(wait_until="commit")
    expect(page).not_to_have_url(re.compile("^" + re.escape(app_url)))
    expect(page.get_by_role("link", name="Get help now")).to_have_count(0)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_visible_quick_exit(page, path):
    page.goto(path)
    button = page.get_by_role("link", name="Quick exit", exact=True)
    expect(button).to_be_visible()
    expect(button).to_have_attribute("href", NEUTRAL)  # works as a plain link without JavaScript


@pytest.mark.parametrize("path", ["worksheet.html", "skills/tipp.html", "help.html"])
def test_button_leaves_and_back_does_not_return(page, context, neutral, site_url, path):
    # Note how visible each app page is at the moment its <body> starts, before anything is drawn.
    bodies = []
    context.expose_binding("reportBody", lambda source, url, visibility: bodies.append((url, visibility)))
    context.add_init_script("""
        new MutationObserver((changes, observer) => {
            if (!document.body) return;
            observer.disconnect();
            window.reportBody(location.href, getComputedStyle(document.documentElement).visibility);
        }).observe(document, { childList: true, subtree: true });
    """)
    page.goto("index.html")
    page.goto(path)
    page.get_by_role("link", name="Quick exit", exact=True).click()
    expect_neutral(page)
    page.go_back(wait_until="commit")
    expect_neutral(page)  # the app page behind it was swapped for the neutral page too
    expect_no_app_after_back(page, site_url)
    # The page reached by Back is hidden before its body starts (or never gets that far).
    app_pages = [(url[len(site_url):], visibility) for url, visibility in bodies if url.startswith(site_url)]
    assert app_pages[:2] == [("index.html", "visible"), (path, "visible")]
    assert all(visibility == "hidden" for _, visibility in app_pages[2:]), bodies


def test_shift_three_times_leaves(page, neutral, site_url):
    page.goto("index.html")
    page.get_by_role("link", name="Skills", exact=True).click()
    page.get_by_role("searchbox").fill("breath")  # even while typing in a field
    for _ in range(3):
        page.keyboard.press("Shift")
    expect_neutral(page)
    page.go_back(wait_until="commit")
    expect_neutral(page)
    expect_no_app_after_back(page, site_url)


def test_shift_must_be_three_in_a_row(page, neutral):
    page.goto("skills/index.html")
    box = page.get_by_role("searchbox")
    box.focus()
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift+A")  # typing a capital letter is not a tap of Shift
    page.keyboard.press("Shift")
    page.keyboard.press("Shift+B")
    page.keyboard.press("Shift+C")
    page.keyboard.press("Shift+D")
    expect(box).to_have_value("ABCD")
    assert page.evaluate("document.documentElement.style.visibility") == ""
    expect(page).to_have_url(re.compile(r"/skills/index\.html$"))


def test_saved_data_is_kept_and_the_app_opens_normally_again(page, neutral, site_url):
    page.goto("index.html")
    page.evaluate("localStorage.setItem('between-sessions.test', 'kept')")
    page.get_by_role("link", name="Quick exit", exact=True).click()
    expect_neutral(page)
    page.goto(site_url + "index.html")  # the person comes back on purpose
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("localStorage.getItem('between-sessions.test')") == "kept"
    page.get_by_role("link", name="Skills", exact=True).click()
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Between Sessions")


def test_a_page_from_the_back_forward_cache_stays_hidden(page, neutral, site_url):
    # Leave one page for another app page (the first may be kept in the back/forward cache),
    # quick exit, then go Back twice: neither page may show.
    page.goto("index.html")
    page.get_by_role("link", name="Worksheet", exact=True).click()
    expect(page).to_have_url(re.compile(r"/worksheet\.html$"))
    page.get_by_role("link", name="Skills", exact=True).click()
    expect(page).to_have_url(re.compile(r"/skills/index\.html$"))
    page.get_by_role("link", name="Quick exit", exact=True).click()
    expect_neutral(page)
    for _ in range(2):
        page.go_back(wait_until="commit")
        expect_neutral(page)
    expect_no_app_after_back(page, site_url)


def test_the_configured_neutral_page_is_used(page, context, guard, serve, tmp_path):
    out = build_site(tmp_path / "sample", settings_root=FIXTURES / "clinic-sample", skills_dir=FIXTURES / "skills-mini")
    url = serve(out).url
    guard.allowed_origins.add("{0.scheme}://{0.netloc}".format(urlsplit(url)))
    route_neutral(context, guard, "https://neutral.example/")
    page.goto(url + "guide.html")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    expect_neutral(page, "https://neutral.example/")


def test_the_safety_page_explains_what_it_cannot_hide(page):
    page.goto("safety.html")
    expect(page.get_by_role("heading", name="What quick exit cannot hide")).to_be_visible()
    expect(page.get_by_text("Your browser history.")).to_be_visible()
    expect(page.get_by_text("Quick exit does not delete anything.")).to_be_visible()
    expect(page.get_by_text("(www.wikipedia.org)")).to_be_visible()


@pytest.fixture
def cached_context(browser_type, browser_type_launch_args, guard):
    """A browser with the back/forward cache on (Playwright turns it off by default), guarded like the rest."""
    browser = browser_type.launch(**browser_type_launch_args, ignore_default_args=["--disable-back-forward-cache"])
    context = browser.new_context()
    context.add_init_script(path=str(FIXTURES.parent / "support" / "report-csp.js"))
    guard.watch_context(context)
    shows = []
    context.expose_binding("reportPageshow", lambda source, url, persisted, visibility: shows.append((url, persisted, visibility)))
    # Registered before the app's own scripts, so it sees the page as it comes out of the cache.
    context.add_init_script("addEventListener('pageshow', (e) => window.reportPageshow("
                            "location.pathname, e.persisted, document.documentElement.style.visibility))")
    context.shows = shows
    yield context
    context.close()
    browser.close()
    guard.check()


def test_a_restored_page_is_hidden_then_leaves(cached_context, guard, site_url):
    route_neutral(cached_context, guard)
    page = cached_context.new_page()
    page.goto(site_url + "index.html")
    page.get_by_role("link", name="Skills", exact=True).click()
    expect(page).to_have_url(re.compile(r"/skills/index\.html$"))
    page.get_by_role("link", name="Quick exit", exact=True).click()
    expect_neutral(page)
    page.go_back(wait_until="commit")
    expect_neutral(page)
    restored = [s for s in cached_context.shows if s[1]]
    assert restored == [("/index.html", True, "hidden")], cached_context.shows


def test_a_restored_page_shows_again_without_quick_exit(cached_context, site_url):
    page = cached_context.new_page()
    page.goto(site_url + "index.html")
    page.get_by_role("link", name="Skills", exact=True).click()
    expect(page).to_have_url(re.compile(r"/skills/index\.html$"))
    page.go_back(wait_until="commit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Between Sessions")
    page.wait_for_function("document.documentElement.style.visibility === ''")
    assert [s for s in cached_context.shows if s[1]] == [("/index.html", True, "hidden")]
