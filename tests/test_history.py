"""History in a real browser: newest first, search, open and edit, delete one, delete everything, week summary."""

import re
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from builder.contract import KEYS, LEGACY_KEYS, PREFIX

from test_worksheet_support import (  # noqa: F401  (fixtures are used by name)
    _allow_ws_origin, browser_context_args, entries, layout_problems, seed, stored, wait_saved, ws_server,
)

pytestmark = pytest.mark.browser


def ms(text):
    return int(datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp() * 1000)


# Wednesdays and Thursdays at noon UTC: the same week in every time zone.
WEEK = [
    {"id": "weekentry01", "c": ms("2025-03-05T12:00"), "kind": "crisis", "what": "Bad night", "feel": [["fear", 9], ["shame", 6]],
     "urge": [["self-harm", 6]], "used": "cool-down", "rate": 4, "now": 5, "note": "Cold water helped."},
    {"id": "weekentry02", "c": ms("2025-03-05T13:00"), "kind": "coaching", "what": "Work stress", "feel": [["anxiety", 7]],
     "urge": [["other", 5, "Quit on the spot"], ["self-harm", 3]], "used": "cool-down", "rate": 2, "now": 4},
    {"id": "weekentry03", "c": ms("2025-03-06T12:00"), "kind": "repair", "what": "Argued with Jo", "feel": [["anger", 5]],
     "used": "ask-kindly", "now": 2},
    {"id": "weekentry04", "c": ms("2025-03-06T14:00"), "kind": "coaching", "what": "Could not start", "feel": [["sadness", 6]],
     "used": "none", "block": "Too tired"},
    {"id": "otherweek01", "c": ms("2025-02-26T12:00"), "kind": "good-news", "what": "A calm week", "glad": "Relieved", "gskill": "notice-this"},
]


def seed_entries(context, items=WEEK):
    values = {"bs.schema": "2"}
    for item in items:
        e = dict(item)
        key = "bs.e." + e.pop("id")
        values[key] = {"r": 1, "u": e["c"], **e}
    seed(context, values)


def test_newest_first_search_open_edit(context, page):
    seed_entries(context)
    page.goto("history.html")
    expect(page.locator("#list-status")).to_have_text("5 worksheets, newest first.")
    items = page.locator("#entries > li")
    expect(items.locator(".what")).to_have_text(["Could not start", "Argued with Jo", "Work stress", "Bad night", "A calm week", "Relieved"])
    page.get_by_label("Search my worksheets").fill("quit on")  # an urge in the person's own words
    expect(page.locator("#list-status")).to_have_text("1 of 5 worksheets match.")
    expect(items).to_have_count(1)
    page.get_by_label("Search my worksheets").fill("cool down")  # a skill name
    expect(items).to_have_count(2)
    page.get_by_label("Search my worksheets").fill("nothing like this")
    expect(page.locator("#list-status")).to_have_text("No worksheets match that search.")
    page.get_by_label("Search my worksheets").fill("jo")
    items.first.get_by_role("link", name=re.compile("^Open the worksheet from")).click()
    what = page.get_by_label("What happened, in a sentence or two")
    expect(what).to_have_value("Argued with Jo")
    expect(page).to_have_url(re.compile(r"worksheet\.html$"))
    what.fill("Argued with Jo, then made up")
    wait_saved(page)
    assert entries(page)["weekentry03"]["what"] == "Argued with Jo, then made up"
    assert len(entries(page)) == 5


def test_delete_one_with_an_in_page_confirmation(context, page):
    seed_entries(context)
    page.goto("history.html")
    first = page.locator("#entries > li").first
    first.get_by_role("button", name=re.compile("^Delete the worksheet from")).click()
    expect(first.get_by_text("This cannot be undone.")).to_be_visible()
    first.get_by_role("button", name="Keep it").click()
    assert "weekentry04" in entries(page)
    first.get_by_role("button", name=re.compile("^Delete the worksheet from")).click()
    first.get_by_role("button", name="Yes, delete it").click()
    expect(page.locator("#delete-status")).to_have_text("The worksheet was deleted.")
    expect(page.locator("#list-status")).to_have_text("4 worksheets, newest first.")
    assert "weekentry04" not in entries(page)
    # Focus moves on to a neighbour, not lost.
    expect(page.locator("#entries a").first).to_be_focused()


def test_delete_everything_needs_a_clear_confirmation(context, page):
    seed_entries(context)
    page.goto("history.html")
    # Kept by the help page, by this version and by an older one: everything goes.
    page.evaluate("(keys) => keys.forEach((k) => localStorage.setItem(k, 'nz'))", [KEYS["region"], LEGACY_KEYS["region"]])
    page.get_by_role("button", name="Delete everything…").click()
    confirm = page.locator("#delete-all-confirm")
    expect(confirm).to_contain_text("Delete all 5 worksheets and everything else this app keeps on this device?")
    page.get_by_role("button", name="Cancel").click()
    expect(confirm).to_be_hidden()
    assert len(entries(page)) == 5
    page.get_by_role("button", name="Delete everything…").click()
    page.keyboard.press("Escape")
    expect(confirm).to_be_hidden()
    page.get_by_role("button", name="Delete everything…").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download a backup first").click()
    assert info.value.suggested_filename.startswith("between-sessions-backup-")
    page.get_by_role("button", name="Yes, delete everything").click()
    expect(page.locator("#delete-status")).to_have_text("Everything was deleted from this device.")
    expect(page.locator("#list-status")).to_have_text("No worksheets yet. They show here once you start one.")
    left = stored(page)
    assert not any(k.startswith(PREFIX) for k in left), left
    assert not set(LEGACY_KEYS.values()) & set(left), left


def test_week_summary(context, page):
    seed_entries(context)
    page.goto("history.html")
    picker = page.get_by_label("Which week?")
    label = next(o for o in picker.locator("option").all_inner_texts() if "March 3, 2025" in o or "3 March 2025" in o)
    assert label.endswith("(4 worksheets)")
    picker.select_option(label=label)
    week = page.locator("#week-summary")
    expect(week.get_by_role("heading", level=3)).to_contain_text("2025")
    figures = week.locator(".week-figures")
    expect(figures).to_contain_text("Worksheets4")
    # Strongest feeling before: 9, 7, 5, 6 -> 6.8; afterwards: 5, 4, 2 -> 3.7.
    expect(figures).to_contain_text("Strongest feeling before, on average6.8/10")
    expect(figures).to_contain_text("Feeling afterwards, on average3.7/10")
    expect(figures).to_contain_text("Where both were noted (3)7/10 before, 3.7/10 after")
    skills = week.get_by_role("table", name="Skills used this week")
    expect(skills.locator("tbody tr")).to_have_text(["Cool down23", "Ask kindly1not rated"])
    expect(week).to_contain_text("No skill used: 1 time.")
    urges = week.get_by_role("table", name="Urges this week")
    expect(urges.locator("tbody tr")).to_have_text(["Hurt myself26", "Quit on the spot15"])
    each = week.get_by_role("table", name="Each worksheet this week")
    expect(each.locator("tbody tr")).to_have_count(4)
    expect(each.locator("tbody tr").first).to_contain_text("Bad night")
    expect(each.locator("tbody tr").first).to_contain_text("Cold water helped.")


def test_week_summary_prints_on_its_own(context, page):
    seed_entries(context)
    page.goto("history.html")
    page.emulate_media(media="print")
    expect(page.locator("#week-summary")).to_be_visible()
    for hidden in ("#entries", "#backup", "#delete-all", "header.top", "#week-pick", "footer.bottom"):
        expect(page.locator(hidden)).to_be_hidden()
    page.emulate_media(media="screen")
    expect(page.locator("#entries")).to_be_visible()


def test_history_follows_other_tabs(context, page):
    page.goto("history.html")
    expect(page.locator("#list-status")).to_have_text("No worksheets yet. They show here once you start one.")
    sheet = context.new_page()
    sheet.goto("worksheet.html")
    sheet.get_by_label("What happened, in a sentence or two").fill("Typed in the other tab")
    expect(page.locator("#entries .what")).to_have_text("Typed in the other tab")


def test_history_fits_a_narrow_phone(context, page):
    seed_entries(context)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("history.html")
    page.locator("#entries > li").first.get_by_role("button", name=re.compile("^Delete the worksheet")).click()
    page.get_by_role("button", name="Delete everything…").click()
    page.get_by_label("Which week?").select_option(index=1)
    assert layout_problems(page, 360) == []
