"""The coaching worksheet in a real browser: each kind of call, saving, the coach summary, safety, layout."""

import re

import pytest
from playwright.sync_api import Error, expect

from test_worksheet_support import (  # noqa: F401  (fixtures are used by name)
    _allow_ws_origin, add_emotion, add_urge, browser_context_args, build_site, engine_ready, entries, entry_with,
    kind, layout_problems, pick_skill, ws_server, wait_saved,
)

pytestmark = pytest.mark.browser

# Replaces Worker with one that never answers, so the engine stays "loading".
SILENT_WORKER = """
window.Worker = class { constructor() {} postMessage() {} terminate() {} addEventListener() {} removeEventListener() {} };
"""
# Records every message the page sends to a worker.
RECORD_WORKER = """
(() => { const real = Worker.prototype.postMessage; window.__sent = [];
  Worker.prototype.postMessage = function (message, ...rest) {
    try { window.__sent.push(JSON.stringify(message)); } catch (e) { /* not JSON */ }
    return real.call(this, message, ...rest); }; })();
"""


def test_crisis_call_journey(page):
    page.goto("worksheet.html")
    kind(page, "Crisis")
    page.get_by_label("What happened, in a sentence or two").fill("I found out I lost my job.")
    add_emotion(page, "fear", 8)
    add_emotion(page, "despair", 7, own=True)
    add_urge(page, "Drink or use drugs", 6)
    page.get_by_label("What I want right now (my goal)").fill("Stay sober tonight.")
    pick_skill(page, "A skill I have tried", "Ask kindly", "Add skill")
    page.get_by_label("How did Ask kindly go?").select_option(label="It did not help")
    pick_skill(page, "Add a skill to my plan", "Cool down", "Add to plan")
    page.get_by_label("What I will do instead, in my own words").fill("Cold water on my face, then call Sam.")
    wait_saved(page)
    summary = page.locator("#summary")
    expect(summary).to_contain_text("Crisis call.")
    expect(summary).to_contain_text("Feeling: fear 8/10, despair 7/10.")
    expect(summary).to_contain_text("Urges: drink or use drugs 6/10.")
    expect(summary).to_contain_text("Tried: Ask kindly (did not help).")
    expect(summary).to_contain_text("My plan: Cool down. Cold water on my face, then call Sam.")
    e = entry_with(page, kind="crisis")
    assert e["feel"] == [["fear", 8], ["despair", 7]]
    assert e["urge"] == [["substance-use", 6]]
    assert e["tried"] == [["ask-kindly", "did-not-help"]]
    assert e["pick"] == ["cool-down"]
    assert e["goal"] == "Stay sober tonight."


def test_skills_coaching_journey_with_afterwards(page):
    page.goto("worksheet.html")
    kind(page, "Skills coaching")
    page.get_by_label("What happened, in a sentence or two").fill("My flatmate left a mess again.")
    page.get_by_label("Can this be changed right now?").select_option("yes")
    add_emotion(page, "anger", 6)
    page.get_by_label("Does the feeling fit the facts?").select_option("not-sure")
    add_urge(page, "Lash out at someone", 5)
    add_urge(page, "Slam the door", 4, own=True)
    page.get_by_label("If someone else is involved, what matters most?").select_option("relationship")
    page.get_by_label("Which skill did I use?").select_option(label="Ask kindly")
    page.get_by_role("radio", name="4", exact=True).check()
    page.get_by_label("How strong is the feeling now? (0 to 10)").select_option("3")
    page.get_by_label("A note for myself or my therapist").fill("Talked calmly.")
    expect(page.get_by_label("What got in the way?")).to_be_hidden()
    wait_saved(page)
    e = entry_with(page, kind="coaching")
    assert e["chg"] == "yes" and e["fit"] == "not-sure" and e["pri"] == "relationship"
    assert e["urge"] == [["lash-out", 5], ["other", 4, "Slam the door"]]
    assert (e["used"], e["rate"], e["now"], e["note"]) == ("ask-kindly", 4, 3, "Talked calmly.")
    expect(page.locator("#summary")).to_contain_text("After: Used Ask kindly, worked 4/5, now 3/10.")


def test_repair_journey_and_what_got_in_the_way(page):
    page.goto("worksheet.html")
    kind(page, "Relationship repair")
    page.get_by_label("What happened, in a sentence or two").fill("I snapped at my coach on the phone.")
    add_emotion(page, "guilt", 7)
    page.get_by_label("What I want right now (my goal)").fill("Say sorry and fix it.")
    page.get_by_label("Which skill did I use?").select_option(label="I did not use a skill")
    block = page.get_by_label("What got in the way?")
    expect(block).to_be_visible()
    block.fill("I was too tired.")
    wait_saved(page)
    e = entry_with(page, kind="repair")
    assert e["used"] == "none" and e["block"] == "I was too tired."
    expect(page.locator("#summary")).to_contain_text("Relationship repair.")
    expect(page.locator("#summary")).to_contain_text("After: Did not use a skill.")


def test_good_news_is_a_short_path(page):
    page.goto("worksheet.html")
    kind(page, "Good news")
    # Only what happened, how it feels, and what skill helped are asked.
    for hidden in ("What am I feeling?", "What urges do I have?", "My plan for right now", "Afterwards"):
        expect(page.get_by_role("heading", name=re.compile(re.escape(hidden)))).to_be_hidden()
    page.get_by_label("What happened, in a sentence or two").fill("I said no to extra shifts, kindly.")
    page.get_by_label("How does it feel?").fill("Proud and light.")
    page.get_by_label("What skill helped?").select_option(label="Ask kindly")
    wait_saved(page)
    expect(page.locator("#summary")).to_have_text(
        "Good news! I said no to extra shifts, kindly.\nIt feels: Proud and light.\nSkill that helped: Ask kindly.")
    e = entry_with(page, kind="good-news")
    assert (e["what"], e["glad"], e["gskill"]) == ("I said no to extra shifts, kindly.", "Proud and light.", "ask-kindly")


def test_intensity_is_visible_and_set_by_keyboard(page):
    page.goto("worksheet.html")
    add_emotion(page, "sadness")
    slider = page.get_by_label("sadness: how strong, 0 to 10", exact=True)
    value = page.locator("#feel-list output")
    expect(value).to_have_text("5")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(value).to_have_text("7")
    page.keyboard.press("End")
    expect(value).to_have_text("10")
    page.keyboard.press("Home")
    expect(value).to_have_text("0")
    wait_saved(page)
    assert entry_with(page, feel=[["sadness", 0]])


# Counts calls into Intl (and the Date/Number/String methods built on it), before any page script runs.
COUNT_INTL = """
window.__intl = [];
for (const name of ["DateTimeFormat", "NumberFormat", "Collator", "PluralRules", "RelativeTimeFormat", "ListFormat"]) {
  const C = Intl[name];
  Intl[name] = new Proxy(C, {
    construct(t, a) { window.__intl.push(name); return Reflect.construct(t, a); },
    apply(t, self, a) { window.__intl.push(name); return Reflect.apply(t, self, a); },
  });
}
for (const [proto, method] of [[Date.prototype, "toLocaleTimeString"], [Date.prototype, "toLocaleDateString"],
    [Date.prototype, "toLocaleString"], [Number.prototype, "toLocaleString"], [String.prototype, "localeCompare"]]) {
  const f = proto[method];
  proto[method] = function (...a) { window.__intl.push(method); return f.apply(this, a); };
}
"""


def test_first_tap_saves_and_shows_the_time_without_loading_locale_data(page):
    """A page's first Intl call loads locale data (40-90 ms on a fresh page): not on the first tap."""
    page.add_init_script(COUNT_INTL)
    page.goto("worksheet.html")
    kind(page, "Skills coaching")
    expect(page.locator("#save-state")).to_have_text(
        re.compile(r"^Saved on this device at (1[0-2]|[1-9]):[0-5][0-9] (AM|PM)\.$"))  # the site's locale is "en"
    page.get_by_label("What happened, in a sentence or two").fill("A first line.")
    wait_saved(page)
    assert page.evaluate("window.__intl") == []
    times = page.evaluate("""() => import(new URL('js/summary.js', document.baseURI).href).then(({ clockTime }) => {
        const at = (h, m) => new Date(2026, 10, 22, h, m);
        return [clockTime(at(0, 5), 'en'), clockTime(at(12, 0), 'en-US'), clockTime(at(23, 59), 'en-CA'),
                clockTime(at(9, 7), 'en-GB'), clockTime(at(0, 5), 'fr-CA'), clockTime(at(13, 30), 'de')];
    })""")
    assert times == ["12:05 AM", "12:00 PM", "11:59 PM", "09:07", "00:05", "13:30"]


def test_whole_flow_by_keyboard(page):
    page.goto("worksheet.html")
    page.get_by_role("radio", name=re.compile("^Crisis")).focus()
    page.keyboard.press("ArrowDown")  # radio groups move and select with arrows
    expect(page.get_by_role("radio", name=re.compile("^Skills coaching"))).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Typed by keyboard.")
    expect(page.get_by_label("What happened, in a sentence or two")).to_have_value("Typed by keyboard.")
    page.get_by_label("Another emotion, in my own words").focus()
    page.keyboard.type("restless")
    page.keyboard.press("Enter")
    expect(page.get_by_label("restless: how strong, 0 to 10")).to_be_visible()
    expect(page.get_by_label("Another emotion, in my own words")).to_be_focused()  # ready for the next one
    page.get_by_label("restless: how strong, 0 to 10").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Remove restless")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("restless: how strong, 0 to 10")).to_have_count(0)
    expect(page.get_by_label("Another emotion, in my own words")).to_be_focused()
    wait_saved(page)


@pytest.mark.parametrize("what", ["urge", "intensity"])
def test_help_prompt_shows_at_once_without_the_engine(page, what):
    # The engine never gets ready (its worker never answers): the kind prompt must not depend on it.
    page.add_init_script(SILENT_WORKER)
    page.goto("worksheet.html")
    prompt = page.locator("#help-prompt")
    expect(prompt).to_be_empty()
    if what == "urge":
        add_urge(page, "Hurt myself", 4)
        expect(prompt).to_be_empty()
        page.get_by_label("Hurt myself: how strong, 0 to 10").fill("5")
    else:
        add_emotion(page, "shame", 8)
        expect(prompt).to_be_empty()
        page.get_by_label("shame: how strong, 0 to 10").fill("9")
    expect(prompt.get_by_role("link", name="Get help now")).to_have_attribute("href", "help.html")
    expect(prompt).to_contain_text("you do not have to carry it alone")
    expect(page.locator("html")).not_to_have_attribute("data-engine", "ready")
    # It comes first in the ideas step, above any suggestion.
    first = page.locator("#step-ideas > :not(h2)").first
    expect(first).to_have_id("help-prompt")
    # Lowering it again removes the prompt.
    label = "Hurt myself" if what == "urge" else "shame"
    page.get_by_label(f"{label}: how strong, 0 to 10").fill("2")
    expect(prompt).to_be_empty()


def test_suicide_urge_prompts_too(page):
    page.goto("worksheet.html")
    add_urge(page, "End my life", 5)
    expect(page.locator("#help-prompt").get_by_role("link", name="Get help now")).to_be_visible()


def test_draft_survives_reload_and_close_and_reopen(page, context):
    page.goto("worksheet.html")
    kind(page, "Skills coaching")
    page.get_by_label("What happened, in a sentence or two").fill("Kept across reloads")
    add_emotion(page, "anxiety", 6)
    wait_saved(page)
    page.reload()
    expect(page.get_by_label("What happened, in a sentence or two")).to_have_value("Kept across reloads")
    expect(page.get_by_label("anxiety: how strong, 0 to 10")).to_have_value("6")
    expect(page.get_by_role("radio", name=re.compile("^Skills coaching"))).to_be_checked()
    page.close()
    again = context.new_page()
    again.goto("worksheet.html")
    expect(again.get_by_label("What happened, in a sentence or two")).to_have_value("Kept across reloads")


def test_draft_survives_a_crashed_tab(page, context, guard):
    page.goto("worksheet.html")
    page.get_by_label("What happened, in a sentence or two").fill("Typed just before the crash")
    # No waiting for a save message: every keystroke is written at once. Then the renderer crashes.
    guard.expected_console.append("crash")
    page.on("crash", lambda _: None)
    try:
        page.goto("chrome://crash", timeout=5_000)
    except Exception:  # noqa: BLE001  the navigation fails because the tab crashed
        pass
    with pytest.raises(Error, match="crashed"):
        page.evaluate("1")
    fresh = context.new_page()
    fresh.goto("worksheet.html")
    expect(fresh.get_by_label("What happened, in a sentence or two")).to_have_value("Typed just before the crash")


def test_draft_survives_an_app_update(page, serve, tmp_path, guard):
    from urllib.parse import urlsplit

    from test_worksheet_support import FIXTURES

    out = build_site(tmp_path / "site", skills_dir=FIXTURES / "skills-mini")
    server = serve(out)
    guard.allowed_origins.add("{0.scheme}://{0.netloc}".format(urlsplit(server.url)))
    # The engine is not under test here; keep its worker from fetching files while they are being replaced.
    page.add_init_script(SILENT_WORKER)
    page.goto(server.url + "worksheet.html")
    page.get_by_label("What happened, in a sentence or two").fill("Before the update")
    wait_saved(page)
    # A new version: new files at the same origin (here with a changed app name).
    settings = tmp_path / "settings"
    settings.mkdir()
    (settings / "clinic.toml").write_text('app_name = "Between Sessions Next"\n', encoding="utf-8")
    build_site(out, settings_root=settings, skills_dir=FIXTURES / "skills-mini")
    page.reload()
    expect(page).to_have_title(re.compile("Between Sessions Next"))
    expect(page.get_by_label("What happened, in a sentence or two")).to_have_value("Before the update")


def test_new_worksheet_keeps_the_old_one(page):
    page.goto("worksheet.html")
    page.get_by_label("What happened, in a sentence or two").fill("The first one")
    wait_saved(page)
    page.get_by_role("button", name="New worksheet").click()
    expect(page.get_by_label("What happened, in a sentence or two")).to_have_value("")
    expect(page.locator("#save-state")).to_have_text("A new worksheet is ready. Your last one is saved in History.")
    page.get_by_label("What happened, in a sentence or two").fill("The second one")
    wait_saved(page)
    assert sorted(e["what"] for e in entries(page).values()) == ["The first one", "The second one"]
    page.reload()
    expect(page.get_by_label("What happened, in a sentence or two")).to_have_value("The second one")


def test_new_worksheet_stays_new_after_reload(page):
    page.goto("worksheet.html")
    page.get_by_label("What happened, in a sentence or two").fill("Old")
    wait_saved(page)
    page.get_by_role("button", name="New worksheet").click()
    page.reload()
    expect(page.get_by_label("What happened, in a sentence or two")).to_have_value("")
    assert len(entries(page)) == 1


def test_use_this_in_my_worksheet_adds_to_plan_and_clears_hash(page):
    page.goto("worksheet.html")
    page.get_by_label("What happened, in a sentence or two").fill("Draft first")
    wait_saved(page)
    page.goto("skills/cool-down.html")
    length = page.evaluate("history.length")
    page.get_by_role("link", name="Use this in my worksheet").click()
    plan = page.get_by_role("list", name="Skills in my plan")
    expect(plan.get_by_role("link", name="Cool down")).to_be_visible()
    expect(page).to_have_url(re.compile(r"worksheet\.html$"))
    # The card link made one history entry; the worksheet added none (replaceState only).
    assert page.evaluate("history.length") == length + 1
    expect(page.get_by_label("What happened, in a sentence or two")).to_have_value("Draft first")
    wait_saved(page)
    assert entry_with(page, what="Draft first")["pick"] == ["cool-down"]
    page.go_back()
    expect(page).to_have_url(re.compile(r"skills/cool-down\.html$"))


def test_unknown_skill_in_hash_is_ignored(page):
    page.goto("worksheet.html#plan=not-a-skill")
    expect(page.locator("#save-state")).to_have_text("That skill is not in this app.")
    expect(page).to_have_url(re.compile(r"worksheet\.html$"))
    assert entries(page) == {}


def test_summary_links_copy_and_share(page, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("worksheet.html")
    kind(page, "Skills coaching")
    page.get_by_label("What happened, in a sentence or two").fill("Short & sweet?")
    add_emotion(page, "fear", 4)
    text = "Skills coaching.\nWhat happened: Short & sweet?\nFeeling: fear 4/10."
    expect(page.locator("#summary")).to_have_text(text)
    sms = page.get_by_role("link", name="Text this summary to Sam")
    expect(sms).to_have_attribute("href", "sms:+15550100198?&body=" + "Skills%20coaching.%0AWhat%20happened%3A%20Short%20%26%20sweet%3F%0AFeeling%3A%20fear%204%2F10.")
    expect(page.get_by_role("link", name="Call Sam to read it out")).to_have_attribute("href", "tel:+15550100199")
    page.get_by_role("button", name="Copy summary").click()
    expect(page.locator("#copy-status")).to_have_text("Summary copied. You can paste it into a message.")
    assert page.evaluate("navigator.clipboard.readText()") == text
    # Web Share only where the browser has it.
    has_share = page.evaluate("'share' in navigator")
    share = page.locator("#share-summary")
    expect(share).to_be_visible() if has_share else expect(share).to_be_hidden()
    page.get_by_role("button", name="Large text to read out").click()
    expect(page.get_by_role("button", name="Large text to read out")).to_have_attribute("aria-pressed", "true")
    assert len(text) <= 320


def test_summary_stays_short_with_long_answers(page):
    page.goto("worksheet.html")
    kind(page, "Crisis")
    page.get_by_label("What happened, in a sentence or two").fill("word " * 700)
    page.get_by_label("What I want right now (my goal)").fill("goal " * 300)
    page.get_by_label("What I will do instead, in my own words").fill("plan " * 700)
    add_emotion(page, "anger", 8)
    summary = page.locator("#summary").inner_text()
    assert len(summary) < 520, len(summary)
    expect(page.locator("#summary-size")).to_contain_text("characters")


def test_no_history_entries_of_its_own(page):
    page.goto("worksheet.html")
    length = page.evaluate("history.length")
    kind(page, "Crisis")
    page.get_by_label("What happened, in a sentence or two").fill("x")
    page.get_by_role("button", name="New worksheet").click()
    assert page.evaluate("history.length") == length


def test_labels_targets_and_narrow_screen(page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("worksheet.html")
    add_emotion(page, "anger", 5)
    add_urge(page, "Isolate or hide", 5)
    pick_skill(page, "A skill I have tried", "Both sides", "Add skill")
    pick_skill(page, "Add a skill to my plan", "Look back", "Add to plan")
    page.get_by_label("Which skill did I use?").select_option("none")
    assert layout_problems(page, 360) == []


def test_crisis_contacts_one_tap_away(page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("worksheet.html")
    bar = page.locator("#help-bar")
    expect(page.get_by_role("banner").get_by_role("link", name="Get help now")).to_be_in_viewport()
    expect(bar).to_be_hidden()  # the header's own link is on screen
    for step in ("What am I feeling?", "Ideas to try", "Summary for my coach", "Afterwards"):
        page.get_by_role("heading", name=step).scroll_into_view_if_needed()
        link = bar.get_by_role("link", name="Get help now")
        expect(link).to_be_in_viewport()
        expect(link).to_have_attribute("href", "help.html")
    # It never covers the last field.
    page.get_by_label("A note for myself or my therapist").focus()
    page.evaluate("scrollTo(0, document.body.scrollHeight)")
    note = page.get_by_label("A note for myself or my therapist").bounding_box()
    button = bar.get_by_role("link").bounding_box()
    assert note["y"] + note["height"] <= button["y"] or button["x"] >= note["x"] + note["width"]


# ---- Suggestions: these need the in-browser engine ----

def test_suggestions_update_and_add_to_plan(page):
    page.goto("worksheet.html")
    engine_ready(page)
    expect(page.locator("#engine-state")).to_have_text("Ideas update as you fill in the worksheet.")
    kind(page, "Skills coaching")
    add_emotion(page, "anger", 8)
    ideas = page.locator("#ideas .idea")
    expect(ideas.first).to_be_visible()
    first = ideas.first
    name = first.get_by_role("heading").inner_text()
    expect(first.locator(".reason")).not_to_be_empty()
    button = first.get_by_role("button", name=f"Add to my plan: {name}")
    button.click()
    expect(first.get_by_role("button", name=f"In my plan: {name}")).to_have_attribute("aria-pressed", "true")
    card = first.locator(".idea-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("First step:")
    expect(card.get_by_role("link", name=f"Open the full {name} card")).to_be_visible()
    expect(page.get_by_role("list", name="Skills in my plan").get_by_role("link", name=name)).to_be_visible()
    # A crisis urge puts the body-based, crisis-survival skill first.
    add_urge(page, "Hurt myself", 7)
    expect(page.locator("#help-prompt")).not_to_be_empty()
    expect(ideas.first.get_by_role("heading")).to_have_text("Cool down")


def test_suggestions_use_past_reflections(page, context):
    from test_worksheet_support import seed

    past = {"r": 1, "c": 1_700_000_000_000, "u": 1_700_000_000_000, "kind": "coaching", "used": "notice-this", "rate": 5}
    seed(context, {"bs.schema": "2", "bs.e.pastentry01": past})
    page.add_init_script(RECORD_WORKER)
    page.goto("worksheet.html")
    engine_ready(page)
    page.get_by_role("button", name="New worksheet").click()
    add_emotion(page, "fear", 6)
    expect(page.locator("#ideas .idea").first).to_be_visible()
    sent = page.evaluate("window.__sent")
    asked = [m for m in sent if '"fear"' in m]
    assert asked and all('{"skill":"notice-this","rating":5}' in m for m in asked), sent


def test_no_layout_shift_when_suggestions_arrive(page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("worksheet.html")
    kind(page, "Skills coaching")
    add_emotion(page, "anger", 6)
    add_emotion(page, "shame", 5)
    plan = page.locator("#h-plan")
    before = plan.bounding_box()["y"] + page.evaluate("scrollY")
    engine_ready(page)
    expect(page.locator("#ideas .idea").first).to_be_visible()
    after = plan.bounding_box()["y"] + page.evaluate("scrollY")
    assert after == before


def test_engine_unavailable_points_to_the_guide(page):
    page.route("**/engine/**", lambda route: route.fulfill(status=503, body="down"))
    page.route("**/worker/**", lambda route: route.fulfill(status=503, body="down"))
    page.goto("worksheet.html")
    state = page.locator("#engine-state")
    expect(state).to_have_text("Suggestions could not load on this device: use the Which skill when guide.", timeout=60_000)
    expect(state.get_by_role("link", name="Which skill when guide")).to_have_attribute("href", "guide.html")
    # The worksheet itself still works and saves.
    page.get_by_label("What happened, in a sentence or two").fill("Still works")
    wait_saved(page)
