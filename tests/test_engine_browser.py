"""The engine in a real browser: Pyodide in a module worker gives exactly the CPython answer.

Drives static/js/engine.js (the page-side module) on the built site, under the production
CSP, and compares each answer with coach.call() run natively on the same skills.json.
"""

import json
import sys
from pathlib import Path

import pytest
from conftest import engine_ready

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import coach  # noqa: E402
from coach import vocab  # noqa: E402

pytestmark = pytest.mark.browser

# A function, not an expression: the CSP forbids eval, and Playwright evaluates functions.
RUN_CALLS = """async (calls) => {
  const engine = await import(new URL("js/engine.js", document.baseURI).href);
  const out = [];
  for (const call of calls) {
    try {
      out.push({ result: await engine.suggest(call.request, call.history) });
    } catch (err) {
      out.push({ error: err.message });
    }
  }
  return out;
}"""

CALLS = [
    {"request": {}},
    {"request": {"call_kind": "crisis", "urges": [{"kind": "self-harm", "strength": 8}], "emotions": [{"name": "shame", "intensity": 9}]}},
    {"request": {"urges": [{"kind": "suicide", "strength": vocab.CRISIS_URGE_THRESHOLD}]}, "history": [{"skill": "wise-mind", "rating": 5}]},
    {"request": {"call_kind": "crisis", "distress": 8, "minutes": 2}},
    {"request": {"call_kind": "coaching", "emotions": [{"name": "anger", "intensity": 8}], "fits_facts": "no"}},
    {"request": {"call_kind": "coaching", "emotions": [{"name": "sadness", "intensity": 6}], "can_change": "no"},
     "history": [{"skill": "radical-acceptance", "rating": 4}, {"skill": "willingness", "rating": 2}]},
    {"request": {"can_change": "yes", "fits_facts": "yes", "minutes": 60}},
    {"request": {"fits_facts": "not-sure", "can_change": "not-sure"}},
    {"request": {"situation": "I haven't slept and I'm hungover, job interview tomorrow.", "emotions": [{"name": "Anxious", "intensity": 6}]}},
    {"request": {"urges": [{"kind": "substance-use", "strength": 7}], "tried": [{"skill": "dialectical-abstinence", "result": "could-not"}]}},
    {"request": {"urges": [{"kind": "binge-purge", "strength": 4}, {"kind": "other", "strength": 6, "label": "to scream «ça suffit» 😤"}]}},
    {"request": {"call_kind": "repair", "priority": "objective", "situation": "My flatmate keeps eating my food."}},
    {"request": {"call_kind": "repair", "priority": "relationship", "emotions": [{"name": "guilt", "intensity": 5}]}},
    {"request": {"call_kind": "repair", "priority": "self-respect", "event_ahead": True}},
    {"request": {"call_kind": "good-news", "emotions": [{"name": "joy", "intensity": 7}]}, "history": None},
    {"request": {"call_kind": "good-news", "situation": "Passed my exam! Party next week, a bit nervous."}},
    {"request": {"emotions": [{"name": "tout va mal", "intensity": 7}], "tried": [{"skill": "tipp", "result": "helped"}, {"skill": "no-such-skill"}]}},
    {"request": {"urges": [{"kind": "isolate", "strength": 6}], "minutes": 5}},
    {"request": {"call_kind": "coaching", "situation": "x" * 2000}},
    # errors come back as data, worded exactly as in CPython
    {"request": {"urges": [{"kind": "self-harm", "strength": 11}]}},
    {"request": {"mood": "\u202egood"}},
    {"request": {"minutes": 0}, "history": [{"skill": "tipp", "rating": 9}]},
]


def native(call, skills):
    out = coach.call(call, skills)
    return {"error": out["error"]} if "error" in out else {"result": out}


@pytest.fixture
def worksheet(page, site_url):
    page.goto(site_url + "worksheet.html")
    engine_ready(page)
    return page


def test_browser_matches_cpython(worksheet, site_dir):
    skills = json.loads((Path(site_dir) / "engine" / "skills.json").read_text(encoding="utf-8"))
    got = worksheet.evaluate(RUN_CALLS, CALLS)
    assert len(got) == len(CALLS)
    for call, answer in zip(CALLS, got):
        assert answer == native(call, skills), call
    # Every valid call above gave suggestions; the three invalid ones gave field errors.
    assert sum("error" in a for a in got) == 3
    assert got[1]["result"]["crisis_first"] is True


def test_engine_answers_quickly_once_ready(worksheet):
    times = worksheet.evaluate("""async () => {
      const engine = await import(new URL("js/engine.js", document.baseURI).href);
      const times = [];
      for (let i = 0; i < 40; i++) {
        const start = performance.now();
        await engine.suggest({ emotions: [{ name: "anger", intensity: i % 11 }], can_change: "no" }, []);
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b);
    }""")
    # A round trip is a few ms in Pyodide; the bound is loose for busy test machines.
    assert times[len(times) // 2] < 100, times


def test_state_is_announced(page, site_url):
    page.goto(site_url + "worksheet.html")
    engine_ready(page)
    states = page.evaluate("""async () => {
      const engine = await import(new URL("js/engine.js", document.baseURI).href);
      return [engine.engineState(), document.documentElement.dataset.engine];
    }""")
    assert states == ["ready", "ready"]


def test_engine_becomes_unavailable_when_its_files_are_missing(page, site_url, guard):
    guard.expected_console.extend(["404", "Failed to load resource"])
    page.route("**/engine/files.json", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(site_url + "worksheet.html")
    page.wait_for_function("() => document.documentElement.dataset.engine === 'unavailable'", timeout=20_000)
    error = page.evaluate("""async () => {
      const engine = await import(new URL("js/engine.js", document.baseURI).href);
      try { await engine.suggest({}); return "resolved"; } catch (err) { return err.message; }
    }""")
    assert "unavailable" in error
