"""Restoring a backup: crafted files are refused with a clear message and change nothing; hostile text is only text.

The import checker is JavaScript (static/js/backup.js and entry.js), so it is exercised in the browser with
real files through the "Restore from a backup file" control. Before each import the device holds one
worksheet; afterwards every localStorage key and value must be exactly as before.
"""

import json

import pytest
from playwright.sync_api import expect
from support import hostile
from support.journeys import local_storage

pytestmark = pytest.mark.browser

NOW = 1_763_000_000_000
MINE = {"r": 1, "c": NOW, "u": NOW, "kind": "coaching", "what": "my own worksheet"}
STORE = {"bs.schema": "2", "bs.e.mine0001": json.dumps(MINE)}
APP = "between-sessions"


def backup(entries, **top):
    return json.dumps({"app": APP, "kind": "backup", "schema": 2, "exported": "2025-11-22T00:00:00.000Z",
                       "entries": entries, **top})


def entry(id_="abcd0001", **fields):
    return {"id": id_, "r": 1, "c": NOW, "u": NOW, **fields}


DEEP = 200_000
BAD_FILES = {
    # name: (file bytes, words the message must contain)
    "empty": (b"", "empty"),
    "oversized": (b'{"app": "between-sessions", "pad": "' + b"x" * (8 * 1024 * 1024) + b'"}', "too big"),
    "not json": (b"hello, this is not a backup", "could not be read"),
    "binary": (bytes(range(256)) * 64, "could not be read"),
    # (A UTF-16 file with a byte-order mark is read correctly by the browser, and is a fine backup.)
    "utf-16 without a byte-order mark": (backup([entry(what="hi")]).encode("utf-16-le"), "could not be read"),
    "truncated": (backup([entry(what="hi")])[:-20].encode(), "could not be read"),
    "deeply nested": (("[" * DEEP + "]" * DEEP).encode(), "not"),
    "deeply nested field": (backup([entry()])[:-3].encode() + b', "what": ' + b"[" * DEEP + b"]" * DEEP + b"}]}", "what"),
    "a list": (b"[1, 2, 3]", "not in the right shape"),
    "a string": (b'"between-sessions"', "not in the right shape"),
    "null": (b"null", "not in the right shape"),
    "another app": (json.dumps({"app": "other", "entries": []}).encode(), "not a backup from this app"),
    "newer schema": (backup([entry()], schema=99).encode(), "newer version"),
    "schema as text": (backup([entry()], schema="2").encode(), "which version"),
    "schema missing": (json.dumps({"app": APP, "kind": "backup", "entries": []}).encode(), "which version"),
    "unknown top field": (backup([], extra=1).encode(), "does not know"),
    "hostile top field": (backup([], **{hostile.MARKUP[0]: 1}).encode(), "does not know"),
    "__proto__ at the top": (b'{"__proto__": {"polluted": true}, "app": "between-sessions", "schema": 2, "entries": []}', "__proto__"),
    "__proto__ in an entry": (backup([entry()])[:-3].encode() + b', "__proto__": {"polluted": true}}]}', "__proto__"),
    "constructor in an entry": (backup([entry(constructor={"prototype": {"polluted": True}})]).encode(), "constructor"),
    "prototype in an entry": (backup([entry(prototype={"polluted": True})]).encode(), "prototype"),
    "entries not a list": (backup({"a": 1}).encode(), "no list"),
    "too many entries": (backup([entry(f"e{i:07d}") for i in range(20_001)]).encode(), "more than"),
    "bad id": (backup([entry("../../etc")]).encode(), "id"),
    "duplicate ids": (backup([entry(), entry()]).encode(), "twice"),
    "missing times": (backup([{"id": "abcd0001", "r": 1}]).encode(), "missing"),
    "text too long": (backup([entry(what="x" * 4001)]).encode(), "longer than"),
    "number as text": (backup([entry(what=5)]).encode(), "must be text"),
    "unknown kind": (backup([entry(kind="party")]).encode(), "must be one of"),
    "unknown entry field": (backup([entry(script="<script>alert(1)</script>")]).encode(), "not a field"),
    "feelings not a list": (backup([entry(feel="anger")]).encode(), "must be a list"),
    "intensity out of range": (backup([entry(feel=[["anger", 11]])]).encode(), "0 to 10"),
    "skill id with markup": (backup([entry(pick=['<img src=x onerror="window.__pwned=1">'])]).encode(), "skill"),
    "second entry bad": (backup([entry(), entry("abcd0002", rate=9)]).encode(), "Worksheet 2"),
}


@pytest.fixture
def history(page):
    """The history page, with one worksheet already on the device."""
    page.goto("history.html")
    page.evaluate("(store) => { for (const [k, v] of Object.entries(store)) localStorage.setItem(k, v); }", STORE)
    page.reload()
    expect(page.get_by_text("1 worksheet, newest first.")).to_be_visible()
    return page


def restore(page, name, data):
    page.get_by_label("Restore from a backup file").set_input_files(
        files=[{"name": f"{name}.json", "mimeType": "application/json", "buffer": data}])


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_crafted_file_is_refused_and_changes_nothing(history, case):
    data, words = BAD_FILES[case]
    before = local_storage(history)
    restore(history, case, data)
    result = history.locator("#import-result")
    expect(result).to_contain_text("Nothing was changed.", timeout=15_000)
    message = result.text_content()
    assert words.lower() in message.lower(), message
    assert len(message) < 400, "a message names the problem; it does not quote the file"
    assert result.get_by_role("button").count() == 0, "nothing to confirm"
    assert local_storage(history) == before
    assert hostile.no_script_ran(history)
    expect(history.get_by_text("1 worksheet, newest first.")).to_be_visible()


def test_hostile_text_in_a_backup_is_restored_and_shown_as_text(history, tmp_path):
    texts = hostile.SHORT
    entries = [entry(f"host{i:04d}", c=NOW + i, u=NOW + i, what=t, goal=t, plan=t, note=t,
                     feel=[[t.strip()[:60] or "x", 5]], urge=[["other", 4, t[:200]]])
               for i, t in enumerate(texts) if t.strip()]
    before = local_storage(history)
    restore(history, "hostile", backup(entries).encode())
    history.get_by_role("button", name="Add them to my worksheets").click()
    expect(history.get_by_text(f"{len(entries)} worksheets added")).to_be_visible()
    assert hostile.no_script_ran(history)
    after = local_storage(history)
    assert {k: v for k, v in after.items() if k in before} == before, "what was here is untouched"
    expect(history.get_by_role("button", name="Show more")).to_be_hidden()  # all of them fit on one page
    shown = history.locator("#entries .what").all_text_contents()
    for e in entries:
        assert e["what"] in shown, e["what"]
    # Open one with markup in it: every field shows the text exactly.
    sample = next(e for e in entries if e["what"] == hostile.MARKUP[0])
    history.goto(f"worksheet.html#open={sample['id']}")
    expect(history.get_by_label("What happened, in a sentence or two")).to_have_value(sample["what"])
    expect(history.get_by_label("What I want right now (my goal)")).to_have_value(sample["goal"])
    expect(history.locator("#feel-list .level-name")).to_have_text(sample["feel"][0][0])
    expect(history.locator("#urge-list .level-name")).to_have_text(sample["urge"][0][2])
    assert hostile.no_script_ran(history)
