"""Skill files: one test per card with messages for the person editing it, plus checks across cards."""

import re

import pytest
import textstat
from conftest import FIXTURES, ROOT

from builder.skills import load_skills, parse_skill
from coach import vocab

SKILL_FILES = sorted(p for p in (ROOT / "skills").glob("*.md") if p.name != "README.md")
MAX_GRADE = 8.0

# The standard curriculum the app promises (issue 3). Adding cards is fine; removing one fails here.
CURRICULUM = {
    "mindfulness": ["wise-mind", "observe", "describe", "participate", "non-judgmentally", "one-mindfully",
                    "effectively", "loving-kindness", "doing-and-being"],
    "distress-tolerance": ["stop", "pros-and-cons", "tipp", "paced-breathing", "paired-muscle-relaxation", "accepts",
                           "self-soothe", "improve", "radical-acceptance", "turning-the-mind", "willingness",
                           "half-smiling-and-willing-hands", "mindfulness-of-current-thoughts",
                           "dialectical-abstinence", "clear-mind", "community-reinforcement", "burning-bridges",
                           "alternate-rebellion", "adaptive-denial"],
    "emotion-regulation": ["naming-emotions", "what-emotions-do", "check-the-facts", "opposite-action",
                           "problem-solving", "accumulate-positives-short-term", "accumulate-positives-long-term",
                           "build-mastery", "cope-ahead", "please", "mindfulness-of-current-emotion",
                           "managing-extreme-emotions"],
    "interpersonal-effectiveness": ["clarifying-priorities", "dear-man", "give", "fast", "how-strongly-to-ask",
                                    "finding-friends", "mindfulness-of-others", "ending-relationships"],
    "middle-path": ["dialectics", "validating-others", "self-validation", "reinforcement"],
    "understanding-behaviour": ["chain-analysis", "missing-links-analysis"],
}


def rel(path):
    return path.relative_to(ROOT).as_posix()


@pytest.fixture(scope="module")
def skills():
    loaded, problems = load_skills(ROOT / "skills")
    assert not problems, "\n".join(map(str, problems))
    return {s.id: s for s in loaded}


@pytest.mark.parametrize("path", SKILL_FILES, ids=lambda p: p.stem)
def test_card_follows_the_format(path):
    skill, problems = parse_skill(path, rel(path))
    assert skill is not None and not problems, "fix these, as skills/README.md describes:\n" + "\n".join(map(str, problems))


@pytest.mark.parametrize("path", SKILL_FILES, ids=lambda p: p.stem)
def test_card_reads_at_grade_8_or_below(path):
    skill, _ = parse_skill(path, rel(path))
    grade = textstat.flesch_kincaid_grade(skill.text())
    assert grade <= MAX_GRADE, (
        f"{rel(path)}: reading grade is {grade:.1f}; use shorter sentences and everyday words to reach {MAX_GRADE} or below"
    )


@pytest.mark.parametrize("path", SKILL_FILES, ids=lambda p: p.stem)
def test_card_steps_are_short_actions(path):
    skill, _ = parse_skill(path, rel(path))
    for step in skill.steps:
        assert step[0].isupper(), f"{rel(path)}: step '{step[:30]}' should start with a capital letter"


@pytest.mark.parametrize("path", SKILL_FILES, ids=lambda p: p.stem)
def test_body_skills_carry_cautions(path):
    skill, _ = parse_skill(path, rel(path))
    text = skill.text().lower()
    if re.search(r"\b(cold water|ice|intense exercise)\b", text):
        assert skill.cautions, f"{rel(path)}: mentions cold water or hard exercise, so add a '## Cautions' section"


def test_at_least_fifty_cards(skills):
    assert len(skills) >= 50


def test_whole_curriculum_is_covered(skills):
    for module, ids in CURRICULUM.items():
        for skill_id in ids:
            assert skill_id in skills, f"skills/{skill_id}.md is missing ({vocab.MODULES[module]})"
            assert skills[skill_id].module == module, f"skills/{skill_id}.md: module should be {module}"


def test_crisis_survival_skills_work_at_top_intensity(skills):
    crisis = [s for s in skills.values() if s.crisis_survival]
    assert {s.id for s in crisis} >= {"stop", "tipp", "accepts", "self-soothe", "improve", "pros-and-cons"}
    for s in crisis:
        assert s.intensity[1] == 10, f"skills/{s.id}.md: crisis-survival skills must reach intensity 10"


def test_related_links_go_both_ways_or_at_least_resolve(skills):
    for s in skills.values():
        for r in s.related:
            assert r in skills, f"skills/{s.id}.md: related '{r}' does not exist"


def test_names_are_unique(skills):
    names = [s.name.lower() for s in skills.values()]
    assert len(names) == len(set(names))


# Broken fixtures: each file shows one mistake an editor might make, and the message that must name it.
BROKEN = [
    ("bad-module.md", "bad-module.md:3: module: 'feelings' is not a module; must be one of: mindfulness"),
    ("no-steps.md", "no-steps.md: section '## Steps': missing; add it after the front matter"),
    ("acronym-mismatch.md", "acronym-mismatch.md:21: section '## Steps': the step for 'B' should start with 'Breathe:'"),
    ("unknown-field.md", "unknown-field.md:4: unknown field 'sumary' (did you mean 'summary'?)"),
    ("bad-intensity.md", "bad-intensity.md:5: intensity: must be [lowest, highest], whole numbers from 0 to 10"),
    ("no-full-stop.md", "no-full-stop.md:4: summary: should end with a full stop"),
    ("emoji-name.md", "emoji-name.md:2: name: remove the emoji"),
    ("bad-yaml.md", "bad-yaml.md:4: front matter is not valid YAML"),
    ("Not_An_Id.md", "Not_An_Id.md: file name 'Not_An_Id.md' is not a valid id"),
    ("unknown-tag.md", "unknown-tag.md:10: tags: 'calming' is not allowed; choose from: crisis-survival"),
]


@pytest.mark.parametrize("name, expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_is_reported_with_file_line_and_fix(name, expected):
    path = FIXTURES / "broken-skills" / name
    _, problems = parse_skill(path, path.name)
    messages = [str(p) for p in problems]
    assert any(m.startswith(expected) for m in messages), f"expected a message starting {expected!r}, got {messages}"


def test_related_id_that_does_not_exist_is_reported(tmp_path):
    src = (FIXTURES / "skills-mini" / "cool-down.md").read_text()
    for f in (FIXTURES / "skills-mini").glob("*.md"):
        (tmp_path / f.name).write_text(f.read_text())
    (tmp_path / "cool-down.md").write_text(src.replace("related: [test-the-story]", "related: [no-such-skill]"))
    _, problems = load_skills(tmp_path)
    assert [str(p) for p in problems] == [
        f"{tmp_path.name}/cool-down.md:11: related: 'no-such-skill' is not a skill; use the file name of another skill without .md"
    ]
