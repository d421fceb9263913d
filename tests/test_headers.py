"""Response headers: netlify.toml says the right thing, and the local server sends exactly that.

netlify.toml is the one place headers are set. These tests read it with their own small model of
Netlify's path rules (not builder/headers.py), so a bug in the server's copy of the logic shows up
as a difference here instead of being checked against itself.
"""

import re
import tomllib
import urllib.request
from urllib.error import HTTPError

import pytest
from conftest import ROOT

SUB_PATH = "/some/sub/path/"

# What the issue asks for, directive by directive. Order inside a directive does not matter.
CSP = {
    "default-src": {"'none'"},
    "script-src": {"'self'", "'wasm-unsafe-eval'"},
    "worker-src": {"'self'"},
    "connect-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'"},
    "manifest-src": {"'self'"},
    "base-uri": {"'none'"},
    "form-action": {"'none'"},
    "frame-ancestors": {"'none'"},
}
SECURITY = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
# Powerful features a skills worksheet never needs; each must be switched off for every origin.
FEATURES_OFF = ("camera", "microphone", "geolocation", "display-capture", "payment", "usb", "serial", "hid",
                "midi", "accelerometer", "gyroscope", "magnetometer", "idle-detection", "local-fonts",
                "browsing-topics", "publickey-credentials-get", "xr-spatial-tracking")
# The worksheet copies and shares the summary for the coach: these must stay available.
FEATURES_USED = ("clipboard-write", "web-share")
NETLIFY_DEFAULT_CACHE = "public, max-age=0, must-revalidate"


def rules():
    config = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    return [(rule["for"], rule["values"]) for rule in config["headers"]]


def matches(rule_path, path):
    # Netlify: '*' is a splat (slashes included), ':name' one segment; the rest is literal.
    regex = "".join(".*" if t == "*" else "[^/]+" if t.startswith(":") else re.escape(t)
                    for t in re.split(r"(\*|:\w+)", rule_path))
    return re.fullmatch(regex, path) is not None


def expected_headers(path):
    """What Netlify sends for a site path, from netlify.toml alone (header names lower-cased)."""
    out = {}
    for rule_path, values in rules():
        if matches(rule_path, path):
            for name, value in values.items():
                assert name.lower() not in out, f"two rules set {name} for {path}: which wins is host-specific"
                out[name.lower()] = value
    out.setdefault("cache-control", NETLIFY_DEFAULT_CACHE)
    return out


def parse_csp(value):
    directives = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            assert words[0] not in directives, f"CSP directive {words[0]} given twice"
            directives[words[0]] = set(words[1:])
    return directives


def parse_permissions(value):
    return dict(item.strip().split("=", 1) for item in value.split(","))


def fetch(url, method="GET"):
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def site_files(site_dir):
    return sorted("/" + p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())


# --- netlify.toml itself ---------------------------------------------------------------------

def test_csp_is_exactly_the_strict_policy():
    csp = parse_csp(expected_headers("/index.html")["content-security-policy"])
    assert csp == CSP
    words = set().union(*csp.values())
    # Nothing that would let an injected script or style run, and no other origin at all.
    assert not words & {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'", "*", "data:",
                        "blob:", "http:", "https:", "filesystem:"}
    assert not any("." in w or "//" in w for w in words), words


def test_security_headers_and_permissions_policy():
    headers = expected_headers("/index.html")
    for name, value in SECURITY.items():
        assert headers[name.lower()] == value, name
    features = parse_permissions(headers["permissions-policy"])
    for feature in FEATURES_OFF:
        assert features.get(feature) == "()", f"{feature} is not switched off"
    assert set(features.values()) == {"()"}, "every listed feature must be off for every origin"
    assert not set(FEATURES_USED) & set(features), "the app uses these"


def test_every_file_in_the_site_gets_every_security_header(site_dir):
    for path in site_files(site_dir):
        headers = expected_headers(path)
        assert parse_csp(headers["content-security-policy"]) == CSP, path
        for name, value in SECURITY.items():
            assert headers[name.lower()] == value, (path, name)
        assert "permissions-policy" in headers, path


def test_types_and_caching_rules(site_dir):
    wasm = [p for p in site_files(site_dir) if p.endswith(".wasm")]
    assert wasm, "the site ships Pyodide's .wasm"
    for path in wasm:
        assert expected_headers(path)["content-type"] == "application/wasm"
    assert expected_headers("/manifest.webmanifest")["content-type"] == "application/manifest+json"
    # Pages and the service worker must always be revalidated so an update reaches people.
    for path in ["/index.html", "/skills/tipp.html", "/sw.js"] + [p for p in site_files(site_dir) if p.endswith(".html")]:
        cache = expected_headers(path)["cache-control"]
        assert "no-cache" in cache or "max-age=0" in cache, (path, cache)
        assert "immutable" not in cache, path
    # Only the versioned runtime folder may be cached for good.
    for path in site_files(site_dir):
        if "immutable" in expected_headers(path)["cache-control"]:
            assert re.match(r"^/pyodide/\d+\.\d+\.\d+/", path), path


def test_headers_are_set_in_one_place_only(site_dir):
    # A _headers file in the publish folder would be merged by Netlify; a <meta> CSP would be a second policy.
    assert not (site_dir / "_headers").exists()
    assert not (ROOT / "_headers").exists()
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8").lower()
        assert "http-equiv" not in text, f"{page.relative_to(site_dir)} sets a header in a <meta> tag"


# --- the local server sends exactly that ---------------------------------------------------

def served_paths(site_dir):
    paths = ["index.html", "skills/tipp.html", "modules/distress-tolerance.html", "manifest.webmanifest",
             "js/app.js", "css/app.css", "engine/files.json"]
    paths += [p.lstrip("/") for p in site_files(site_dir) if p.endswith(".wasm")]
    for optional in ("sw.js", "worker/engine-worker.js", "js/engine.js", "icons/icon.svg"):
        if (site_dir / optional).exists():
            paths.append(optional)
    return paths


@pytest.fixture(scope="module", params=["/", SUB_PATH], ids=["root", "sub-path"])
def server_url(request, site_dir, serve):
    return serve(site_dir, prefix=request.param).url


def test_served_headers_equal_netlify_toml(site_dir, server_url):
    for path in served_paths(site_dir):
        status, headers, body = fetch(server_url + path)
        assert status == 200, path
        assert body == (site_dir / path).read_bytes(), path
        for name, value in expected_headers("/" + path).items():
            assert headers.get(name) == value, f"{path}: {name} is {headers.get(name)!r}, netlify.toml says {value!r}"
        assert "set-cookie" not in headers, path


def test_head_sends_the_same_headers(site_dir, server_url):
    _, got, _ = fetch(server_url + "index.html", "HEAD")
    for name, value in expected_headers("/index.html").items():
        assert got.get(name) == value, name


def test_folder_index_is_served_with_the_policy(server_url):
    status, headers, body = fetch(server_url)
    assert status == 200 and b"<!doctype html>" in body.lower()
    assert parse_csp(headers["content-security-policy"]) == CSP
    assert "no-cache" in headers["cache-control"] or "max-age=0" in headers["cache-control"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_server_takes_reads_only(server_url, method):
    status, _, _ = fetch(server_url + "index.html", method)
    assert status == 405


def test_server_does_not_leave_the_site_folder(server_url):
    for path in ("../netlify.toml", "..%2Fnetlify.toml", "%2e%2e/netlify.toml", "js/../../netlify.toml"):
        status, _, body = fetch(server_url + path)
        assert status == 404, path
        assert b"[[headers]]" not in body


def test_not_found_and_redirects_carry_the_policy_too(server_url):
    # Netlify applies [[headers]] by path whatever the status; the local server must match on every response.
    for path, status in (("no-such-page.html", 404), ("skills", 301)):
        got, headers, _ = fetch_no_redirect(server_url + path)
        assert got == status, path
        assert parse_csp(headers.get("content-security-policy", "")) == CSP, f"{path} ({status}) has no CSP"
        for name, value in SECURITY.items():
            assert headers.get(name.lower()) == value, (path, name)


def fetch_no_redirect(url):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()
