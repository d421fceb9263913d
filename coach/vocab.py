"""The shared words of the app: modules, call kinds, urges, emotions and engine tags.

Defined once here and imported by the build (to check skill files), by the engine
(to reason) and by the tests. Standard library only: this file also runs in Pyodide.
"""

# Module id -> display name. Order is the order pages list them in.
MODULES = {
    "mindfulness": "Mindfulness",
    "distress-tolerance": "Distress tolerance",
    "emotion-regulation": "Emotion regulation",
    "interpersonal-effectiveness": "Interpersonal effectiveness",
    "middle-path": "Walking the middle path",
    "understanding-behaviour": "Understanding behaviour",
}

# Kind of coaching call -> label shown on the worksheet.
CALL_KINDS = {
    "crisis": "Crisis: I need help to get through this right now",
    "coaching": "Skills coaching: help me pick a skill",
    "repair": "Relationship repair: something went wrong between us",
    "good-news": "Good news: something went well",
}

# Urge id -> label. "other" carries the person's own words in the request.
URGES = {
    "self-harm": "Hurt myself",
    "suicide": "End my life",
    "substance-use": "Drink or use drugs",
    "binge-purge": "Binge or purge",
    "lash-out": "Lash out at someone",
    "quit-run": "Quit or run away",
    "isolate": "Isolate or hide",
    "other": "Something else",
}

# Urges that mean a person's life or body is at risk: crisis contacts come first.
SAFETY_URGES = ("suicide", "self-harm")

# Common emotions offered as quick picks; people may type any other word too.
EMOTIONS = (
    "anger",
    "anxiety",
    "disgust",
    "envy",
    "fear",
    "guilt",
    "hurt",
    "jealousy",
    "joy",
    "loneliness",
    "love",
    "numbness",
    "overwhelm",
    "sadness",
    "shame",
)

# Tags a skill file may carry; the engine reasons with these. Keep each meaning narrow.
TAGS = {
    "crisis-survival": "Gets you through a crisis without making it worse (STOP, TIPP, ACCEPTS, self-soothe, IMPROVE, pros and cons).",
    "body-based": "Works through the body and needs little thinking, so it still works at very high intensity.",
    "acceptance": "Helps accept what cannot be changed right now.",
    "problem-solving": "Helps change a problem that can be changed.",
    "check-facts": "Helps test whether an emotion fits the facts.",
    "opposite-action": "Acts against an emotion that does not fit the facts or does not help.",
    "ask-or-refuse": "Helps get what you want from someone (objective effectiveness).",
    "keep-relationship": "Helps keep or repair a relationship.",
    "self-respect": "Helps keep your self-respect with other people.",
    "vulnerability": "Lowers vulnerability: sleep, food, illness, substances, exercise.",
    "addiction": "Helps with urges to use substances or other addictive behaviour.",
    "positive": "Builds or savours positive experiences.",
    "cope-ahead": "Prepares for a hard event that is coming.",
    "mindfulness": "Core mindfulness practice.",
    "validation": "Validating yourself or others.",
    "understanding": "Understanding emotions or behaviour (naming, analysing).",
    "reflection": "Looking back at what happened to learn from it.",
    "crisis-plan": "Gets ready on a calm day for the next crisis (a crisis kit kept with the safety plan); not for the moment itself.",
}

# Levels of a 0-10 scale used by the engine and on cards.
INTENSITY_MIN = 0
INTENSITY_MAX = 10

# At or above this strength, a self-harm or suicide urge means crisis contacts first.
CRISIS_URGE_THRESHOLD = 5
# At or above this intensity, any emotion means crisis-survival skills first.
EXTREME_INTENSITY = 9
# DBT's "skills breakdown point": above it, body-based skills come before ones that need thinking.
BREAKDOWN_POINT = 7

ANSWERS = ("yes", "no", "not-sure")
PRIORITIES = {
    "objective": "Getting what I want",
    "relationship": "Keeping the relationship",
    "self-respect": "Keeping my self-respect",
}
TRIED_RESULTS = {
    "helped": "It helped",
    "a-little": "It helped a little",
    "did-not-help": "It did not help",
    "could-not": "I could not do it",
}

# Labels for the worksheet's answers, per question; the values are ANSWERS.
CAN_CHANGE = {"yes": "Yes, I could change it", "no": "No, not right now", "not-sure": "I am not sure"}
FITS_FACTS = {"yes": "Yes, it fits what happened", "no": "No, not really", "not-sure": "I am not sure"}
# Short forms for the coach summary, the history and the week summary.
CALL_KINDS_SHORT = {
    "crisis": "Crisis call",
    "coaching": "Skills coaching",
    "repair": "Relationship repair",
    "good-news": "Good news",
}
PRIORITIES_SHORT = {"objective": "getting what I want", "relationship": "keeping the relationship", "self-respect": "my self-respect"}
TRIED_RESULTS_SHORT = {"helped": "helped", "a-little": "helped a little", "did-not-help": "did not help", "could-not": "could not do it"}
# "How well did it work?" afterwards, and the history's ratings: 0 not at all to RATING_MAX very well.
RATING_MAX = 5
