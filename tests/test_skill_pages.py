"""Skill pages in a real browser: the index filter, a module page, a card, and printing."""

import re

import pytest
from playwright.sync_api import expect
from test_skills import SKILL_FILES


def test_filter_by_emotion_shows_only_matching_skills(page):
    page.goto("skills/index.html")
    links = page.get_by_role("main").get_by_role("listitem").get_by_role("link")
    total = links.count()
    assert total >= 50
    page.get_by_label("Find a skill by name, feeling, urge or situation").fill("jealousy")
    visible = page.locator("[data-search]:visible")
    shown = visible.count()
    assert 0 < shown < total
    for i in range(shown):
        assert "jealousy" in visible.nth(i).get_attribute("data-search")
    expect(page.get_by_text(f"{shown} of {total} skills shown")).to_be_visible()


def test_filter_finds_skills_by_situation_words_and_urges(page):
    page.goto("skills/index.html")
    search = page.get_by_label("Find a skill by name, feeling, urge or situation")
    search.fill("cannot sleep")
    expect(page.get_by_role("link", name="PLEASE", exact=True)).to_be_visible()
    search.fill("drink")
    expect(page.get_by_role("link", name="Dialectical abstinence")).to_be_visible()
    expect(page.get_by_role("link", name="DEAR MAN")).to_be_hidden()


def test_filter_says_so_when_nothing_matches_and_recovers(page):
    page.goto("skills/index.html")
    search = page.get_by_label("Find a skill by name, feeling, urge or situation")
    search.fill("zzzz-nothing")
    expect(page.get_by_text("No skill matches that.")).to_be_visible()
    expect(page.get_by_role("heading", name="Mindfulness", level=2)).to_be_hidden()
    search.fill("")
    expect(page.get_by_text("No skill matches that.")).to_be_hidden()
    expect(page.get_by_role("link", name="TIPP")).to_be_visible()


def test_module_page_lists_its_skills_and_links_to_cards(page):
    page.goto("modules/interpersonal-effectiveness.html")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Interpersonal effectiveness")
    for name in ("DEAR MAN", "GIVE", "FAST"):
        expect(main.get_by_role("link", name=name, exact=True)).to_be_visible()
    main.get_by_role("link", name="GIVE", exact=True).click()
    expect(page).to_have_url(re.compile(r"skills/give\.html$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("GIVE")


def test_card_shows_steps_cautions_related_and_worksheet_action(page):
    page.goto("skills/tipp.html")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Steps")).to_be_visible()
    steps = main.locator("section.section-steps ol > li")
    expect(steps).to_have_count(4)
    expect(steps.first).to_contain_text("Temperature:")
    expect(main.get_by_role("heading", name="Cautions")).to_be_visible()
    expect(main.get_by_text("heart condition", exact=False).first).to_be_visible()
    headings = main.get_by_role("heading", level=2).all_inner_texts()
    assert headings.index("Cautions") < headings.index("Steps"), f"cautions should come before the steps: {headings}"
    use = main.get_by_role("link", name="Use this in my worksheet")
    expect(use).to_have_attribute("href", "../worksheet.html#plan=tipp")
    main.get_by_role("region", name="Related skills").get_by_role("link", name="STOP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("STOP")


def test_check_the_facts_and_opposite_action_list_which_emotions_fit(page):
    page.goto("skills/check-the-facts.html")
    table = page.get_by_role("main").get_by_role("region", name="Which emotions fit which facts")
    expect(table.get_by_role("listitem")).to_have_count(9)
    expect(table.get_by_role("listitem").filter(has_text="Guilt")).to_contain_text("If it fits: Repair it.")
    page.goto("skills/opposite-action.html")
    table = page.get_by_role("main").get_by_role("region", name="Which emotions fit which facts")
    expect(table.get_by_role("listitem").filter(has_text="Shame")).to_contain_text("If it does not fit: Do not hide.")


def test_guide_works_without_the_engine_and_leads_with_crisis_help(page):
    page.goto("guide.html")
    first = page.get_by_role("main").get_by_role("listitem").first
    expect(first).to_contain_text("in danger")
    expect(first.get_by_role("link", name="TIPP")).to_be_visible()


def pdf_pages(pdf_bytes):
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf_bytes))


@pytest.mark.parametrize("path", SKILL_FILES, ids=lambda p: p.stem)
def test_card_prints_on_one_page(page, path):
    page.goto(f"skills/{path.stem}.html")
    page.emulate_media(media="print")
    for size in ("A4", "Letter"):
        pages = pdf_pages(page.pdf(format=size, margin={"top": "12mm", "bottom": "12mm", "left": "12mm", "right": "12mm"}))
        assert pages == 1, f"skills/{path.stem}.md prints on {pages} {size} pages; shorten it or tighten print styles"
