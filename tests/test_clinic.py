"""Clinic settings: defaults, the schema's checks, and compiler-style errors with file, line and fix."""

import re
import subprocess
import sys
import zoneinfo
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES, ROOT, build_site

from builder import clinic
from builder.errors import BuildError

SAMPLE = FIXTURES / "clinic-sample"
MINI = FIXTURES / "skills-mini"


def settings_from(tmp_path, text):
    (tmp_path / "clinic.toml").write_text(text, encoding="utf-8")
    return clinic.load_settings(tmp_path)


def problems_for(tmp_path, text):
    return [str(p) for p in settings_from(tmp_path, text)[1]]


def region(settings, rid):
    return next(r for r in settings["crisis"]["regions"] if r["id"] == rid)


def hrefs(region_):
    out = {e["href"] for e in region_["emergency"]}
    for line in region_["lines"]:
        out |= {line["call_href"], line["text_href"]} - {""}
    return out


# Defaults ---------------------------------------------------------------------------------------

def test_no_settings_file_gives_the_defaults(tmp_path):
    settings, problems = clinic.load_settings(tmp_path)
    assert problems == []
    assert settings["app_name"] == "Between Sessions"
    assert settings["clinic_name"] == ""
    assert settings["coaches"] == []
    assert settings["quick_exit_url"].startswith("https://")
    assert settings["coaching"]["for"] and settings["coaching"]["not_for"]
    assert [r["id"] for r in settings["crisis"]["regions"]] == ["us", "ca", "uk", "ie", "au", "nz"]
    assert all(r["reviewed"] == "2026-11" for r in settings["crisis"]["regions"])


def test_default_crisis_numbers(tmp_path):
    settings, _ = clinic.load_settings(tmp_path)
    assert hrefs(region(settings, "us")) == {"tel:911", "tel:988", "sms:988", "sms:741741?&body=HOME", "tel:18006624357"}
    assert hrefs(region(settings, "ca")) == {"tel:911", "tel:988", "sms:988", "tel:18006686868", "sms:686868?&body=CONNECT"}
    assert hrefs(region(settings, "uk")) == {"tel:999", "tel:112", "tel:116123", "sms:85258?&body=SHOUT"}
    assert hrefs(region(settings, "ie")) == {"tel:112", "tel:999", "tel:116123"}
    assert hrefs(region(settings, "au")) == {"tel:000", "tel:131114"}
    assert hrefs(region(settings, "nz")) == {"tel:111", "tel:1737", "sms:1737"}


def test_the_referral_line_is_not_called_crisis_counselling(tmp_path):
    settings, _ = clinic.load_settings(tmp_path)
    samhsa = next(l for l in region(settings, "us")["lines"] if l["call"] == "1-800-662-4357")
    assert samhsa["kind"] == "referral"
    assert "not crisis counseling" in samhsa["about"]
    others = [l for r in settings["crisis"]["regions"] for l in r["lines"] if l is not samhsa]
    assert all(l["kind"] == "crisis" for l in others)


def test_built_in_time_zones_exist():
    # Exact names must be real zones; prefixes must cover at least one.
    zones = zoneinfo.available_timezones()
    for r in clinic.DEFAULT_REGIONS:
        for zone in r["time_zones"]:
            if zone.endswith("/"):
                assert any(z.startswith(zone) for z in zones), zone
            else:
                assert zone in zones, zone


def test_the_documented_example_is_valid(tmp_path):
    text = (ROOT / "clinic.example.toml").read_text(encoding="utf-8")
    settings, problems = settings_from(tmp_path, text)
    assert problems == []
    assert settings["clinic_name"] == "Riverside DBT Program"
    assert [r["id"] for r in settings["crisis"]["regions"]] == ["us", "ca", "local"]
    # Every top-level key and table of the schema appears in the example.
    for key in clinic.DEFAULTS:
        assert re.search(rf"^\[*{key}\b", text, re.M), key


def test_sample_settings(tmp_path):
    settings, problems = clinic.load_settings(SAMPLE)
    assert problems == []
    assert settings["coaches"] == [{
        "name": "Jordan Park",
        "call": "+1 (555) 010-0123", "call_href": "tel:+15550100123",
        "text": "+1 555 010 0124", "text_href": "sms:+15550100124",
    }]
    coaching = settings["coaching"]
    assert coaching["time_zone"] == "America/Chicago"
    assert coaching["slots"][0] == [0, 540, 1020]
    assert coaching["hours_text"] == ["Monday to Friday: 9 AM to 5 PM", "Saturday: 10 AM to noon"]
    assert [r["id"] for r in settings["crisis"]["regions"]] == ["harbour", "us", "ca"]
    assert region(settings, "harbour")["reviewed_text"] == "October 2026"


# Values -------------------------------------------------------------------------------------------

def test_hours_in_24_hour_clock_outside_north_america(tmp_path):
    settings, problems = settings_from(tmp_path, 'locale = "en-GB"\n[coaching]\ntime_zone = "Europe/London"\n'
                                                 '[coaching.hours]\nmon = ["08:30-12:00", "13:00-24:00"]\nsun = "00:00-02:00"\n')
    assert problems == []
    assert settings["coaching"]["hours_text"] == ["Monday: 08:30 to 12:00, 13:00 to 24:00", "Sunday: 00:00 to 02:00"]
    assert settings["coaching"]["slots"] == [[0, 510, 720], [0, 780, 1440], [6, 0, 120]]


def test_full_day_names_and_lists(tmp_path):
    settings, problems = settings_from(tmp_path, '[coaching]\ntime_zone = "America/Denver"\n'
                                                 '[coaching.hours]\nSaturday = "10:00-14:30"\nSunday = "10:00-14:30"\n')
    assert problems == []
    assert settings["coaching"]["hours_text"] == ["Saturday and Sunday: 10 AM to 2:30 PM"]


def test_a_custom_region_replaces_a_built_in_one(tmp_path):
    settings, problems = settings_from(tmp_path, """
[[crisis.region]]
id = "ie"
name = "Ireland"
emergency = ["112", "999"]
reviewed = "2026-12"
time_zones = ["Europe/Dublin"]
[[crisis.region.lines]]
name = "Local line"
call = "01 234 5678"
""")
    assert problems == []
    ie = region(settings, "ie")
    assert ie["reviewed_text"] == "December 2026"
    assert [l["name"] for l in ie["lines"]] == ["Local line"]
    assert [r["id"] for r in settings["crisis"]["regions"]] == ["us", "ca", "uk", "ie", "au", "nz"]


def test_quick_exit_host_is_shown_on_the_safety_page(tmp_path):
    settings, _ = settings_from(tmp_path, 'quick_exit_url = "https://weather.example.org/today"\n')
    assert settings["quick_exit_host"] == "weather.example.org"


# Problems -----------------------------------------------------------------------------------------

def test_invalid_sample_lists_every_problem_with_its_line():
    _, problems = clinic.load_settings(FIXTURES / "clinic-invalid")
    got = sorted(str(p) for p in problems)
    assert got == sorted([
        "clinic.toml:3: colour: unknown setting; did you mean 'theme_color'? allowed here: app_name, short_name, "
        "clinic_name, locale, theme_color, quick_exit_url, coaches, coaching, crisis",
        "clinic.toml:4: theme_color: 'teal' is not a colour; use a hex colour like \"#2f5d62\"",
        "clinic.toml:9: coaches[0].text: '12ab' is not a phone number; use digits, spaces, +, - or ( )",
        "clinic.toml:11: coaches[1]: needs a number to call or text, like call = \"+1 555 010 0199\"",
        "clinic.toml:13: coaches[1].phone: unknown setting; did you mean 'call'? allowed here: name, call, text",
        "clinic.toml:16: coaching.time_zone: 'Mars/Olympus' is not a time zone name; use an IANA name like "
        "\"America/New_York\", \"Europe/London\" or \"Australia/Sydney\"",
        "clinic.toml:20: coaching.hours.tue: '25:00' is not a time of day; times go from 00:00 to 24:00",
        "clinic.toml:21: coaching.hours.wed: '17:00-09:00' ends before it starts; to go past midnight, "
        "end this day at 24:00 and start the next day at 00:00",
        "clinic.toml:22: coaching.hours.thu: '9am-5pm' is not a time range; write it like \"09:00-17:00\" (24-hour clock)",
        "clinic.toml:23: coaching.hours.funday: unknown day; use mon, tue, wed, thu, fri, sat or sun",
        "clinic.toml:26: crisis.show: 'atlantis' is not a region; use one of: us, ca, uk, ie, au, nz",
    ])


@pytest.mark.parametrize("text, expected", [
    # phone numbers
    ('[[coaches]]\nname = "A"\ncall = "555-CALL-NOW"\n',
     "clinic.toml:3: coaches[0].call: '555-CALL-NOW' is not a phone number; use digits, spaces, +, - or ( )"),
    ('[[coaches]]\nname = "A"\ncall = "5+55 0100"\n',
     "clinic.toml:3: coaches[0].call: '5+55 0100' is not a phone number; use digits, spaces, +, - or ( )"),
    ('[[coaches]]\nname = "A"\ntext = "12"\n',
     "clinic.toml:3: coaches[0].text: '12' is not a phone number; use digits, spaces, +, - or ( )"),
    ('[[coaches]]\nname = "A"\ntext = 5550100\n',
     'clinic.toml:3: coaches[0].text: must be a phone number in quotes, like "+1 555 010 0199"; use digits, spaces, +, - or ( )'),
    ('[[coaches]]\ncall = "555 0100"\n',
     'clinic.toml:1: coaches[0]: needs a name, like name = "Alex"'),
    ('coaches = [{ name = "A", call = "x" }]\n',
     "clinic.toml:1: coaches[0].call: 'x' is not a phone number; use digits, spaces, +, - or ( )"),
    ('[coaches]\nname = "A"\n',
     "clinic.toml:1: coaches: must be a list of tables: start each one with a [[coaches]] line"),
    # hours
    ('[coaching]\ntime_zone = "America/Chicago"\n[coaching.hours]\nmon = "09:60-17:00"\n',
     "clinic.toml:4: coaching.hours.mon: '09:60' is not a time of day; times go from 00:00 to 24:00"),
    ('[coaching]\ntime_zone = "America/Chicago"\n[coaching.hours]\nmon = "24:30-24:45"\n',
     "clinic.toml:4: coaching.hours.mon: '24:30' is not a time of day; times go from 00:00 to 24:00"),
    ('[coaching]\ntime_zone = "America/Chicago"\n[coaching.hours]\nmon = "09:00-09:00"\n',
     "clinic.toml:4: coaching.hours.mon: '09:00-09:00' ends before it starts; to go past midnight, end this day at 24:00 and start the next day at 00:00"),
    ('[coaching]\ntime_zone = "America/Chicago"\n[coaching.hours]\nmon = ["09:00-12:00", "11:00-13:00"]\n',
     "clinic.toml:4: coaching.hours.mon: '11:00-13:00' overlaps another range on the same day; merge them into one"),
    ('[coaching]\ntime_zone = "America/Chicago"\n[coaching.hours]\nmon = "09:00-12:00"\nmonday = "13:00-14:00"\n',
     "clinic.toml:5: coaching.hours.monday: Monday is set twice ('mon' and 'monday'); keep one"),
    ('[coaching]\ntime_zone = "America/Chicago"\n[coaching.hours]\nmon = 9\n',
     'clinic.toml:4: coaching.hours.mon: must be a time range like mon = "09:00-17:00", or a list of them'),
    ('[coaching.hours]\nmon = "09:00-17:00"\n',
     "clinic.toml:1: coaching.hours: coaching hours need a time zone: add time_zone = \"America/New_York\" "
     "(your clinic's IANA time zone name) under [coaching]"),
    ('[coaching]\ntimezone = "America/Chicago"\n',
     "clinic.toml:2: coaching.timezone: unknown setting; did you mean 'time_zone'? allowed here: time_zone, hours, for, not_for, meanwhile"),
    ('[coaching]\nfor = 3\n',
     'clinic.toml:2: coaching.for: must be a list of texts, like for = ["...", "..."]'),
    # top level
    ('quick_exit_url = "http://example.org/"\n',
     "clinic.toml:1: quick_exit_url: 'http://example.org/' is not a web address; use a full https:// address of a neutral page, like \"https://www.wikipedia.org/\""),
    ('quick_exit_url = "/neutral.html"\n',
     "clinic.toml:1: quick_exit_url: '/neutral.html' is not a web address; use a full https:// address of a neutral page, like \"https://www.wikipedia.org/\""),
    ('locale = "English"\n',
     "clinic.toml:1: locale: 'English' is not a language tag; use one like \"en\", \"en-US\" or \"en-GB\""),
    ('app_name = ""\n', "clinic.toml:1: app_name: must not be empty"),
    ('app_name = 7\n', 'clinic.toml:1: app_name: must be text in quotes, like app_name = "..."'),
    ('app_name = "A"\napp_name = "B"\n', None),  # TOML error, checked below
    # crisis
    ('[crisis]\ndefault_region = "uk"\nshow = ["us", "ca"]\n',
     "clinic.toml:2: crisis.default_region: 'uk' is not a region shown; use one of: us, ca"),
    ('[crisis]\nshow = []\n', "clinic.toml:2: crisis.show: must list at least one region"),
    ('[crisis]\nshow = ["us", "us"]\n', "clinic.toml:2: crisis.show: lists a region twice; list each once"),
    ('[[crisis.region]]\nid = "x"\nname = "X"\nemergency = "911"\nreviewed = "2026-13"\n[[crisis.region.lines]]\nname = "L"\ncall = "123"\n',
     "clinic.toml:5: crisis.region[0].reviewed: '2026-13' is not a month; write the year and month like \"2026-11\""),
    ('[[crisis.region]]\nid = "x"\nname = "X"\nemergency = "911"\nreviewed = "2026-11"\n',
     "clinic.toml:1: crisis.region[0]: needs at least one line: add a [[crisis.region.lines]] table"),
    ('[[crisis.region]]\nid = "x"\nname = "X"\nreviewed = "2026-11"\n[[crisis.region.lines]]\nname = "L"\ncall = "123"\n',
     'clinic.toml:1: crisis.region[0]: needs the emergency number, like emergency = "911"'),
    ('[[crisis.region]]\nid = "X Y"\nname = "X"\nemergency = "911"\nreviewed = "2026-11"\n[[crisis.region.lines]]\nname = "L"\ncall = "123"\n',
     "clinic.toml:2: crisis.region[0].id: 'X Y' is not a region id; use lower-case letters, digits and -, like \"us\""),
    ('[[crisis.region]]\nid = "x"\nname = "X"\nemergency = "911"\nreviewed = "2026-11"\ntime_zones = ["Europe/Atlantis"]\n'
     '[[crisis.region.lines]]\nname = "L"\ncall = "123"\n',
     "clinic.toml:6: crisis.region[0].time_zones: 'Europe/Atlantis' is not a time zone name; use IANA names like "
     "\"America/Chicago\", or a prefix ending in / like \"Australia/\""),
    ('[crisis]\nshow = ["us"]\n[[crisis.region]]\nid = "x"\nname = "X"\nemergency = "911"\nreviewed = "2026-11"\n'
     '[[crisis.region.lines]]\nname = "L"\ncall = "123"\n',
     "clinic.toml:4: crisis.region[0].id: region 'x' is not in crisis.show; add it there"),
])
def test_each_mistake_names_line_and_fix(tmp_path, text, expected):
    got = problems_for(tmp_path, text)
    if expected is None:
        assert len(got) == 1 and got[0].startswith("clinic.toml:2: not valid TOML:"), got
    else:
        assert got == [expected]


def test_line_numbers_in_nested_lists(tmp_path):
    text = """\
[[crisis.region]]
id = "a"
name = "A"
emergency = "911"
reviewed = "2026-11"

[[crisis.region.lines]]
name = "First"
call = "123"

[[crisis.region]]
id = "b"
name = "B"
emergency = "911"
reviewed = "2026-11"
about = \"\"\"
kind = "this is inside a string, not a key"
\"\"\"

[[crisis.region.lines]]
name = "Fine"
call = "123"

[[crisis.region.lines]]
name = "Broken"
text = "12ab"
keyword = "HOME!"
kind = "hotline"
"""
    got = problems_for(tmp_path, text)
    assert got == [
        "clinic.toml:16: crisis.region[1].about: unknown setting; allowed here: id, name, emergency, reviewed, time_zones, lines",
        "clinic.toml:28: crisis.region[1].lines[1].kind: 'hotline' is not a kind; use \"crisis\" for crisis support or \"referral\" for information and referral lines",
        "clinic.toml:26: crisis.region[1].lines[1].text: '12ab' is not a phone number; use digits, spaces, +, - or ( )",
        "clinic.toml:27: crisis.region[1].lines[1].keyword: 'HOME!' is not a text keyword; use letters and digits only, like \"HOME\"",
    ]


def test_toml_syntax_error_names_its_line(tmp_path):
    got = problems_for(tmp_path, 'app_name = "A"\n\n[[coaches]]\nname = "Sam\n')
    assert len(got) == 1
    assert got[0].startswith("clinic.toml:4: not valid TOML: ")
    assert got[0].endswith("check quotes, brackets and '=' signs")


def test_build_fails_and_lists_every_problem(tmp_path):
    with pytest.raises(BuildError) as err:
        build_site(tmp_path / "out", settings_root=FIXTURES / "clinic-invalid", skills_dir=MINI)
    report = err.value.report().splitlines()
    assert "clinic.toml:9: coaches[0].text: '12ab' is not a phone number; use digits, spaces, +, - or ( )" in report
    assert report[-1] == "build failed: 11 errors"
    assert not (tmp_path / "out").exists()


def test_command_line_reports_settings_problems(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--out", str(tmp_path / "out"), "--settings", str(FIXTURES / "clinic-invalid")],
        capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    assert "clinic.toml:20: coaching.hours.tue: '25:00' is not a time of day; times go from 00:00 to 24:00" in result.stderr
    assert result.stderr.strip().endswith("errors")


# The built pages -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("sample"), settings_root=SAMPLE, skills_dir=MINI)


@pytest.fixture(scope="module")
def default_site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("default"), skills_dir=MINI)


def pages(site):
    return sorted(site.rglob("*.html"))


def test_sample_build_names_the_clinic_on_every_page(sample_site):
    for page in pages(sample_site):
        html = page.read_text(encoding="utf-8")
        assert "Hosted by Harbour Light DBT Clinic" in html, page
        assert re.search(r"<title>[^<]* · Harbour Coach</title>", html), page
        assert 'href="https://neutral.example/"' in html, page
        assert 'lang="en-US"' in html and 'content="#234567"' in html, page


def test_default_build_uses_the_defaults(default_site):
    for page in pages(default_site):
        html = page.read_text(encoding="utf-8")
        assert "Hosted by" not in html, page
        assert "· Between Sessions</title>" in html, page
        assert 'href="https://www.wikipedia.org/"' in html, page
    help_page = (default_site / "help.html").read_text(encoding="utf-8")
    for number in ("tel:988", "sms:741741?&amp;body=HOME", "tel:116123", "tel:131114", "sms:1737", "tel:000"):
        assert number in help_page
    assert "Reach your coach the way your therapist told you" in help_page


def test_sample_build_shows_coach_and_hours_on_the_help_page(sample_site):
    html = (sample_site / "help.html").read_text(encoding="utf-8")
    assert 'href="tel:+15550100123"' in html and "+1 (555) 010-0123" in html
    assert 'href="sms:+15550100124"' in html
    assert "Monday to Friday: 9 AM to 5 PM" in html and "(Chicago time)" in html
    assert "Harbour County Crisis Team" in html
    assert "Information and referral, not crisis counseling" in html


def test_the_quick_exit_page_is_the_only_other_origin_in_any_page(sample_site, default_site):
    for site, exit_url in ((sample_site, "https://neutral.example/"), (default_site, "https://www.wikipedia.org/")):
        for page in pages(site):
            html = page.read_text(encoding="utf-8")
            for url in re.findall(r'(?:href|src|action)="([^"]*)"', html):
                scheme = urlsplit(url).scheme
                assert scheme in ("", "tel", "sms") or url == exit_url, f"{page.name}: {url}"


def test_app_scripts_never_add_history_entries():
    for script in (ROOT / "static").rglob("*.js"):
        text = script.read_text(encoding="utf-8")
        assert "pushState" not in text, f"{script.name} adds history entries; use replaceState or none"


@pytest.mark.parametrize("name", ["help.html", "safety.html"])
def test_plain_words(default_site, name):
    import textstat

    html = (default_site / name).read_text(encoding="utf-8")
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))
    assert textstat.flesch_kincaid_grade(text) <= 8
