"""Lighthouse (the pinned npm package) over the start page, a skill card and the worksheet.

    .venv/bin/python bench/lighthouse.py [--runs 1]

Mobile settings (Lighthouse's defaults: a mid-size phone, simulated slow 4G, 4x CPU slow-down),
on the Chromium the tests use (CHROME_PATH) and the project's own server with the production
headers. Prints each category's score and, for anything under 100, the audits that cost points.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import OUT, ROOT, CountingServer, build_bench_site, chromium, machine
from playwright.sync_api import sync_playwright

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 95}


def run_lighthouse(url, chrome, flags, out_json):
    env = dict(os.environ, CHROME_PATH=chrome)
    cmd = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out_json}",
           f"--only-categories={','.join(CATEGORIES)}",
           f"--chrome-flags={' '.join(['--headless=new', *flags])}"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0 or not Path(out_json).is_file():
        raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    return json.loads(Path(out_json).read_text(encoding="utf-8"))


def lost_points(report, category):
    """Audits that scored under 1 and count towards the category."""
    lost = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            value = audit.get("displayValue", "")
            lost.append(f"{audit['id']} ({audit['score']:.2f}{', ' + value if value else ''})")
    return lost


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="runs per page (the median score is shown)")
    parser.add_argument("--json", type=Path, default=OUT / "lighthouse.json")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit("lighthouse is not installed: run `npm ci` (it is a pinned devDependency)")

    site = build_bench_site()
    card = sorted(p.name for p in (site / "skills").glob("*.html") if p.name != "index.html")[0]
    pages = {"start": "index.html", "skill card": f"skills/{card}", "worksheet": "worksheet.html"}
    with sync_playwright() as pw:
        launch = chromium(pw)
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=False).stdout.strip()
    print(f"machine: {machine(launch['executable_path'])}")
    print(f"lighthouse {version}, mobile defaults (simulated throttling), {args.runs} run(s) per page\n")

    server = CountingServer(site)
    results = {}
    try:
        with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
            for name, path in pages.items():
                scores = {c: [] for c in CATEGORIES}
                lost = {}
                for run in range(args.runs):
                    report = run_lighthouse(server.url + path, launch["executable_path"], launch["args"],
                                            Path(tmp) / f"{run}.json")
                    for c in CATEGORIES:
                        score = report["categories"][c]["score"]
                        scores[c].append(None if score is None else round(score * 100))
                        if score is not None and score < 1:
                            lost[c] = lost_points(report, c)
                    metrics = {k: report["audits"][k].get("displayValue") for k in
                               ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                                "cumulative-layout-shift", "speed-index")}
                results[name] = {"scores": {c: statistics.median([s for s in v if s is not None] or [0])
                                            for c, v in scores.items()},
                                 "lost": lost, "metrics": metrics}
    finally:
        server.stop()

    print(f"{'page':12}" + "".join(f"{c:>16}" for c in CATEGORIES))
    for name, r in results.items():
        print(f"{name:12}" + "".join(f"{r['scores'][c]:>16.0f}" for c in CATEGORIES))
    print(f"{'target':12}" + "".join(f"{('>= ' if TARGETS[c] < 100 else '') + str(TARGETS[c]):>16}" for c in CATEGORIES))
    for name, r in results.items():
        print(f"\n{name}: " + ", ".join(f"{k.replace('-', ' ')} {v}" for k, v in r["metrics"].items()))
        for c in CATEGORIES:
            if r["scores"][c] < TARGETS[c]:
                print(f"  {c} misses its target by {TARGETS[c] - r['scores'][c]:.0f}: {', '.join(r['lost'].get(c, []))}")
            elif r["lost"].get(c):
                print(f"  {c}: points lost on {', '.join(r['lost'][c])}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
