"""JSON Schemas of the engine's request, history and response, and a small validator.

The schemas are plain Python dicts (JSON Schema draft 2020-12), so they load the same way
in CPython and in Pyodide without touching a file system. `python -m coach schema` prints
them as JSON.

The validator understands the subset of JSON Schema used here (type, enum, minimum,
maximum, minLength, maxLength, maxItems, properties, required, additionalProperties,
items) and words every error for a person: it names the field and says what is allowed,
for example "urges[0].strength: must be a whole number from 0 to 10".
"""

from . import vocab

MAX_SITUATION_CHARS = 2000
MAX_MINUTES = 240


class RequestError(ValueError):
    """An invalid request or history. str(error) names the field and what is allowed."""


def _scale(lo, hi, text):
    return {"type": "integer", "minimum": lo, "maximum": hi, "description": text}


_ANSWER = {"enum": list(vocab.ANSWERS)}

REQUEST_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Suggestion request",
    "description": "What the person entered on the worksheet. Every field is optional.",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "call_kind": {"enum": list(vocab.CALL_KINDS), "description": "Kind of coaching call."},
        "emotions": {
            "type": "array",
            "maxItems": 30,
            "description": "Emotions felt now and how strongly (0 none, 10 the most ever).",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "intensity"],
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 60, "description": "One of vocab.EMOTIONS or the person's own word."},
                    "intensity": _scale(0, 10, "0 to 10."),
                },
            },
        },
        "urges": {
            "type": "array",
            "maxItems": 30,
            "description": "Urges felt now and how strongly.",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["kind", "strength"],
                "properties": {
                    "kind": {"enum": list(vocab.URGES)},
                    "strength": _scale(0, 10, "0 to 10."),
                    "label": {"type": "string", "maxLength": 200, "description": "The person's own words, mostly for kind 'other'."},
                },
            },
        },
        "distress": _scale(0, 10, "Overall distress now, 0 to 10, if rated apart from single emotions."),
        "situation": {"type": "string", "maxLength": MAX_SITUATION_CHARS, "description": "What is happening, in the person's own words."},
        "can_change": dict(_ANSWER, description="Can the situation be changed?"),
        "fits_facts": dict(_ANSWER, description="Does the emotion fit the facts?"),
        "priority": {"enum": list(vocab.PRIORITIES), "description": "What matters most with the other person."},
        "tried": {
            "type": "array",
            "maxItems": 200,
            "description": "Skills already tried for this, and how it went.",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["skill"],
                "properties": {
                    "skill": {"type": "string", "minLength": 1, "maxLength": 100, "description": "A skill id; unknown ids are ignored."},
                    "result": {"enum": list(vocab.TRIED_RESULTS)},
                },
            },
        },
        "minutes": _scale(1, MAX_MINUTES, "Minutes available now."),
        "event_ahead": {"type": "boolean", "description": "A hard event is coming up."},
    },
}

HISTORY_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "History",
    "description": "Reflections from past entries, oldest first. Extra fields in an entry are ignored; unknown skill ids are ignored.",
    "type": ["array", "null"],
    "maxItems": 100000,
    "items": {
        "type": "object",
        "required": ["skill"],
        "properties": {
            "skill": {"type": "string", "maxLength": 100},
            "rating": {"type": ["integer", "null"], "minimum": 0, "maximum": 5, "description": "How much it helped, 0 to 5; null if not rated."},
        },
    },
}

ENVELOPE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Suggestion call",
    "description": "What coach.handle() and the browser worker take: a request and an optional history.",
    "type": "object",
    "additionalProperties": False,
    "required": ["request"],
    "properties": {"request": REQUEST_SCHEMA, "history": HISTORY_SCHEMA},
}

RESPONSE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Suggestion response",
    "description": "Either suggestions ranked best first, or {'error': message} from coach.handle().",
    "oneOf": [
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["crisis_first", "suggestions", "notes"],
            "properties": {
                "crisis_first": {"type": "boolean", "description": "Show crisis contacts and crisis-survival skills first."},
                "suggestions": {
                    "type": "array",
                    "maxItems": 5,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["skill", "name", "reason", "first_step"],
                        "properties": {
                            "skill": {"type": "string", "description": "Skill id."},
                            "name": {"type": "string"},
                            "reason": {"type": "string", "description": "Why, in plain words, referring to what the person entered."},
                            "first_step": {"type": "string"},
                        },
                    },
                },
                "notes": {"type": "array", "items": {"type": "string"}, "description": "Plain sentences to show above the suggestions."},
            },
        },
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["error"],
            "properties": {"error": {"type": "string", "description": "Names the field and what is allowed."}},
        },
    ],
}

_TYPE_WORDS = {
    "object": "an object of fields",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "null",
}


def _is_type(value, name):
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "integer":
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return True
        return isinstance(value, float) and value.is_integer()
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    return False


def _show(value):
    return f"'{value}'" if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)


def check(value, schema, path):
    """Raise RequestError naming `path` if value does not match schema (subset of JSON Schema)."""
    where = path or "request"
    if "enum" in schema:
        if not any(value == option and type(value) is type(option) for option in schema["enum"]):
            raise RequestError(f"{where}: must be one of: {', '.join(_show(o) for o in schema['enum'])}")
        return
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        kind = next((n for n in names if _is_type(value, n)), None)
        if kind is None:
            raise RequestError(f"{where}: {_describe(schema, names)}")
    else:
        kind = None
    if kind == "integer":
        lo, hi = schema.get("minimum"), schema.get("maximum")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise RequestError(f"{where}: {_describe(schema, names)}")
    elif kind == "string":
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", len(value)):
            raise RequestError(f"{where}: {_describe(schema, names)}")
    elif kind == "array":
        most = schema.get("maxItems")
        if most is not None and len(value) > most:
            raise RequestError(f"{where}: must be a list of at most {most} items")
        items = schema.get("items")
        if items:
            for i, item in enumerate(value):
                check(item, items, f"{path}[{i}]")
    elif kind == "object":
        props = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                raise RequestError(f"{_join(path, key)}: missing; {_describe(props.get(key, {}), None)}")
        if schema.get("additionalProperties", True) is False:
            for key in value:
                if key not in props:
                    raise RequestError(f"{where}: '{plain(key, 40)}' is not a field here; allowed fields are: {', '.join(props)}")
        for key, sub in props.items():
            if key in value:
                check(value[key], sub, _join(path, key))


# Characters that must never be echoed back: C0/C1 controls and the invisible marks that
# can reorder or hide text around them (bidi overrides and isolates, zero-width marks).
_HIDDEN = dict.fromkeys(
    [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x061C, 0x180E, *range(0x200B, 0x2010),
     *range(0x2028, 0x202F), *range(0x2060, 0x2070), 0xFEFF]
)


def plain(text, most):
    """Text the person typed, made safe to show inside a message: no controls, one line, clipped."""
    text = " ".join(str(text).translate(_HIDDEN).split())
    return text if len(text) <= most else text[: most - 1] + "…"


def _join(path, key):
    return f"{path}.{key}" if path else key


def _describe(schema, names):
    """What is allowed, as 'must be ...'."""
    if "enum" in schema:
        return "must be one of: " + ", ".join(_show(o) for o in schema["enum"])
    if names is None:
        t = schema.get("type", "object")
        names = t if isinstance(t, list) else [t]
    parts = []
    for name in names:
        if name == "integer" and ("minimum" in schema or "maximum" in schema):
            lo, hi = schema.get("minimum"), schema.get("maximum")
            if lo is not None and hi is not None:
                parts.append(f"a whole number from {lo} to {hi}")
            elif lo is not None:
                parts.append(f"a whole number of at least {lo}")
            else:
                parts.append(f"a whole number of at most {hi}")
        elif name == "string" and ("minLength" in schema or "maxLength" in schema):
            lo, hi = schema.get("minLength", 0), schema.get("maxLength")
            if hi is None:
                parts.append("text")
            elif lo:
                parts.append(f"text of {lo} to {hi} characters")
            else:
                parts.append(f"text of at most {hi} characters")
        else:
            parts.append(_TYPE_WORDS.get(name, name))
    return "must be " + " or ".join(parts)
