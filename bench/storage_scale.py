"""Five years of worksheets in localStorage: do they fit, and do history and the week summary open at once?

    .venv/bin/python bench/storage_scale.py [--years 5] [--per-day 3] [--skills tests/fixtures/skills-mini]

Generates entries in the stored v2 shape (static/js/entry.js) with realistic lengths, loads them into
Chromium's localStorage for the built site, and prints: characters stored (Chromium counts UTF-16 code
units against about 5 M per origin), the room left (found by filling up to the real quota), and the time
to open history, render a week summary, search, and open the worksheet.
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from builder.server import SiteServer  # noqa: E402
from builder.site import build  # noqa: E402
from coach import vocab  # noqa: E402

DAY_MS = 86_400_000
WORDS = ("I felt really upset after talking with my mum on the phone about the weekend and she said I never "
         "help out and then my boss emailed again about the report and I could not stop thinking about it all "
         "night so I stayed in bed and did not eat much and then I started to feel numb and alone").split()


def sentence(rng, lo, hi):
    n = rng.randint(lo, hi)
    words = [rng.choice(WORDS) for _ in range(n // 5)]
    return " ".join(words)[:hi].capitalize() + "."


def make_entry(rng, created, skills):
    kind = rng.choices(list(vocab.CALL_KINDS), weights=[2, 5, 2, 1])[0]
    e = {"r": rng.randint(3, 40), "c": created, "u": created + rng.randint(60_000, 7_200_000), "kind": kind,
         "what": sentence(rng, 60, 260)}
    if kind == "good-news":
        e["glad"] = sentence(rng, 20, 100)
        if rng.random() < 0.7:
            e["gskill"] = rng.choice(skills)
        return e
    e["feel"] = [[name, rng.randint(2, 10)] for name in rng.sample(vocab.EMOTIONS, rng.randint(1, 4))]
    urges = [u for u in vocab.URGES if u != "other"]
    e["urge"] = [[u, rng.randint(1, 9)] for u in rng.sample(urges, rng.randint(0, 2))]
    if rng.random() < 0.2:
        e["urge"].append(["other", rng.randint(1, 8), sentence(rng, 10, 40)])
    if rng.random() < 0.5:
        e["chg"] = rng.choice(vocab.ANSWERS)
    if rng.random() < 0.7:
        e["goal"] = sentence(rng, 20, 120)
    if rng.random() < 0.4:
        e["pri"] = rng.choice(list(vocab.PRIORITIES))
    if rng.random() < 0.5:
        e["tried"] = [[s, rng.choice(list(vocab.TRIED_RESULTS))] for s in rng.sample(skills, rng.randint(1, 2))]
    e["pick"] = rng.sample(skills, rng.randint(1, 2))
    if rng.random() < 0.8:
        e["plan"] = sentence(rng, 40, 200)
    if rng.random() < 0.7:
        e["used"] = rng.choice(e["pick"])
        e["rate"] = rng.randint(0, 5)
        e["now"] = rng.randint(0, 9)
    elif rng.random() < 0.3:
        e["used"] = "none"
        e["block"] = sentence(rng, 20, 100)
    if rng.random() < 0.5:
        e["note"] = sentence(rng, 20, 200)
    return {k: v for k, v in e.items() if v not in ("", [], None)}


def make_store(years, per_day, skills, seed=7):
    rng = random.Random(seed)
    now = int(time.time() * 1000)
    start = now - years * 365 * DAY_MS
    store = {"bs.schema": "2"}
    n = years * 365 * per_day
    for i in range(n):
        created = start + int(i * DAY_MS / per_day) + rng.randint(0, 3_600_000)
        entry_id = format(created, "x") + format(rng.getrandbits(30), "x")
        store[f"bs.e.{entry_id}"] = json.dumps(make_entry(rng, created, skills), ensure_ascii=False, separators=(",", ":"))
    store["bs.current"] = entry_id
    return store


def utf16_units(text):
    return len(text.encode("utf-16-le")) // 2


def timed(page, script):
    return page.evaluate(script)


FILL_TO_QUOTA = """() => {
  // Binary search for the largest extra value that still fits, then remove it.
  let lo = 0, hi = 12_000_000;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2);
    try { localStorage.setItem('bench.fill', 'x'.repeat(mid)); lo = mid; } catch (e) { hi = mid; }
    localStorage.removeItem('bench.fill');
  }
  return lo;
}"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--per-day", type=int, default=3)
    parser.add_argument("--skills", default="", help="skills folder (default: the project's skills/)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    skills_dir = Path(args.skills) if args.skills else ROOT / "skills"
    skills = sorted(p.stem for p in skills_dir.glob("*.md") if p.stem.lower() != "readme")
    store = make_store(args.years, args.per_day, skills)
    entries = [k for k in store if k.startswith("bs.e.")]
    units = sum(utf16_units(k) + utf16_units(v) for k, v in store.items())
    sizes = [len(store[k]) for k in entries]
    print(f"entries: {len(entries)} ({args.years} years x {args.per_day} a day)")
    print(f"stored: {units:,} UTF-16 code units ({units * 2 / 1048576:.2f} MiB as Chromium counts it)")
    print(f"per entry: median {statistics.median(sizes):.0f} chars, max {max(sizes)} chars (value only)")
    print(f"share of a 5,000,000-unit origin quota: {units / 5_000_000:.0%}")

    with tempfile.TemporaryDirectory() as tmp:
        try:
            site = build(ROOT, Path(tmp) / "site", skills_dir=skills_dir)
        except Exception as error:  # noqa: BLE001  cards mid-edit: fall back to the fixture cards
            print(f"(building with {skills_dir} failed: {str(error).splitlines()[0]}; using tests/fixtures/skills-mini)")
            site = build(ROOT, Path(tmp) / "site", skills_dir=ROOT / "tests" / "fixtures" / "skills-mini")
        server = SiteServer(site, ROOT).start()
        try:
            with sync_playwright() as p:
                exe = Path(p.chromium.executable_path)
                launch = {} if exe.exists() else {"executable_path": "/usr/bin/chromium", "args": ["--no-sandbox"]}
                browser = p.chromium.launch(**launch)
                context = browser.new_context(viewport={"width": 360, "height": 740})
                page = context.new_page()
                empty = []
                for _ in range(args.runs):
                    page.goto(server.url + "history.html")
                    empty.append(page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"))
                print(f"history page ready with nothing stored (baseline): median {statistics.median(empty):.0f} ms")
                page.evaluate("(items) => { for (const [k, v] of Object.entries(items)) localStorage.setItem(k, v); }", store)
                room = page.evaluate(FILL_TO_QUOTA)
                print(f"room left after five years: {room:,} more characters fit "
                      f"(total quota about {units + room:,} units; {units / (units + room):.0%} used)")

                loads, opens, weeks, searches, sheets = [], [], [], [], []
                for _ in range(args.runs):
                    page.goto(server.url + "history.html")
                    page.wait_for_selector("#entries > li")
                    # Navigation start to the end of DOMContentLoaded: module scripts have run, the list is drawn.
                    loads.append(page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"))
                    opens.append(page.evaluate("""async () => {
                      const t = performance.now();
                      for (let i = 0; i < localStorage.length; i++) {
                        const k = localStorage.key(i);
                        if (k.startsWith('bs.e.')) JSON.parse(localStorage.getItem(k));
                      }
                      return performance.now() - t;
                    }"""))
                    weeks.append(page.evaluate("""() => {
                      const s = document.getElementById('week-pick');
                      s.selectedIndex = Math.floor(s.options.length / 2);
                      const t = performance.now();
                      s.dispatchEvent(new Event('change'));
                      document.getElementById('week-summary').offsetHeight;  // include layout
                      return performance.now() - t;
                    }"""))
                    searches.append(page.evaluate("""() => {
                      const s = document.getElementById('search');
                      s.value = 'boss report';
                      const t = performance.now();
                      s.dispatchEvent(new Event('input'));
                      document.getElementById('entries').offsetHeight;
                      return performance.now() - t;
                    }"""))
                    page.goto(server.url + "worksheet.html")
                    sheets.append(page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"))
                med = statistics.median
                print(f"history page ready (DOMContentLoaded, list drawn): median {med(loads):.0f} ms, max {max(loads):.0f} ms")
                print(f"reading and parsing every stored entry: median {med(opens):.0f} ms")
                print(f"week summary render (a week of {args.per_day * 7} worksheets): median {med(weeks):.1f} ms, max {max(weeks):.1f} ms")
                print(f"search across all entries (first search builds the index): median {med(searches):.1f} ms, max {max(searches):.1f} ms")
                print(f"worksheet page ready with five years stored: median {med(sheets):.0f} ms, max {max(sheets):.0f} ms")
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
