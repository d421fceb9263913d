"""The suggestion engine: DBT's "which skill when", as a ranking of skill cards.

Pure standard library, no I/O; runs unchanged in CPython 3.11+ and in Pyodide.

How the ranking works
---------------------
1. Signals are read from the request: the highest emotion or urge (the "level"),
   crisis (a self-harm or suicide urge at CRISIS_URGE_THRESHOLD or more, any emotion at
   EXTREME_INTENSITY or more, or a crisis call with a high or unrated level), and the
   answers (can change, fits the facts, priority, time, event ahead, words in the situation).
2. Each skill gets a *tier* from its tags. Tiers are the safety ordering and nothing can
   cross them: in a crisis, crisis-survival skills come first; above BREAKDOWN_POINT,
   body-based skills come before skills that need thinking.
3. Inside a tier, skills that do not fit the time available come after those that do,
   then skills already tried come after untried ones, then the score decides.
4. The score adds up "needs" (DBT rules such as "cannot change => acceptance") matched by
   the skill's tags (the skill DBT names for the rule, e.g. radical-acceptance, gets a small
   lead), plus smaller nudges: the skill's emotions, urges and situation words, whether the
   level is inside the skill's intensity range, quickness, and a bonus for skills that
   helped before, bounded to +-30 points and never across tiers. Ties go to the skill id.
5. Picks are made best first with a small penalty for repeating the same reason, so a
   request with several needs gets a skill for each. At most a few safety-tier skills are
   shown so one next-step skill (for when the person is calmer) can follow them.
6. Each reason is one sentence built from the main need: what the person entered (the
   trigger), what to do first (the goal), and how this skill helps: the first skill for a
   need explains its kind ("TIPP works through your body, not your thoughts"), the others
   use their card's summary. Typed words are cleaned and clipped before they are echoed.
"""

from . import vocab
from .schema import HISTORY_SCHEMA, REQUEST_SCHEMA, RequestError, check, plain

MAX_SUGGESTIONS = 5
MIN_SUGGESTIONS = 3
# Safety-tier skills shown before the next-step skill.
SAFETY_SHOWN = {"crisis": 4, "aroused": 3}
# How many past ratings of a skill count (newest ones).
HISTORY_WINDOW = 3
# Bonus per rating point away from the middle (2.5) of the 0-5 scale; bounded to +-30.
HISTORY_WEIGHT = 12
# A pick whose main reason was already used by n earlier picks loses n quarters of its score.

# Words in the situation that point to vulnerability (PLEASE) or a hard event ahead.
# Matched at the start of a word, without apostrophes, so "interviews" matches "interview".
VULNERABILITY_WORDS = (
    "no sleep", "not sleeping", "can't sleep", "cannot sleep", "couldn't sleep", "could not sleep",
    "didn't sleep", "did not sleep", "haven't slept", "have not slept", "hardly slept", "barely slept",
    "insomnia", "awake all night", "up all night", "exhausted", "so tired", "worn out",
    "not eating", "haven't eaten", "have not eaten", "didn't eat", "did not eat", "skipped meals",
    "skipping meals", "starving", "hungry", "sick", "unwell", "illness", "flu", "fever", "in pain",
    "headache", "migraine", "hungover", "hangover", "drank too much", "period pain", "cramps",
)
EVENT_WORDS = (
    "interview", "exam", "presentation", "appointment", "meeting", "court", "hearing", "deadline",
    "wedding", "funeral", "have to tell", "need to tell", "going to tell", "have to talk",
    "need to talk", "have to ask", "need to ask", "have to face", "dreading", "coming up",
    "tomorrow", "tonight", "later today", "this evening", "next week", "this weekend", "on monday",
)
# Words that must match as whole words (the others also match as the start of a longer word).
WHOLE_WORDS = ("flu", "ill", "exam", "court")

# Common words people type for the quick-pick emotions.
EMOTION_WORDS = {
    "angry": "anger", "mad": "anger", "furious": "anger", "rage": "anger", "frustrated": "anger",
    "irritated": "anger", "anxious": "anxiety", "worried": "anxiety", "nervous": "anxiety",
    "stressed": "anxiety", "panic": "anxiety", "panicky": "anxiety", "scared": "fear",
    "afraid": "fear", "terrified": "fear", "frightened": "fear", "sad": "sadness",
    "depressed": "sadness", "down": "sadness", "grief": "sadness", "ashamed": "shame",
    "embarrassed": "shame", "humiliated": "shame", "guilty": "guilt", "lonely": "loneliness",
    "alone": "loneliness", "jealous": "jealousy", "envious": "envy", "numb": "numbness",
    "empty": "numbness", "overwhelmed": "overwhelm", "disgusted": "disgust", "happy": "joy",
    "glad": "joy", "proud": "joy", "excited": "joy", "hurt": "hurt", "rejected": "hurt",
}

URGE_PHRASES = {
    "self-harm": "your urge to hurt yourself",
    "suicide": "your urge to end your life",
    "substance-use": "your urge to drink or use",
    "binge-purge": "your urge to binge or purge",
    "lash-out": "your urge to lash out",
    "quit-run": "your urge to quit or run away",
    "isolate": "your urge to isolate",
    "other": "your urge",
}

# How a skill helps, by tag; {name} is the skill's name. Tags listed earlier are
# preferred when a skill has several and the reason does not point at one tag.
HOW = {
    "body-based": "{name} works through your body, not your thoughts",
    "addiction": "{name} helps you step back from an addictive urge",
    "cope-ahead": "{name} lets you rehearse in your mind how you will handle it",
    "check-facts": "{name} helps you test whether your emotion fits what is really happening",
    "opposite-action": "{name} means acting opposite to what an unhelpful emotion urges you to do",
    "problem-solving": "{name} walks you step by step through changing what can be changed",
    "acceptance": "{name} helps you stop fighting what you cannot change, so pain does not turn into suffering",
    "ask-or-refuse": "{name} helps you ask for what you want or say no clearly",
    "keep-relationship": "{name} helps you keep the relationship while you talk",
    "self-respect": "{name} helps you stay true to your values with the other person",
    "vulnerability": "{name} makes you less open to strong emotions by looking after sleep, food and health",
    "positive": "{name} helps you notice and build on what is going well",
    "validation": "{name} helps you see what makes sense in how you feel",
    "understanding": "{name} helps you name and understand what is going on",
    "reflection": "{name} helps you look back at what led here and what to change",
    "mindfulness": "{name} helps you notice what is here without being swept away",
    "crisis-survival": "{name} helps you get through the moment without making it worse",
}
# A few named DBT crisis skills, so a list of them does not repeat one sentence.
HOW_BY_ID = {
    "stop": "{name} helps you pause before you act on the urge",
    "pros-and-cons": "{name} helps you weigh acting on the urge against riding it out",
    "accepts": "{name} gives your mind something else to hold until the wave passes",
    "improve": "{name} helps you make this moment easier to bear",
    "self-soothe": "{name} comforts you through sight, sound, smell, taste and touch",
    "paced-breathing": "{name} slows your body down with long, slow breaths out",
    "paired-muscle-relaxation": "{name} lets tension go from your body as you breathe out",
}

TRIED_WORDS = {
    "helped": "and it helped",
    "a-little": "and it helped a little",
    "did-not-help": "and it did not help",
    "could-not": "but could not do it",
    None: "",
}

# Need weights (score points). Tiers, not weights, carry the safety ordering.
W_CRISIS = 100
W_BODY = 110
W_LOW_URGE = 50
W_PATH = 60
W_PATH_SOFT = 35
W_PEOPLE = 60
W_PEOPLE_SOFT = 30
W_VULNERABLE = 55
W_EVENT = 60
W_EVENT_WORD = 45
W_GOOD_NEWS = 70
W_BASE = 10


# The skill DBT names for a rule gets a small lead over others with the same tag.
LEAD = {
    "fits-no": "check-the-facts",
    "fits-unsure": "check-the-facts",
    "opposite": "opposite-action",
    "change": "problem-solving",
    "accept": "radical-acceptance",
    "people-objective": "dear-man",
    "people-relationship": "give",
    "people-self-respect": "fast",
    "vulnerable": "please",
    "event": "cope-ahead",
    "good-news": "mindful-of-positive-experiences",
    "addiction": "dialectical-abstinence",
    "base-mind": "wise-mind",
    "base-understand": "naming-emotions",
}
W_LEAD = 8

CALL_TRIGGERS = {
    "crisis": "you called this a crisis",
    "coaching": "you asked for help choosing a skill",
    "repair": "you want to repair something with someone",
    "good-news": "you have good news",
}


class _Need:
    __slots__ = ("key", "weight", "tags", "trigger", "goal", "lead")

    def __init__(self, key, weight, tags, trigger, goal):
        self.key, self.weight, self.tags, self.trigger, self.goal = key, weight, tags, trigger, goal
        self.lead = LEAD.get(key)


def _int(value):
    return int(value)


def _norm(text):
    """Lowercase, drop apostrophes, turn everything but letters and digits into single spaces."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    out = "".join(ch if ch.isalnum() else " " for ch in text)
    return " " + " ".join(out.split()) + " "


_WORD_KEYS = {}  # word list -> [(word, normalised form to look for)], filled on first use


def _found(words, text):
    """Words from `words` (as written) found in normalised `text`, in list order.

    A word matches at the start of a word in the text ("interview" matches "interviews"),
    except WHOLE_WORDS, which must match whole ("flu" does not match "fluent").
    """
    keys = _WORD_KEYS.get(words)
    if keys is None:
        keys = _WORD_KEYS[words] = [
            (w, " " + key + " " if key in WHOLE_WORDS else " " + key) for w in words for key in (_norm(w).strip(),) if key
        ]
    return [w for w, key in keys if key in text]


def _emotion_key(name):
    key = name.strip().lower()
    if key in vocab.EMOTIONS:
        return key
    return EMOTION_WORDS.get(key)


def _emotion_trigger(name, level):
    clean = plain(name, 40)
    if clean.lower() in vocab.EMOTIONS or clean == "distress":
        return f"your {clean.lower()} is {level} out of 10"
    return f'you rated "{clean}" at {level} out of 10'


def _urge_trigger(urge, strength):
    phrase = URGE_PHRASES[urge["kind"]]
    label = plain(urge.get("label") or "", 60)
    if urge["kind"] == "other" and label:
        if label.lower().startswith("to "):
            label = label[3:]
        phrase = f'your urge to "{label}"'
    return f"{phrase} is {strength} out of 10"


def _cap(text):
    return text[:1].upper() + text[1:]


def _read_history(history, known):
    """skill id -> (mean of newest ratings, count used)."""
    ratings = {}
    for entry in history or ():
        sid, rating = entry.get("skill"), entry.get("rating")
        if sid in known and rating is not None:
            ratings.setdefault(sid, []).append(_int(rating))
    out = {}
    for sid, values in ratings.items():
        recent = values[-HISTORY_WINDOW:]
        out[sid] = (sum(recent) / len(recent), len(recent))
    return out


def validate(request, history=None):
    """Raise RequestError (naming the field and what is allowed) if request or history is invalid."""
    check(request, REQUEST_SCHEMA, "")
    if not _plain_history(history):
        check(history, HISTORY_SCHEMA, "history")


def _plain_history(history):
    """Fast path for the common case of a long, valid history; False sends it to check()."""
    if history is None:
        return True
    if type(history) is not list or len(history) > HISTORY_SCHEMA["maxItems"]:
        return False
    for entry in history:
        if type(entry) is not dict:
            return False
        sid = entry.get("skill")
        rating = entry.get("rating")
        if type(sid) is not str or len(sid) > 100:
            return False
        if rating is not None and (type(rating) is not int or not 0 <= rating <= 5):
            return False
    return True


def suggest(request, skills, history=None):
    """Rank skills for a request. Raises RequestError for an invalid request or history."""
    validate(request, history)
    ranked, signals = _rank(request, skills, history)
    return _respond(ranked, signals)


def _signals(request):
    s = {}
    emotions = [e for e in request.get("emotions", ()) if plain(e["name"], 60)]
    urges = list(request.get("urges", ()))
    call = request.get("call_kind")
    s["call"] = call
    if "distress" in request:
        # Overall distress counts like an emotion for the level and for crisis.
        emotions = [{"name": "distress", "intensity": request["distress"]}] + emotions
    top_emotion = max(emotions, key=lambda e: _int(e["intensity"]), default=None)
    top_urge = max(urges, key=lambda u: _int(u["strength"]), default=None)
    e_level = _int(top_emotion["intensity"]) if top_emotion else None
    u_level = _int(top_urge["strength"]) if top_urge else None
    levels = [x for x in (e_level, u_level) if x is not None]
    level = max(levels) if levels else None
    s["level"] = level
    # The trigger for "how high things are": the emotion or urge at the level.
    if level is None:
        level_trigger = None
    elif e_level is not None and e_level >= (u_level if u_level is not None else -1):
        level_trigger = _emotion_trigger(top_emotion["name"], e_level)
    else:
        level_trigger = _urge_trigger(top_urge, u_level)
    safety_urges = [u for u in urges if u["kind"] in ("suicide", "self-harm")]
    top_safety = max(safety_urges, key=lambda u: (_int(u["strength"]), u["kind"] == "suicide"), default=None)
    crisis_urge = top_safety is not None and _int(top_safety["strength"]) >= vocab.CRISIS_URGE_THRESHOLD
    extreme = e_level is not None and e_level >= vocab.EXTREME_INTENSITY
    crisis_call = call == "crisis" and (level is None or level >= vocab.BREAKDOWN_POINT)
    s["crisis_urge"] = crisis_urge
    s["crisis"] = crisis_urge or extreme or crisis_call
    s["aroused"] = level is not None and level > vocab.BREAKDOWN_POINT
    if crisis_urge:
        s["crisis_trigger"] = _urge_trigger(top_safety, _int(top_safety["strength"]))
    elif extreme:
        s["crisis_trigger"] = _emotion_trigger(top_emotion["name"], e_level)
    elif level_trigger and level >= vocab.BREAKDOWN_POINT:
        s["crisis_trigger"] = "you called this a crisis and " + level_trigger
    else:
        s["crisis_trigger"] = "you called this a crisis"
    s["level_trigger"] = level_trigger
    s["top_safety"] = top_safety
    s["emotions"] = {}
    for e in emotions:
        key = _emotion_key(e["name"])
        if key and _int(e["intensity"]) >= s["emotions"].get(key, (-1,))[0]:
            s["emotions"][key] = (_int(e["intensity"]), e["name"])
    s["urges"] = {}
    for u in urges:
        if _int(u["strength"]) > s["urges"].get(u["kind"], (-1,))[0]:
            s["urges"][u["kind"]] = (_int(u["strength"]), u)
    s["text"] = _norm(request.get("situation", ""))
    s["minutes"] = request.get("minutes")
    tried = {}
    for t in request.get("tried", ()):
        tried[t["skill"]] = t.get("result")
    s["tried"] = tried
    return s


def _needs(request, s):
    """The DBT rules that apply, as needs matched by skill tags."""
    needs = []
    add = needs.append
    if s["crisis"]:
        add(_Need("crisis", W_CRISIS, ("crisis-survival",), s["crisis_trigger"], "so first get through the next few minutes without making things worse"))
    if s["aroused"]:
        trigger = s["crisis_trigger"] if s["crisis_urge"] else s["level_trigger"]
        add(_Need("body", W_BODY, ("body-based",), trigger, "so first bring your body down"))
    if request.get("call_kind") == "crisis" and not s["crisis"]:
        add(_Need("crisis-call", W_LOW_URGE, ("crisis-survival",), "you called this a crisis", "so get through it without making things worse"))
    top_safety = s["top_safety"]
    if not s["crisis_urge"] and top_safety is not None and _int(top_safety["strength"]) > 0:
        add(_Need("urge", W_LOW_URGE, ("crisis-survival",), _urge_trigger(top_safety, _int(top_safety["strength"])), "so have a way to ride it out if it grows"))
    using = [(strength, u) for kind, (strength, u) in s["urges"].items() if kind in ("substance-use", "binge-purge") and strength > 0]
    if using:
        strength, u = max(using, key=lambda x: (x[0], x[1]["kind"]))
        add(_Need("addiction", 40 + 4 * strength, ("addiction",), _urge_trigger(u, strength), "so plan how not to act on it"))
    if request.get("call_kind") == "good-news":
        add(_Need("good-news", W_GOOD_NEWS, ("positive",), "you have good news", "so make the most of it"))
    fits = request.get("fits_facts")
    change = request.get("can_change")
    if fits == "no":
        add(_Need("fits-no", W_PATH + 5, ("check-facts",), "you said your emotion does not fit the facts", "so check it against what really happened"))
        add(_Need("opposite", W_PATH, ("opposite-action",), "you said your emotion does not fit the facts", "so act against its urge"))
    elif fits == "not-sure":
        add(_Need("fits-unsure", W_PATH, ("check-facts",), "you are not sure your emotion fits the facts", "so check it against what really happened"))
    if change == "yes":
        why = "you said the situation can change" + (" and your emotion fits the facts" if fits == "yes" else "")
        add(_Need("change", W_PATH, ("problem-solving",), why, "so work on changing it"))
    elif change == "no":
        add(_Need("accept", W_PATH, ("acceptance",), "you said the situation cannot change right now", "so ease the pain of fighting it"))
    elif change == "not-sure":
        add(_Need("change-unsure", W_PATH_SOFT, ("problem-solving",), "you are not sure the situation can change", "so look for what could change"))
        add(_Need("accept-unsure", W_PATH_SOFT - 5, ("acceptance",), "you are not sure the situation can change", "so make room for what may not change"))
    if fits == "yes" and change is None:
        add(_Need("change", W_PATH_SOFT + 10, ("problem-solving",), "you said your emotion fits the facts", "so the next step is to work on the problem itself"))
    priority = request.get("priority")
    repair = request.get("call_kind") == "repair"
    people = {
        "objective": ("ask-or-refuse", "getting what you want matters most", "so ask clearly"),
        "relationship": ("keep-relationship", "keeping the relationship matters most", "so go gently"),
        "self-respect": ("self-respect", "keeping your self-respect matters most", "so hold on to your values"),
    }
    for key, (tag, why, goal) in people.items():
        if priority == key:
            add(_Need("people-" + key, W_PEOPLE, (tag,), why, goal))
        elif repair:
            weight = W_PEOPLE_SOFT + (15 if key == "relationship" and priority is None else 0)
            add(_Need("people-" + key, weight, (tag,), "you want to repair something with someone", goal if key != "relationship" else "so go gently"))
    if repair:
        add(_Need("repair-validate", W_PEOPLE_SOFT, ("validation",), "you want to repair something with someone", "so make room for the feelings on both sides"))
    text = s["text"]
    weak = _found(VULNERABILITY_WORDS, text)
    if weak:
        add(_Need("vulnerable", W_VULNERABLE, ("vulnerability",), f'you mentioned "{weak[0]}"', "so look after your body too"))
    if request.get("event_ahead"):
        add(_Need("event", W_EVENT, ("cope-ahead",), "you have a hard event coming up", "so prepare for it now"))
    else:
        ahead = _found(EVENT_WORDS, text)
        if ahead:
            add(_Need("event", W_EVENT_WORD, ("cope-ahead",), f'you mentioned "{ahead[0]}"', "so prepare for what is coming"))
    if not needs:
        why = _general_trigger(s)
        add(_Need("base-mind", W_BASE, ("mindfulness",), why, "so start by noticing what is here"))
        add(_Need("base-understand", W_BASE - 2, ("understanding", "validation"), why, "so start by naming what is going on"))
    return needs


def _tier(tags, s):
    """Safety ordering: lower comes first and nothing moves a skill across tiers."""
    crisis_skill = "crisis-survival" in tags
    body = "body-based" in tags
    if s["crisis"]:
        if crisis_skill:
            return 0 if (body or not s["aroused"]) else 1
        return 2 if (body and s["aroused"]) else 3
    if s["aroused"]:
        return 0 if body else 1
    return 0


def _safe_tiers(s):
    if s["crisis"]:
        return 2  # tiers 0 and 1 hold crisis-survival skills
    if s["aroused"]:
        return 1
    return 0


class _Card:
    """What the ranking needs of one skill, read once per skills list."""

    __slots__ = ("id", "skill", "tags", "emotions", "urges", "words", "lo", "hi", "shortest")

    def __init__(self, sid, skill):
        self.id = sid
        self.skill = skill
        self.tags = tuple(t for t in skill.get("tags") or () if isinstance(t, str))
        self.emotions = tuple(skill.get("emotions") or ())
        self.urges = tuple(skill.get("urges") or ())
        self.words = tuple(
            (key, " ".join(w.split())) for w in skill.get("situations") or () if isinstance(w, str) for key in (_norm(w).strip(),) if key
        )
        intensity = skill.get("intensity") or (0, 10)
        self.lo, self.hi = intensity[0], intensity[1]
        self.shortest = (skill.get("minutes") or (1, 1))[0]


class _Catalogue:
    """The cards plus indexes from tag, emotion and urge to card positions."""

    __slots__ = ("cards", "ids", "by_tag", "by_emotion", "by_urge", "words")

    def __init__(self, skills):
        self.cards, seen = [], set()
        for skill in skills:
            sid = skill.get("id") if isinstance(skill, dict) else None
            if isinstance(sid, str) and sid not in seen:
                seen.add(sid)
                self.cards.append(_Card(sid, skill))
        self.ids = seen
        self.by_tag, self.by_emotion, self.by_urge = {}, {}, {}
        # (first three letters, key, card position, words as written) for situation words
        self.words = []
        for i, card in enumerate(self.cards):
            for index, values in ((self.by_tag, card.tags), (self.by_emotion, card.emotions), (self.by_urge, card.urges)):
                for value in values:
                    if isinstance(value, str):
                        index.setdefault(value, []).append(i)
            for key, shown in card.words:
                self.words.append((key[:3] if len(key) >= 3 else None, key, i, shown))


# One-slot cache: the worker and the CLI pass the same skills list on every call. Skills
# are read-only data; pass a new list (not an edited one) if the cards change.
_CACHE = [None, None]


def _catalogue(skills):
    if _CACHE[0] is not skills:
        _CACHE[1] = _Catalogue(skills)
        _CACHE[0] = skills
    return _CACHE[1]


def _rank(request, skills, history):
    """Every skill as a ranked list of dicts (best first) plus the signals used."""
    s = _signals(request)
    needs = [(n.tags, n.weight, n.lead, (n.key, n.trigger, n.goal)) for n in _needs(request, s)]
    catalogue = _catalogue(skills)
    cards = catalogue.cards
    past = _read_history(history, catalogue.ids)
    level = s["level"]
    safe_tiers = _safe_tiers(s)
    minutes = s["minutes"]
    text = s["text"] if len(s["text"]) > 2 else ""
    storm = s["crisis"] or s["aroused"]
    tried_ids = s["tried"]
    found = [[] for _ in cards]  # per card: (points, key, trigger, goal, tag)
    for need_tags, weight, lead, (key, trigger, goal) in needs:
        seen = set()
        for tag in need_tags:
            for i in catalogue.by_tag.get(tag, ()):
                if i not in seen:
                    seen.add(i)
                    found[i].append((weight + W_LEAD if lead == cards[i].id else weight, key, trigger, goal, tag))
    best = {}
    for name, (value, shown) in s["emotions"].items():
        entry = (10 + 3 * value, "emotion", _emotion_trigger(shown, value), "", None)
        for i in catalogue.by_emotion.get(name, ()):
            if i not in best or entry[0] > best[i][0]:
                best[i] = entry
    for i, entry in best.items():
        found[i].append(entry)
    best = {}
    for kind, (value, urge) in s["urges"].items():
        if value > 0:
            entry = (10 + 3 * value, "urge", _urge_trigger(urge, value), "", None)
            for i in catalogue.by_urge.get(kind, ()):
                if i not in best or entry[0] > best[i][0]:
                    best[i] = entry
    for i, entry in best.items():
        found[i].append(entry)
    if text:
        starts = {w[:3] for w in text.split()}
        hits = {}
        for start, key, i, shown in catalogue.words:
            if (start is None or start in starts) and " " + key in text:
                hits.setdefault(i, []).append(shown)
        for i, shown in hits.items():
            found[i].append((min(40, 20 * len(shown)), "words", f'you mentioned "{shown[0]}"', "", None))
    rows = []
    for card, contributions in zip(cards, found):
        sid, tags = card.id, card.tags
        score = 0
        for c in contributions:
            score += c[0]
        lo, hi, shortest = card.lo, card.hi, card.shortest
        if level is not None:
            if level > hi:
                score -= 15 * (level - hi)
            elif level < lo:
                score -= 5 * (lo - level)
            else:
                score += 10
        rated = past.get(sid)
        if rated:
            score += max(-30, min(30, round((rated[0] - 2.5) * HISTORY_WEIGHT)))
        # Quick skills are easier to use in the moment; in a storm, speed and skills made
        # for high intensity matter more.
        if storm:
            score += 2 * lo + (10 if shortest <= 2 else 0)
        elif shortest <= 5:
            score += 5
        tier = _tier(tags, s)
        # The main reason: the biggest contribution; below the safety tiers, a next-step
        # reason (not "bring your body down") where there is one.
        pool = contributions
        if tier >= safe_tiers and storm:
            pool = [c for c in contributions if c[1] not in ("crisis", "body")] or contributions
        main = max(pool, key=_points) if pool else None
        rows.append({
            "id": sid,
            "skill": card.skill,
            "tier": tier,
            "too_long": minutes is not None and shortest > minutes,
            "tried": sid in tried_ids,
            "score": score,
            "main": main,
            "rated": rated,
        })
    rows.sort(key=_order)
    return rows, s


def _points(contribution):
    return contribution[0]


def _order(r):
    return (r["tier"], r["too_long"], r["tried"], -r["score"], r["id"])


def _pick(rows, s):
    """Choose 3-5 rows: safety tiers first (capped), then the best next steps, varied reasons.

    A row whose main reason was already used by n picks counts n quarters less, so a
    request with several needs gets a skill for each. rows are in _order, which lets the
    search stop early: within a group (tier, too long, tried) raw scores only fall.
    """
    safe_tiers = _safe_tiers(s)
    cap = SAFETY_SHOWN["crisis"] if s["crisis"] else SAFETY_SHOWN["aroused"] if s["aroused"] else MAX_SUGGESTIONS
    chosen, used = [], {}

    def best_of(candidates):
        best = best_adj = best_group = None
        for r in candidates:
            group = (r["tier"], r["too_long"], r["tried"])
            score = r["score"]
            if best is not None and (group != best_group or score < best_adj):
                break
            main = r["main"]
            adj = score - used.get(main[1] if main else None, 0) * max(score, 0) // 4
            if best is None or adj > best_adj or (adj == best_adj and r["id"] < best["id"]):
                best, best_adj, best_group = r, adj, group
        return best

    def take(candidates, room):
        while room() and candidates:
            r = best_of(candidates)
            candidates.remove(r)
            chosen.append(r)
            key = r["main"][1] if r["main"] else None
            used[key] = used.get(key, 0) + 1

    if safe_tiers:
        take([r for r in rows if r["tier"] < safe_tiers and not r["too_long"]], lambda: len(chosen) < cap)
    rest = [r for r in rows if r["tier"] >= safe_tiers and not r["too_long"]]
    floor = max(1, max((r["score"] for r in rest), default=0) // 3)
    rest = [r for r in rest if r["score"] >= floor] + [r for r in rest if r["score"] < floor]
    strong = sum(1 for r in rest if r["score"] >= floor)

    take(rest[:strong], lambda: len(chosen) < MAX_SUGGESTIONS)
    take(rest[strong:], lambda: len(chosen) < MIN_SUGGESTIONS)
    if len(chosen) < MIN_SUGGESTIONS:
        # Not enough that fit the time: fill in rank order (safety tiers first).
        taken = {r["id"] for r in chosen}
        for r in rows:
            if len(chosen) >= MIN_SUGGESTIONS:
                break
            if r["id"] not in taken:
                chosen.append(r)
    # Keep the safety ordering in the final list: a stable sort by safety tier.
    chosen.sort(key=lambda r: min(r["tier"], safe_tiers))
    return chosen


# Summaries that start like this do not read well after "can help you".
_NOT_AFTER_HELP = ("when ", "if ", "before ", "after ", "once ", "as ", "while ")


def _how(skill, tag, fresh=True):
    """How the skill helps, as a clause starting with its name.

    fresh: the first suggestion for a reason explains the reason's kind of skill ("TIPP works
    through your body, not your thoughts"); the others use their own summary, so a list
    does not repeat one sentence ("Paced breathing can help you slow your breathing...").
    """
    name = skill.get("name") or skill.get("id")
    sid = skill.get("id")
    tags = skill.get("tags") or ()
    summary = skill.get("summary")
    summary = " ".join(summary.split()).rstrip(".") if isinstance(summary, str) else ""
    usable = summary and not summary.lower().startswith(_NOT_AFTER_HELP) and not summary[1:2].isupper()
    if usable and (not fresh or tag is None):
        return f"{name} can help you {summary[:1].lower()}{summary[1:]}"
    if tag in ("crisis-survival", "body-based", None) and sid in HOW_BY_ID and "crisis-survival" in tags:
        return HOW_BY_ID[sid].format(name=name)
    if tag is None or tag not in HOW:
        tag = next((t for t in HOW if t in tags), None)
    if tag is None:
        return f"{name} may help: {summary[:1].lower()}{summary[1:]}" if summary else f"{name} may help"
    if tag == "crisis-survival" and "body-based" in tags:
        tag = "body-based"
    return HOW[tag].format(name=name)


def _general_trigger(s):
    """What the person entered, for a reason that no single answer explains."""
    if s["level_trigger"]:
        return s["level_trigger"]
    if s["call"] in CALL_TRIGGERS:
        return CALL_TRIGGERS[s["call"]]
    if len(s["text"]) > 2:
        return "you described what is happening"
    return "you have not said much yet"


def _reason(row, s, fresh=True):
    skill = row["skill"]
    main = row["main"]
    if main is None:
        trigger, goal, tag, key = _general_trigger(s), "", None, None
    else:
        _, key, trigger, goal, tag = main
    later = (s["crisis"] or s["aroused"]) and row["tier"] >= _safe_tiers(s) and main is not None and key not in ("crisis", "body", "urge")
    how = _how(skill, tag, fresh)
    if trigger and goal:
        if later:
            goal = "so once you are calmer, " + goal[3:]
        text = f"{trigger}, {goal}: {how}"
    elif trigger:
        text = f"{trigger}, and " + ("once you are calmer, " if later else "") + how
    else:
        text = how
    if row["too_long"]:
        shortest = (skill.get("minutes") or (1, 1))[0]
        text = f"it takes at least {shortest} minutes, more than the {s['minutes']} you have, but {text[:1].lower()}{text[1:]}"
    if row["tried"]:
        result = TRIED_WORDS.get(s["tried"][row["id"]], "")
        name = skill.get("name") or row["id"]
        text = f"you tried {name} already{(' ' + result) if result else ''}; {text[:1].lower()}{text[1:]}"
    text = _cap(text) + "."
    rated = row["rated"]
    if rated and rated[0] >= 3.5:
        text += f" This helped you before ({_rating_words(rated)})."
    return text


def _rating_words(rated):
    mean, count = rated
    return f"{int(mean + 0.5)} out of 5{' on average' if count > 1 else ''}"


def _first_for_reason(row, chosen):
    """True if no earlier suggestion in the list has the same main reason."""
    key = row["main"][1] if row["main"] else None
    for other in chosen:
        if other is row:
            return True
        if (other["main"][1] if other["main"] else None) == key:
            return False
    return True


def _respond(ranked, s):
    chosen = _pick(ranked, s)
    notes = []
    if s["crisis_urge"]:
        notes.append("Your safety comes first. If you might act on the urge, use your safety plan or call your crisis line or emergency number now.")
    elif s["crisis"]:
        notes.append("This is a lot to carry. Get through the next few minutes first; the problem can wait until you are calmer.")
    elif s["top_safety"] is not None and _int(s["top_safety"]["strength"]) > 0:
        notes.append("You noted an urge to hurt yourself or end your life. If it grows, use your safety plan or call your crisis line.")
    if s["minutes"] is not None and any(r["too_long"] for r in ranked):
        notes.append(f"You have {s['minutes']} minutes, so skills that take longer come later or are left out.")
    if s["tried"] and any(r["tried"] for r in ranked):
        notes.append("Skills you already tried are moved down the list.")
    return {
        "crisis_first": bool(s["crisis"]),
        "suggestions": [
            {
                "skill": r["id"],
                "name": r["skill"].get("name") or r["id"],
                "reason": _reason(r, s, _first_for_reason(r, chosen)),
                "first_step": r["skill"].get("first_step") or "",
            }
            for r in chosen
        ],
        "notes": notes,
    }
