"""Get help now: one tap or two key presses from every page, complete without JavaScript or a network,
narrowed to the person's region (remembered on the device), with the coach's hours in the clinic's zone."""

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES, PAGE_TYPES, build_site
from builder.contract import KEYS, LEGACY_KEYS
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = PAGE_TYPES

CHICAGO = timezone(timedelta(hours=-6))  # November: Central Standard Time


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory, serve):
    out = build_site(tmp_path_factory.mktemp("sample"), settings_root=FIXTURES / "clinic-sample",
                     skills_dir=FIXTURES / "skills-mini")
    return serve(out).url


@pytest.fixture
def sample(sample_url, guard):
    guard.allowed_origins.add("{0.scheme}://{0.netloc}".format(urlsplit(sample_url)))
    return sample_url


def region(page, name):
    return page.get_by_role("region", name=name)


# Reaching it -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
def test_one_click_from_every_page(page, path):
    page.goto(path)
    page.get_by_role("link", name="Get help now").first.click()
    expect(page).to_have_url(re.compile(r"/help\.html$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")


@pytest.mark.parametrize("path", PAGES)
def test_two_tab_presses_from_the_top_of_every_page(page, path):
    page.goto(path)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Get help now").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/help\.html$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")


# Without JavaScript, and offline -----------------------------------------------------------------------

def test_every_line_is_there_without_javascript(new_context, guard, site_url):
    context = new_context(java_script_enabled=False)
    guard.watch_context(context)
    page = context.new_page()
    page.goto(site_url + "help.html")
    for name in ("United States", "Canada", "United Kingdom", "Ireland", "Australia", "New Zealand"):
        expect(region(page, name)).to_be_visible()
    us = region(page, "United States")
    expect(us.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    expect(us.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    expect(us.get_by_role("link", name="Text 988")).to_have_attribute("href", "sms:988")
    expect(us.get_by_role("link", name="Text HOME to 741741")).to_have_attribute("href", "sms:741741?&body=HOME")
    expect(us.get_by_text("Information and referral, not crisis counseling")).to_be_visible()
    expect(us.get_by_text("Numbers last checked November 2026.")).to_be_visible()
    ca = region(page, "Canada")
    expect(ca.get_by_role("link", name="Text CONNECT to 686868")).to_have_attribute("href", "sms:686868?&body=CONNECT")
    uk = region(page, "United Kingdom")
    expect(uk.get_by_role("link", name="Call 116 123")).to_have_attribute("href", "tel:116123")
    expect(uk.get_by_role("link", name="Text SHOUT to 85258")).to_have_attribute("href", "sms:85258?&body=SHOUT")
    expect(uk.get_by_role("link", name="Call 999")).to_be_visible()
    expect(uk.get_by_role("link", name="Call 112")).to_be_visible()
    expect(region(page, "Australia").get_by_role("link", name="Call 13 11 14")).to_have_attribute("href", "tel:131114")
    expect(region(page, "Australia").get_by_role("link", name="Call 000")).to_be_visible()
    nz = region(page, "New Zealand")
    expect(nz.get_by_role("link", name="Text 1737")).to_have_attribute("href", "sms:1737")
    expect(nz.get_by_role("link", name="Call 111")).to_be_visible()
    expect(page.get_by_text("If you are in immediate danger, call emergency services.")).to_be_visible()
    # The region picker needs JavaScript, so it is not offered without it.
    expect(page.get_by_label("Where are you?")).to_be_hidden()


def test_it_needs_nothing_from_the_network_once_loaded(page, context):
    page.goto("help.html")
    expect(page.get_by_label("Where are you?")).to_be_visible()
    context.set_offline(True)
    page.get_by_label("Where are you?").select_option(label="Australia")
    expect(region(page, "Australia")).to_be_visible()
    expect(region(page, "Australia").get_by_role("link", name="Call 13 11 14")).to_be_visible()
    expect(region(page, "United States")).to_be_hidden()


# Region ----------------------------------------------------------------------------------------------

@pytest.mark.browser_context_args(timezone_id="Australia/Sydney")
def test_first_guess_comes_from_the_time_zone(page):
    page.goto("help.html")
    expect(page.get_by_label("Where are you?")).to_have_value("au")
    expect(region(page, "Australia")).to_be_visible()
    expect(region(page, "United States")).to_be_hidden()
    expect(page.get_by_text("We guessed this from your device's time zone.")).to_be_visible()


@pytest.mark.browser_context_args(timezone_id="Europe/Dublin")
def test_ireland_is_not_the_united_kingdom(page):
    page.goto("help.html")
    expect(page.get_by_label("Where are you?")).to_have_value("ie")
    expect(region(page, "Ireland").get_by_role("link", name="Call 116 123")).to_be_visible()
    expect(region(page, "United Kingdom")).to_be_hidden()


@pytest.mark.browser_context_args(timezone_id="Asia/Tokyo")
def test_an_unknown_time_zone_shows_every_region(page):
    page.goto("help.html")
    expect(page.get_by_label("Where are you?")).to_have_value("all")
    for name in ("United States", "Canada", "United Kingdom", "Ireland", "Australia", "New Zealand"):
        expect(region(page, name)).to_be_visible()


@pytest.mark.browser_context_args(timezone_id="America/New_York")
def test_the_choice_is_remembered_on_the_device(page, context):
    page.goto("help.html")
    expect(page.get_by_label("Where are you?")).to_have_value("us")
    page.get_by_label("Where are you?").select_option(label="New Zealand")
    expect(region(page, "New Zealand")).to_be_visible()
    expect(region(page, "United States")).to_be_hidden()
    assert page.evaluate("(key) => localStorage.getItem(key)", KEYS["region"]) == "nz"
    page.reload()
    expect(page.get_by_label("Where are you?")).to_have_value("nz")
    expect(region(page, "United States")).to_be_hidden()
    other = context.new_page()
    other.goto("help.html")
    expect(other.get_by_label("Where are you?")).to_have_value("nz")
    other.get_by_label("Where are you?").select_option(label="Show every region")
    expect(region(other, "United States")).to_be_visible()
    other.reload()
    expect(other.get_by_label("Where are you?")).to_have_value("all")


@pytest.mark.browser_context_args(timezone_id="Europe/London")
def test_works_when_storage_is_blocked(page):
    page.add_init_script("""
        Object.defineProperty(window, "localStorage", {
            get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
        });
    """)
    page.goto("help.html")
    expect(page.get_by_label("Where are you?")).to_have_value("uk")
    page.get_by_label("Where are you?").select_option(label="Canada")
    expect(region(page, "Canada")).to_be_visible()
    expect(region(page, "United Kingdom")).to_be_hidden()


# The clinic's settings -----------------------------------------------------------------------------------

@pytest.mark.browser_context_args(timezone_id="America/Chicago")
def test_clinic_region_and_coach_within_hours(page, sample):
    page.clock.set_fixed_time(datetime(2026, 11, 16, 10, 30, tzinfo=CHICAGO))  # a Monday
    page.goto(sample + "help.html")
    expect(page).to_have_title("Get help now · Harbour Coach")
    expect(page.get_by_label("Where are you?")).to_have_value("harbour")
    harbour = region(page, "Harbour County")
    expect(harbour.get_by_role("link", name="Call 555-010-0999")).to_have_attribute("href", "tel:5550100999")
    expect(harbour.get_by_text("Information and referral, not crisis counseling")).to_be_visible()
    expect(harbour.get_by_text("Numbers last checked October 2026.")).to_be_visible()
    coach = page.get_by_role("region", name="Your coach")
    expect(coach.get_by_text("Your coach is available now, until 5:00 PM.")).to_be_visible()
    expect(coach.get_by_role("link", name="Call Jordan Park +1 (555) 010-0123")).to_have_attribute("href", "tel:+15550100123")
    expect(coach.get_by_role("link", name="Text Jordan Park +1 555 010 0124")).to_have_attribute("href", "sms:+15550100124")
    expect(coach.get_by_text("Monday to Friday: 9 AM to 5 PM")).to_be_visible()
    expect(page.get_by_text("Hosted by Harbour Light DBT Clinic")).to_be_visible()


@pytest.mark.parametrize("when, says", [
    (datetime(2026, 11, 16, 17, 0, tzinfo=CHICAGO), "Your coach is next available tomorrow at 9:00 AM."),  # Monday, closing time
    (datetime(2026, 11, 16, 7, 45, tzinfo=CHICAGO), "Your coach is next available today at 9:00 AM."),
    (datetime(2026, 11, 20, 18, 0, tzinfo=CHICAGO), "Your coach is next available tomorrow at 10:00 AM."),  # Friday evening
    (datetime(2026, 11, 21, 12, 30, tzinfo=CHICAGO), "Your coach is next available on Monday at 9:00 AM."),  # Saturday
    # Saturday before the clocks go back (Sunday 1 November 2026): still 9 AM on Monday, not 8 AM.
    (datetime(2026, 10, 31, 12, 30, tzinfo=timezone(timedelta(hours=-5))), "Your coach is next available on Monday at 9:00 AM."),
])
@pytest.mark.browser_context_args(timezone_id="America/Chicago")
def test_outside_hours_says_when_and_what_to_do_meanwhile(page, sample, when, says):
    page.clock.set_fixed_time(when)
    page.goto(sample + "help.html")
    coach = page.get_by_role("region", name="Your coach")
    expect(coach.get_by_text(says)).to_be_visible()
    expect(coach.get_by_text("Until then, try TIPP or paced breathing")).to_be_visible()
    expect(coach.get_by_role("link", name=re.compile("Call Jordan Park"))).to_be_hidden()
    expect(coach.get_by_text("Monday to Friday: 9 AM to 5 PM")).to_be_visible()


@pytest.mark.browser_context_args(timezone_id="America/New_York")
def test_next_available_is_in_the_persons_own_time(page, sample):
    page.clock.set_fixed_time(datetime(2026, 11, 16, 20, 0, tzinfo=CHICAGO))  # 9 PM in New York
    page.goto(sample + "help.html")
    coach = page.get_by_role("region", name="Your coach")
    expect(coach.get_by_text("Your coach is next available tomorrow at 10:00 AM (your time).")).to_be_visible()


@pytest.mark.browser_context_args(timezone_id="America/Chicago")
def test_the_worksheet_shows_the_coach_status_and_the_clinics_words(page, sample):
    page.clock.set_fixed_time(datetime(2026, 11, 22, 9, 0, tzinfo=CHICAGO))  # Sunday
    page.goto(sample + "worksheet.html")
    status = page.locator(".coach-status")
    expect(status.get_by_text("Your coach is next available tomorrow at 9:00 AM.")).to_be_visible()
    expect(status.get_by_text("Until then, try TIPP or paced breathing")).to_be_visible()
    expect(status.get_by_text("Saturday: 10 AM to noon")).to_be_visible()
    expect(page.get_by_text("Help with a skill when a hard moment is building.")).to_be_attached()
    expect(page.get_by_text("Long talks about the week: bring those to your session.")).to_be_attached()


def test_default_build_has_no_coach_hours(page):
    page.goto("help.html")
    coach = page.get_by_role("region", name="Your coach")
    expect(coach.get_by_text("Reach your coach the way your therapist told you.")).to_be_visible()
    expect(coach.get_by_text(re.compile("available"))).to_have_count(0)


@pytest.mark.browser_context_args(timezone_id="America/New_York")
def test_a_region_kept_by_an_older_version_is_moved_to_the_current_key(page):
    """Older versions kept the region under another name, which "delete everything" did not find."""
    page.goto("help.html")
    page.evaluate("([old, now]) => { localStorage.setItem(old, 'au'); localStorage.removeItem(now); }",
                  [LEGACY_KEYS["region"], KEYS["region"]])
    page.reload()
    expect(page.get_by_label("Where are you?")).to_have_value("au")
    assert page.evaluate("([old, now]) => [localStorage.getItem(old), localStorage.getItem(now)]",
                         [LEGACY_KEYS["region"], KEYS["region"]]) == [None, "au"]
