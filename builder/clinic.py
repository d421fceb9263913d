"""Clinic settings: one TOML file at the top level, with defaults so the app builds without it.

The schema lives here once: the defaults, the checks and what the templates receive.
clinic.example.toml shows every setting with a comment; the README section says the same in prose.
"""

import difflib
import re
import tomllib
import zoneinfo
from pathlib import Path
from urllib.parse import quote, urlsplit

from . import contract
from .errors import Problem

SETTINGS_FILE = "clinic.toml"

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")  # not calendar.month_name: that follows the machine's locale
LINE_KINDS = ("crisis", "referral")

PHONE_FIX = "use digits, spaces, +, - or ( )"
PHONE = re.compile(r"^\+?[0-9 ()\-]+$")
COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
LOCALE = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")
REGION_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEYWORD = re.compile(r"^[A-Za-z0-9 ]{1,30}$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
TIME_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*(?:-|–|to)\s*(\d{1,2}):(\d{2})\s*$")

# Shown on the worksheet until a clinic writes its own. Kind, short, and never a rule about feelings.
COACHING_FOR = [
    "Help using a skill when things are hard, before they get worse.",
    "Help when you feel stuck and do not know which skill to use.",
    "Fixing a problem between you and your therapist, so it does not wait until your session.",
    "Sharing good news about a skill that worked.",
]
COACHING_NOT_FOR = [
    "Therapy. Save long talks and big topics for your session.",
    "Emergencies. If you are in immediate danger, call emergency services.",
]
COACHING_MEANWHILE = ("Until then, try a skill from your worksheet. If you need to talk to someone now, "
                      "the crisis lines are open day and night.")

# Built-in crisis resources. Reviewed by hand; the date is shown to the person.
REVIEWED = "2026-11"
DEFAULT_REGIONS = [
    {
        "id": "us",
        "name": "United States",
        "emergency": ["911"],
        "reviewed": REVIEWED,
        "time_zones": [
            "America/New_York", "America/Detroit", "America/Kentucky/", "America/Indiana/",
            "America/Chicago", "America/Menominee", "America/North_Dakota/", "America/Denver",
            "America/Boise", "America/Phoenix", "America/Los_Angeles", "America/Anchorage",
            "America/Juneau", "America/Sitka", "America/Metlakatla", "America/Yakutat", "America/Nome",
            "America/Adak", "America/Puerto_Rico", "Pacific/Honolulu", "US/",
        ],
        "lines": [
            {"name": "988 Suicide & Crisis Lifeline", "call": "988", "text": "988", "kind": "crisis",
             "about": "Call or text to talk with a trained counselor. Free and private, any time, day or night."},
            {"name": "Crisis Text Line", "text": "741741", "keyword": "HOME", "kind": "crisis",
             "about": "Text HOME to 741741 to reach a trained crisis counselor, any time."},
            {"name": "SAMHSA National Helpline", "call": "1-800-662-4357", "kind": "referral",
             "about": "Information and referral to treatment and support for mental health and substance use. "
                      "Free and private, any time. This is not crisis counseling."},
        ],
    },
    {
        "id": "ca",
        "name": "Canada",
        "emergency": ["911"],
        "reviewed": REVIEWED,
        "time_zones": [
            "America/Toronto", "America/Montreal", "America/Nipigon", "America/Thunder_Bay",
            "America/Rainy_River", "America/Atikokan", "America/Vancouver", "America/Edmonton",
            "America/Winnipeg", "America/Regina", "America/Swift_Current", "America/Halifax",
            "America/Glace_Bay", "America/Moncton", "America/Goose_Bay", "America/St_Johns",
            "America/Blanc-Sablon", "America/Whitehorse", "America/Dawson", "America/Dawson_Creek",
            "America/Fort_Nelson", "America/Creston", "America/Yellowknife", "America/Inuvik",
            "America/Cambridge_Bay", "America/Rankin_Inlet", "America/Resolute", "America/Iqaluit",
            "America/Pangnirtung", "Canada/",
        ],
        "lines": [
            {"name": "9-8-8 Suicide Crisis Helpline", "call": "988", "text": "988", "kind": "crisis",
             "about": "Call or text to talk with a trained responder. Free, any time, day or night."},
            {"name": "Kids Help Phone", "call": "1-800-668-6868", "text": "686868", "keyword": "CONNECT",
             "kind": "crisis",
             "about": "For young people. Call, or text CONNECT to 686868. Free, any time."},
        ],
    },
    {
        "id": "uk",
        "name": "United Kingdom",
        "emergency": ["999", "112"],
        "reviewed": REVIEWED,
        "time_zones": ["Europe/London", "Europe/Belfast", "GB", "GB-Eire"],
        "lines": [
            {"name": "Samaritans", "call": "116 123", "kind": "crisis",
             "about": "Call to talk with someone who will listen. Free, any time, day or night."},
            {"name": "Shout", "text": "85258", "keyword": "SHOUT", "kind": "crisis",
             "about": "Text SHOUT to 85258 to reach a trained volunteer. Free, any time."},
        ],
    },
    {
        "id": "ie",
        "name": "Ireland",
        "emergency": ["112", "999"],
        "reviewed": REVIEWED,
        "time_zones": ["Europe/Dublin", "Eire"],
        "lines": [
            {"name": "Samaritans", "call": "116 123", "kind": "crisis",
             "about": "Call to talk with someone who will listen. Free, any time, day or night."},
        ],
    },
    {
        "id": "au",
        "name": "Australia",
        "emergency": ["000"],
        "reviewed": REVIEWED,
        "time_zones": ["Australia/", "Antarctica/Macquarie"],
        "lines": [
            {"name": "Lifeline", "call": "13 11 14", "kind": "crisis",
             "about": "Call to talk with a trained crisis supporter. Any time, day or night."},
        ],
    },
    {
        "id": "nz",
        "name": "New Zealand",
        "emergency": ["111"],
        "reviewed": REVIEWED,
        "time_zones": ["Pacific/Auckland", "Pacific/Chatham", "NZ", "NZ-CHAT"],
        "lines": [
            {"name": "1737, Need to talk?", "call": "1737", "text": "1737", "kind": "crisis",
             "about": "Call or text 1737 to talk with a trained counsellor. Free, any time, day or night."},
        ],
    },
]

# Top-level settings and their defaults. Nested tables are described by the checks below.
DEFAULTS = {
    "app_name": "Between Sessions",
    "short_name": "Between",
    "clinic_name": "",
    "locale": "en",
    "theme_color": "#2f5d62",
    "quick_exit_url": "https://www.wikipedia.org/",
    "coaches": [],
    "coaching": {},
    "crisis": {},
}
# Likely slips, for the "did you mean" hint.
HINTS = {"color": "theme_color", "colour": "theme_color", "theme_colour": "theme_color", "phone": "call",
         "sms": "text", "timezone": "time_zone", "tz": "time_zone", "language": "locale", "lang": "locale",
         "regions": "show", "number": "call", "body": "keyword", "name_short": "short_name"}
COACH_KEYS = ("name", "call", "text")
COACHING_KEYS = ("time_zone", "hours", "for", "not_for", "meanwhile")
CRISIS_KEYS = ("show", "default_region", "region")
REGION_KEYS = ("id", "name", "emergency", "reviewed", "time_zones", "lines")
LINE_KEYS = ("name", "about", "call", "text", "keyword", "kind")


def load_settings(root):
    """Read clinic.toml under root if present. Returns (settings, problems): every problem, not just the first."""
    path = Path(root) / SETTINGS_FILE
    if not path.exists():
        settings, problems = check({}, _Lines(""))
        assert not problems, problems  # the defaults must always pass their own checks
        return settings, problems
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = re.search(r"\(at line (\d+), column \d+\)", message)
        message = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", message)
        return _defaults_only(), [Problem(SETTINGS_FILE, int(at.group(1)) if at else None,
                                          f"not valid TOML: {message}; check quotes, brackets and '=' signs")]
    return check(data, _Lines(text))


def _defaults_only():
    return check({}, _Lines(""))[0]


class _Lines:
    """Line numbers of keys and tables, found by scanning the file text (tomllib does not keep them).

    Paths are tuples such as ("coaches", 0, "text") or ("coaching", "hours", "mon").
    """

    HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
    KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*'))*)\s*=""")

    def __init__(self, text):
        self.lines = {}
        arrays = {}  # resolved array-of-tables path -> current index
        current = ()
        in_string = None
        depth = 0  # open [ or { of a multi-line value: keys inside are not top-level keys
        for number, line in enumerate(text.splitlines(), start=1):
            if in_string:
                if line.count(in_string) % 2 == 1:
                    in_string = None
                continue
            if depth == 0:
                header = self.HEADER.match(line)
                if header:
                    parts = self._split(header.group(2))
                    if header.group(1) == "[[":
                        base = self._resolve(parts[:-1], arrays) + (parts[-1],)
                        arrays[base] = arrays.get(base, -1) + 1
                        current = base + (arrays[base],)
                        self.lines.setdefault(base, number)
                    else:
                        current = self._resolve(parts, arrays)
                    self.lines.setdefault(current, number)
                    continue
                key = self.KEY.match(line)
                if key:
                    self.lines.setdefault(current + tuple(self._split(key.group(1))), number)
            value = line.split("=", 1)[1] if depth == 0 and self.KEY.match(line) else line
            for quote_mark in ('"""', "'''"):
                if value.count(quote_mark) % 2 == 1:
                    in_string = quote_mark
            if not in_string:
                depth = max(0, depth + self._brackets(value))

    @staticmethod
    def _split(dotted):
        return [part.strip().strip("\"'") for part in re.findall(r"""(?:"[^"]*"|'[^']*'|[^.])+""", dotted)]

    @staticmethod
    def _resolve(parts, arrays):
        out = []
        for part in parts:
            out.append(part)
            if tuple(out) in arrays:
                out.append(arrays[tuple(out)])
        return tuple(out)

    @staticmethod
    def _brackets(value):
        # Count brackets outside strings and comments, to know when a multi-line array or table ends.
        count, quote_mark = 0, None
        for ch in value:
            if quote_mark:
                if ch == quote_mark:
                    quote_mark = None
            elif ch in "\"'":
                quote_mark = ch
            elif ch == "#":
                break
            elif ch in "[{":
                count += 1
            elif ch in "]}":
                count -= 1
        return count

    def line(self, path):
        """The line of path, or of its nearest parent that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def _name(path):
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class _Checker:
    def __init__(self, lines):
        self.where = lines
        self.problems = []

    def problem(self, path, message):
        self.problems.append(Problem(SETTINGS_FILE, self.where.line(path), f"{_name(path)}: {message}"))

    def keys(self, table, allowed, path):
        for key in table:
            if key not in allowed:
                near = [HINTS[key]] if HINTS.get(key) in allowed else difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean '{near[0]}'? " if near else ""
                self.problem(path + (key,), f"unknown setting; {hint}allowed here: {', '.join(allowed)}")

    def text(self, table, key, path, default="", required=False):
        value = table.get(key, default)
        if not isinstance(value, str):
            self.problem(path + (key,), f'must be text in quotes, like {key} = "..."')
            return default
        value = value.strip()
        if required and key in table and not value:
            self.problem(path + (key,), "must not be empty")
            return default
        return value

    def table(self, parent, key, path):
        value = parent.get(key, {})
        if not isinstance(value, dict):
            self.problem(path + (key,), f"must be a table: start it with a [{_name(path + (key,))}] line")
            return {}
        return value

    def array_of_tables(self, parent, key, path):
        value = parent.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(path + (key,), f"must be a list of tables: start each one with a [[{_name(path + (key,))}]] line")
            return []
        return value

    def texts(self, table, key, path, default):
        """A list of short texts (or one text), shown as a list."""
        if key not in table:
            return list(default)
        value = table[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(path + (key,), f'must be a list of texts, like {key} = ["...", "..."]')
            return list(default)
        return [v.strip() for v in value if v.strip()]

    def phone(self, value, path):
        if not isinstance(value, str):
            self.problem(path, f"must be a phone number in quotes, like \"+1 555 010 0199\"; {PHONE_FIX}")
            return ""
        number = value.strip()
        digits = sum(ch.isdigit() for ch in number)
        if not PHONE.match(number) or not 3 <= digits <= 15:
            self.problem(path, f"'{value}' is not a phone number; {PHONE_FIX}")
            return ""
        return number


def check(data, lines):
    """Validate parsed settings; returns (settings for the templates, problems)."""
    c = _Checker(lines)
    c.keys(data, tuple(DEFAULTS), ())
    s = {}
    for key in ("app_name", "short_name"):
        s[key] = c.text(data, key, (), DEFAULTS[key], required=True)
    s["clinic_name"] = c.text(data, "clinic_name", ())
    locale = c.text(data, "locale", (), DEFAULTS["locale"], required=True)
    if not LOCALE.match(locale):
        c.problem(("locale",), f"'{locale}' is not a language tag; use one like \"en\", \"en-US\" or \"en-GB\"")
        locale = DEFAULTS["locale"]
    s["locale"] = locale
    color = c.text(data, "theme_color", (), DEFAULTS["theme_color"], required=True)
    if not COLOR.match(color):
        c.problem(("theme_color",), f"'{color}' is not a colour; use a hex colour like \"#2f5d62\"")
        color = DEFAULTS["theme_color"]
    s["theme_color"] = color
    s["quick_exit_url"] = _exit_url(c, data)
    s["quick_exit_host"] = urlsplit(s["quick_exit_url"]).hostname or ""
    s["coaches"] = _coaches(c, data)
    s["coaching"] = _coaching(c, data, s["locale"])
    s["crisis"] = _crisis(c, data)
    return s, c.problems


def _exit_url(c, data):
    url = c.text(data, "quick_exit_url", (), DEFAULTS["quick_exit_url"], required=True)
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or re.search(r"[\s\"'<>]", url):
        c.problem(("quick_exit_url",), f"'{url}' is not a web address; use a full https:// address of a "
                                       "neutral page, like \"https://www.wikipedia.org/\"")
        return DEFAULTS["quick_exit_url"]
    return url


def _tel(number):
    return "tel:" + re.sub(r"[^0-9+]", "", number)


def _sms(number, keyword=""):
    # "?&body=" opens the message with the keyword typed in on both iOS and Android.
    href = "sms:" + re.sub(r"[^0-9+]", "", number)
    return f"{href}?&body={quote(keyword)}" if keyword else href


def _coaches(c, data):
    coaches = []
    for i, entry in enumerate(c.array_of_tables(data, "coaches", ())):
        path = ("coaches", i)
        c.keys(entry, COACH_KEYS, path)
        name = c.text(entry, "name", path, required=True)
        if "name" not in entry:
            c.problem(path, 'needs a name, like name = "Alex"')
        coach = {"name": name}
        for key in ("call", "text"):
            number = c.phone(entry[key], path + (key,)) if key in entry else ""
            coach[key] = number
            coach[f"{key}_href"] = (_tel(number) if key == "call" else _sms(number)) if number else ""
        if "call" not in entry and "text" not in entry:
            c.problem(path, 'needs a number to call or text, like call = "+1 555 010 0199"')
        coaches.append(coach)
    return coaches


def _time(hours, minutes, twelve):
    if not twelve:
        return f"{hours:02d}:{minutes:02d}"
    if hours in (0, 24) and minutes == 0:
        return "midnight"
    if hours == 12 and minutes == 0:
        return "noon"
    suffix = "AM" if hours < 12 else "PM"
    h = hours % 12 or 12
    return f"{h} {suffix}" if minutes == 0 else f"{h}:{minutes:02d} {suffix}"


def _hours(c, coaching, path, twelve):
    """Weekly hours -> (slots [[day 0=Monday, start minute, end minute]], lines of text for people)."""
    table = c.table(coaching, "hours", path)
    path = path + ("hours",)
    names = {**{d: d for d in DAYS}, **{n.lower(): d for n, d in zip(DAY_NAMES, DAYS)}}
    slots, seen = [], {}
    for key, value in table.items():
        if key.lower() not in names:
            c.problem(path + (key,), "unknown day; use mon, tue, wed, thu, fri, sat or sun")
            continue
        day = names[key.lower()]
        if day in seen:
            c.problem(path + (key,), f"{DAY_NAMES[DAYS.index(day)]} is set twice ('{seen[day]}' and '{key}'); keep one")
            continue
        seen[day] = key
        ranges = [value] if isinstance(value, str) else value
        if not isinstance(ranges, list) or not all(isinstance(r, str) for r in ranges):
            c.problem(path + (key,), f'must be a time range like {key} = "09:00-17:00", or a list of them')
            continue
        day_slots = []
        for text in ranges:
            m = TIME_RANGE.match(text)
            if not m:
                c.problem(path + (key,), f"'{text}' is not a time range; write it like \"09:00-17:00\" (24-hour clock)")
                continue
            h1, m1, h2, m2 = (int(g) for g in m.groups())
            bad = [f"{h:02d}:{mi:02d}" for h, mi in ((h1, m1), (h2, m2)) if h > 24 or mi > 59 or (h == 24 and mi > 0)]
            if bad:
                c.problem(path + (key,), f"'{bad[0]}' is not a time of day; times go from 00:00 to 24:00")
                continue
            start, end = h1 * 60 + m1, h2 * 60 + m2
            if end <= start:
                c.problem(path + (key,), f"'{text.strip()}' ends before it starts; to go past midnight, "
                                         "end this day at 24:00 and start the next day at 00:00")
                continue
            clash = next((s for s in day_slots if start < s[2] and s[1] < end), None)
            if clash:
                c.problem(path + (key,), f"'{text.strip()}' overlaps another range on the same day; merge them into one")
                continue
            day_slots.append([DAYS.index(day), start, end])
        slots.extend(sorted(day_slots))
    slots.sort()
    return slots, _hours_text(slots, twelve)


def _hours_text(slots, twelve):
    by_day = [tuple((s, e) for d, s, e in slots if d == day) for day in range(7)]
    out, day = [], 0
    while day < 7:
        if not by_day[day]:
            day += 1
            continue
        last = day
        while last + 1 < 7 and by_day[last + 1] == by_day[day]:
            last += 1
        days = DAY_NAMES[day] if last == day else (
            f"{DAY_NAMES[day]} and {DAY_NAMES[last]}" if last == day + 1 else f"{DAY_NAMES[day]} to {DAY_NAMES[last]}")
        times = ", ".join(f"{_time(s // 60, s % 60, twelve)} to {_time(e // 60, e % 60, twelve)}" for s, e in by_day[day])
        out.append(f"{days}: {times}")
        day = last + 1
    return out


def _valid_zone(name):
    try:
        zoneinfo.ZoneInfo(name)
        return True
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # A machine without a time zone database cannot check; trust an Area/City shape there.
        return not zoneinfo.available_timezones() and bool(re.match(r"^[A-Za-z_]+(?:/[A-Za-z0-9_\-+]+)+$", name))


def _zone_label(name):
    return name.rsplit("/", 1)[-1].replace("_", " ") + " time" if name else ""


def _coaching(c, data, locale):
    path = ("coaching",)
    coaching = c.table(data, "coaching", ())
    c.keys(coaching, COACHING_KEYS, path)
    zone = c.text(coaching, "time_zone", path)
    if zone and not _valid_zone(zone):
        c.problem(path + ("time_zone",), f"'{zone}' is not a time zone name; use an IANA name like "
                                         "\"America/New_York\", \"Europe/London\" or \"Australia/Sydney\"")
        zone = ""
    twelve = contract.twelve_hour(locale)
    slots, hours_text = _hours(c, coaching, path, twelve)
    if slots and not zone and "time_zone" not in coaching:
        c.problem(path + ("hours",), 'coaching hours need a time zone: add time_zone = "America/New_York" '
                                     "(your clinic's IANA time zone name) under [coaching]")
    return {
        "time_zone": zone,
        "time_zone_label": _zone_label(zone),
        "slots": slots if zone else [],
        "hours_text": hours_text if zone else [],
        "for": c.texts(coaching, "for", path, COACHING_FOR),
        "not_for": c.texts(coaching, "not_for", path, COACHING_NOT_FOR),
        "meanwhile": c.text(coaching, "meanwhile", path, COACHING_MEANWHILE) or COACHING_MEANWHILE,
    }


def _month(value):
    y, m = MONTH.match(value).groups()
    return f"{MONTH_NAMES[int(m) - 1]} {y}"


def _region(c, entry, path, check_zones=True):
    c.keys(entry, REGION_KEYS, path)
    region = {"id": c.text(entry, "id", path, required=True), "name": c.text(entry, "name", path, required=True)}
    for key, example in (("id", 'id = "us"'), ("name", 'name = "United States"')):
        if key not in entry:
            c.problem(path, f"needs {key}, like {example}")
    if region["id"] and not REGION_ID.match(region["id"]):
        c.problem(path + ("id",), f"'{region['id']}' is not a region id; use lower-case letters, digits and -, like \"us\"")
    emergency = entry.get("emergency", [])
    emergency = [emergency] if isinstance(emergency, str) else emergency
    if "emergency" not in entry:
        c.problem(path, 'needs the emergency number, like emergency = "911"')
    if not isinstance(emergency, list):
        c.problem(path + ("emergency",), 'must be a phone number, or a list like ["999", "112"]')
        emergency = []
    region["emergency"] = [{"number": n, "href": _tel(n)}
                           for n in (c.phone(v, path + ("emergency",)) for v in emergency) if n]
    reviewed = c.text(entry, "reviewed", path, required=True)
    if "reviewed" not in entry:
        c.problem(path, 'needs the date you last checked these numbers, like reviewed = "2026-11"')
    elif reviewed and not (MONTH.match(reviewed) and 1 <= int(reviewed[5:]) <= 12):
        c.problem(path + ("reviewed",), f"'{reviewed}' is not a month; write the year and month like \"2026-11\"")
        reviewed = ""
    region["reviewed"] = reviewed
    region["reviewed_text"] = _month(reviewed) if reviewed else ""
    zones = c.texts(entry, "time_zones", path, [])
    for zone in zones if check_zones else ():
        if not zone.endswith("/") and not _valid_zone(zone):
            c.problem(path + ("time_zones",), f"'{zone}' is not a time zone name; use IANA names like "
                                              "\"America/Chicago\", or a prefix ending in / like \"Australia/\"")
    region["time_zones"] = zones
    region["lines"] = []
    for j, line in enumerate(c.array_of_tables(entry, "lines", path)):
        region["lines"].append(_line(c, line, path + ("lines", j)))
    if not region["lines"]:
        c.problem(path, "needs at least one line: add a [[crisis.region.lines]] table")
    return region


def _line(c, entry, path):
    c.keys(entry, LINE_KEYS, path)
    line = {"name": c.text(entry, "name", path, required=True), "about": c.text(entry, "about", path)}
    if "name" not in entry:
        c.problem(path, 'needs a name, like name = "Samaritans"')
    kind = c.text(entry, "kind", path, "crisis")
    if kind not in LINE_KINDS:
        c.problem(path + ("kind",), f"'{kind}' is not a kind; use \"crisis\" for crisis support or "
                                    "\"referral\" for information and referral lines")
        kind = "crisis"
    line["kind"] = kind
    for key in ("call", "text"):
        line[key] = c.phone(entry[key], path + (key,)) if key in entry else ""
    if "call" not in entry and "text" not in entry:
        c.problem(path, 'needs a number to call or text, like call = "116 123"')
    keyword = c.text(entry, "keyword", path)
    if keyword and not KEYWORD.match(keyword):
        c.problem(path + ("keyword",), f"'{keyword}' is not a text keyword; use letters and digits only, like \"HOME\"")
        keyword = ""
    if keyword and "text" not in entry:
        c.problem(path + ("keyword",), "a keyword needs a number to text: add text = \"...\"")
    line["keyword"] = keyword
    line["call_href"] = _tel(line["call"]) if line["call"] else ""
    line["text_href"] = _sms(line["text"], keyword) if line["text"] else ""
    return line


def _crisis(c, data):
    path = ("crisis",)
    crisis = c.table(data, "crisis", ())
    c.keys(crisis, CRISIS_KEYS, path)
    # The built-in regions pass the same checks (their time zones are checked by the tests, since
    # a build machine's time zone database may lack old alias names).
    ok = _Checker(_Lines(""))
    regions = {r["id"]: _region(ok, r, ("builtin", r["id"]), check_zones=False) for r in DEFAULT_REGIONS}
    assert not ok.problems, ok.problems
    order = list(regions)
    custom_ids = []
    for i, entry in enumerate(c.array_of_tables(crisis, "region", path)):
        region = _region(c, entry, path + ("region", i))
        if not region["id"]:
            continue
        if region["id"] in custom_ids:
            c.problem(path + ("region", i, "id"), f"region '{region['id']}' is defined twice; keep one")
            continue
        custom_ids.append(region["id"])
        if region["id"] not in regions:
            order.append(region["id"])
        regions[region["id"]] = region
    if "show" in crisis:
        show = c.texts(crisis, "show", path, [])
        for rid in show:
            if rid not in regions:
                c.problem(path + ("show",), f"'{rid}' is not a region; use one of: {', '.join(regions)}")
        if len(set(show)) != len(show):
            c.problem(path + ("show",), "lists a region twice; list each once")
        for rid in custom_ids:
            if rid not in show:
                index = next(j for j, e in enumerate(crisis["region"]) if e.get("id") == rid)
                c.problem(path + ("region", index, "id"), f"region '{rid}' is not in crisis.show; add it there")
        order = [rid for rid in dict.fromkeys(show) if rid in regions]
        if not show:
            c.problem(path + ("show",), "must list at least one region")
    default = c.text(crisis, "default_region", path)
    if default and default not in order:
        c.problem(path + ("default_region",), f"'{default}' is not a region shown; use one of: {', '.join(order)}")
        default = ""
    return {"regions": [regions[rid] for rid in order], "default_region": default}
