"""Each page type opens in a real browser and shows what a person expects."""

import re

import pytest
from playwright.sync_api import expect

PAGES = [
    ("index.html", "Between Sessions"),
    ("worksheet.html", "Coaching worksheet"),
    ("history.html", "My past worksheets"),
    ("help.html", "Get help now"),
    ("safety.html", "Privacy and quick exit"),
    ("skills/index.html", "Skills"),
    ("modules/distress-tolerance.html", "Distress tolerance"),
    ("skills/tipp.html", "TIPP"),
    ("guide.html", "Which skill when?"),
]


@pytest.mark.parametrize("path, heading", PAGES)
def test_page_shows_its_heading_and_help(page, path, heading):
    response = page.goto(path)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("link", name="Get help now").first).to_be_visible()
    expect(page).to_have_title(re.compile(re.escape(heading if path != "index.html" else "Home")))


@pytest.mark.parametrize("path", [p for p, _ in PAGES])
def test_pages_work_under_a_sub_path(browser, site_dir, serve, guard, path):
    server = serve(site_dir, prefix="/some/sub/path/")
    context = browser.new_context()
    guard.allowed_origins.add(server.url.split("/some/")[0])
    guard.watch_context(context)
    page = context.new_page()
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    response = page.goto(server.url + path)
    assert response.status == 200
    page.wait_for_load_state("load")
    expect(page.get_by_role("link", name="Get help now").first).to_be_visible()
    assert failed == [], f"these failed under a sub-path: {failed}"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Skills").click()
    expect(page).to_have_url(server.url + "skills/index.html")
    context.close()
    guard.check()
