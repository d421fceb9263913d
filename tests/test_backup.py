"""Backup and restore in a real browser: export files, round trip, merge and replace, and every bad file."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from test_history import WEEK, seed_entries
from test_worksheet_support import (  # noqa: F401  (fixtures are used by name)
    _allow_ws_origin, browser_context_args, download_json, entries, load_fixture, stored, throwing_storage_script, ws_server,
)

pytestmark = pytest.mark.browser

RESTORE = "Restore from a backup file"


def choose(page, data, name="backup.json"):
    buffer = data if isinstance(data, bytes) else json.dumps(data).encode()
    page.get_by_label(RESTORE).set_input_files({"name": name, "mimeType": "application/json", "buffer": buffer})


def backup(*items, schema=2):
    return {"app": "between-sessions", "kind": "backup", "schema": schema, "exported": "2026-11-22T10:00:00Z", "entries": list(items)}


def item(id_, **fields):
    return {"id": id_, "r": 1, "c": 1_750_000_000_000, "u": 1_750_000_000_000, **fields}


def test_export_json_and_import_gives_back_the_same_data(context, page):
    seed_entries(context)
    page.goto("history.html")
    before = entries(page)
    name, data = download_json(page, page.get_by_role("button", name="Download a backup").click)
    assert re.fullmatch(r"between-sessions-backup-\d{4}-\d{2}-\d{2}\.json", name)
    assert data["app"] == "between-sessions" and data["schema"] == 2
    assert {e["id"] for e in data["entries"]} == {w["id"] for w in WEEK}
    # Delete everything, then restore the file.
    page.get_by_role("button", name="Delete everything…").click()
    page.get_by_role("button", name="Yes, delete everything").click()
    assert entries(page) == {}
    choose(page, data)
    result = page.locator("#import-result")
    expect(result).to_contain_text("This backup has 5 worksheets")
    expect(result).to_contain_text("5 are new here, 0 are newer than yours, and 0 are already here.")
    result.get_by_role("button", name="Add them to my worksheets").click()
    expect(result).to_have_text("Done. 5 worksheets added and 0 updated.")
    assert entries(page) == before
    expect(page.locator("#list-status")).to_have_text("5 worksheets, newest first.")


def test_export_csv_for_spreadsheets(context, page):
    seed_entries(context, [*WEEK, {"id": "formula001", "c": 1_750_000_000_000, "what": "=HYPERLINK(\"http://x\")", "note": "a \"quoted\", note\nwith a line"}])
    page.goto("history.html")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download for a spreadsheet (CSV)").click()
    assert re.fullmatch(r"between-sessions-entries-\d{4}-\d{2}-\d{2}\.csv", info.value.suggested_filename)
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 6
    by_what = {r["what happened"]: r for r in rows}
    assert by_what["Bad night"]["emotions"] == "fear 9; shame 6"
    assert by_what["Bad night"]["skill used"] == "Cool down"
    assert by_what["Bad night"]["strongest emotion before (0-10)"] == "9"
    # A cell that looks like a formula is kept as plain text.
    assert "'=HYPERLINK(\"http://x\")" in by_what
    assert by_what["'=HYPERLINK(\"http://x\")"]["note"] == "a \"quoted\", note\nwith a line"


def test_merge_keeps_the_newer_copy_and_replace_swaps_all(context, page):
    seed_entries(context)
    page.goto("history.html")
    newer = item("weekentry01", c=WEEK[0]["c"], u=WEEK[0]["c"] + 1000, what="Bad night, edited elsewhere")
    older = item("weekentry02", c=WEEK[1]["c"], u=WEEK[1]["c"] - 1000, what="Old copy")
    fresh = item("freshentry1", what="Brand new")
    choose(page, backup(newer, older, fresh))
    result = page.locator("#import-result")
    expect(result).to_contain_text("1 is new here, 1 is newer than yours, and 1 is already here.")
    result.get_by_role("button", name="Add them to my worksheets").click()
    expect(result).to_have_text("Done. 1 worksheet added and 1 updated.")
    now = entries(page)
    assert now["weekentry01"]["what"] == "Bad night, edited elsewhere"
    assert now["weekentry02"]["what"] == "Work stress"
    assert now["freshentry1"]["what"] == "Brand new"
    assert len(now) == 6
    choose(page, backup(fresh))
    result.get_by_role("button", name="Replace all my worksheets with these").click()
    expect(result).to_have_text("Done. You now have the 1 worksheets from the backup.")
    assert set(entries(page)) == {"freshentry1"}


def test_cancel_changes_nothing(context, page):
    seed_entries(context)
    page.goto("history.html")
    before = stored(page)
    choose(page, backup(item("freshentry1", what="x")))
    page.locator("#import-result").get_by_role("button", name="Cancel").click()
    expect(page.locator("#import-result")).to_have_text("Nothing was changed.")
    assert stored(page) == before


def test_a_first_version_store_can_be_restored(page):
    page.goto("history.html")
    choose(page, load_fixture("v1-basic.json")["between-sessions"])
    result = page.locator("#import-result")
    expect(result).to_contain_text("This backup has 4 worksheets")
    result.get_by_role("button", name="Add them to my worksheets").click()
    assert entries(page)["v1entry0001"]["kind"] == "coaching"


NESTED = b'{"app":"between-sessions","kind":"backup","schema":2,"entries":[' + b"[" * 200_000 + b"]" * 200_000 + b"]}"
BAD_FILES = {
    "not JSON": (b"{this is not json", "could not be read as JSON"),
    "binary": (bytes(range(256)) * 10, "could not be read as JSON"),
    "empty": (b"", "This file is empty."),
    "oversized": (b" " * (8 * 1024 * 1024 + 1), "This file is too big"),
    "deeply nested": (NESTED, "Worksheet 1 is not in the right shape."),
    "deeply nested top": (b"[" * 500_000 + b"]" * 500_000, "This file is not in the right shape."),
    "another app": (json.dumps({"app": "other", "schema": 2, "entries": []}).encode(), "not a backup from this app"),
    "newer schema": (json.dumps(backup(item("abcd1234"), schema=3)).encode(), "made by a newer version of the app"),
    "__proto__ at top": (b'{"__proto__": {"polluted": 1}, "app": "between-sessions", "schema": 2, "entries": []}', 'a field named "__proto__"'),
    "__proto__ in entry": (json.dumps(backup(item("abcd1234"))).encode().replace(b'"r": 1', b'"__proto__": {"x": 1}, "r": 1'), 'a field named "__proto__"'),
    "constructor in entry": (json.dumps(backup({**item("abcd1234"), "constructor": {"prototype": {"x": 1}}})).encode(), 'a field named "constructor"'),
    "prototype at top": (json.dumps({**backup(), "prototype": {}}).encode(), 'a field named "prototype"'),
    "too long": (json.dumps(backup(item("abcd1234", what="x" * 4001))).encode(), "what: is longer than 4000 characters"),
    "wrong type": (json.dumps(backup(item("abcd1234", feel=[["fear", "ten"]]))).encode(), "intensity must be 0 to 10"),
    "unknown field": (json.dumps(backup(item("abcd1234", extra="x"))).encode(), "extra: is not a field of a worksheet"),
    "bad id": (json.dumps(backup(item("../../etc"))).encode(), "has no proper id"),
    "duplicate": (json.dumps(backup(item("abcd1234"), item("abcd1234"))).encode(), "appears twice"),
    "script as id": (json.dumps(backup(item("<script>alert(1)</script>"))).encode(), "has no proper id"),
    "too many": (json.dumps(backup(*[item(f"id{n:06d}") for n in range(20001)])).encode(), "more than 20000 worksheets"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_rejected_import_leaves_storage_exactly_as_it_was(context, page, case):
    data, message = BAD_FILES[case]
    seed_entries(context)
    page.goto("history.html")
    before = stored(page)
    choose(page, data)
    result = page.locator("#import-result")
    expect(result).to_contain_text("Nothing was changed.")
    expect(result).to_contain_text(message)
    expect(result.get_by_role("button")).to_have_count(0)
    assert stored(page) == before
    assert page.evaluate("({}).polluted === undefined && ({}).x === undefined && Object.prototype.x === undefined")


def test_import_that_fails_half_way_is_undone(context, page):
    seed_entries(context)
    # The store fills up on the third new entry: everything written before it must be undone.
    page.add_init_script(throwing_storage_script("setItem", "QuotaExceededError", when="args[0] === 'bs.e.new0000003'"))
    page.goto("history.html")
    before = stored(page)
    choose(page, backup(*[item(f"new000000{n}", what=f"n{n}") for n in range(1, 6)]))
    page.locator("#import-result").get_by_role("button", name="Replace all my worksheets with these").click()
    expect(page.locator("#import-result")).to_have_text("Nothing was changed: there is not enough room on this device.")
    assert stored(page) == before
    expect(page.locator("#list-status")).to_have_text("5 worksheets, newest first.")
