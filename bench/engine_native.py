"""Time the suggestion engine in CPython over a few thousand varied requests.

    .venv/bin/python bench/engine_native.py [--count N]

Prints the median, p90, p99 and worst time per coach.suggest() call (target: well under
1 ms) and the same for coach.handle() (JSON text in and out, as the browser worker calls it).
"""

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import coach  # noqa: E402
from builder.skills import engine_data, load_skills  # noqa: E402
from coach import vocab  # noqa: E402

REPEAT = 3
PHRASES = ["I can't sleep", "interview tomorrow", "my partner yelled at me", "hungover again", "I have to tell my mum",
           "work is too much", "panic in the shop", "I relapsed", "nobody texted back", "exam next week", "got the job!"]


def make_requests(count, skills, seed=1):
    rng = random.Random(seed)
    ids = [s["id"] for s in skills]
    out = []
    for _ in range(count):
        r = {}
        if rng.random() < 0.8:
            r["call_kind"] = rng.choice(list(vocab.CALL_KINDS))
        if rng.random() < 0.8:
            r["emotions"] = [{"name": rng.choice(vocab.EMOTIONS), "intensity": rng.randint(0, 10)} for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.5:
            r["urges"] = [{"kind": rng.choice(list(vocab.URGES)), "strength": rng.randint(0, 10)} for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.7:
            r["situation"] = " ".join(rng.choice(PHRASES) for _ in range(rng.randint(1, 8)))
        for key, options in (("can_change", vocab.ANSWERS), ("fits_facts", vocab.ANSWERS), ("priority", list(vocab.PRIORITIES))):
            if rng.random() < 0.5:
                r[key] = rng.choice(options)
        if rng.random() < 0.3:
            r["tried"] = [{"skill": rng.choice(ids), "result": rng.choice(list(vocab.TRIED_RESULTS))} for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            r["minutes"] = rng.randint(1, 60)
        if rng.random() < 0.2:
            r["event_ahead"] = True
        history = [{"skill": rng.choice(ids), "rating": rng.randint(0, 5)} for _ in range(rng.choice([0, 0, 5, 50, 300]))]
        out.append((r, history))
    return out


def stats(times):
    times = sorted(times)
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000  # noqa: E731
    return f"median {pick(0.5):.3f} ms, p90 {pick(0.9):.3f} ms, p99 {pick(0.99):.3f} ms, max {times[-1] * 1000:.3f} ms"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=3000)
    args = parser.parse_args()
    skills = engine_data(load_skills(ROOT / "skills")[0])
    cases = make_requests(args.count, skills)
    for request, history in cases[:50]:  # warm up
        coach.suggest(request, skills, history)
    direct, wrapped = [], []
    clock = time.perf_counter
    # Each request is timed REPEAT times and the fastest kept: on a busy machine that is
    # the engine's own cost rather than time spent waiting for a CPU.
    for request, history in cases:
        best = best_wrapped = float("inf")
        text = json.dumps({"request": request, "history": history})
        for _ in range(REPEAT):
            t = clock()
            coach.suggest(request, skills, history)
            best = min(best, clock() - t)
            t = clock()
            coach.handle(text, skills)
            best_wrapped = min(best_wrapped, clock() - t)
        direct.append(best)
        wrapped.append(best_wrapped)
    print(f"{len(cases)} requests (fastest of {REPEAT} runs each), {len(skills)} skills, Python {sys.version.split()[0]}")
    print(f"suggest(): {stats(direct)}")
    print(f"handle():  {stats(wrapped)}")


if __name__ == "__main__":
    main()
