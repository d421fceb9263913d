"""Storage in a real browser: failures of every kind, two tabs, migrations, unreadable and newer data, persistence."""

import json
import re

import pytest
from playwright.sync_api import expect

from test_worksheet_support import (  # noqa: F401  (fixtures are used by name)
    STORAGE_FIXTURES, _allow_ws_origin, add_emotion, browser_context_args, download_json, entries, entry_with, load_fixture,
    seed, stored, throwing_storage_script, wait_saved, ws_server,
)

pytestmark = pytest.mark.browser

WHAT = "What happened, in a sentence or two"
FULL = "The storage on this device is full"
OFF = "This browser is not letting the app save anything"


def notice(page):
    return page.locator("#store-notice")


# ---- A full or unavailable store ----

@pytest.mark.parametrize("name, code, message", [
    ("QuotaExceededError", None, FULL),
    ("NS_ERROR_DOM_QUOTA_REACHED", None, FULL),
    ("QUOTA_EXCEEDED_ERR", 22, FULL),
    ("SecurityError", None, OFF),
])
def test_failing_writes_keep_the_draft_and_allow_export(page, name, code, message):
    page.add_init_script(throwing_storage_script("setItem", name, code))
    page.goto("worksheet.html")
    page.get_by_label(WHAT).fill("Kept in memory")
    add_emotion(page, "fear", 7)
    expect(notice(page)).to_contain_text(message)
    expect(page.locator("#save-state")).to_have_text("Not saved on this device yet. It is kept on this page for now.")
    expect(page.get_by_label(WHAT)).to_have_value("Kept in memory")
    expect(page.get_by_label("fear: how strong, 0 to 10")).to_have_value("7")
    name_, data = download_json(page, notice(page).get_by_role("button", name="Download a backup").click)
    assert re.fullmatch(r"between-sessions-backup-\d{4}-\d{2}-\d{2}\.json", name_)
    assert [e["what"] for e in data["entries"]] == ["Kept in memory"]
    assert data["entries"][0]["feel"] == [["fear", 7]]


@pytest.mark.parametrize("script", [
    throwing_storage_script("getItem", "SecurityError"),
    "Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });",
])
def test_storage_turned_off(page, script):
    page.add_init_script(script)
    page.goto("worksheet.html")
    expect(notice(page)).to_contain_text(OFF)
    page.get_by_label(WHAT).fill("Only on this page")
    expect(page.get_by_label(WHAT)).to_have_value("Only on this page")
    _, data = download_json(page, notice(page).get_by_role("button", name="Download a backup").click)
    assert data["entries"][0]["what"] == "Only on this page"
    page.goto("history.html")
    expect(notice(page)).to_contain_text(OFF)
    expect(page.locator("#list-status")).to_have_text("No worksheets yet. They show here once you start one.")


def test_saving_resumes_when_room_comes_back(page):
    page.add_init_script(throwing_storage_script("setItem", "QuotaExceededError", when="window.fullNow !== false"))
    page.goto("worksheet.html")
    page.get_by_label(WHAT).fill("First part")
    expect(notice(page)).to_contain_text(FULL)
    assert entries(page) == {}
    page.evaluate("window.fullNow = false")
    page.get_by_label(WHAT).press_sequentially(", more")
    wait_saved(page)
    expect(notice(page)).to_be_empty()
    assert entry_with(page, what="First part, more")


# ---- Two tabs ----

def test_two_tabs_never_overwrite_each_other(context, page):
    page.goto("worksheet.html")
    page.get_by_label(WHAT).fill("Started in tab A")
    wait_saved(page)
    other = context.new_page()
    other.goto("worksheet.html")
    expect(other.get_by_label(WHAT)).to_have_value("Started in tab A")
    page.get_by_label("What I want right now (my goal)").fill("Goal typed in A")
    other.get_by_label("What I will do instead, in my own words").fill("Plan typed in B")
    add_emotion(other, "hurt", 6)
    # Each tab shows the other's change and keeps its own.
    expect(page.get_by_label("What I will do instead, in my own words")).to_have_value("Plan typed in B")
    expect(page.get_by_label("hurt: how strong, 0 to 10")).to_have_value("6")
    expect(other.get_by_label("What I want right now (my goal)")).to_have_value("Goal typed in A")
    page.get_by_label(WHAT).fill("Changed in A")
    expect(other.get_by_label(WHAT)).to_have_value("Changed in A")
    e = entry_with(page, what="Changed in A")
    assert (e["goal"], e["plan"], e["feel"]) == ("Goal typed in A", "Plan typed in B", [["hurt", 6]])


def test_revision_check_merges_a_write_the_tab_has_not_seen(page):
    """The storage event may come after this tab saves: the revision check must still keep both changes."""
    page.goto("worksheet.html")
    result = page.evaluate("""async () => {
      const s = await import('./js/storage.js');
      s.open();
      const first = s.saveEntry('racetest01', {what: 'mine'}, null).entry;
      // Another tab saves a newer revision with a different field; this tab has not heard of it yet.
      const theirs = {...first, r: first.r + 1, goal: 'theirs', u: first.u + 1};
      localStorage.setItem('bs.e.racetest01', JSON.stringify(theirs));
      const mine = s.saveEntry('racetest01', {...first, what: 'mine, edited'}, first);
      return {merged: mine.merged, stored: JSON.parse(localStorage.getItem('bs.e.racetest01'))};
    }""")
    assert result["merged"] is True
    assert result["stored"]["what"] == "mine, edited"
    assert result["stored"]["goal"] == "theirs"
    assert result["stored"]["r"] == 3


def test_two_new_worksheets_in_two_tabs_stay_separate(context, page):
    page.goto("worksheet.html")
    other = context.new_page()
    other.goto("worksheet.html")
    page.get_by_label(WHAT).fill("Only A")
    other.get_by_label(WHAT).fill("Only B")
    wait_saved(page)
    wait_saved(other)
    assert sorted(e["what"] for e in entries(page).values()) == ["Only A", "Only B"]


def test_deleted_in_another_tab_is_not_lost_silently(context, page):
    page.goto("worksheet.html")
    page.get_by_label(WHAT).fill("Deleted elsewhere")
    wait_saved(page)
    history = context.new_page()
    history.goto("history.html")
    history.get_by_role("button", name=re.compile("^Delete the worksheet from")).click()
    history.get_by_role("button", name="Yes, delete it").click()
    expect(notice(page)).to_contain_text("This worksheet was deleted in another window.")
    assert entries(page) == {}
    page.get_by_role("button", name="Keep this worksheet").click()
    assert entry_with(page, what="Deleted elsewhere")


# ---- Migrations from every earlier version ----

V1_FIXTURES = sorted(p.name for p in STORAGE_FIXTURES.glob("v1-*.json"))


def test_there_are_v1_fixtures():
    assert len(V1_FIXTURES) >= 4


@pytest.mark.parametrize("fixture", V1_FIXTURES)
def test_every_v1_fixture_migrates_without_losing_anything(context, page, fixture):
    values = load_fixture(fixture)
    seed(context, values)
    raw = values["between-sessions"]
    raw = raw if isinstance(raw, str) else json.dumps(raw)
    page.goto("worksheet.html")
    expect(page.locator("#save-state")).not_to_be_empty()
    after = stored(page)
    assert "between-sessions" not in after
    assert after.get("bs.schema") == "2" or after.get("bs.x.between-sessions") == raw
    try:
        old_ids = {e["id"] for e in json.loads(raw)["entries"]}
    except (ValueError, KeyError, TypeError):
        old_ids = set()
    migrated = set(entries(page))
    kept_aside = after.get("bs.x.between-sessions")
    # Every old entry is either migrated or still inside the untouched original kept aside.
    for old in old_ids - migrated:
        assert kept_aside == raw and old in kept_aside


def test_v1_basic_migrates_every_field(context, page):
    seed(context, load_fixture("v1-basic.json"))
    page.goto("worksheet.html")
    # The v1 draft is what the worksheet opens.
    expect(page.get_by_label(WHAT)).to_have_value("Argument with my partner this morning.")
    expect(page.get_by_role("radio", name=re.compile("^Relationship repair"))).to_be_checked()
    expect(page.get_by_label("hurt: how strong, 0 to 10")).to_have_value("6")
    e = entries(page)
    assert set(e) == {"v1entry0001", "v1entry0002", "v1entry0003", "v1draft0001"}
    first = e["v1entry0001"]
    assert first == {
        "r": 1, "c": 1740993300000, "u": 1740998400000, "kind": "coaching",
        "what": "My manager criticised my report in front of everyone.",
        "feel": [["shame", 7], ["anger", 5]],
        "urge": [["isolate", 6], ["other", 3, "Quit the job today"]],
        "goal": "Get through the afternoon without leaving.", "pri": "self-respect",
        "tried": [["ask-kindly"]], "plan": "Breathe, then write down the facts.",
        "pick": ["test-the-story", "cool-down"], "used": "cool-down", "rate": 4, "now": 3,
        "note": "Went better than I thought.",
    }
    assert e["v1entry0002"]["urge"] == [["self-harm", 7], ["substance-use", 4]]
    assert e["v1entry0003"]["kind"] == "good-news"
    after = stored(page)
    assert after["bs.current"] == "v1draft0001"
    assert not any(k.startswith("bs.x.") for k in after)
    expect(notice(page)).to_be_empty()
    page.goto("history.html")
    expect(page.locator("#list-status")).to_have_text("4 worksheets, newest first.")


def test_v1_partly_unreadable_keeps_the_original_aside(context, page):
    values = load_fixture("v1-partly-unreadable.json")
    seed(context, values)
    page.goto("history.html")
    raw = json.dumps(values["between-sessions"])
    assert stored(page)["bs.x.between-sessions"] == raw
    assert set(entries(page)) == {"v1good00001"}
    expect(notice(page)).to_contain_text("Some saved data could not be read. It has been kept aside, unchanged")
    name, data = download_json(page, notice(page).get_by_role("button", name="Download the unreadable data").click)
    assert re.fullmatch(r"between-sessions-unreadable-data-\d{4}-\d{2}-\d{2}\.json", name)
    assert data["items"] == [{"key": "between-sessions", "value": raw}]


def test_v1_migration_that_cannot_write_leaves_v1_untouched(context, page):
    values = load_fixture("v1-basic.json")
    seed(context, values)
    page.add_init_script(throwing_storage_script("setItem", "QuotaExceededError", when="args[0].startsWith('bs.')"))
    page.goto("worksheet.html")
    expect(notice(page)).to_contain_text(FULL)
    after = stored(page)
    assert after == {"between-sessions": json.dumps(values["between-sessions"])}
    # The migrated entries are still readable this session.
    page.goto("history.html")
    expect(page.locator("#list-status")).to_have_text("4 worksheets, newest first.")


# ---- Unreadable and newer data ----

def test_unreadable_entry_is_kept_aside_and_exportable(context, page):
    good = {"r": 1, "c": 1_750_000_000_000, "u": 1_750_000_000_000, "what": "Fine"}
    seed(context, {
        "bs.schema": "2",
        "bs.e.goodentry1": good,
        "bs.e.brokenent1": "{\"r\": 1, \"c\": 5, \"what\": ",
        "bs.e.oddfield01": {"r": 1, "c": 1, "u": 1, "mystery": True},
    })
    page.goto("history.html")
    expect(notice(page)).to_contain_text("Some saved data could not be read")
    after = stored(page)
    assert after["bs.x.bs.e.brokenent1"] == "{\"r\": 1, \"c\": 5, \"what\": "
    assert json.loads(after["bs.x.bs.e.oddfield01"]) == {"r": 1, "c": 1, "u": 1, "mystery": True}
    assert set(entries(page)) == {"goodentry1"}
    expect(page.locator("#list-status")).to_have_text("1 worksheet, newest first.")
    _, data = download_json(page, notice(page).get_by_role("button", name="Download the unreadable data").click)
    assert {i["key"] for i in data["items"]} == {"bs.e.brokenent1", "bs.e.oddfield01"}
    # Removing it needs a second, clear step.
    notice(page).get_by_role("button", name="Remove it from this device").click()
    notice(page).get_by_role("button", name="Yes, remove it").click()
    expect(notice(page)).to_be_empty()
    assert not any(k.startswith("bs.x.") for k in stored(page))


def test_newer_version_data_opens_read_only(context, page):
    newer = {"r": 4, "c": 1_750_000_000_000, "u": 1_750_000_000_000, "kind": "coaching", "what": "From the future",
             "feel": [["calm", 2]], "mood_colour": "blue"}
    seed(context, {"bs.schema": "3", "bs.e.futureent1": newer, "bs.current": "futureent1"})
    page.goto("worksheet.html")
    before = stored(page)
    expect(notice(page)).to_contain_text("saved by a newer version of this app")
    expect(page.get_by_label(WHAT)).to_have_value("From the future")
    expect(page.get_by_label(WHAT)).to_be_disabled()
    expect(page.get_by_role("button", name="New worksheet")).to_be_disabled()
    _, data = download_json(page, notice(page).get_by_role("button", name="Download a backup").click)
    assert data["entries"][0]["what"] == "From the future"
    page.goto("worksheet.html#plan=cool-down")
    page.goto("history.html")
    expect(page.locator("#list-status")).to_have_text("1 worksheet, newest first.")
    expect(page.get_by_label("Restore from a backup file")).to_be_disabled()
    expect(page.get_by_role("button", name="Delete everything…")).to_be_disabled()
    assert stored(page) == before


# ---- Asking to keep storage ----

PERSIST = """
window.persistCalls = 0;
Object.defineProperty(navigator, 'storage', { value: {
  persisted: async () => %s,
  persist: async () => { window.persistCalls += 1; document.documentElement.dataset.persistCalls = window.persistCalls; return %s; },
  estimate: async () => ({usage: 0, quota: 1}),
}});
"""


@pytest.mark.parametrize("granted", [False, True])
def test_asks_to_persist_after_first_saved_entry(page, granted):
    page.add_init_script(PERSIST % ("false", "true" if granted else "false"))
    page.goto("worksheet.html")
    note = page.locator("#persist-note")
    expect(note).to_be_hidden()
    assert page.evaluate("window.persistCalls") == 0  # nothing saved yet: not asked
    field_top = "document.getElementById('what').getBoundingClientRect().top + scrollY"
    before = page.evaluate(field_top)
    page.get_by_label(WHAT).fill("First entry")
    wait_saved(page)
    expect(page.locator("html")).to_have_attribute("data-persist-calls", "1")
    if granted:
        expect(note).to_be_hidden()
    else:
        expect(note).to_be_visible()
        assert page.evaluate(field_top) == before, "the note pushed the field being typed in"
        expect(note).to_contain_text("download a backup")
        expect(note).to_contain_text("add this app to your home screen")
