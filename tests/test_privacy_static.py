"""Static scan of the built site: nothing points at another origin, and nothing could run injected code.

The browser tests prove what happens at run time; this scan covers every file, including pages and
code paths no journey reaches. The vendored Pyodide runtime (site/pyodide/) is not our code and is
left out: it names its CDN as a default that the worker overrides, and the CSP plus the request
checks in the browser journeys prove that no request ever leaves the origin.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from conftest import ROOT

from builder.clinic import load_settings

QUICK_EXIT = load_settings(ROOT)[0]["quick_exit_url"]
# Pages where a person may choose to call or text someone.
CONTACT_PAGES = {"help.html", "safety.html"}
CONTACT_SCHEMES = {"tel", "sms"}

URL_ATTRS = {"href", "src", "action", "formaction", "srcset", "poster", "data", "cite", "background",
             "manifest", "ping", "xlink:href", "imagesrcset", "codebase", "longdesc"}
FORBIDDEN_TAGS = {"iframe", "frame", "object", "embed", "applet", "base", "style", "form"}

# Sinks that turn a string into code or markup. Our code must not use them; if one is ever truly
# safe, add (file, sink) -> why here, and the reviewer reads the justification.
SINKS = {
    "eval(": r"\beval\s*\(",
    "new Function(": r"\bnew\s+Function\s*\(",
    "Function(": r"(?<![\w.])Function\s*\(",
    "innerHTML": r"\binnerHTML\b",
    "outerHTML": r"\bouterHTML\b",
    "insertAdjacentHTML": r"\binsertAdjacentHTML\b",
    "document.write": r"\bdocument\.write(ln)?\b",
    "createContextualFragment": r"\bcreateContextualFragment\b",
    "DOMParser": r"\bDOMParser\b",
    "srcdoc": r"\bsrcdoc\b",
    "setTimeout/setInterval with a string": r"\bset(Timeout|Interval)\s*\(\s*[\"'`]",
    "javascript: URL": r"javascript:",
    "on* attribute set from code": r"setAttribute\s*\(\s*[\"'`]on",
    "style attribute set from code": r"setAttribute\s*\(\s*[\"'`]style\b",
    "document.cookie": r"\bdocument\.cookie\b",
    "sendBeacon": r"\bsendBeacon\b",
    "WebSocket": r"\bWebSocket\b",
    "EventSource": r"\bEventSource\b",
    "blob: or data: worker or script": r"createObjectURL\s*\(\s*new\s+Blob\s*\(\s*\[[^\]]*\]\s*,\s*\{\s*type:\s*[\"'`](text|application)/javascript",
}
ALLOWED_SINKS = {
    # (site-relative file, sink name): "why it is safe"
}
# The engine is pure: no network, no browser access.
PY_FORBIDDEN = [r"\burllib\b", r"\bhttp\.client\b", r"\bsocket\b", r"\bpyodide\.http\b", r"\bpyfetch\b",
                r"\bopen_url\b", r"^\s*import\s+js\b", r"^\s*from\s+js\s+import\b", r"\bopen\s*\(", r"\bsubprocess\b"]


def own_files(site_dir, *suffixes):
    return sorted(p for p in site_dir.rglob("*")
                  if p.is_file() and p.suffix in suffixes and "pyodide" not in p.relative_to(site_dir).parts)


class Page(HTMLParser):
    """Collects every tag with its attributes, and the body of every <script>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, attrs dict, line)
        self.scripts = []  # (attrs, text, line)
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = {k.lower(): (v or "") for k, v in attrs}
        self.tags.append((tag, attrs, self.getpos()[0]))
        if tag == "script":
            self._script = (attrs, [], self.getpos()[0])

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self._script:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script:
            attrs, text, line = self._script
            self.scripts.append((attrs, "".join(text), line))
            self._script = None


def parse(path):
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def is_other_origin(url):
    """True for any URL that could reach somewhere other than this site (absolute, protocol-relative, or a scheme)."""
    url = url.strip()
    return bool(urlsplit(url).scheme) or url.startswith("//") or url.startswith("\\\\")


def urls_in(attr, value):
    if attr in ("srcset", "imagesrcset"):
        return [part.strip().split()[0] for part in value.split(",") if part.strip()]
    return [value]


@pytest.fixture(scope="module")
def pages(site_dir):
    return [(p.relative_to(site_dir).as_posix(), parse(p)) for p in sorted(site_dir.rglob("*.html"))]


def test_site_has_pages_to_scan(pages):
    names = {name for name, _ in pages}
    assert {"index.html", "worksheet.html", "history.html", "help.html", "safety.html"} <= names


def url_problems(pages):
    problems = []
    for name, page in pages:
        for tag, attrs, line in page.tags:
            for attr, value in attrs.items():
                if attr not in URL_ATTRS and not attr.startswith("data-"):
                    continue
                for url in urls_in(attr, value):
                    if attr.startswith("data-") and "://" not in url and not url.startswith("//"):
                        continue  # data attributes that are not URLs at all
                    if not is_other_origin(url):
                        continue
                    scheme = urlsplit(url).scheme.lower()
                    if tag == "a" and attr == "href" and attrs.get("id") == "quick-exit" and url == QUICK_EXIT:
                        continue  # the quick-exit destination, only followed when the person taps it
                    if tag == "body" and attr == "data-quick-exit" and url == QUICK_EXIT:
                        continue  # the same destination, read by quick-exit.js
                    if tag == "a" and attr == "href" and scheme in CONTACT_SCHEMES and name in CONTACT_PAGES:
                        continue  # call or text a crisis line or coach: the person's own tap
                    problems.append(f"{name}:{line}: <{tag} {attr}={url!r}>")
    return problems


def test_no_url_to_another_origin_except_chosen_links(pages):
    problems = url_problems(pages)
    assert not problems, "URLs to other origins:\n" + "\n".join(problems)


def test_quick_exit_is_in_the_header_of_every_page(pages):
    for name, page in pages:
        exits = [a for tag, a, _ in page.tags if tag == "a" and a.get("id") == "quick-exit"]
        assert len(exits) == 1, name
        assert exits[0]["href"] == QUICK_EXIT, name
        assert "noreferrer" in exits[0].get("rel", ""), name


def inline_problems(pages):
    problems = []
    for name, page in pages:
        for attrs, text, line in page.scripts:
            if "src" not in attrs or text.strip():
                problems.append(f"{name}:{line}: inline <script>")
        for tag, attrs, line in page.tags:
            if tag in FORBIDDEN_TAGS:
                problems.append(f"{name}:{line}: <{tag}>")
            if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
                problems.append(f"{name}:{line}: <meta http-equiv=refresh>")
            for attr, value in attrs.items():
                if attr == "style":
                    problems.append(f"{name}:{line}: style attribute on <{tag}>")
                if attr.startswith("on"):
                    problems.append(f"{name}:{line}: {attr} handler on <{tag}>")
                if value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                    problems.append(f"{name}:{line}: {attr}={value[:30]!r} on <{tag}>")
    return problems


def test_no_inline_script_style_or_event_handlers(pages):
    problems = inline_problems(pages)
    assert not problems, "\n".join(problems)


def strip_js_comments(text):
    # Good enough for our hand-written modules: block comments, and // comments that start a line or follow code.
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group().count("\n"), text, flags=re.S)
    return re.sub(r"(^|[\s;{}(),])//(?![^\n]*[\"'`]\s*[,);]).*", r"\1", text, flags=re.M)


def sink_problems(site_dir):
    problems = []
    for path in own_files(site_dir, ".js", ".mjs"):
        rel = path.relative_to(site_dir).as_posix()
        code = strip_js_comments(path.read_text(encoding="utf-8"))
        for name, pattern in SINKS.items():
            for match in re.finditer(pattern, code):
                if (rel, name) in ALLOWED_SINKS:
                    continue
                line = code.count("\n", 0, match.start()) + 1
                problems.append(f"{rel}:{line}: {name}")
    return problems


def test_own_javascript_has_no_code_or_markup_sinks(site_dir):
    assert (site_dir / "js" / "app.js").is_file()
    problems = sink_problems(site_dir)
    assert not problems, "unsafe sinks in our JavaScript:\n" + "\n".join(problems)


def js_url_problems(site_dir):
    problems = []
    for path in own_files(site_dir, ".js", ".mjs"):
        rel = path.relative_to(site_dir).as_posix()
        code = strip_js_comments(path.read_text(encoding="utf-8"))
        for match in re.finditer(r"\b(https?|wss?|ftp)://[^\s\"'`)]*|[\"'`]//[^\s\"'`]+", code):
            line = code.count("\n", 0, match.start()) + 1
            problems.append(f"{rel}:{line}: {match.group()}")
    return problems


def test_own_javascript_names_no_other_origin(site_dir):
    problems = js_url_problems(site_dir)
    assert not problems, "absolute URLs in our JavaScript:\n" + "\n".join(problems)


def css_problems(site_dir):
    problems = []
    for path in own_files(site_dir, ".css"):
        rel = path.relative_to(site_dir).as_posix()
        css = path.read_text(encoding="utf-8")
        if re.search(r"@font-face|@import", css):
            problems.append(f"{rel}: @font-face or @import (system fonts only, one file each)")
        for url in re.findall(r"url\(\s*[\"']?([^\"')]+)", css):
            if is_other_origin(url):
                problems.append(f"{rel}: url({url})")
    return problems


def test_css_loads_nothing_from_elsewhere(site_dir):
    problems = css_problems(site_dir)
    assert not problems, "\n".join(problems)


def test_data_files_name_no_other_origin(site_dir):
    problems = []
    for path in own_files(site_dir, ".json", ".webmanifest"):
        rel = path.relative_to(site_dir).as_posix()
        for match in re.finditer(r"\b(https?|wss?)://[^\s\"]*|\"//[^\"]+\"", path.read_text(encoding="utf-8")):
            problems.append(f"{rel}: {match.group()}")
    assert not problems, "\n".join(problems)


def py_problems(site_dir):
    problems = []
    for path in own_files(site_dir, ".py"):
        text = path.read_text(encoding="utf-8")
        for pattern in PY_FORBIDDEN:
            for match in re.finditer(pattern, text, flags=re.M):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(site_dir)}:{line}: {match.group().strip()}")
    return problems


def test_engine_code_shipped_to_the_browser_does_no_io(site_dir):
    assert own_files(site_dir, ".py"), "the engine's Python files are shipped under engine/"
    problems = py_problems(site_dir)
    assert not problems, "\n".join(problems)


def test_no_third_party_or_tracking_names(site_dir):
    names = ("google-analytics", "googletagmanager", "gtag(", "plausible", "matomo", "segment.io", "hotjar",
             "sentry", "fonts.googleapis", "fonts.gstatic", "cdn.jsdelivr", "unpkg.com", "cdnjs", "facebook",
             "doubleclick", "mixpanel", "amplitude")
    problems = []
    for path in own_files(site_dir, ".html", ".js", ".mjs", ".css", ".json", ".webmanifest"):
        text = path.read_text(encoding="utf-8").lower()
        problems += [f"{path.relative_to(site_dir)}: {n}" for n in names if n in text]
    assert not problems, "\n".join(problems)


def test_the_scan_catches_what_it_looks_for(tmp_path):
    """The scan is not vacuous: a crafted bad site trips every check."""
    bad = tmp_path / "site"
    (bad / "js").mkdir(parents=True)
    (bad / "css").mkdir()
    (bad / "engine").mkdir()
    (bad / "index.html").write_text(
        '<!doctype html><html><head><script>alert(1)</script><script src="https://cdn.example/x.js"></script>'
        '<style>p{}</style><link rel="stylesheet" href="//fonts.example/a.css"></head>'
        '<body onload="x()"><a id="quick-exit" href="https://elsewhere.example/">Quick exit</a>'
        '<a href="tel:123">call</a><img srcset="a.png 1x, https://t.example/p.gif 2x">'
        '<p style="color:red">x</p><a href="javascript:void(0)">j</a></body></html>', encoding="utf-8")
    (bad / "js" / "bad.js").write_text(
        'el.innerHTML = text;\neval("1");\nconst f = new Function("x");\ndocument.write("x");\n'
        'el.insertAdjacentHTML("beforeend", s);\nfetch("https://api.example/log");\nconst u = "//evil.example/";\n'
        'setTimeout("go()", 1);\nnavigator.sendBeacon("x");\ndocument.cookie = "a=1";\n'
        '// a comment naming https://developer.example/ is not a request\n', encoding="utf-8")
    (bad / "css" / "bad.css").write_text('@import "x.css"; a { background: url(https://t.example/p.png) }')
    (bad / "engine" / "bad.py").write_text("import urllib.request\nfrom js import fetch\n")
    page = [("index.html", parse(bad / "index.html"))]
    urls = "\n".join(url_problems(page))
    for needle in ("cdn.example", "fonts.example", "elsewhere.example", "tel:123", "t.example/p.gif"):
        assert needle in urls
    inline = "\n".join(inline_problems(page))
    for needle in ("inline <script>", "<style>", "onload handler", "style attribute", "javascript:"):
        assert needle in inline
    sinks = "\n".join(sink_problems(bad))
    for needle in ("innerHTML", "eval(", "new Function(", "document.write", "insertAdjacentHTML",
                   "setTimeout/setInterval with a string", "sendBeacon", "document.cookie"):
        assert needle in sinks
    js_urls = "\n".join(js_url_problems(bad))
    assert "api.example" in js_urls and "evil.example" in js_urls and "developer.example" not in js_urls
    css = "\n".join(css_problems(bad))
    assert "@import" in css and "t.example" in css
    assert len(py_problems(bad)) == 2
