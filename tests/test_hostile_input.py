"""Hostile text through every field, every engine reply and the skills and history searches.

The promise: whatever is typed (or comes back from the engine), nothing runs, no dialog opens, no CSP
violation happens (the conftest guard fails the test on any), and the text is shown exactly as typed,
because it is only ever handled as text. "Exactly" is checked character for character against what
was typed; the only differences allowed are the ones the page documents and the browser imposes:
- a field's maxlength clips what is typed into it (Playwright's fill() types like a person pasting);
- "add my own" words are trimmed of surrounding white space and clipped (entry.js LIMITS);
- the engine quotes a person's own emotion word on one line without control characters, clipped to
  40 characters (coach.schema.plain).
"""

import json
import re

import pytest
from coach.schema import plain
from conftest import engine_ready
from playwright.sync_api import expect
from support import hostile
from support.journeys import local_storage

pytestmark = pytest.mark.browser

TEXTAREAS = {  # label -> maxlength, for the fields open on a fresh coaching worksheet
    "What happened, in a sentence or two": 4000,
    "What I want right now (my goal)": 2000,
    "What I will do instead, in my own words": 4000,
    "A note for myself or my therapist": 4000,
}
GROUPS = {"markup": hostile.MARKUP, "urls": hostile.URLS, "code": hostile.CODE, "unicode": hostile.UNICODE,
          "long": [hostile.LONG]}
JS_WHITESPACE = " \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def js_trim(text):
    return text.strip(JS_WHITESPACE)


def clean_slate(page):
    page.get_by_role("button", name="New worksheet").click()
    expect(page.get_by_role("status").filter(has_text="A new worksheet is ready")).to_be_visible()


@pytest.mark.parametrize("group", GROUPS)
def test_hostile_text_in_every_worksheet_field_stays_text(page, group):
    page.goto("worksheet.html")
    page.get_by_role("radio", name="Skills coaching: help me pick a skill").check()
    for payload in GROUPS[group]:
        for label, most in TEXTAREAS.items():
            field = page.get_by_label(label)
            field.fill(payload)
            expect(field).to_have_value(payload[:most])
        own = page.get_by_label("Another emotion, in my own words")
        own.fill(payload)
        page.get_by_role("button", name="Add emotion").click()
        word = js_trim(payload[:60])
        expect(page.locator("#feel-list .level-name").last).to_have_text(word, use_inner_text=False)
        page.get_by_label("Another urge, in my own words").fill(payload)
        page.get_by_role("button", name="Add urge").click()
        expect(page.locator("#urge-list .level-name").last).to_have_text(js_trim(payload[:200]))
        # The summary for the coach shows the words as text, never as markup (it clips long answers to fit a text).
        assert page.locator("#summary").evaluate("(el) => el.children.length") == 0
        expect(page.locator("#summary")).to_contain_text(payload[:100])
        assert hostile.no_script_ran(page), payload
        # Saved and read back exactly.
        page.reload()
        for label, most in TEXTAREAS.items():
            expect(page.get_by_label(label)).to_have_value(payload[:most])
        expect(page.locator("#feel-list .level-name").last).to_have_text(word)
        assert hostile.no_script_ran(page), payload
        clean_slate(page)
        page.get_by_role("radio", name="Skills coaching: help me pick a skill").check()


def test_engine_replies_quote_hostile_words_as_text(page):
    page.goto("worksheet.html")
    engine_ready(page)
    page.get_by_role("radio", name="Skills coaching: help me pick a skill").check()
    for payload in hostile.MARKUP[:5] + hostile.CODE[:3]:
        own = page.get_by_label("Another emotion, in my own words")
        own.fill(payload)
        own.press("Enter")
        page.get_by_role("slider").last.fill("9")  # the strongest feeling, so the engine names it
        quoted = plain(payload, 40)  # what the engine says it quotes: one line, no controls, clipped
        reason = page.locator("#ideas .reason").filter(has_text=f'"{quoted}"').first
        expect(reason).to_be_visible(timeout=30_000)
        assert reason.evaluate("(el) => el.children.length") == 0
        assert reason.text_content().startswith(f'You rated "{quoted}" at 9 out of 10')
        assert hostile.no_script_ran(page)
        page.locator("#feel-list").get_by_role("button", name="Remove").last.click()


def test_lone_surrogates_are_kept_in_fields_and_storage(page):
    """Python cannot type lone surrogates, so the page puts them in; the worksheet must neither crash nor lose them."""
    page.goto("worksheet.html")
    got = page.evaluate("""(cases) => {
        const out = {};
        const field = document.getElementById('what');
        for (const [name, expr] of Object.entries(cases)) {
            const text = (0, eval)(expr);
            field.value = text;
            field.dispatchEvent(new Event('input', {bubbles: true}));
            out[name] = {same: field.value === text, codes: [...field.value].map((c) => c.codePointAt(0))};
        }
        return out;
    }""", hostile.JS_ONLY)
    for name, result in got.items():
        assert result["same"], name  # a textarea's value is a DOMString: lone surrogates stay as they are
    stored = json.dumps(local_storage(page))
    # The last case was saved as JSON; JSON.stringify writes a lone surrogate as an escape, so nothing is lost.
    assert "\\\\udc00\\\\ud800" in stored.lower() or "\\udc00\\ud800" in stored.lower(), stored[:300]
    page.reload()
    codes = page.get_by_label("What happened, in a sentence or two").evaluate(
        "(el) => [...el.value].map((c) => c.codePointAt(0))")
    assert codes == [0xDC00, 0xD800]
    assert hostile.no_script_ran(page)


@pytest.mark.parametrize("payload", hostile.SHORT + [hostile.LONG], ids=range(len(hostile.SHORT) + 1))
def test_skills_search_takes_hostile_text(page, payload):
    page.goto("skills/index.html")
    search = page.get_by_label("Find a skill by name, feeling, urge or situation")
    search.fill(payload)
    expect(search).to_have_value(payload)
    expect(page.get_by_text("No skill matches that.")).to_be_visible()
    assert hostile.no_script_ran(page)



def test_every_field_of_an_engine_reply_is_shown_as_text(page, context):
    """Skill names, reasons and first steps come back from the engine: give each a hostile string."""
    payloads = [p for p in hostile.SHORT if p.strip()]

    def rewrite(route):
        skills = route.fetch().json()
        for i, skill in enumerate(skills):
            skill["name"] = payloads[i % len(payloads)]
            skill["first_step"] = payloads[(i + 7) % len(payloads)]
        route.fulfill(json=skills)

    context.route("**/engine/skills.json", rewrite)
    # The real service worker would answer from its checked cache; this one does nothing, so the data comes
    # through the route above. (Playwright's service_workers="block" fakes register() in a way no browser does.)
    context.route("**/sw.js", lambda route: route.fulfill(response=route.fetch(), body="// does nothing\n"))
    page.goto("worksheet.html")
    page.get_by_role("radio", name="Crisis: I need help to get through this right now").check()
    page.get_by_role("checkbox", name="anger").check()
    page.get_by_role("slider").fill("9")
    ideas = page.locator("#ideas .idea")
    expect(ideas.first).to_be_visible(timeout=60_000)
    more = page.get_by_role("button", name=re.compile(r"^Show \d+ more idea"))
    if more.count():
        more.click()
    # Check every idea before touching any: adding one to the plan changes the request and the list.
    count = ideas.count()
    assert count >= 3
    for i in range(count):
        heading = ideas.nth(i).get_by_role("heading")
        assert heading.text_content() in payloads, heading.text_content()
        assert heading.evaluate("(el) => el.children.length") == 0
    idea = ideas.first
    name = idea.get_by_role("heading").text_content()
    idea.get_by_role("button").first.click()
    step = idea.locator(".idea-card p").first.text_content()
    assert step.removeprefix("First step: ") in payloads, step
    assert idea.get_by_role("link").text_content() == f"Open the full {name} card"
    assert hostile.no_script_ran(page)


def test_history_search_takes_hostile_text(page):
    page.goto("history.html")
    page.evaluate("""() => {
        localStorage.setItem('bs.schema', '2');
        localStorage.setItem('bs.e.mine0001', JSON.stringify({r: 1, c: 1763000000000, u: 1763000000000, what: 'a calm day'}));
    }""")
    page.reload()
    search = page.get_by_label("Search my worksheets")
    for payload in hostile.SHORT + [hostile.LONG]:
        search.fill(payload)
        expect(search).to_have_value(payload[:200])  # the search box keeps 200 characters (maxlength)
        expect(page.get_by_text("No worksheets match that search.")).to_be_visible()
        assert hostile.no_script_ran(page), payload
