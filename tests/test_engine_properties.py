"""Property tests of the suggestion engine (Hypothesis): any valid request, any junk."""

import json
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import coach  # noqa: E402
from builder.skills import engine_data, load_skills  # noqa: E402
from coach import vocab  # noqa: E402
from coach.engine import _rank, _safe_tiers  # noqa: E402
from coach.schema import RESPONSE_SCHEMA, check  # noqa: E402

SKILLS = engine_data(load_skills(ROOT / "skills")[0])
BY_ID = {s["id"]: s for s in SKILLS}
IDS = sorted(BY_ID)
SAFETY = ("suicide", "self-harm")

scale = st.integers(0, 10)
words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
situation_words = st.sampled_from(
    ["can't sleep", "tomorrow", "interview", "hungover", "my boss", "panic", "argument", "alone", "sick", "I have to tell her", "relapse", "fluent", "I'll"]
)
emotion = st.fixed_dictionaries({"name": st.one_of(st.sampled_from(vocab.EMOTIONS), st.sampled_from(["angry", "gutted", "Sad"]), words.filter(str.strip).map(lambda w: w[:60])), "intensity": scale})
urge = st.fixed_dictionaries({"kind": st.sampled_from(list(vocab.URGES)), "strength": scale}, optional={"label": words})
tried = st.fixed_dictionaries({"skill": st.one_of(st.sampled_from(IDS), st.just("not-a-skill"))}, optional={"result": st.sampled_from(list(vocab.TRIED_RESULTS))})
situation = st.one_of(words, st.lists(st.one_of(situation_words, words), max_size=6).map(" ".join))

requests = st.fixed_dictionaries(
    {},
    optional={
        "call_kind": st.sampled_from(list(vocab.CALL_KINDS)),
        "emotions": st.lists(emotion, max_size=4),
        "urges": st.lists(urge, max_size=4),
        "situation": situation,
        "can_change": st.sampled_from(vocab.ANSWERS),
        "fits_facts": st.sampled_from(vocab.ANSWERS),
        "priority": st.sampled_from(list(vocab.PRIORITIES)),
        "tried": st.lists(tried, max_size=6),
        "minutes": st.integers(1, 240),
        "event_ahead": st.booleans(),
    },
)
histories = st.one_of(
    st.none(),
    st.lists(st.fixed_dictionaries({"skill": st.sampled_from(IDS), "rating": st.one_of(st.none(), st.integers(0, 5))}), max_size=20),
)
crisis_urge = st.fixed_dictionaries({"kind": st.sampled_from(SAFETY), "strength": st.integers(vocab.CRISIS_URGE_THRESHOLD, 10)})


def ids(response):
    return [s["skill"] for s in response["suggestions"]]


def is_survival(sid):
    return "crisis-survival" in BY_ID[sid]["tags"]


def survival_first(got):
    flags = [is_survival(s) for s in got]
    return flags[0] and flags == sorted(flags, reverse=True)


@settings(max_examples=300, deadline=None)
@given(requests, histories)
def test_every_valid_request_gets_suggestions(request, history):
    response = coach.suggest(request, SKILLS, history)
    check(response, RESPONSE_SCHEMA["oneOf"][0], "response")
    got = ids(response)
    assert 3 <= len(got) <= 5
    assert len(set(got)) == len(got)
    assert all(s in BY_ID for s in got)
    for s in response["suggestions"]:
        assert s["reason"].strip() and s["reason"].endswith(".") and "None" not in s["reason"]
        assert s["name"] == BY_ID[s["skill"]]["name"]
    assert coach.suggest(request, SKILLS, history) == response
    assert json.loads(coach.handle(json.dumps({"request": request, "history": history}), SKILLS)) == response


@settings(max_examples=200, deadline=None)
@given(requests, crisis_urge, histories)
def test_suicide_or_self_harm_urge_means_crisis_first(request, urge, history):
    request = dict(request, urges=[*request.get("urges", []), urge])
    response = coach.suggest(request, SKILLS, history)
    assert response["crisis_first"] is True
    assert survival_first(ids(response)), ids(response)


@settings(max_examples=200, deadline=None)
@given(requests, histories)
def test_crisis_first_always_leads_with_survival_skills(request, history):
    response = coach.suggest(request, SKILLS, history)
    if response["crisis_first"]:
        assert survival_first(ids(response))
    levels = [e["intensity"] for e in request.get("emotions", [])]
    if any(level >= vocab.EXTREME_INTENSITY for level in levels):
        assert response["crisis_first"]


@settings(max_examples=200, deadline=None)
@given(requests, histories)
def test_tried_skill_never_first_while_an_untried_one_of_its_kind_exists(request, history):
    response = coach.suggest(request, SKILLS, history)
    first = ids(response)[0]
    tried = {t["skill"] for t in request.get("tried", [])}
    if first in tried:
        rows, _ = _rank(request, SKILLS, history)
        row = next(r for r in rows if r["id"] == first)
        same_kind = [r for r in rows if r["tier"] == row["tier"] and not r["too_long"]]
        assert row["too_long"] or all(r["id"] in tried for r in same_kind), (first, [r["id"] for r in same_kind if r["id"] not in tried])
        assert response["suggestions"][0]["reason"].startswith("You tried")


@settings(max_examples=200, deadline=None)
@given(requests, histories, st.lists(st.sampled_from(IDS), min_size=1, max_size=5))
def test_history_never_lifts_a_skill_above_the_safety_ordering(request, history, favourites):
    liked = (history or []) + [{"skill": sid, "rating": 5} for sid in favourites for _ in range(3)]
    plain = coach.suggest(request, SKILLS, history)
    boosted = coach.suggest(request, SKILLS, liked)
    assert boosted["crisis_first"] == plain["crisis_first"]
    rows, signals = _rank(request, SKILLS, None)
    tier = {r["id"]: r["tier"] for r in rows}
    safe = _safe_tiers(signals)
    plain_tiers = [min(tier[s], safe) for s in ids(plain)]
    boosted_tiers = [min(tier[s], safe) for s in ids(boosted)]
    # Safety tiers stay in order, before everything else, and just as many are shown.
    assert boosted_tiers == sorted(boosted_tiers), ids(boosted)
    assert boosted_tiers.count(safe) == plain_tiers.count(safe) or len(boosted_tiers) != len(plain_tiers)
    if plain["crisis_first"]:
        assert survival_first(ids(boosted))


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), words),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.one_of(words, st.sampled_from(list(coach.REQUEST_SCHEMA["properties"]) + ["name", "intensity", "kind", "strength", "skill", "rating"])), inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values, json_values)
def test_arbitrary_json_never_crashes(request, history):
    try:
        response = coach.suggest(request, SKILLS, history)
    except coach.RequestError as exc:
        message = str(exc)
        assert ": " in message and message.split(":")[0], message
    else:
        assert len(response["suggestions"]) >= 3
    text = coach.handle(json.dumps({"request": request, "history": history}), SKILLS)
    out = json.loads(text)
    assert ("error" in out) != ("suggestions" in out)
    assert not out.get("error", "").startswith("engine failed"), out


FIELDS = list(coach.REQUEST_SCHEMA["properties"])


@settings(max_examples=300, deadline=None)
@given(requests, st.sampled_from(FIELDS), json_values)
def test_a_bad_field_is_named(request, field, value):
    request = dict(request, **{field: value})
    try:
        coach.suggest(request, SKILLS)
    except coach.RequestError as exc:
        assert str(exc).startswith(field), (field, str(exc))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_handle_survives_any_text(text):
    out = json.loads(coach.handle(text, SKILLS))
    assert isinstance(out, dict) and ("error" in out or "suggestions" in out)
    assert not out.get("error", "").startswith("engine failed"), out
