"""Start-up benchmark: our worksheet against two yardsticks, cold and warm, in one run.

    .venv/bin/python bench/startup.py [--runs 5] [--cpu-throttle 4] [--settle 3]

Yardsticks, measured in the same run on the same server and browser:
  static  the built worksheet page with every script removed: the floor for first paint;
  naive   loadPyodide() on the main thread with npm defaults, then one Python call.

A cold visit uses a fresh browser profile; the warm visit relaunches the browser on the same
profile (HTTP cache, service worker, V8/wasm code cache all kept), like coming back tomorrow.
All times are milliseconds from navigation start, medians over the runs. Bytes are counted
by the server (everything any page, worker or service worker fetched during the visit, until
the network is quiet) and compressed as a CDN would send them. Long tasks are the page's main
thread only (what freezes the page); the worker's work is not a long task by design.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import (NAIVE_PAGE, OUT, STATIC_PAGE, CountingServer, build_bench_site, chromium, codec, machine,
                    wire_bytes)
from playwright.sync_api import sync_playwright

METRICS_JS = (Path(__file__).parent / "metrics.js").read_text(encoding="utf-8")
VIEWPORT = {"width": 412, "height": 915}  # a mid-size phone, as Lighthouse's mobile preset
TARGETS = {
    "fcp_ratio": 1.2, "input_ratio": 1.2, "tbt_ms": 50, "first_cold_ratio": 1.0, "first_warm_ratio": 0.35,
    "cold_mb": 4.0, "warm_app_bytes": 0,
}

PAGES = {
    # name: (path, selector of the result that ends the visit, what a person does first)
    "static": (STATIC_PAGE, None, None),
    "naive": (NAIVE_PAGE, "#result", None),
    "ours": ("worksheet.html", "#ideas .idea h3", "coaching"),
}


def wait_quiet(server, quiet=1.5, limit=60):
    """Wait until the server has sent nothing for `quiet` seconds (service worker precache done)."""
    seen, since, start = -1, time.monotonic(), time.monotonic()
    while time.monotonic() - start < limit:
        n = server.answered()
        if n != seen:
            seen, since = n, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.1)


def visit(pw, launch, profile, server, name, throttle, settle):
    path, done, action = PAGES[name]
    context = pw.chromium.launch_persistent_context(
        str(profile), headless=True, viewport=VIEWPORT, **launch)
    try:
        context.add_init_script(script=f"window.__benchDone = {json.dumps(done)};\n{METRICS_JS}")
        page = context.pages[0] if context.pages else context.new_page()
        if throttle > 1:
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        server.take()
        page.goto(server.url + path, wait_until="commit")
        page.wait_for_function("() => window.__bench.firstInput !== null", timeout=120_000)
        if action == "coaching":
            page.get_by_role("radio", name="Coaching").check()
        if done:
            page.wait_for_function("() => window.__bench.done !== null", timeout=120_000)
        else:
            page.wait_for_load_state("load")
        m = page.evaluate("window.__bench")
        if settle:
            page.wait_for_timeout(settle * 1000)  # a person stays a while: the SW precaches, V8 caches code
        wait_quiet(server)
        log = server.take()
    finally:
        context.close()
    end = m["done"] if m["done"] is not None else m["firstInput"]
    blocking = sum(max(0.0, d - 50) for start, d in m["longTasks"] if start < end)
    raw, packed = wire_bytes(server, log)
    return {
        "fcp": m["fcp"], "input": m["firstInput"], "done": m["done"], "engine_ready": m["engineReady"],
        "tbt": blocking, "long_tasks": len(m["longTasks"]),
        "cls": sum(v for _, v, recent, _sources in m["shifts"] if not recent),
        "shifts": m["shifts"], "frames": [f for f in m["frames"] if f[0] < end and f[1] > 50], "raw": raw, "packed": packed, "files": sorted({p for p, _ in log}), "log": log,
    }


def median(rows, key):
    values = [r[key] for r in rows if r[key] is not None]
    return statistics.median(values) if values else None


def fmt_ms(v):
    return "   -   " if v is None else f"{v:7.0f}"


def fmt_mb(v):
    return f"{v / 1e6:6.2f}"


def verdict(value, target, lower_is_better=True):
    if value is None:
        return "no figure"
    ok = value <= target if lower_is_better else value >= target
    if ok:
        return "meets target"
    return f"MISSES by {value - target:.2f}" if isinstance(target, float) else f"MISSES by {value - target:.0f}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="cold+warm visits per page (medians are reported)")
    parser.add_argument("--cpu-throttle", type=float, default=1, help="CPU slow-down factor (CDP "
                        "Emulation.setCPUThrottlingRate on the page; 4 is Lighthouse's mobile setting)")
    parser.add_argument("--settle", type=float, default=3, help="seconds a cold visit stays open after its result")
    parser.add_argument("--only", choices=list(PAGES), action="append", help="measure only these pages (repeatable)")
    parser.add_argument("--json", type=Path, default=OUT / "startup.json", help="where to write every figure")
    args = parser.parse_args(argv)

    site = build_bench_site()
    server = CountingServer(site)
    results = {name: {"cold": [], "warm": []} for name in PAGES}
    with sync_playwright() as pw:
        launch = chromium(pw)
        where = machine(launch["executable_path"])
        print(f"machine: {where}")
        print(f"runs: {args.runs}; CPU throttling: {args.cpu_throttle}x; sizes compressed with {codec()}\n")
        try:
            for run in range(args.runs):
                for name in args.only or PAGES:
                    with tempfile.TemporaryDirectory(prefix="bench-profile-") as profile:
                        for kind in ("cold", "warm"):
                            r = visit(pw, launch, profile, server, name, args.cpu_throttle,
                                      args.settle if kind == "cold" else 0)
                            results[name][kind].append(r)
                            print(f"  run {run + 1} {name:6} {kind}: fcp {fmt_ms(r['fcp'])} input {fmt_ms(r['input'])} "
                                  f"result {fmt_ms(r['done'])} blocking {fmt_ms(r['tbt'])} "
                                  f"bytes {fmt_mb(r['packed'])} MB", flush=True)
                            for start, duration, style, scripts in r["frames"]:
                                print(f"      long frame at {start:.0f} ms: {duration:.0f} ms, style and layout "
                                      f"{style:.0f} ms; scripts: {scripts or 'none'}")
                            for start, value, recent, sources in r["shifts"]:
                                print(f"      layout shift {value:.4f} at {start:.0f} ms"
                                      f"{' (after input)' if recent else ''}: {sources}")
        finally:
            server.stop()

    if args.only:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"machine": where, "visits": results}, indent=1), encoding="utf-8")
        for name, kinds in results.items():
            for kind in kinds:
                if not kinds[kind]:
                    print(f"{name} {kind}: not measured (--only)")
        return 0
    med = {name: {kind: {k: median(rows, k) for k in ("fcp", "input", "done", "engine_ready", "tbt", "cls",
                                                      "raw", "packed", "long_tasks")}
                  for kind, rows in kinds.items()} for name, kinds in results.items()}
    print("\nMedians (ms from navigation; MB on the wire)")
    print(f"{'page':8}{'visit':6}{'FCP':>8}{'input':>8}{'engine':>8}{'result':>8}{'blocking':>9}{'CLS':>7}"
          f"{'raw MB':>8}{'comp MB':>8}")
    for name in PAGES:
        for kind in ("cold", "warm"):
            m = med[name][kind]
            print(f"{name:8}{kind:6}{fmt_ms(m['fcp']):>8}{fmt_ms(m['input']):>8}{fmt_ms(m['engine_ready']):>8}"
                  f"{fmt_ms(m['done']):>8}{fmt_ms(m['tbt']):>9}{m['cls']:7.3f}{fmt_mb(m['raw']):>8}{fmt_mb(m['packed']):>8}")

    ours, static, naive = med["ours"], med["static"], med["naive"]
    lines = []

    def ratio(a, b):
        return None if a is None or not b else a / b

    for kind in ("cold", "warm"):
        lines.append((f"FCP / static page, {kind}", ratio(ours[kind]["fcp"], static[kind]["fcp"]), TARGETS["fcp_ratio"]))
        lines.append((f"first field accepts input / static page, {kind}",
                      ratio(ours[kind]["input"], static[kind]["input"]), TARGETS["input_ratio"]))
        lines.append((f"main-thread blocking until suggestions (ms), {kind}", ours[kind]["tbt"], TARGETS["tbt_ms"]))
    lines.append(("first suggestion / naive first Python result, cold",
                  ratio(ours["cold"]["done"], naive["cold"]["done"]), TARGETS["first_cold_ratio"]))
    lines.append(("first suggestion / naive first Python result, warm",
                  ratio(ours["warm"]["done"], naive["warm"]["done"]), TARGETS["first_warm_ratio"]))
    lines.append(("first visit, compressed (MB)", ours["cold"]["packed"] / 1e6, TARGETS["cold_mb"]))
    warm_files = sorted({p for r in results["ours"]["warm"] for p in r["files"]})
    warm_bytes = median(results["ours"]["warm"], "raw")
    lines.append(("warm visit, bytes fetched", warm_bytes, TARGETS["warm_app_bytes"]))

    print("\nAgainst the targets")
    for label, value, target in lines:
        whole = "(ms)" in label or "bytes" in label
        shown = "-" if value is None else (f"{value:.2f}" if isinstance(value, float) and not whole else f"{value:.0f}")
        print(f"  {label:58} {shown:>9}  target <= {target:<5} {verdict(value, target)}")
    print(f"\n  naive page blocks the main thread for {fmt_ms(naive['cold']['tbt']).strip()} ms cold, "
          f"{fmt_ms(naive['warm']['tbt']).strip()} ms warm")
    print(f"  files fetched on warm visits of our page: {', '.join(warm_files) if warm_files else 'none'}")
    first = results["ours"]["cold"][0]["log"]
    print("  first visit of our page, largest transfers:")
    for path, size in sorted(first, key=lambda x: -x[1])[:8]:
        print(f"    {path:52} {size / 1e6:6.2f} MB raw")

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"machine": where, "runs": args.runs, "cpu_throttle": args.cpu_throttle,
                                     "codec": codec(), "medians": med,
                                     "targets": [{"label": l, "value": v, "target": t} for l, v, t in lines],
                                     "visits": {n: {k: [dict(r) for r in rows]
                                                    for k, rows in kinds.items()} for n, kinds in results.items()}},
                                    indent=1), encoding="utf-8")
    print(f"\nall figures: {args.json.relative_to(Path.cwd()) if args.json.is_relative_to(Path.cwd()) else args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
