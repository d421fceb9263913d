"""The suggestion engine (coach/): worked scenarios, validation, CLI and the wrapper.

Scenarios run against the real skill cards but assert through tags (not exact ids) where
the cards may still change; exact orderings are checked on a small fixed catalogue.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import coach  # noqa: E402
from builder.skills import engine_data, load_skills  # noqa: E402
from coach import vocab  # noqa: E402
from coach.engine import _rank  # noqa: E402
from coach.schema import RESPONSE_SCHEMA, check  # noqa: E402


def real_skills():
    skills, _problems = load_skills(ROOT / "skills")
    return engine_data(skills)


SKILLS = real_skills()
BY_ID = {s["id"]: s for s in SKILLS}


def card(sid, tags, intensity=(0, 6), minutes=(2, 10), emotions=(), urges=(), situations=()):
    return {
        "id": sid,
        "name": sid.replace("-", " ").capitalize(),
        "module": "distress-tolerance",
        "summary": "A fixed test card used by the engine tests only.",
        "intensity": list(intensity),
        "minutes": list(minutes),
        "emotions": list(emotions),
        "urges": list(urges),
        "situations": list(situations),
        "tags": list(tags),
        "related": [],
        "first_step": f"First step of {sid}.",
    }


# A small fixed catalogue: one or two skills per tag, so exact orders are stable.
MINI = [
    card("stop", ["crisis-survival", "body-based"], (5, 10), (1, 2), urges=["self-harm", "lash-out"]),
    card("tipp", ["crisis-survival", "body-based"], (7, 10), (1, 20), emotions=["anger", "fear"]),
    card("paced-breathing", ["crisis-survival", "body-based"], (3, 10), (1, 10), emotions=["anxiety"]),
    card("accepts", ["crisis-survival"], (5, 10), (5, 60)),
    card("pros-and-cons", ["crisis-survival"], (4, 10), (5, 15), urges=["self-harm", "suicide", "substance-use"]),
    card("improve", ["crisis-survival"], (5, 10), (5, 30)),
    card("half-smiling", ["acceptance", "body-based"], (2, 8), (1, 5)),
    card("radical-acceptance", ["acceptance"], (2, 7), (5, 30)),
    card("willingness", ["acceptance"], (2, 7), (1, 10)),
    card("check-the-facts", ["check-facts"], (0, 6), (5, 20)),
    card("opposite-action", ["opposite-action"], (0, 7), (5, 30), emotions=["sadness", "shame"], urges=["isolate"]),
    card("problem-solving", ["problem-solving"], (0, 6), (10, 60)),
    card("dear-man", ["ask-or-refuse"], (0, 6), (5, 30)),
    card("give", ["keep-relationship"], (0, 6), (1, 30)),
    card("fast", ["self-respect"], (0, 6), (1, 30)),
    card("please", ["vulnerability"], (0, 5), (5, 30), situations=["cannot sleep"]),
    card("dialectical-abstinence", ["addiction"], (0, 7), (5, 30), urges=["substance-use"]),
    card("clear-mind", ["addiction"], (0, 6), (2, 15)),
    card("savour", ["positive", "mindfulness"], (0, 5), (1, 10), emotions=["joy"]),
    card("build-mastery", ["positive"], (0, 5), (10, 60)),
    card("cope-ahead", ["cope-ahead"], (0, 6), (5, 20)),
    card("wise-mind", ["mindfulness"], (0, 6), (2, 10)),
    card("naming-emotions", ["understanding"], (0, 6), (2, 15)),
    card("self-validation", ["validation"], (0, 7), (2, 15)),
    card("chain-analysis", ["reflection"], (0, 5), (10, 40)),
]
MINI_BY_ID = {s["id"]: s for s in MINI}


def ids(response):
    return [s["skill"] for s in response["suggestions"]]


def tags_of(sid, catalogue=None):
    return set((catalogue or BY_ID)[sid]["tags"])


def assert_valid_response(response, catalogue):
    check(response, RESPONSE_SCHEMA["oneOf"][0], "response")
    known = {s["id"] for s in catalogue}
    assert 3 <= len(response["suggestions"]) <= 5
    got = ids(response)
    assert len(set(got)) == len(got), got
    for s in response["suggestions"]:
        assert s["skill"] in known
        reason = s["reason"]
        assert reason and reason[0].isupper() and reason.endswith("."), reason
        assert "{" not in reason and "None" not in reason, reason


# ---------------------------------------------------------------------------
# Worked scenarios on the real cards: (name, request, history, checks)
# checks: crisis (bool), first (tag the first suggestion must carry), some (tags that
# must each appear in some suggestion), words (text one of the reasons must contain).

SCENARIOS = [
    # crisis calls
    ("crisis self-harm urge", {"call_kind": "crisis", "urges": [{"kind": "self-harm", "strength": 8}]}, None,
     dict(crisis=True, first="crisis-survival", words="urge to hurt yourself is 8 out of 10")),
    ("suicide urge at threshold, no call kind", {"urges": [{"kind": "suicide", "strength": vocab.CRISIS_URGE_THRESHOLD}]}, None,
     dict(crisis=True, first="crisis-survival", words="end your life")),
    ("extreme emotion", {"call_kind": "coaching", "emotions": [{"name": "shame", "intensity": 9}]}, None,
     dict(crisis=True, first="body-based", words="your shame is 9 out of 10")),
    ("crisis call with high distress", {"call_kind": "crisis", "emotions": [{"name": "fear", "intensity": 8}]}, None,
     dict(crisis=True, first="body-based", words="bring your body down")),
    ("crisis call without ratings", {"call_kind": "crisis"}, None,
     dict(crisis=True, first="crisis-survival", words="you called this a crisis")),
    ("crisis call low distress is not crisis-first", {"call_kind": "crisis", "emotions": [{"name": "sadness", "intensity": 3}]}, None,
     dict(crisis=False, first="crisis-survival", words="you called this a crisis")),
    ("crisis with urge to use", {"call_kind": "crisis", "urges": [{"kind": "suicide", "strength": 6}, {"kind": "substance-use", "strength": 9}]}, None,
     dict(crisis=True, first="crisis-survival")),
    ("crisis, tried TIPP", {"call_kind": "crisis", "emotions": [{"name": "anger", "intensity": 10}], "tried": [{"skill": "tipp", "result": "did-not-help"}]}, None,
     dict(crisis=True, first="body-based", absent_first="tipp")),
    # coaching: the change / accept / facts paths
    ("can change", {"call_kind": "coaching", "emotions": [{"name": "anxiety", "intensity": 5}], "can_change": "yes", "fits_facts": "yes"}, None,
     dict(crisis=False, first="problem-solving", words="can change")),
    ("cannot change", {"call_kind": "coaching", "emotions": [{"name": "sadness", "intensity": 6}], "can_change": "no"}, None,
     dict(crisis=False, first="acceptance", words="cannot change")),
    ("does not fit the facts", {"call_kind": "coaching", "emotions": [{"name": "guilt", "intensity": 6}], "fits_facts": "no"}, None,
     dict(crisis=False, first="check-facts", some=["opposite-action"], words="does not fit the facts")),
    ("not sure it fits", {"call_kind": "coaching", "fits_facts": "not-sure"}, None,
     dict(crisis=False, first="check-facts")),
    ("fits, change unknown", {"call_kind": "coaching", "fits_facts": "yes"}, None,
     dict(crisis=False, first="problem-solving")),
    ("above breakdown point: body first", {"call_kind": "coaching", "emotions": [{"name": "anger", "intensity": 8}], "fits_facts": "no"}, None,
     dict(crisis=False, first="body-based", some=["check-facts"], words="bring your body down")),
    ("vulnerability words", {"call_kind": "coaching", "situation": "I haven't slept in two days and keep snapping at people.", "emotions": [{"name": "anger", "intensity": 5}]}, None,
     dict(crisis=False, some=["vulnerability"], words="haven't slept")),
    ("hungover", {"situation": "Hungover and everything feels awful"}, None,
     dict(crisis=False, first="vulnerability")),
    ("urge to use", {"call_kind": "coaching", "urges": [{"kind": "substance-use", "strength": 6}]}, None,
     dict(crisis=False, first="addiction", words="drink or use")),
    ("urge to binge", {"urges": [{"kind": "binge-purge", "strength": 5}]}, None,
     dict(crisis=False, first="addiction", words="binge or purge")),
    ("event ahead flag", {"call_kind": "coaching", "event_ahead": True, "emotions": [{"name": "anxiety", "intensity": 6}]}, None,
     dict(crisis=False, first="cope-ahead", words="coming up")),
    ("event ahead words", {"situation": "I have a job interview tomorrow and I'm dreading it."}, None,
     dict(crisis=False, first="cope-ahead", words="interview")),
    ("have to tell", {"situation": "I have to tell my dad I dropped out", "priority": "self-respect"}, None,
     dict(crisis=False, some=["cope-ahead", "self-respect"])),
    ("low self-harm urge is not crisis-first but offers survival skills", {"urges": [{"kind": "self-harm", "strength": 3}]}, None,
     dict(crisis=False, first="crisis-survival", note="safety plan")),
    ("urge to isolate", {"urges": [{"kind": "isolate", "strength": 6}], "emotions": [{"name": "sadness", "intensity": 6}]}, None,
     dict(crisis=False, words="isolate")),
    ("other urge with a label", {"urges": [{"kind": "other", "strength": 6, "label": "to scream at the TV"}]}, None,
     dict(crisis=False, words='"scream at the TV"')),
    ("own emotion word", {"emotions": [{"name": "gutted", "intensity": 6}]}, None,
     dict(crisis=False)),
    ("synonym emotion word", {"emotions": [{"name": "Anxious", "intensity": 6}], "fits_facts": "no"}, None,
     dict(crisis=False, first="check-facts")),
    ("only minutes", {"minutes": 3}, None, dict(crisis=False, max_minutes=3)),
    ("empty request", {}, None, dict(crisis=False, words="not said much")),
    ("coaching only", {"call_kind": "coaching"}, None, dict(crisis=False, words="help choosing")),
    # relationship repair
    ("repair, objective", {"call_kind": "repair", "priority": "objective"}, None,
     dict(crisis=False, first="ask-or-refuse", words="getting what you want")),
    ("repair, relationship", {"call_kind": "repair", "priority": "relationship", "emotions": [{"name": "guilt", "intensity": 5}]}, None,
     dict(crisis=False, first="keep-relationship")),
    ("repair, self-respect", {"call_kind": "repair", "priority": "self-respect"}, None,
     dict(crisis=False, first="self-respect")),
    ("repair, no priority", {"call_kind": "repair"}, None,
     dict(crisis=False, first="keep-relationship", words="repair something")),
    ("coaching with priority", {"call_kind": "coaching", "priority": "objective", "situation": "My landlord won't fix the heating."}, None,
     dict(crisis=False, first="ask-or-refuse")),
    ("repair while furious", {"call_kind": "repair", "priority": "relationship", "emotions": [{"name": "anger", "intensity": 8}]}, None,
     dict(crisis=False, first="body-based", some=["keep-relationship"])),
    # good news
    ("good news", {"call_kind": "good-news", "emotions": [{"name": "joy", "intensity": 7}]}, None,
     dict(crisis=False, first="positive", words="good news")),
    ("good news with a worry ahead", {"call_kind": "good-news", "situation": "Got the job! Starting next week and a bit nervous."}, None,
     dict(crisis=False, first="positive", some=["cope-ahead"])),
    # history
    ("history shows in the reason", {"call_kind": "coaching", "can_change": "no"}, [{"skill": "radical-acceptance", "rating": 5}, {"skill": "radical-acceptance", "rating": 4}],
     dict(crisis=False, first="acceptance", words="helped you before")),
    ("history in a crisis keeps the safety order", {"urges": [{"kind": "suicide", "strength": 9}]}, [{"skill": "wise-mind", "rating": 5}] * 5,
     dict(crisis=True, first="crisis-survival")),
]


@pytest.mark.parametrize("name,request_,history,checks", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_scenario(name, request_, history, checks):
    response = coach.suggest(request_, SKILLS, history)
    assert_valid_response(response, SKILLS)
    got = ids(response)
    assert response["crisis_first"] is checks["crisis"], (name, response)
    if "first" in checks:
        assert checks["first"] in tags_of(got[0]), (got, [s["reason"] for s in response["suggestions"]])
    for tag in checks.get("some", ()):
        assert any(tag in tags_of(s) for s in got), (tag, got)
    if "words" in checks:
        text = " ".join(s["reason"] for s in response["suggestions"]).lower()
        assert checks["words"].lower() in text, (checks["words"], text)
    if "note" in checks:
        assert any(checks["note"] in n for n in response["notes"]), response["notes"]
    if "absent_first" in checks:
        assert got[0] != checks["absent_first"]
    if "max_minutes" in checks:
        assert all(BY_ID[s]["minutes"][0] <= checks["max_minutes"] for s in got), got
    if response["crisis_first"]:
        # crisis-survival skills come before any other skill
        flags = ["crisis-survival" in tags_of(s) for s in got]
        assert flags == sorted(flags, reverse=True), got


def test_reason_example_from_the_issue():
    response = coach.suggest({"emotions": [{"name": "anger", "intensity": 9}]}, MINI)
    first = response["suggestions"][0]
    assert first["skill"] == "tipp"
    assert first["reason"] == "Your anger is 9 out of 10, so first bring your body down: Tipp works through your body, not your thoughts."
    assert first["first_step"] == "First step of tipp."


# ---------------------------------------------------------------------------
# Exact behaviour on the fixed catalogue


def test_crisis_orders_body_skills_before_thinking_skills():
    response = coach.suggest({"urges": [{"kind": "self-harm", "strength": 9}]}, MINI)
    got = ids(response)
    assert response["crisis_first"] is True
    assert got[:3] == ["stop", "tipp", "paced-breathing"]
    assert set(got[3:4]) <= {"pros-and-cons", "accepts", "improve"}
    assert "safety plan" in response["notes"][0]


def test_crisis_below_breakdown_point_keeps_all_survival_skills_together():
    response = coach.suggest({"urges": [{"kind": "suicide", "strength": 5}]}, MINI)
    got = ids(response)
    assert all("crisis-survival" in MINI_BY_ID[s]["tags"] for s in got[:4])
    assert got[0] == "pros-and-cons"  # its card names the suicide urge


def test_crisis_shows_one_next_step_after_survival_skills():
    response = coach.suggest({"call_kind": "crisis", "emotions": [{"name": "sadness", "intensity": 9}], "can_change": "no"}, MINI)
    got = ids(response)
    assert len(got) == 5
    assert all("crisis-survival" in MINI_BY_ID[s]["tags"] for s in got[:4])
    assert "acceptance" in MINI_BY_ID[got[4]]["tags"]
    assert "once you are calmer" in response["suggestions"][4]["reason"]


def test_tried_skill_moves_down_and_says_so():
    base = {"emotions": [{"name": "anger", "intensity": 9}]}
    before = ids(coach.suggest(base, MINI))
    after = coach.suggest(dict(base, tried=[{"skill": before[0], "result": "a-little"}]), MINI)
    assert ids(after)[0] != before[0]
    moved = [s for s in after["suggestions"] if s["skill"] == before[0]]
    if moved:
        assert moved[0]["reason"].startswith(f"You tried {MINI_BY_ID[before[0]]['name']} already and it helped a little;")
    assert "already tried" in " ".join(after["notes"])


def test_tried_results_are_worded():
    for result, words in [("helped", "and it helped;"), ("did-not-help", "and it did not help;"), ("could-not", "but could not do it;")]:
        response = coach.suggest({"can_change": "no", "tried": [{"skill": "radical-acceptance", "result": result}, {"skill": "willingness"}, {"skill": "half-smiling"}]}, MINI)
        reasons = {s["skill"]: s["reason"] for s in response["suggestions"]}
        assert ids(response)[0] not in ("radical-acceptance", "willingness", "half-smiling") or all(
            s in reasons for s in ("radical-acceptance", "willingness", "half-smiling")
        )
        if "radical-acceptance" in reasons:
            assert words in reasons["radical-acceptance"]


def test_unknown_tried_and_history_ids_are_ignored():
    response = coach.suggest({"tried": [{"skill": "no-such-skill"}]}, MINI, [{"skill": "gone", "rating": 5}])
    assert len(response["suggestions"]) >= 3


def test_history_lifts_within_a_tier_only():
    request = {"call_kind": "coaching", "can_change": "no"}
    plain = ids(coach.suggest(request, MINI))
    assert plain[0] == "radical-acceptance"
    liked = coach.suggest(request, MINI, [{"skill": "willingness", "rating": 5}] * 3)
    assert ids(liked)[0] == "willingness"
    assert "This helped you before (5 out of 5 on average)." in liked["suggestions"][0]["reason"]
    crisis = coach.suggest({"urges": [{"kind": "suicide", "strength": 8}]}, MINI, [{"skill": "willingness", "rating": 5}] * 3)
    assert "willingness" not in ids(crisis)[:4]


def test_history_uses_newest_ratings():
    history = [{"skill": "willingness", "rating": 5}] * 5 + [{"skill": "willingness", "rating": 0}] * 3
    response = coach.suggest({"can_change": "no"}, MINI, history)
    assert ids(response)[0] == "radical-acceptance"
    assert all("helped you before" not in s["reason"] for s in response["suggestions"])


def test_history_entries_may_carry_extra_fields_and_null_ratings():
    history = [{"skill": "willingness", "rating": None, "date": "2025-01-01"}, {"skill": "give", "rating": 4, "note": "x"}]
    assert coach.suggest({}, MINI, history)["suggestions"]


def test_minutes_leave_out_long_skills():
    response = coach.suggest({"can_change": "yes", "minutes": 5}, MINI)
    assert "problem-solving" not in ids(response)  # needs at least 10 minutes
    assert any("5 minutes" in n for n in response["notes"])
    roomy = coach.suggest({"can_change": "yes", "minutes": 60}, MINI)
    assert ids(roomy)[0] == "problem-solving"


def test_minutes_never_push_survival_skills_out_of_a_crisis():
    response = coach.suggest({"urges": [{"kind": "self-harm", "strength": 9}], "minutes": 1}, MINI)
    got = ids(response)
    assert response["crisis_first"]
    assert "crisis-survival" in MINI_BY_ID[got[0]]["tags"]
    flags = ["crisis-survival" in MINI_BY_ID[s]["tags"] for s in got]
    assert flags == sorted(flags, reverse=True)


def test_situation_words_nudge_but_never_override_safety():
    text = "I want to talk to my boss about a raise tomorrow, can't sleep, hungover"
    response = coach.suggest({"urges": [{"kind": "suicide", "strength": 7}], "situation": text}, MINI)
    got = ids(response)
    assert all("crisis-survival" in MINI_BY_ID[s]["tags"] for s in got[:4])
    calm = ids(coach.suggest({"situation": text}, MINI))
    assert "please" in calm and "cope-ahead" in calm


def test_whole_word_matching():
    assert "please" not in ids(coach.suggest({"situation": "I'll be fluent in French one day"}, MINI))
    assert ids(coach.suggest({"situation": "I have the flu"}, MINI))[0] == "please"


def test_several_needs_each_get_a_skill():
    request = {"fits_facts": "no", "priority": "relationship", "event_ahead": True, "situation": "not eating much"}
    got = ids(coach.suggest(request, MINI))
    assert {"check-the-facts", "give", "cope-ahead", "please"} <= set(got)


def test_fewer_skills_than_the_minimum():
    response = coach.suggest({}, MINI[:2])
    assert len(response["suggestions"]) == 2


def test_deterministic_and_input_untouched():
    request = {"call_kind": "repair", "priority": "objective", "emotions": [{"name": "anger", "intensity": 6}], "tried": [{"skill": "dear-man"}]}
    frozen = json.dumps(request, sort_keys=True)
    catalogue = json.dumps(SKILLS, sort_keys=True)
    first = coach.suggest(request, SKILLS)
    assert all(coach.suggest(request, SKILLS) == first for _ in range(3))
    assert json.dumps(request, sort_keys=True) == frozen
    assert json.dumps(SKILLS, sort_keys=True) == catalogue


def test_deterministic_across_processes():
    """Set order must never leak into the output (hash seeds differ between processes)."""
    request = {"call_kind": "repair", "situation": "can't sleep, interview tomorrow", "emotions": [{"name": "shame", "intensity": 6}, {"name": "guilt", "intensity": 6}]}
    code = (
        "import json, sys, coach; from builder.skills import load_skills, engine_data; "
        "skills = engine_data(load_skills('skills')[0]); "
        "print(json.dumps(coach.suggest(json.loads(sys.argv[1]), skills)))"
    )
    outs = set()
    for seed in ("1", "2", "3"):
        env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
        outs.add(subprocess.run([sys.executable, "-c", code, json.dumps(request)], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout)
    assert len(outs) == 1


def test_ranking_ties_break_by_id():
    twins = [card("b-skill", ["mindfulness"]), card("a-skill", ["mindfulness"]), card("c-skill", ["mindfulness"])]
    assert ids(coach.suggest({}, twins)) == ["a-skill", "b-skill", "c-skill"]


def test_rank_exposes_every_skill_once():
    rows, _ = _rank({"call_kind": "coaching"}, MINI + [MINI[0]], None)
    assert sorted(r["id"] for r in rows) == sorted(MINI_BY_ID)


def test_messy_skill_data_does_not_crash():
    messy = [{"id": "a"}, {"id": "b", "tags": None, "intensity": None, "minutes": None}, {"id": "c", "situations": [None, 3, "x"]}, {"no": "id"}]
    response = coach.suggest({"situation": "x y z", "emotions": [{"name": "anger", "intensity": 5}], "minutes": 3}, messy)
    assert ids(response) == ["a", "b", "c"] or sorted(ids(response)) == ["a", "b", "c"]


# ---------------------------------------------------------------------------
# Validation: every error names the field and what is allowed

INVALID = [
    ([], "request: must be an object of fields"),
    ({"call_kind": "chat"}, "call_kind: must be one of: 'crisis', 'coaching', 'repair', 'good-news'"),
    ({"emotions": {}}, "emotions: must be a list"),
    ({"emotions": [{"name": "anger"}]}, "emotions[0].intensity: missing; must be a whole number from 0 to 10"),
    ({"emotions": [{"name": "anger", "intensity": 11}]}, "emotions[0].intensity: must be a whole number from 0 to 10"),
    ({"emotions": [{"name": "anger", "intensity": 2.5}]}, "emotions[0].intensity: must be a whole number from 0 to 10"),
    ({"emotions": [{"name": "anger", "intensity": True}]}, "emotions[0].intensity: must be a whole number from 0 to 10"),
    ({"emotions": [{"name": "", "intensity": 1}]}, "emotions[0].name: must be text of 1 to 60 characters"),
    ({"emotions": [{"name": "anger", "intensity": 1, "colour": "red"}]}, "emotions[0]: 'colour' is not a field here; allowed fields are: name, intensity"),
    ({"urges": [{"kind": "self-harm", "strength": -1}]}, "urges[0].strength: must be a whole number from 0 to 10"),
    ({"urges": [{"kind": "yell", "strength": 1}]}, "urges[0].kind: must be one of: 'self-harm', 'suicide'"),
    ({"urges": [{"kind": "other", "strength": 1, "label": 5}]}, "urges[0].label: must be text of at most 200 characters"),
    ({"situation": "x" * 2001}, "situation: must be text of at most 2000 characters"),
    ({"situation": None}, "situation: must be text of at most 2000 characters"),
    ({"can_change": "maybe"}, "can_change: must be one of: 'yes', 'no', 'not-sure'"),
    ({"fits_facts": True}, "fits_facts: must be one of: 'yes', 'no', 'not-sure'"),
    ({"priority": "money"}, "priority: must be one of: 'objective', 'relationship', 'self-respect'"),
    ({"tried": [{"skill": "tipp", "result": "meh"}]}, "tried[0].result: must be one of: 'helped', 'a-little', 'did-not-help', 'could-not'"),
    ({"tried": [{}]}, "tried[0].skill: missing; must be text of 1 to 100 characters"),
    ({"minutes": 0}, "minutes: must be a whole number from 1 to 240"),
    ({"minutes": "5"}, "minutes: must be a whole number from 1 to 240"),
    ({"event_ahead": "yes"}, "event_ahead: must be true or false"),
    ({"mood": 3}, "request: 'mood' is not a field here; allowed fields are: call_kind, emotions"),
]


@pytest.mark.parametrize("request_,message", INVALID, ids=[m.split(":")[0] + str(i) for i, (_, m) in enumerate(INVALID)])
def test_invalid_request_names_the_field(request_, message):
    with pytest.raises(coach.RequestError) as caught:
        coach.suggest(request_, MINI)
    assert str(caught.value).startswith(message), str(caught.value)
    out = json.loads(coach.handle(json.dumps({"request": request_}), MINI))
    assert out == {"error": str(caught.value)}


@pytest.mark.parametrize(
    "history,message",
    [
        ({}, "history: must be a list or null"),
        ([{"rating": 3}], "history[0].skill: missing"),
        ([{"skill": "tipp", "rating": 6}], "history[0].rating: must be a whole number from 0 to 5 or null"),
        (["tipp"], "history[0]: must be an object of fields"),
    ],
)
def test_invalid_history_names_the_field(history, message):
    with pytest.raises(coach.RequestError) as caught:
        coach.suggest({}, MINI, history)
    assert str(caught.value).startswith(message), str(caught.value)


def test_whole_floats_are_whole_numbers():
    assert coach.suggest({"emotions": [{"name": "anger", "intensity": 9.0}], "minutes": 5.0}, MINI)["crisis_first"]


@pytest.mark.parametrize(
    "text,message",
    [
        ("not json", "request: not valid JSON"),
        ("[]", "call: must be an object"),
        ('{"history": []}', "call: must be an object"),
        ('{"request": {}, "extra": 1}', "call: 'extra' is not a field here"),
        ('{"request": {"emotions": [{"name": "x", "intensity": NaN}]}}', "emotions[0].intensity: must be a whole number"),
        ('{"request": {"minutes": Infinity}}', "minutes: must be a whole number"),
        ("[" * 100000 + "]" * 100000, "request: "),
    ],
)
def test_handle_returns_errors_as_data(text, message):
    out = json.loads(coach.handle(text, MINI))
    assert out["error"].startswith(message), out


def test_handle_round_trip():
    envelope = {"request": {"call_kind": "good-news"}, "history": [{"skill": "savour", "rating": 5}]}
    out = json.loads(coach.handle(json.dumps(envelope), MINI))
    assert out == coach.suggest(envelope["request"], MINI, envelope["history"])
    assert json.loads(coach.handle(json.dumps({"request": {}, "history": None}), MINI))["suggestions"]


def test_handle_reports_engine_bugs_as_data():
    out = json.loads(coach.handle('{"request": {}}', None))
    assert out["error"].startswith("engine failed:")


# ---------------------------------------------------------------------------
# CLI


def run_cli(stdin, *args):
    return subprocess.run([sys.executable, "-m", "coach", *args], input=stdin, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_cli_bare_request_and_envelope_agree(tmp_path):
    skills_file = tmp_path / "skills.json"
    skills_file.write_text(json.dumps(MINI))
    request = {"call_kind": "coaching", "can_change": "no"}
    bare = run_cli(json.dumps(request), "suggest", "--skills", str(skills_file))
    wrapped = run_cli(json.dumps({"request": request, "history": [{"skill": "willingness", "rating": 5}]}), "suggest", "--skills", str(skills_file))
    assert bare.returncode == 0 and wrapped.returncode == 0, bare.stderr + wrapped.stderr
    assert json.loads(bare.stdout) == coach.suggest(request, MINI)
    assert json.loads(wrapped.stdout) == coach.suggest(request, MINI, [{"skill": "willingness", "rating": 5}])


def test_cli_reads_skill_files_by_default():
    out = run_cli('{"urges": [{"kind": "self-harm", "strength": 9}]}', "suggest")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == coach.suggest({"urges": [{"kind": "self-harm", "strength": 9}]}, SKILLS)


def test_cli_errors():
    out = run_cli('{"minutes": 0}', "suggest")
    assert out.returncode == 2
    assert json.loads(out.stdout) == {"error": "minutes: must be a whole number from 1 to 240"}
    out = run_cli("{", "suggest")
    assert out.returncode == 2 and "not valid JSON" in out.stdout


def test_cli_schema():
    out = run_cli("", "schema")
    schemas = json.loads(out.stdout)
    assert schemas["call"]["properties"]["request"]["properties"]["urges"]["items"]["properties"]["kind"]["enum"] == list(vocab.URGES)


def test_engine_imports_only_the_standard_library():
    """coach must stay small and import nothing outside the standard library (it runs in Pyodide)."""
    code = (
        "import sys, json; before = set(sys.modules); import coach; "
        "new = sorted(m for m in set(sys.modules) - before if not m.startswith(('coach', 'encodings')));"
        "print(' '.join(new))"
    )
    out = subprocess.run([sys.executable, "-S", "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = out.stdout.split()
    outside = [m for m in loaded if m.split(".")[0] not in sys.stdlib_module_names]
    assert not outside, outside
    assert not loaded, loaded  # nothing beyond json: start-up in the browser stays cheap
    for path in sorted((ROOT / "coach").glob("*.py")):
        if path.name == "__main__.py":
            continue
        text = path.read_text()
        assert "open(" not in text, path.name
        for line in text.splitlines():
            words = line.split()
            if words[:1] in (["import"], ["from"]) and len(words) > 1:
                top = words[1].split(".")[0]
                assert top in ("", "json") or top in ("vocab", "engine", "schema"), (path.name, line)


# ---------------------------------------------------------------------------
# Wording


def test_distress_counts_like_an_emotion():
    response = coach.suggest({"distress": 9}, MINI)
    assert response["crisis_first"]
    assert response["suggestions"][0]["reason"].startswith("Your distress is 9 out of 10, so first bring your body down:")
    calm = coach.suggest({"distress": 4, "emotions": [{"name": "anger", "intensity": 8}]}, MINI)
    assert calm["suggestions"][0]["reason"].startswith("Your anger is 8 out of 10")


def test_typed_words_come_back_clean_and_clipped():
    name = "sad\u202eness\u0000 " + "x" * 50
    label = "to \u2066run\u2069 " + "y" * 190
    response = coach.suggest({"emotions": [{"name": name, "intensity": 5}], "urges": [{"kind": "other", "strength": 6, "label": label}]}, MINI)
    text = " ".join(s["reason"] for s in response["suggestions"])
    assert not any(ch in text for ch in "\u202e\u0000\u2066\u2069")
    assert "y" * 60 not in text and "x" * 40 not in text
    assert '"run ' in text or 'at 5 out of 10' in text


def test_blank_emotion_names_are_ignored():
    response = coach.suggest({"emotions": [{"name": "\u200b ", "intensity": 9}]}, MINI)
    assert not response["crisis_first"]


def test_reasons_in_one_list_do_not_repeat_one_sentence():
    for request in ({"emotions": [{"name": "anger", "intensity": 8}]}, {"can_change": "no"}, {"call_kind": "good-news"}, {"urges": [{"kind": "self-harm", "strength": 9}]}):
        response = coach.suggest(request, SKILLS)
        hows = [s["reason"].split(": ", 1)[-1].replace(s["name"], "NAME") for s in response["suggestions"]]
        assert len(set(hows)) == len(hows), hows


def test_general_reasons_refer_to_what_was_entered():
    assert "not said much" in coach.suggest({}, MINI)["suggestions"][0]["reason"]
    said = coach.suggest({"emotions": [{"name": "gutted", "intensity": 4}]}, MINI)
    assert all('"gutted" at 4 out of 10' in s["reason"] for s in said["suggestions"])
    wrote = coach.suggest({"situation": "nothing in particular"}, MINI)
    assert all("you described what is happening" in s["reason"].lower() for s in wrote["suggestions"])
