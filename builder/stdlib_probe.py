"""Runs INSIDE Pyodide (driven by builder/stdlib.mjs), never in the host Python.

It learns which standard-library modules the worker needs (everything Pyodide's boot imports,
plus what the engine imports while answering a wide set of requests, plus a small margin), then
compiles just those with Pyodide's own interpreter (the bytecode must match it) and writes a
zip of .pyc files. Same Pyodide + same engine -> same bytes: names sorted, fixed timestamps,
unchecked hash-based .pyc (no timestamp inside).

Inputs (in Pyodide's file system): /probe/engine/coach/*.py, /probe/skills.json.
Output: /probe/out.zip and /probe/modules.json.
"""

import sys

BOOT = set(sys.modules)  # first, before this script imports anything

import importlib  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import zipfile  # noqa: E402
from importlib._bootstrap_external import _code_to_hash_pyc  # noqa: E402

STDLIB = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)

# Loaded lazily on paths a test run may not reach: tracebacks (a Python error reaching JS is
# formatted with traceback), warnings, and small helpers a later engine change may reach for.
# Most are loaded by boot anyway; a missing one would break the engine, so they stay.
MARGIN = (
    "traceback", "linecache", "tokenize", "token", "warnings", "_py_warnings", "textwrap",
    "string", "bisect", "heapq", "collections", "functools", "copy", "reprlib", "random",
    "enum", "dataclasses", "json", "unicodedata", "encodings.ascii", "encodings.latin_1",
    "encodings.utf_8_sig",
)
# Docstrings and asserts are left out (as `python -OO` does): the zip is a quarter smaller.
# Column ranges are left out too (the Node driver sets PYTHONNODEBUGRANGES): tracebacks keep
# their line numbers and lose only the ^^^ markers.
OPTIMIZE = 2


def scenarios():
    """Requests that walk every field, the error paths and the history code."""
    emotions = ["anger", "anxiety", "fear", "sadness", "shame", "guilt", "joy", "numb", "furious",
                "overwhelmed", "my own word"]
    urges = ["self-harm", "suicide", "substance-use", "binge-purge", "lash-out", "quit-run",
             "isolate", "other"]
    situations = [
        "", "I could not sleep and I have an interview tomorrow",
        "My partner yelled at me and I want to ask them to stop", "I'm so tired, haven't eaten",
        "Exam next week, dreading it", "Got the job! So happy", "ünïcödé — “quotes” 😊 " * 20,
    ]
    calls = []
    for i in range(24):
        request = {
            "call_kind": ["crisis", "coaching", "repair", "good-news"][i % 4],
            "emotions": [{"name": emotions[(i + k) % len(emotions)], "intensity": (i * 3 + k) % 11}
                         for k in range(i % 4)],
            "urges": [{"kind": urges[(i + k) % len(urges)], "strength": (i * 5 + k) % 11, "label": "urge"}
                      for k in range(i % 3)],
            "situation": situations[i % len(situations)],
            "can_change": ["yes", "no", "not-sure"][i % 3],
            "fits_facts": ["no", "not-sure", "yes"][i % 3],
            "priority": ["objective", "relationship", "self-respect"][i % 3],
            "tried": [{"skill": s, "result": r} for s, r in
                      zip(["stop", "tipp", "no-such-skill"][: i % 4],
                          ["helped", "a-little", "did-not-help", "could-not"])],
            "minutes": [1, 5, 15, 60, 240][i % 5],
            "event_ahead": bool(i % 2),
        }
        history = [{"skill": s, "rating": (i + k) % 6}
                   for k, s in enumerate(["stop", "tipp", "wise-mind", "unknown"][: i % 5])]
        calls.append({"request": request, "history": history or None})
    calls.append({"request": {}})
    bad = [
        {"request": {"call_kind": "party"}},
        {"request": {"emotions": [{"name": "", "intensity": 99}]}},
        {"request": {"urges": "lots"}},
        {"request": {"minutes": -1, "extra": True}},
        {"request": [], "history": {}},
        {"history": []},
        {"request": {"tried": [{"skill": 3}]}, "history": [{"skill": "x", "rating": 9}]},
    ]
    texts = [json.dumps(c) for c in calls + bad]
    texts += ["not json", "[" * 5000 + "]" * 5000, '{"request": {"situation": "' + "x" * 5000 + '"}}']
    return texts


def run_engine():
    sys.path.insert(0, "/probe/engine")
    import coach

    with open("/probe/skills.json", encoding="utf-8") as f:
        skills = json.load(f)
    answered = 0
    for text in scenarios():
        json.loads(coach.handle(text, skills))
        answered += 1
    for call in (json.loads(t) for t in scenarios()[:5]):
        try:
            coach.suggest(call["request"], skills, call.get("history"))
        except coach.RequestError:
            pass
    try:
        coach.validate({"call_kind": 1})
    except coach.RequestError:
        pass
    try:  # an error on its way to JS is formatted with traceback
        raise ValueError("probe")
    except ValueError:
        import traceback

        traceback.format_exc()
    return answered


def wanted():
    """Names of the modules loaded from the stdlib zip, the margin included."""
    for name in MARGIN:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    names = []
    for name, module in sorted(sys.modules.items()):
        spec = getattr(module, "__spec__", None)
        origin = getattr(spec, "origin", None) or ""
        if origin.startswith(STDLIB + "/"):
            names.append((name, origin[len(STDLIB) + 1:]))
    return names


def write_zip(entries, out):
    source_zip = zipfile.ZipFile(STDLIB)
    files = {}
    for _name, rel in entries:
        source = source_zip.read(rel)
        code = compile(source, f"{STDLIB}/{rel}", "exec", dont_inherit=True, optimize=OPTIMIZE)
        files[rel[:-3] + ".pyc"] = _code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)
    with zipfile.ZipFile(out, "w") as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name], compresslevel=9)
    return files


def main():
    answered = run_engine()
    entries = wanted()
    files = write_zip(entries, "/probe/out.zip")
    summary = {
        "python": sys.version.split()[0],
        "boot_modules": len([n for n in BOOT if n in dict(entries)]),
        "answered": answered,
        "modules": [name for name, _rel in entries],
        "pyc_bytes": sum(len(b) for b in files.values()),
    }
    with open("/probe/modules.json", "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1, sort_keys=True)


main()
