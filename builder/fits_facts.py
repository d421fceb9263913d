"""The "which emotions fit which facts" table: one data file, checked here, shown on the cards it names.

skills/fits-the-facts.yaml holds, for each emotion, the facts it fits, what to do when it fits
(problem solving, or repair for shame and guilt) and the opposite action when it does not fit.
The file is optional for a skills folder (the test fixtures have their own); when present, every
problem is reported as file:line like the cards.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from coach import vocab

from .errors import Problem

FILE_NAME = "fits-the-facts.yaml"
TITLE = "Which emotions fit which facts"

# Each emotion's fields: name -> (required, what to write). Every text ends with a full stop.
EMOTION_FIELDS = {
    "emotion": (True, "an emotion from: " + ", ".join(vocab.EMOTIONS)),
    "fits": (True, "the facts it fits, finishing the sentence 'It fits when ...', for example 'something could really harm you.'"),
    "if_it_fits": (True, "what to do when it fits, for example 'Get safe.' (for shame and guilt: repair)"),
    "if_it_does_not_fit": (True, "the opposite action when it does not fit, for example 'Go toward what scares you, step by step.'"),
}
TOP_FIELDS = ("shown_on", "emotions")
# The fields a card may show, in the order they are shown.
SHOWN_FIELDS = ("fits", "if_it_fits", "if_it_does_not_fit")
TEXT_MAX_CHARS = 160
# Shame and guilt carry DBT's two special answers: repair when they fit; when they do not,
# do not hide and do not over-apologise. (emotion, field) -> [(stem that must appear, the word to use)].
MUST_SAY = {
    ("shame", "if_it_fits"): [("repair", "repair")],
    ("guilt", "if_it_fits"): [("repair", "repair")],
    ("shame", "if_it_does_not_fit"): [("hid", "hide"), ("apologi", "apologise")],
    ("guilt", "if_it_does_not_fit"): [("hid", "hide"), ("apologi", "apologise")],
}


@dataclass
class FitsFacts:
    path: str
    shown_on: dict = field(default_factory=dict)  # skill id -> fields it shows
    emotions: list = field(default_factory=list)  # [{"emotion", "fits", "if_it_fits", "if_it_does_not_fit"}]

    def rows(self, skill_id):
        """What one card shows: a row per emotion, its name for display, and that card's fields ("" for the rest)."""
        fields = self.shown_on.get(skill_id, ())
        if not fields:
            return []
        return [{"name": row["emotion"].capitalize(), **{f: row[f] if f in fields else "" for f in SHOWN_FIELDS}}
                for row in self.emotions]


def load_fits_facts(skills_dir, skill_ids, root=None):
    """Load and check skills_dir/fits-the-facts.yaml. Returns (FitsFacts or None, problems)."""
    path = Path(skills_dir) / FILE_NAME
    if not path.exists():
        return None, []
    root = Path(root) if root else Path(skills_dir).parent
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = path.as_posix()
    problems = []

    def bad(line, message):
        problems.append(Problem(shown, line, message))

    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        bad(mark.line + 1 if mark else 1, f"not valid YAML ({reason}): check quotes and colons; wrap text containing ': ' in quotes")
        return None, problems
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        bad(1, f"must hold '{TOP_FIELDS[0]}:' and '{TOP_FIELDS[1]}:'")
        return None, problems
    top_lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    for key in data:
        if key not in TOP_FIELDS:
            bad(top_lines.get(str(key), 1), f"unknown field '{key}': allowed fields are {', '.join(TOP_FIELDS)}")

    table = FitsFacts(path=shown)
    shown_on = data.get("shown_on")
    shown_node = dict((str(k.value), v) for k, v in node.value).get("shown_on")
    card_lines = ({str(k.value): k.start_mark.line + 1 for k, _ in shown_node.value}
                  if isinstance(shown_node, yaml.MappingNode) else {})
    shown_line = top_lines.get("shown_on", 1)
    if not isinstance(shown_on, dict) or not shown_on:
        bad(shown_line, "shown_on: must map each card to the fields it shows, for example 'check-the-facts: [fits, if_it_fits]'")
    else:
        for skill_id, fields in shown_on.items():
            where = card_lines.get(str(skill_id), shown_line)
            if skill_id not in skill_ids:
                bad(where, f"shown_on: '{skill_id}' is not a skill; use the file name of a skill without .md")
            elif not isinstance(fields, list) or not fields or any(f not in SHOWN_FIELDS for f in fields):
                bad(where, f"shown_on: {skill_id}: list the fields to show, from: {', '.join(SHOWN_FIELDS)}")
            else:
                table.shown_on[skill_id] = [f for f in SHOWN_FIELDS if f in fields]

    items = data.get("emotions")
    item_nodes = dict((str(k.value), v) for k, v in node.value).get("emotions")
    if not isinstance(items, list) or not items or not isinstance(item_nodes, yaml.SequenceNode):
        bad(top_lines.get("emotions", 1), "emotions: must be a list, one '- emotion: ...' entry per emotion")
        return table, problems
    seen = set()
    for item, item_node in zip(items, item_nodes.value):
        line = item_node.start_mark.line + 1
        if not isinstance(item, dict):
            bad(line, "emotions: each entry must be 'emotion:', 'fits:', 'if_it_fits:' and 'if_it_does_not_fit:' lines")
            continue
        lines = {str(k.value): k.start_mark.line + 1 for k, _ in item_node.value} if isinstance(item_node, yaml.MappingNode) else {}
        name = item.get("emotion")
        for key in item:
            if key not in EMOTION_FIELDS:
                bad(lines.get(str(key), line), f"unknown field '{key}': allowed fields are {', '.join(EMOTION_FIELDS)}")
        ok = True
        for key, (required, help_text) in EMOTION_FIELDS.items():
            value = item.get(key)
            where = lines.get(key, line)
            if not isinstance(value, str) or not value.strip():
                bad(where, f"{name or 'an emotion'}: {key}: missing; write {help_text}")
                ok = False
                continue
            value = " ".join(value.split())
            item[key] = value
            if key == "emotion":
                if value not in vocab.EMOTIONS:
                    bad(where, f"emotion: '{value}' is not one of: {', '.join(vocab.EMOTIONS)}")
                    ok = False
                elif value in seen:
                    bad(where, f"emotion: '{value}' is listed twice; keep one entry per emotion")
                    ok = False
                seen.add(value)
                continue
            if not value.endswith("."):
                bad(where, f"{name}: {key}: should end with a full stop")
            if len(value) > TEXT_MAX_CHARS:
                bad(where, f"{name}: {key}: is {len(value)} characters; keep it under {TEXT_MAX_CHARS}")
            for stem, word in MUST_SAY.get((name, key), ()):
                if stem not in value.lower():
                    bad(where, f"{name}: {key}: should use the word '{word}' ({_why(name, key)})")
        if ok:
            table.emotions.append({k: item[k] for k in EMOTION_FIELDS})
    return table, problems


def _why(name, key):
    if key == "if_it_fits":
        return f"when {name} fits, the answer is to repair"
    return f"when {name} does not fit, the opposite action is not to hide and not to over-apologise"
