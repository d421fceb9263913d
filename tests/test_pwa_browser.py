"""Installable and fully offline, in a real browser: installability, offline page loads, the engine offline,
the update prompt, and all of it under a sub-path.

These tests build the skills-mini fixture into their own folders and serve each on its own server, so they
can stop a server to prove that nothing comes from the network.
"""

import json
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES, Guard, build_site, engine_ready
from playwright.sync_api import expect

MINI = FIXTURES / "skills-mini"
PREFIXES = ["/", "/some/sub/path/"]

# One of each page type in the skills-mini build: (path, heading).
PAGE_TYPES = [
    ("index.html", "Between Sessions"),
    ("skills/index.html", "Skills"),
    ("modules/distress-tolerance.html", "Distress tolerance"),
    ("skills/cool-down.html", "Cool down"),
    ("worksheet.html", "Coaching worksheet"),
    ("history.html", "My past worksheets"),
    ("help.html", "Get help now"),
]

pytestmark = pytest.mark.browser


@pytest.fixture
def guard():
    return Guard()


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("pwa-browser") / "site", skills_dir=MINI)


@pytest.fixture
def start(serve, guard):
    """start(path, prefix): a fresh server whose origin the guard allows."""

    def _start(path, prefix="/"):
        server = serve(path, prefix=prefix)
        guard.allowed_origins.add("{0.scheme}://{0.netloc}".format(urlsplit(server.url)))
        return server

    return _start


def offline_ready(page):
    """Wait until the service worker has stored every file (install waits for that) and controls the page."""
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def go_offline(context, server):
    context.set_offline(True)
    server.stop()  # and no server either: whatever loads now can only come from the service worker


def cache_names(page):
    return page.evaluate("caches.keys()")


@pytest.fixture
def real_profile(browser_type, browser_type_launch_args, guard, tmp_path):
    """A browser on a normal on-disk profile (HTTP cache; Chromium refuses to install from incognito-like
    contexts), watched by the guard: yields its first page, closes it afterwards."""
    context = browser_type.launch_persistent_context(str(tmp_path / "profile"), **browser_type_launch_args)
    try:
        guard.watch_context(context)
        yield context.pages[0] if context.pages else context.new_page()
    finally:
        context.close()


def test_start_page_is_installable(real_profile, mini_site, start, guard):
    server = start(mini_site, "/some/sub/path/")
    page = real_profile
    page.goto(server.url + "index.html")
    offline_ready(page)
    cdp = page.context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    found = cdp.send("Page.getAppManifest")
    assert found["errors"] == []
    assert found["url"] == server.url + "manifest.webmanifest"
    manifest = json.loads(found["data"])
    assert (manifest["name"], manifest["short_name"]) == ("Between Sessions", "Between")
    assert manifest["display"] == "standalone"
    # Relative start_url and scope resolve inside the sub-path the site is served from.
    assert server.url + manifest["start_url"].removeprefix("./") == server.url
    # The app's identity includes the sub-path, so two clinics on one host are two apps.
    assert cdp.send("Page.getAppId")["appId"] == server.url
    icon = page.request.get(server.url + "icons/icon-maskable-512.png")
    assert icon.ok and icon.headers["content-type"] == "image/png"
    guard.check()


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_page_type_loads_offline_after_one_visit(context, mini_site, start, prefix):
    server = start(mini_site, prefix)
    page = context.new_page()
    page.goto(server.url + "index.html")
    offline_ready(page)
    go_offline(context, server)
    for path, heading in PAGE_TYPES:
        response = page.goto(server.url + path)
        assert response.ok and response.from_service_worker, path
        # The stored copy keeps the production headers, so the same policy applies offline.
        assert response.header_value("content-security-policy").startswith("default-src 'none'")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("link", name="Get help now").first).to_be_visible()
    # Directory URLs are their index page.
    page.goto(server.url + "skills/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Skills")
    # A page this version does not have: a kind offline page, with a way on to help.
    page.goto(server.url + "skills/not-a-skill.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    page.get_by_role("main").get_by_role("link", name="get help now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_worksheet_suggests_skills_offline(context, mini_site, start, prefix):
    server = start(mini_site, prefix)
    page = context.new_page()
    page.goto(server.url + "worksheet.html")
    offline_ready(page)
    go_offline(context, server)
    # A fresh load with no network: the page, the engine worker, its Python files and the runtime.
    page.reload()
    page.evaluate("import(new URL('js/engine.js', document.baseURI + document.body.dataset.root).href)"
                  ".then((m) => m.startEngine())")
    engine_ready(page)
    result = page.evaluate(
        "import(new URL('js/engine.js', document.baseURI + document.body.dataset.root).href)"
        ".then((m) => m.suggest({call_kind: 'coaching', emotions: [{name: 'anger', intensity: 8}]}, []))")
    assert result["suggestions"], result
    assert all(s["skill"] and s["name"] for s in result["suggestions"])


def test_worksheet_stores_the_offline_copy_once_the_engine_is_ready(context, mini_site, start):
    server = start(mini_site)
    held = []
    # Hold the engine at its first request, so it stays "loading" while the page finishes loading.
    context.route("**/engine/files.json", lambda route: route.continue_() if held else held.append(route))
    page = context.new_page()
    page.goto(server.url + "worksheet.html", wait_until="load")
    page.wait_for_function("() => document.documentElement.dataset.engine === 'loading'")
    page.wait_for_timeout(500)
    assert held, "the engine asked for its file list"
    # The offline copy waits: storing it now would download the runtime beside the engine.
    assert page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r === undefined)")
    held[0].continue_()
    engine_ready(page)
    offline_ready(page)


def test_first_visit_to_the_worksheet_downloads_each_engine_file_once(real_profile, mini_site, start, guard):
    server = start(mini_site)
    # A real profile with a disk cache, as a person has (no routing either: it turns the HTTP cache off).
    page = real_profile
    page.goto(server.url + "worksheet.html")
    engine_ready(page)
    offline_ready(page)
    # The offline copy took what the engine had fetched from the HTTP cache: nothing came twice.
    engine_files = [p for p, status, _ in server.take() if status == 200 and p.startswith(("/engine/", "/pyodide/", "/worker/"))]
    assert "/pyodide/314.0.7/pyodide.asm.wasm" in engine_files and "/engine/skills.json" in engine_files
    twice = sorted({p for p in engine_files if engine_files.count(p) > 1})
    assert twice == [], f"downloaded twice: {twice}"
    guard.check()


def test_return_visit_reads_files_from_the_cache_without_waking_the_service_worker(context, mini_site, start, guard):
    server = start(mini_site)
    guard.expected_console.append("404")
    page = context.new_page()
    page.goto(server.url + "worksheet.html")
    offline_ready(page)
    page.reload()
    # Static routes (InstallEvent.addRoutes): each stored file is read from this version's cache directly.
    sources = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter((e) => /\\.(js|css)$/.test(new URL(e.name).pathname))
        .map((e) => [new URL(e.name).pathname.split('/').pop(), e.workerFinalSourceType])""")
    assert {"quick-exit.js", "app.css", "worksheet.js"} <= {name for name, _ in sources}
    assert all(source == "cache" for _, source in sources), sources
    # A file this version does not have still comes from the server, and a page still gets the fetch handler.
    assert page.evaluate("fetch('not-here.txt').then((r) => r.status)") == 404
    go_offline(context, server)
    page.goto(server.url + "skills/not-a-skill.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")


def test_update_prompt_applies_a_new_version_and_keeps_the_draft(context, tmp_path, start):
    site = build_site(tmp_path / "site", skills_dir=MINI)
    server = start(site, "/some/sub/path/")
    page = context.new_page()
    page.goto(server.url + "worksheet.html")
    offline_ready(page)
    first_caches = cache_names(page)
    draft = page.get_by_label("What happened, in a sentence or two")
    draft.fill("I argued with my sister and I feel awful.")
    page.evaluate("window.notReloaded = true")
    main_top = page.get_by_role("main").bounding_box()["y"]

    # Version 2 into the same served folder: the clinic's name changes on every page.
    settings = tmp_path / "settings"
    settings.mkdir()
    (settings / "clinic.toml").write_text('clinic_name = "Second Version Clinic"\n', encoding="utf-8")
    build_site(site, skills_dir=MINI, settings_root=settings)

    # Opening the app in another tab makes the browser look for a new version, as it does on any visit.
    other = context.new_page()
    other.goto(server.url + "index.html")
    other.evaluate("window.notReloaded = true")

    prompt = page.get_by_role("status").filter(has_text="new version")
    expect(prompt).to_be_visible()
    expect(prompt).to_contain_text("Anything you have written is kept")
    # Polite: nothing reloaded by itself, and the content below the prompt did not move.
    assert page.evaluate("window.notReloaded === true")
    assert page.get_by_role("main").bounding_box()["y"] == main_top
    expect(draft).to_have_value("I argued with my sister and I feel awful.")

    with page.expect_event("load"):
        prompt.get_by_role("button", name="Update now").click()
    expect(page.get_by_role("contentinfo")).to_contain_text("Hosted by Second Version Clinic")
    expect(page.get_by_label("What happened, in a sentence or two")).to_have_value("I argued with my sister and I feel awful.")
    expect(page.get_by_role("status").filter(has_text="new version")).to_have_count(0)

    # The other tab was not reloaded under the person: it offers a reload instead.
    expect(other.get_by_role("status")).to_contain_text("updated in another tab")
    assert other.evaluate("window.notReloaded === true")

    # The old app cache is gone, the runtime cache was kept (not downloaded again). Besides those, only the
    # engine's memory snapshot may be there: kept across updates on purpose (its key says which version).
    caches_now = cache_names(page)
    assert len([n for n in caches_now if " app " in n]) == 1
    assert all(n.endswith(" engine-snapshot") for n in caches_now if " app " not in n and " runtime " not in n)
    runtime = [n for n in first_caches if " runtime " in n]
    assert runtime and runtime[0] in caches_now
    old_app = [n for n in first_caches if " app " in n]
    assert old_app and not set(old_app) & set(caches_now)


def test_not_now_hides_the_prompt_without_updating(context, tmp_path, start):
    site = build_site(tmp_path / "site", skills_dir=MINI)
    server = start(site)
    page = context.new_page()
    page.goto(server.url + "index.html")
    offline_ready(page)
    (tmp_path / "settings").mkdir()
    (tmp_path / "settings" / "clinic.toml").write_text('clinic_name = "Later Clinic"\n', encoding="utf-8")
    build_site(site, skills_dir=MINI, settings_root=tmp_path / "settings")
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    prompt = page.get_by_role("status").filter(has_text="new version")
    prompt.get_by_role("button", name="Not now").click()
    expect(prompt).to_be_hidden()
    # Still the version the page was opened with, served from its cache.
    page.goto(server.url + "help.html")
    expect(page.get_by_role("contentinfo")).not_to_contain_text("Later Clinic")


def test_a_half_deployed_version_is_not_installed(context, tmp_path, start):
    site = build_site(tmp_path / "site", skills_dir=MINI)
    server = start(site)
    page = context.new_page()
    page.goto(server.url + "index.html")
    offline_ready(page)
    # Version 2's worker is uploaded, but one page still has version 1's bytes: its hash does not match.
    (tmp_path / "settings").mkdir()
    (tmp_path / "settings" / "clinic.toml").write_text('clinic_name = "Half Clinic"\n', encoding="utf-8")
    old_help = (site / "help.html").read_bytes()
    build_site(site, skills_dir=MINI, settings_root=tmp_path / "settings")
    (site / "help.html").write_bytes(old_help)
    state = page.evaluate("""async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration.update();
      const worker = registration.installing;
      while (worker.state === "installing") await new Promise((r) => worker.addEventListener("statechange", r, { once: true }));
      return worker.state;
    }""")
    assert state == "redundant"
    expect(page.get_by_role("status").filter(has_text="new version")).to_have_count(0)
    # Version 1 still works offline, whole.
    go_offline(context, server)
    page.goto(server.url + "help.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")
    expect(page.get_by_role("contentinfo")).not_to_contain_text("Half Clinic")
