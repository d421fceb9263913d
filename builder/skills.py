"""Skill files: the schema, the loader and every check the build makes.

The schema is defined here once; the build, the tests and the engine's data all use it.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from coach import vocab

from .errors import Problem
from .markdown import blocks

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_IDS = {"index"}

# Front-matter fields: name -> (required, what to write). The README's table says the same in prose.
FIELDS = {
    "name": (True, "the skill's name, for example 'Check the facts'"),
    "module": (True, "one of: " + ", ".join(vocab.MODULES)),
    "summary": (True, "one sentence of 40 to 140 characters ending with a full stop"),
    "acronym": (False, "a list of '- LETTER: what it stands for'"),
    "intensity": (True, "[lowest, highest] distress where it works, each 0 to 10"),
    "minutes": (True, "[shortest, longest] minutes it takes"),
    "emotions": (True, "a list from: " + ", ".join(vocab.EMOTIONS)),
    "urges": (True, "a list from: " + ", ".join(vocab.URGES)),
    "situations": (True, "a list of everyday words people might type"),
    "tags": (True, "a list from: " + ", ".join(vocab.TAGS)),
    "related": (True, "a list of ids of other skills (file names without .md)"),
    "handout": (False, "where to find it in Linehan's handouts, for example 'Distress Tolerance Handout 6'"),
}

# Body sections in order: title -> required. Cautions come before the steps, so a person reads
# them before trying anything.
SECTIONS = {
    "When to use it": True,
    "Cautions": False,
    "Steps": True,
    "Ideas to pick from": False,
    "Example": True,
    "Practice": True,
}

# Words in a card's steps, ideas or practice that mean the body is involved, each with what the card's
# cautions must then name. Defined once here; the build and the tests both use it.
# trigger -> (pattern, [(word the cautions must contain, what to name)])
CAUTION_TRIGGERS = {
    "cold water": (
        r"\bcold (?:water|pack|shower)|\bice\b|\bicy\b|\bface in (?:a bowl|the water)",
        [("heart", "heart conditions")],
    ),
    "exercise": (
        r"\bexercis\w*|\bworkouts?\b|\bgym\b|\bjog\w*|\bsprint\w*|\bstar jumps\b|\bpush-?ups\b|\brun(?:ning)? (?:on the spot|hard|fast)|\bmove hard\b",
        [("heart", "heart conditions"), ("eating disorder", "eating disorders")],
    ),
    "fasting": (
        r"\bfasting\b|\bfasted\b|\bskip(?:ping)? meals?\b|\bnot eating\b",
        [("eating disorder", "eating disorders")],
    ),
    "food": (
        r"\bfoods?\b|\beat(?:s|ing)?\b|\bmeals?\b|\bsnacks?\b|\bdiet(?:s|ing)?\b",
        [("eating disorder", "eating disorders")],
    ),
}
CAUTION_PATTERNS = {name: re.compile(pattern, re.IGNORECASE) for name, (pattern, _) in CAUTION_TRIGGERS.items()}
# Sections whose words are things to do (steps, ideas, practice), so they are read for the triggers above.
ACTION_SECTIONS = ("Steps", "Ideas to pick from", "Practice")

SUMMARY_LENGTH = (40, 140)
STEP_COUNT = (2, 9)
STEP_MAX_CHARS = 200
IDEA_MAX_CHARS = 200
ENDS_SENTENCE = (".", "?", "!", '."', '?"', '!"', ".)", ".”", "?”", "!”")


@dataclass
class Skill:
    id: str
    path: str
    name: str = ""
    module: str = ""
    summary: str = ""
    acronym: list = field(default_factory=list)  # [(letter, stands_for)]
    intensity: tuple = (0, 10)
    minutes: tuple = (1, 10)
    emotions: list = field(default_factory=list)
    urges: list = field(default_factory=list)
    situations: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    related: list = field(default_factory=list)
    handout: str = ""
    sections: dict = field(default_factory=dict)  # title -> raw text
    lines: dict = field(default_factory=dict)  # field or section title -> line number
    section_lines: dict = field(default_factory=dict)  # section title -> [(line number, raw line)]

    @property
    def steps(self):
        return _list_items(self.sections.get("Steps", ""), "ol")

    @property
    def cautions(self):
        return _list_items(self.sections.get("Cautions", ""), "ul")

    @property
    def ideas(self):
        return _list_items(self.sections.get("Ideas to pick from", ""), "ul")

    @property
    def crisis_survival(self):
        return "crisis-survival" in self.tags

    def text(self):
        """All of the card's prose, for readability checks and search."""
        parts = [self.summary]
        for title in SECTIONS:
            for kind, body in blocks(self.sections.get(title, "")):
                parts.extend([body] if kind == "p" else body)
        return "\n".join(parts)


def _list_items(text, kind):
    for k, body in blocks(text):
        if k == kind:
            return body
    return []


def load_skills(skills_dir, root=None):
    """Load and check every skill file. Returns (skills, problems)."""
    skills_dir = Path(skills_dir)
    root = Path(root) if root else skills_dir.parent
    skills, problems = [], []
    for path in sorted(skills_dir.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        skill, found = parse_skill(path, _rel(path, root))
        problems.extend(found)
        if skill:
            skills.append(skill)
    problems.extend(cross_check(skills, _rel(skills_dir, root)))
    return skills, problems


def _rel(path, root):
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def parse_skill(path, shown):
    """Parse one file. Returns (Skill or None, problems)."""
    problems = []

    def bad(line, message):
        problems.append(Problem(shown, line, message))

    skill_id = path.stem
    if not ID_PATTERN.match(skill_id) or skill_id in RESERVED_IDS:
        bad(None, f"file name '{path.name}' is not a valid id: use lowercase words joined by hyphens, such as 'check-the-facts.md' (not 'index')")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        bad(None, "file is not UTF-8 text: save it as UTF-8")
        return None, problems
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        bad(1, "file must start with a '---' line, then the front matter, then another '---' line")
        return None, problems
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        bad(1, "front matter is not closed: add a '---' line after the last field")
        return None, problems

    front_text = "\n".join(lines[1:end])
    try:
        node = yaml.compose(front_text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(front_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        bad(line, f"front matter is not valid YAML ({reason}): check quotes and colons; wrap text containing ': ' in quotes")
        return None, problems
    if not isinstance(data, dict):
        bad(2, "front matter must be 'field: value' lines")
        return None, problems

    skill = Skill(id=skill_id, path=shown)
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key_lines[str(key_node.value)] = key_node.start_mark.line + 2
    skill.lines.update(key_lines)

    def line_of(name):
        return key_lines.get(name, 1)

    for key in data:
        if key not in FIELDS:
            close = [f for f in FIELDS if f.startswith(str(key)[:3])]
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            bad(line_of(key), f"unknown field '{key}'{hint}: allowed fields are {', '.join(FIELDS)}")
    for name, (required, help_text) in FIELDS.items():
        if required and name not in data:
            bad(1, f"{name}: missing; add '{name}:' with {help_text}")

    _check_fields(skill, data, line_of, bad)
    _parse_sections(skill, lines, end, bad)
    _check_sections(skill, bad)
    return skill, problems


def _str(value):
    return isinstance(value, str) and value.strip() != ""


def _has_emoji(text):
    return any(unicodedata.category(ch) == "So" or ord(ch) > 0x1F000 for ch in text)


def _check_fields(skill, data, line_of, bad):
    name = data.get("name")
    if "name" in data:
        if not _str(name):
            bad(line_of("name"), "name: must be text, for example 'Check the facts'")
        elif _has_emoji(name):
            bad(line_of("name"), "name: remove the emoji; names are plain words")
        elif len(name) > 60:
            bad(line_of("name"), "name: keep it under 60 characters")
        else:
            skill.name = name.strip()

    module = data.get("module")
    if "module" in data:
        if module not in vocab.MODULES:
            bad(line_of("module"), f"module: '{module}' is not a module; must be one of: {', '.join(vocab.MODULES)}")
        else:
            skill.module = module

    summary = data.get("summary")
    if "summary" in data:
        lo, hi = SUMMARY_LENGTH
        if not _str(summary):
            bad(line_of("summary"), "summary: must be one sentence of text")
        else:
            summary = " ".join(summary.split())
            skill.summary = summary
            if not lo <= len(summary) <= hi:
                bad(line_of("summary"), f"summary: is {len(summary)} characters; make it {lo} to {hi}")
            if not summary.endswith("."):
                bad(line_of("summary"), "summary: should end with a full stop")

    for key, bounds in (("intensity", (vocab.INTENSITY_MIN, vocab.INTENSITY_MAX)), ("minutes", (1, 120))):
        if key not in data:
            continue
        value = data[key]
        ok = (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            and bounds[0] <= value[0] <= value[1] <= bounds[1]
        )
        if not ok:
            bad(line_of(key), f"{key}: must be [lowest, highest], whole numbers from {bounds[0]} to {bounds[1]}, lowest first; got {value!r}")
        else:
            setattr(skill, key, tuple(value))

    choices = {"emotions": vocab.EMOTIONS, "urges": tuple(vocab.URGES), "tags": tuple(vocab.TAGS)}
    for key in ("emotions", "urges", "situations", "tags", "related"):
        if key not in data:
            continue
        value = data[key]
        if value is None:
            value = []
        if not isinstance(value, list) or not all(_str(v) for v in value):
            bad(line_of(key), f"{key}: must be a list like [a, b]; use [] for none")
            continue
        value = [v.strip() for v in value]
        if key in choices:
            for v in value:
                if v not in choices[key]:
                    bad(line_of(key), f"{key}: '{v}' is not allowed; choose from: {', '.join(choices[key])}")
        if len(set(value)) != len(value):
            bad(line_of(key), f"{key}: lists an item twice")
        setattr(skill, key, value)
    if "tags" in data and not skill.tags:
        bad(line_of("tags"), "tags: give at least one tag so the engine can suggest this skill")

    if "acronym" in data:
        value = data["acronym"]
        pairs = []
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and len(item) == 1:
                    (letter, meaning), = item.items()
                    if isinstance(letter, str) and letter.isalpha() and letter.isupper() and _str(meaning):
                        pairs.append((letter, meaning.strip()))
                        continue
                pairs = None
                break
        if not pairs:
            bad(line_of("acronym"), "acronym: must be a list of '- LETTER: what it stands for', capital letters")
        else:
            skill.acronym = pairs
            word = "".join(letter for letter, _ in pairs)
            if skill.name and word not in skill.name.replace(" ", ""):
                bad(line_of("acronym"), f"acronym: the letters spell '{word}', which is not in the name '{skill.name}'")

    if "handout" in data:
        if not _str(data["handout"]):
            bad(line_of("handout"), "handout: must be text such as 'Distress Tolerance Handout 6', or remove the field")
        else:
            skill.handout = data["handout"].strip()


def _parse_sections(skill, lines, front_end, bad):
    current, buf = None, []
    for number, line in enumerate(lines[front_end + 1 :], start=front_end + 2):
        if line.startswith("## "):
            if current:
                skill.sections[current] = "\n".join(buf).strip()
            current, buf = line[3:].strip(), []
            if current not in SECTIONS:
                bad(number, f"section '## {current}' is not known; sections are: {', '.join(SECTIONS)}")
                current = None
            elif current in skill.sections:
                bad(number, f"section '## {current}' appears twice")
            else:
                skill.lines[current] = number
                skill.section_lines[current] = []
        elif line.startswith("#"):
            bad(number, "only '## ' section headings are used; remove this heading or make it '## Title'")
        elif current:
            buf.append(line)
            skill.section_lines[current].append((number, line))
        elif line.strip():
            bad(number, "text before the first '## ' section: move it into '## When to use it'")
    if current:
        skill.sections[current] = "\n".join(buf).strip()


def _check_sections(skill, bad):
    order = [t for t in SECTIONS if t in skill.sections]
    for i, title in enumerate(order):
        # The first section written after one that belongs below it: say which one to move it above.
        below = [t for t in order[i + 1 :] if skill.lines[t] < skill.lines[title]]
        if below:
            first = min(below, key=lambda t: skill.lines[t])
            bad(skill.lines[title], f"section '## {title}' is out of order: move it above '## {first}'; "
                                    f"sections go in this order: {', '.join(SECTIONS)}")
            break
    for title, required in SECTIONS.items():
        if title not in skill.sections:
            if required:
                bad(None, f"section '## {title}': missing; add it after the front matter")
            continue
        text = skill.sections[title]
        line = skill.lines[title]
        if not text:
            bad(line, f"section '## {title}': is empty; write it or remove the heading")
            continue
        if re.search(r"<[a-zA-Z/!]|\]\(|!\[", text):
            bad(line, f"section '## {title}': contains HTML, a link or an image; use plain words only")
        for kind, body in blocks(text):
            for piece in [body] if kind == "p" else body:
                if not piece.rstrip().endswith(ENDS_SENTENCE):
                    bad(line, f"section '## {title}': '{_clip(piece)}' should end with a full stop, question mark or exclamation mark")

    steps = skill.steps
    if "Steps" in skill.sections:
        line = skill.lines["Steps"]
        lo, hi = STEP_COUNT
        if not lo <= len(steps) <= hi:
            bad(line, f"section '## Steps': has {len(steps)} numbered steps; write {lo} to {hi}, each starting '1. ', '2. '")
        for step in steps:
            if len(step) > STEP_MAX_CHARS:
                bad(line, f"section '## Steps': step '{_clip(step)}' is {len(step)} characters; keep each step under {STEP_MAX_CHARS}")
        if skill.acronym:
            if len(steps) != len(skill.acronym):
                bad(line, f"section '## Steps': the acronym has {len(skill.acronym)} letters but there are {len(steps)} steps; write one step per letter")
            else:
                for (letter, meaning), step in zip(skill.acronym, steps):
                    if not step.lower().startswith(meaning.lower() + ":"):
                        bad(line, f"section '## Steps': the step for '{letter}' should start with '{meaning}:'")
    if "Ideas to pick from" in skill.sections:
        line = skill.lines["Ideas to pick from"]
        if not skill.ideas:
            bad(line, "section '## Ideas to pick from': write the ideas as a bulleted list, each line starting '- '")
        for idea in skill.ideas:
            if len(idea) > IDEA_MAX_CHARS:
                bad(line, f"section '## Ideas to pick from': idea '{_clip(idea)}' is {len(idea)} characters; keep each under {IDEA_MAX_CHARS}")
    if "Cautions" in skill.sections and not skill.cautions:
        bad(skill.lines["Cautions"], "section '## Cautions': write the cautions as a bulleted list, each line starting '- '")
    _check_body_cautions(skill, bad)


def body_triggers(skill):
    """[(trigger, line number, section title)] for each caution trigger in the card's steps, ideas or practice."""
    found = []
    for title in ACTION_SECTIONS:
        for name, pattern in CAUTION_PATTERNS.items():
            lines = skill.section_lines.get(title, ())
            hit = next((n for n, line in lines if pattern.search(line)), None)
            if hit is None and pattern.search(" ".join(line.strip() for _, line in lines)):
                hit = skill.lines[title]  # the words are split across two lines
            if hit is not None:
                found.append((name, hit, title))
    return found


def _check_body_cautions(skill, bad):
    """A card whose steps, ideas or practice involve cold water, exercise, fasting or food has cautions naming who must take care."""
    cautions = " ".join(skill.cautions).lower()
    for name, number, title in body_triggers(skill):
        if not cautions:
            bad(number, f"section '## {title}': mentions {name}, so the card needs cautions: add a '## Cautions' "
                        f"list before '## Steps' that names {_names(name)}")
            continue
        missing = [what for word, what in CAUTION_TRIGGERS[name][1] if word not in cautions]
        if missing:
            bad(number, f"section '## {title}': mentions {name}, but the cautions do not name {' or '.join(missing)}: "
                        f"add a line under '## Cautions' saying what people with {' or '.join(missing)} should do")


def _names(trigger):
    return " and ".join(what for _, what in CAUTION_TRIGGERS[trigger][1])


def _clip(text, n=40):
    return text if len(text) <= n else text[: n - 1] + "…"


def cross_check(skills, folder):
    """Checks across files: unique names, related ids exist, every module has cards."""
    problems = []
    ids = {s.id for s in skills}
    names = {}
    for s in skills:
        for rel in s.related:
            if rel not in ids:
                problems.append(Problem(s.path, s.lines.get("related"), f"related: '{rel}' is not a skill; use the file name of another skill without .md"))
            elif rel == s.id:
                problems.append(Problem(s.path, s.lines.get("related"), "related: a skill cannot be related to itself"))
        if s.name:
            key = s.name.lower()
            if key in names:
                problems.append(Problem(s.path, s.lines.get("name"), f"name: '{s.name}' is already used by {names[key]}; names must be unique"))
            else:
                names[key] = s.path
    if skills:
        present = {s.module for s in skills}
        for module in vocab.MODULES:
            if module not in present:
                problems.append(Problem(folder, None, f"module '{module}' has no skill cards; add at least one file with 'module: {module}'"))
    return problems


def engine_data(skills):
    """What the suggestion engine needs of each skill, in a stable order."""
    return [
        {
            "id": s.id,
            "name": s.name,
            "module": s.module,
            "summary": s.summary,
            "intensity": list(s.intensity),
            "minutes": list(s.minutes),
            "emotions": s.emotions,
            "urges": s.urges,
            "situations": s.situations,
            "tags": s.tags,
            "related": s.related,
            "first_step": s.steps[0] if s.steps else "",
        }
        for s in sorted(skills, key=lambda s: s.id)
    ]
