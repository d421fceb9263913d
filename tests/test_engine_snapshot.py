"""The engine's memory snapshot (static/worker/engine-worker.js): made on the device, restored on return.

A return visit must give exactly the same answers as a fresh start, a damaged or outdated snapshot must
never be used, and nothing a person typed may ever be in it.
"""

import json
import time
from pathlib import Path

import pytest
from conftest import engine_ready
from test_engine_browser import CALLS, RUN_CALLS, native

pytestmark = pytest.mark.browser

SENTINEL = "ZEBRAQUARTZ-snapshot-7731"

# The worker's own figures, from the "ready" status ("ready in N ms (...; {json})").
TIMINGS = """async () => {
  const engine = await import(new URL("js/engine.js", document.baseURI).href);
  const detail = engine.engineDetail();
  return JSON.parse(detail.slice(detail.indexOf("{"), detail.lastIndexOf("}") + 1));
}"""

# The worker's snapshot cache for this site (the name engine-worker.js and sw.js give it).
OPEN = 'const cache = await caches.open(`between-sessions ${new URL("./", document.baseURI).href} engine-snapshot`);'


def with_cache(script):
    """A page function whose OPEN line opens that cache as `cache`."""
    return script.replace("OPEN", OPEN)


# What Cache Storage holds for this site's snapshot: [{url, key, check, size}].
STORED = with_cache("""async () => {
  OPEN
  const out = [];
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    const item = { url: request.url, key: response.headers.get("x-snapshot-key"), check: response.headers.get("x-warm-up-sha256") };
    item.size = (await response.arrayBuffer()).byteLength;
    out.push(item);
  }
  return out;
}""")

# Whether each byte pattern occurs in the stored snapshot (searched in the page: it is megabytes).
FIND = with_cache("""async (patterns) => {
  OPEN
  const [request] = await cache.keys();
  const bytes = new Uint8Array(await (await cache.match(request)).arrayBuffer());
  const text = new TextDecoder("latin1").decode(bytes);
  const hits = patterns.map((p) => text.includes(String.fromCharCode(...p)));
  return { size: bytes.byteLength, hits };
}""")

# Replace the stored snapshot: "garbage" bytes, or the right bytes with a wrong check.
SPOIL = with_cache("""async (how) => {
  OPEN
  const [request] = await cache.keys();
  const response = await cache.match(request);
  let body = await response.arrayBuffer();
  let check = response.headers.get("x-warm-up-sha256");
  if (how === "garbage") body = new Uint8Array(4096).fill(7);
  else check = "0".repeat(64);
  const headers = new Headers(response.headers);  // the right key: only the body or the check is wrong
  headers.set("x-warm-up-sha256", check);
  await cache.put(request, new Response(body, { headers }));
}""")


def stored_snapshot(page, ready=lambda entries: len(entries) == 1, timeout=30.0):
    """Wait until the stored snapshot entries satisfy `ready` (the worker stores in the background)."""
    deadline = time.monotonic() + timeout
    while not ready(entries := page.evaluate(STORED)):
        assert time.monotonic() < deadline, f"timed out waiting for the stored snapshot: {entries}"
        page.wait_for_timeout(100)
    return entries


def files_json(site_dir):
    return json.loads((Path(site_dir) / "engine" / "files.json").read_text(encoding="utf-8"))


def skills(site_dir):
    return json.loads((Path(site_dir) / "engine" / "skills.json").read_text(encoding="utf-8"))


def test_a_return_visit_restores_the_snapshot_and_answers_the_same(page, site_url, site_dir):
    page.goto(site_url + "worksheet.html")
    engine_ready(page)
    assert page.evaluate(TIMINGS)["snapshot"] == "made"
    [entry] = stored_snapshot(page)
    # Keyed by this build's files, and stored without its zero pages (the heap itself is 30 MB).
    key = files_json(site_dir)["snapshot"]
    assert entry["url"].endswith("engine/snapshot?" + key) and entry["key"] == key
    assert 2_000_000 < entry["size"] < 25_000_000

    page.reload()
    engine_ready(page)
    timings = page.evaluate(TIMINGS)
    assert timings["snapshot"] == "restored"
    assert "import" not in timings  # Python did not start up again
    got = page.evaluate(RUN_CALLS, CALLS)
    data = skills(site_dir)
    for call, answer in zip(CALLS, got):
        assert answer == native(call, data), call


@pytest.mark.parametrize("how", ["garbage", "wrong-check"])
def test_a_damaged_snapshot_is_never_used_and_is_replaced(page, site_url, site_dir, how):
    page.goto(site_url + "worksheet.html")
    engine_ready(page)
    stored_snapshot(page)
    page.evaluate(SPOIL, how)

    page.reload()
    engine_ready(page)
    timings = page.evaluate(TIMINGS)
    assert timings["snapshot"] == "made", timings  # started the slow way and made a new one
    assert timings["snapshot_refused"] == ("snapshot has an unknown format" if how == "garbage"
                                           else "its warm-up answer differs")
    got = page.evaluate(RUN_CALLS, CALLS[:6])
    for call, answer in zip(CALLS, got):
        assert answer == native(call, skills(site_dir)), call
    stored_snapshot(page, lambda entries: len(entries) == 1 and entries[0]["check"] != "0" * 64
                    and entries[0]["size"] > 100_000)

    page.reload()
    engine_ready(page)
    assert page.evaluate(TIMINGS)["snapshot"] == "restored"


def test_an_older_versions_snapshot_is_not_restored_and_is_removed(page, site_url, site_dir):
    page.goto(site_url + "worksheet.html")
    engine_ready(page)
    [entry] = stored_snapshot(page)
    # Make it look like the snapshot of an earlier version (its files.json named another key).
    page.evaluate(with_cache("""async (url) => {
      OPEN
      const response = await cache.match(url);
      const headers = new Headers(response.headers);
      headers.set("x-snapshot-key", "0123456789abcdef");
      await cache.delete(url);
      await cache.put(url.replace(/\\?.*$/, "?0123456789abcdef"), new Response(await response.arrayBuffer(), { headers }));
    }"""), entry["url"])

    page.reload()
    engine_ready(page)
    assert page.evaluate(TIMINGS)["snapshot"] == "made"
    key = files_json(site_dir)["snapshot"]
    stored_snapshot(page, lambda entries: len(entries) == 1 and entries[0]["url"].endswith(f"?{key}"))


def test_nothing_typed_is_ever_in_the_snapshot(page, site_url):
    page.goto(site_url + "worksheet.html")
    page.get_by_role("radio", name="Skills coaching").check()
    page.get_by_label("What happened, in a sentence or two").fill(f"{SENTINEL} at work today")
    page.get_by_role("checkbox", name="anger").check()
    page.locator("#ideas .idea").first.wait_for(timeout=60_000)
    # The typed words did go through Python: the engine's own request carries them.
    page.evaluate("""async (s) => {
      const engine = await import(new URL("js/engine.js", document.baseURI).href);
      await engine.suggest({ situation: s, emotions: [{ name: s, intensity: 4 }] });
    }""", SENTINEL)
    forms = [list(SENTINEL.encode(codec)) for codec in ("ascii", "utf-16-le", "utf-32-le")]
    forms.append(list(b"radical-acceptance"))  # control: the skills data is in the heap, so the search works
    [first] = stored_snapshot(page)
    found_first = page.evaluate(FIND, forms)

    page.reload()
    engine_ready(page)
    page.evaluate("""async (s) => {
      const engine = await import(new URL("js/engine.js", document.baseURI).href);
      await engine.suggest({ situation: s + " again" });
    }""", SENTINEL)
    found_again = page.evaluate(FIND, forms)
    for found in (found_first, found_again):
        assert found["size"] > 1_000_000
        assert found["hits"] == [False, False, False, True]
