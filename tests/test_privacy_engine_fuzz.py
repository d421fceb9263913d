"""The engine's public handler against hostile input (Hypothesis).

coach.handle(json_text, skills) is what the browser worker calls with whatever the page sends. Whatever
arrives, it must answer with JSON of the documented shape and never raise; an error must be a short,
plain message that names the field; and text the person typed may come back only clipped, and never
with the controls that could disguise the message around it (right-to-left overrides, C0 controls).
"""

import json
import re
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import coach  # noqa: E402
from builder.skills import engine_data, load_skills  # noqa: E402
from coach import vocab  # noqa: E402
from support import hostile  # noqa: E402

SKILLS = engine_data(load_skills(ROOT / "tests" / "fixtures" / "skills-mini")[0])
IDS = sorted(s["id"] for s in SKILLS)
FIELDS = list(coach.REQUEST_SCHEMA["properties"])
MAX_ERROR = 400  # characters: a message names a field, it does not quote a document
ECHO_LIMIT = 60  # the longest run of typed text any message may repeat (labels are clipped to this)

# Directional formatting and C0 controls: in an echoed string they can make a message read as something else.
DISGUISE = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

text = st.one_of(
    st.sampled_from(hostile.SHORT),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80),
    st.text(st.sampled_from("<>\"'&\\/\u202e\u2066\u200b\u0000\n{}$`;:="), max_size=40),
)
keys = st.one_of(text, st.sampled_from(FIELDS + ["__proto__", "constructor", "prototype", "name", "kind", "label"]))
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False), text),
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=25,
)
# Requests that are valid in shape but carry hostile words wherever the person may type.
valid_with_hostile_text = st.fixed_dictionaries(
    {},
    optional={
        "call_kind": st.sampled_from(list(vocab.CALL_KINDS)),
        "emotions": st.lists(st.fixed_dictionaries({"name": text.map(lambda t: t[:60]).filter(str.strip),
                                                    "intensity": st.integers(0, 10)}), max_size=4),
        "urges": st.lists(st.fixed_dictionaries({"kind": st.sampled_from(list(vocab.URGES)), "strength": st.integers(0, 10)},
                                                optional={"label": text.map(lambda t: t[:200])}), max_size=4),
        "situation": text,
        "tried": st.lists(st.fixed_dictionaries({"skill": st.one_of(st.sampled_from(IDS), text.filter(bool).map(lambda t: t[:100]))}), max_size=4),
        "minutes": st.integers(1, 240),
    },
)


def typed_strings(value):
    """Every string (key or value) inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from typed_strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from typed_strings(item)


def output_strings(out):
    if "error" in out:
        return [out["error"]]
    return [*out["notes"], *(s[f] for s in out["suggestions"] for f in ("skill", "name", "reason", "first_step"))]


def check_reply(envelope, reply_text):
    out = json.loads(reply_text)  # always JSON
    assert isinstance(out, dict)
    if "error" in out:
        assert set(out) == {"error"} and isinstance(out["error"], str)
        message = out["error"]
        assert not message.startswith("engine failed"), message  # a crash, reported as data
        assert 0 < len(message) <= MAX_ERROR, message
        assert re.match(r"^[\w.\[\]]+: ", message), f"the message does not start with the field it names: {message!r}"
    else:
        assert set(out) == {"crisis_first", "suggestions", "notes"}
        assert isinstance(out["crisis_first"], bool)
        assert all(isinstance(n, str) for n in out["notes"])
        for s in out["suggestions"]:
            assert set(s) == {"skill", "name", "reason", "first_step"}
            assert s["skill"] in IDS
    for said in output_strings(out):
        assert not DISGUISE.search(said), f"a control or direction mark reached the reply: {said!r}"
        for typed in typed_strings(envelope):
            if len(typed) > ECHO_LIMIT and typed not in IDS:
                assert typed not in said, f"typed text repeated in full ({len(typed)} chars): {said[:120]!r}"
    return out


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values, json_values)
def test_any_json_gets_a_plain_reply(request, history):
    envelope = {"request": request, "history": history}
    check_reply(envelope, coach.handle(json.dumps(envelope), SKILLS))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, json_values, max_size=4))
def test_any_envelope_gets_a_plain_reply(envelope):
    check_reply(envelope, coach.handle(json.dumps(envelope), SKILLS))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_with_hostile_text)
def test_hostile_words_in_a_valid_request_come_back_only_as_plain_clipped_text(request):
    envelope = {"request": request, "history": None}
    out = check_reply(envelope, coach.handle(json.dumps(envelope), SKILLS))
    assert "error" not in out, out


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_plain_reply(raw):
    out = json.loads(coach.handle(raw, SKILLS))
    assert isinstance(out, dict) and ("error" in out) != ("suggestions" in out)
    if "error" in out:
        assert len(out["error"]) <= MAX_ERROR and not out["error"].startswith("engine failed")
        assert not DISGUISE.search(out["error"]), out["error"]


def test_deep_nesting_is_refused_not_crashed():
    for depth in (100, 1_000, 100_000):
        raw = '{"request": ' + "[" * depth + "]" * depth + "}"
        out = json.loads(coach.handle(raw, SKILLS))
        assert "error" in out and not out["error"].startswith("engine failed"), out


def test_huge_input_is_refused_quickly_and_not_echoed():
    situation = "x" * 5_000_000
    out = json.loads(coach.handle(json.dumps({"request": {"situation": situation}}), SKILLS))
    assert out["error"].startswith("situation:") and len(out["error"]) <= MAX_ERROR


def test_prototype_keys_are_just_unknown_fields():
    for key in ("__proto__", "constructor", "prototype"):
        out = json.loads(coach.handle(json.dumps({"request": {key: {"polluted": True}}}), SKILLS))
        assert out["error"].startswith("request:") and "is not a field here" in out["error"]
