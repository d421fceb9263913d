"""Quick exit: the button and Shift three times leave for the neutral page at once, Back never shows the
app again in that tab, and saved data is kept."""

import re
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES, build_site
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NEUTRAL = "https://www.wikipedia.org/"
PAGES = [
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


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_visible_quick_exit(page, path):
    page.goto(path)
    button = page.get_by_role("link", name="Quick exit", exact=True)
    expect(button).to_be_visible()
    expect(button).to_have_attribute("href", NEUTRAL)  # works as a plain link without JavaScript


@pytest.mark.parametrize("path", ["worksheet.html", "skills/tipp.html", "help.html"])
def test_button_leaves_and_back_does_not_return(page, neutral, path):
    page.goto("index.html")
    page.goto(path)
    page.get_by_role("link", name="Quick exit", exact=True).click()
    expect_neutral(page)
    page.go_back(wait_until="commit")
    expect_neutral(page)
    page.go_back(wait_until="commit")
    expect_neutral(page)


def test_shift_three_times_leaves(page, neutral):
    page.goto("index.html")
    page.get_by_role("link", name="Skills").click()
    page.get_by_role("textbox").first.fill("breath")
    page.get_by_role("textbox").first.focus()
    for _ in range(3):
        page.keyboard.press("Shift")
    expect_neutral(page)
    page.go_back(wait_until="commit")
    expect_neutral(page)


def test_shift_must_be_three_in_a_row(page, neutral):
    page.goto("skills/index.html")
    box = page.get_by_role("textbox").first
    box.focus()
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift+A")  # typing a capital letter is not a quick exit
    page.keyboard.press("Shift")
    expect(box).to_have_value("A")
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
    page.get_by_role("link", name="Skills").click()
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Between Sessions")


def test_a_page_from_the_back_forward_cache_stays_hidden(page, neutral):
    # Leave one page for another app page (the first may be kept in the back/forward cache),
    # quick exit, then go Back twice: neither page may show.
    page.goto("index.html")
    page.get_by_role("link", name="Worksheet").click()
    expect(page).to_have_url(re.compile(r"/worksheet\.html$"))
    page.get_by_role("link", name="Skills").click()
    expect(page).to_have_url(re.compile(r"/skills/index\.html$"))
    page.get_by_role("link", name="Quick exit", exact=True).click()
    expect_neutral(page)
    for _ in range(3):
        page.go_back(wait_until="commit")
        expect_neutral(page)


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
