"""The contract between Python and the browser: every fact both sides need, in one place.

The build writes it as `site/js/contract.js` (an ES module with named exports) and passes the same
dict to every template as `contract`. Browser code imports it; nothing in static/ or templates/
restates a value it holds (tests/test_contract.py fails on a hand-made copy).

Facts the engine owns (vocabulary, thresholds, request limits) are defined in coach/ and only
gathered here; facts only the pages need (storage keys, stored-field limits, locales) are defined
here.
"""

import json

from coach import schema, vocab

# ---- Storage (localStorage and sessionStorage): every key this app writes. ----
# All start with PREFIX, so "delete everything" can find them; LEGACY keys were written by older
# versions and are read once, moved to their new key, and removed.
PREFIX = "bs."
KEYS = {
    "schema": "bs.schema",  # stored schema version; a higher number means a newer app wrote the data
    "current": "bs.current",  # the worksheet the worksheet page opens
    "entry": "bs.e.",  # prefix: one worksheet per key, bs.e.<id>
    "aside": "bs.x.",  # prefix: a value that could not be read, kept aside exactly as it was
    "kept": "bs.kept",  # "1"/"0": the browser's last answer to "keep this site's storage?"
    "region": "bs.region",  # the crisis region chosen on "Get help now"
    "tab": "bs.tab",  # sessionStorage: this tab's worksheet
    "exit": "bs.exit",  # sessionStorage: this tab left by quick exit (to hide it on Back)
}
LEGACY_KEYS = {
    "v1": "between-sessions",  # schema v1: one JSON value for everything, migrated to v2
    "region": "between-sessions.region",
    "exit": "between-sessions.exit",
}
SCHEMA_VERSION = 2
# Schema v1 (the first version's store, and its backups) named call kinds and urges differently.
V1_NAMES = {
    "callTypes": {"crisis": "crisis", "skills": "coaching", "repair": "repair", "good-news": "good-news"},
    "urges": {"self-harm": "self-harm", "suicide": "suicide", "substances": "substance-use", "bingeing": "binge-purge",
              "anger": "lash-out", "running": "quit-run", "hiding": "isolate", "other": "other"},
}
assert set(V1_NAMES["callTypes"].values()) == set(vocab.CALL_KINDS)
assert set(V1_NAMES["urges"].values()) == set(vocab.URGES)

# Name of the app in backup files, and the start of their file names.
APP_ID = "between-sessions"

# ---- Worksheet fields as stored (entry.js checks them; inputs carry them as maxlength). ----
# Longer than the engine's request limits on purpose: the page keeps everything a person types and
# sends the engine a clipped copy (entry.js toRequest).
ENTRY_LIMITS = {
    "what": 4000,
    "goal": 2000,
    "plan": 4000,
    "glad": 2000,
    "note": 4000,
    "block": 2000,
    "emotion": schema.REQUEST_SCHEMA["properties"]["emotions"]["items"]["properties"]["name"]["maxLength"],
    "urgeLabel": schema.REQUEST_SCHEMA["properties"]["urges"]["items"]["properties"]["label"]["maxLength"],
    "skill": 100,
    "feel": schema.REQUEST_SCHEMA["properties"]["emotions"]["maxItems"],
    "urge": schema.REQUEST_SCHEMA["properties"]["urges"]["maxItems"],
    "tried": 100,
    "pick": 50,
    "search": 200,
}
# What the engine accepts, for entry.js's toRequest to clip to.
REQUEST_LIMITS = {
    "situation": schema.MAX_SITUATION_CHARS,
    "emotion": ENTRY_LIMITS["emotion"],
    "urgeLabel": ENTRY_LIMITS["urgeLabel"],
}

# ---- Language ----
# Language tags whose people read the clock in 12-hour time (the save time, the coaching hours).
TWELVE_HOUR_LOCALES = ("en", "en-us", "en-ca", "en-au", "en-nz", "en-in", "en-ph")
# Language tags that spell "counseling" with one l.
US_SPELLING_LOCALES = ("en", "en-us")


def twelve_hour(locale):
    return str(locale).lower() in TWELVE_HOUR_LOCALES


def browser_contract():
    """Everything the browser reads, as JSON-able values."""
    return {
        "VOCAB": {
            "callKinds": vocab.CALL_KINDS,
            "callKindsShort": vocab.CALL_KINDS_SHORT,
            "urges": vocab.URGES,
            "safetyUrges": list(vocab.SAFETY_URGES),
            "emotions": list(vocab.EMOTIONS),
            "answers": list(vocab.ANSWERS),
            "canChange": vocab.CAN_CHANGE,
            "fitsFacts": vocab.FITS_FACTS,
            "priorities": vocab.PRIORITIES,
            "prioritiesShort": vocab.PRIORITIES_SHORT,
            "results": vocab.TRIED_RESULTS,
            "resultsShort": vocab.TRIED_RESULTS_SHORT,
        },
        "SCALE": {"min": vocab.INTENSITY_MIN, "max": vocab.INTENSITY_MAX, "rateMax": vocab.RATING_MAX},
        "THRESHOLDS": {
            "crisisUrge": vocab.CRISIS_URGE_THRESHOLD,
            "extreme": vocab.EXTREME_INTENSITY,
            "breakdown": vocab.BREAKDOWN_POINT,
        },
        "LIMITS": ENTRY_LIMITS,
        "REQUEST_LIMITS": REQUEST_LIMITS,
        "KEYS": KEYS,
        "LEGACY_KEYS": LEGACY_KEYS,
        "PREFIX": PREFIX,
        "SCHEMA_VERSION": SCHEMA_VERSION,
        "V1_NAMES": V1_NAMES,
        "APP_ID": APP_ID,
        "TWELVE_HOUR_LOCALES": list(TWELVE_HOUR_LOCALES),
        "US_SPELLING_LOCALES": list(US_SPELLING_LOCALES),
    }


def module_text(data):
    """contract.js: one frozen named export per top-level key, sorted, so the same data gives the same bytes."""
    lines = [
        "// Generated by builder/contract.py from the Python definitions: do not edit, change the Python and rebuild.",
        "const freeze = (value) => {",
        "  if (value && typeof value === \"object\") for (const v of Object.values(Object.freeze(value))) freeze(v);",
        "  return value;",
        "};",
    ]
    for name in sorted(data):
        text = json.dumps(data[name], ensure_ascii=False, separators=(",", ":"))  # dict order is meaning (the order pages list things in)
        lines.append(f"export const {name} = freeze({text});")
    return "\n".join(lines) + "\n"
