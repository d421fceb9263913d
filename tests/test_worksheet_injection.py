"""Script-injection strings typed into every field show as plain text everywhere, and nothing runs.

The guard fails the test on any CSP violation (an inline handler or script the page tried to run) or page error.
"""

import pytest
from playwright.sync_api import expect

from test_worksheet_support import (  # noqa: F401  (fixtures are used by name)
    _allow_ws_origin, add_emotion, add_urge, browser_context_args, kind, wait_saved, ws_server,
)

pytestmark = pytest.mark.browser

CORPUS = [
    "<script>window.pwned=1</script>",
    '<img src=x onerror="window.pwned=1">',
    '"><svg onload=window.pwned=1>',
    "javascript:window.pwned=1",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "</textarea><b>bold</b><!--",
    "&amp; &lt;b&gt; &#60;i&#62;",
    '<iframe srcdoc="<script>parent.pwned=1</script>">',
    "\u202eevil\u202c and 🙂 and \u2028 a line separator",
]

NO_INJECTED = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    if (['SCRIPT', 'IMG', 'SVG', 'IFRAME', 'B'].includes(el.tagName.toUpperCase()) && el.closest('main')) {
      if (!(el.tagName === 'SCRIPT' && el.type === 'module')) bad.push(el.outerHTML.slice(0, 80));
    }
    for (const a of el.attributes) if (a.name.startsWith('on')) bad.push(`${el.tagName} ${a.name}`);
  }
  return {bad, pwned: window.pwned === undefined && window.parent.pwned === undefined ? null : 1};
}"""


def shown_clean(page):
    result = page.evaluate(NO_INJECTED)
    assert result == {"bad": [], "pwned": None}


@pytest.mark.parametrize("payload", CORPUS, ids=range(len(CORPUS)))
def test_hostile_text_is_only_ever_text(page, payload):
    text = payload
    page.goto("worksheet.html")
    kind(page, "Crisis")
    fields = {
        "What happened, in a sentence or two": "what",
        "What I want right now (my goal)": "goal",
        "What I will do instead, in my own words": "plan",
        "A note for myself or my therapist": "note",
    }
    for label in fields:
        page.get_by_label(label).fill(payload)
    add_emotion(page, payload[:60], 6, own=True)
    add_urge(page, payload, 4, own=True)
    page.get_by_label("Which skill did I use?").select_option("none")
    page.get_by_label("What got in the way?").fill(payload)
    wait_saved(page)

    # The worksheet: every field holds exactly what was typed; the rows name it as text.
    for label in [*fields, "What got in the way?"]:
        expect(page.get_by_label(label)).to_have_value(text)
    expect(page.locator("#feel-list .level-name")).to_have_text(text[:60])
    expect(page.locator("#urge-list .level-name")).to_have_text(text)

    # The summary for the coach: each answer as typed, or (when long) its start followed by an ellipsis.
    lines = dict(line.split(": ", 1) for line in page.locator("#summary").text_content().split("\n")[1:])
    for key, shown in [("What happened", lines["What happened"]), ("I want", lines["I want"]), ("My plan", lines["My plan"]),
                       ("Feeling", lines["Feeling"].removesuffix(" 6/10.")), ("Urges", lines["Urges"].removesuffix(" 4/10."))]:
        tidy = " ".join(text.split())  # the summary tidies runs of white space into one space
        assert shown == tidy or (shown.endswith("…") and tidy.startswith(shown[:-1])), (key, shown)
    shown_clean(page)

    # Good news path too.
    page.get_by_role("button", name="New worksheet").click()
    kind(page, "Good news")
    page.get_by_label("What happened, in a sentence or two").fill(payload)
    page.get_by_label("How does it feel?").fill(payload)
    wait_saved(page)
    expect(page.locator("#summary")).to_contain_text(f"It feels: {text}")
    shown_clean(page)

    # History and the week summary.
    page.goto("history.html")
    whats = page.locator("#entries .what")
    expect(whats).to_have_text([text, text, text])
    page.get_by_label("Search my worksheets").fill(text.split()[0])
    expect(page.locator("#entries > li").first).to_be_visible()
    week = page.locator("#week-summary")
    rows = week.get_by_role("table", name="Each worksheet this week").locator("tbody tr")
    expect(rows).to_have_count(2)
    cells = rows.nth(0).locator("td")
    assert cells.nth(2).text_content() == text
    assert cells.nth(7).text_content() == text
    expect(week.get_by_role("table", name="Urges this week").locator("tbody td").first).to_have_text(text)
    page.emulate_media(media="print")
    expect(week).to_be_visible()
    shown_clean(page)
