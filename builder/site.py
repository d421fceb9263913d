"""build(root, out): content + templates + settings -> a static site. Same input, same bytes out."""

import hashlib
import json
import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from coach import vocab

from . import clinic, contract, pwa, runtime
from .errors import BuildError, Problem
from .fits_facts import TITLE as FITS_FACTS_TITLE
from .fits_facts import load_fits_facts
from .markdown import to_html
from .skills import SECTIONS, engine_data, load_skills

# Needed from npm: the runtime files shipped (enough for stdlib-only Python, no packages) and the
# source stdlib that builder/runtime.py precompiles into the trimmed zip the worker loads.
PYODIDE_FILES = (*runtime.SHIPPED, runtime.SOURCE_STDLIB)
PYODIDE_DIR = Path("node_modules") / "pyodide"

MODULE_INTROS = {
    "mindfulness": "Skills for noticing what is happening now, inside and around you, without judging it. They are the base for every other skill.",
    "distress-tolerance": "Skills for getting through a crisis without making it worse, and for accepting what you cannot change right now.",
    "emotion-regulation": "Skills for understanding your emotions, changing the ones you want to change, and being less easy to knock off balance.",
    "interpersonal-effectiveness": "Skills for asking for what you want, saying no, and keeping your relationships and your self-respect.",
    "middle-path": "Skills for finding balance: seeing more than one side, validating, and changing behaviour in kind ways.",
    "understanding-behaviour": "Tools for looking back at a hard moment, kindly, to learn what led to it and what could help next time.",
}

# The static "which skill when" guide: the engine's logic in plain steps, linked by tag.
GUIDE = (
    ("Are you in danger, or thinking about hurting yourself or ending your life?",
     "Reach out now: call or text a crisis line, or your coach. Then use a crisis-survival skill to get through the next few minutes safely.",
     ("crisis-survival",)),
    ("Is your distress 7 or more out of 10?",
     "Bring your body down first. These skills work through your body, so they still work when thinking is hard.",
     ("body-based",)),
    ("Do you have urges to drink, use or binge?",
     "These skills help you step back from urges and keep your goals in sight.",
     ("addiction",)),
    ("Does your emotion fit the facts?",
     "If you are not sure, check the facts. If it does not fit, or acting on it will not help, try opposite action.",
     ("check-facts", "opposite-action")),
    ("Can the problem be changed now?",
     "If yes, solve it one step at a time.",
     ("problem-solving",)),
    ("Is it something you cannot change right now?",
     "Acceptance skills help you stop fighting what is, so you suffer less.",
     ("acceptance",)),
    ("Is another person involved?",
     "Decide what matters most: getting what you want, keeping the relationship, or keeping your self-respect.",
     ("ask-or-refuse", "keep-relationship", "self-respect")),
    ("Are you run down: poor sleep, not eating, ill or hungover?",
     "Look after your body so emotions have less power over you.",
     ("vulnerability",)),
    ("Is something hard coming up?",
     "Rehearse it in your mind so you are ready.",
     ("cope-ahead",)),
    ("Did something go well?",
     "Notice it, savour it, and build more of it.",
     ("positive",)),
)


def build(root, out, settings_root=None, skills_dir=None):
    """Build the site from root into out. Raises BuildError listing every problem.

    settings_root and skills_dir default to root and root/skills; tests point them at fixtures.
    """
    root = Path(root).resolve()
    out = Path(out).resolve()
    skills_dir = Path(skills_dir) if skills_dir else root / "skills"
    skills, problems = load_skills(skills_dir)
    fits_facts, fits_problems = load_fits_facts(skills_dir, {s.id for s in skills})
    problems.extend(fits_problems)
    settings, setting_problems = clinic.load_settings(settings_root or root)
    problems.extend(setting_problems)
    for name in PYODIDE_FILES:
        if not (root / PYODIDE_DIR / name).is_file():
            problems.append(Problem((PYODIDE_DIR / name).as_posix(), None,
                                    "the Pyodide runtime is missing: run 'npm ci' in the project folder to fetch it"))
            break
    if problems:
        raise BuildError(problems)

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    for src in sorted((root / "static").rglob("*")):
        if src.is_file():
            _copy(src, out / src.relative_to(root / "static"))
    _write_engine(root, out, skills, runtime.write(root, out, engine_data(skills)))
    facts = contract.browser_contract()
    _write(out / "js" / "contract.js", contract.module_text(facts))
    _write_pages(root, out, skills, settings, facts, fits_facts)
    pwa.write(root, out, settings)  # last: the service worker hashes every file written before it
    return out


def _copy(src, dest):
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(src.read_bytes())  # bytes only: no timestamps or modes carried over


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def _json(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _write_engine(root, out, skills, paths):
    files = []
    for src in sorted((root / "coach").glob("*.py")):
        if src.name == "__main__.py":
            continue
        rel = f"coach/{src.name}"
        _copy(src, out / "engine" / rel)
        files.append(rel)
    _write(out / "engine" / "skills.json", _json(engine_data(skills)))
    # runtime: where the worker finds Pyodide; stdlib: the precompiled zip (loadPyodide's
    # stdLibURL). Both relative to the site root. snapshot: names the engine's memory snapshot
    # on the device; it changes with every file that shapes that memory, so none outlives them.
    shaped = [f"{paths['runtime']}{name}" for name in runtime.SHIPPED] + [paths["stdlib"], "worker/engine-worker.js",
                                                                          "engine/skills.json"]
    shaped += [f"engine/{rel}" for rel in files]
    digest = hashlib.sha256()
    for rel in shaped:
        data = (out / rel).read_bytes()
        digest.update(f"{rel}\0{len(data)}\0".encode())
        digest.update(data)
    _write(out / "engine" / "files.json", _json({**paths, "files": files, "snapshot": digest.hexdigest()[:16]}))


def environment(root):
    env = Environment(
        loader=FileSystemLoader(str(Path(root) / "templates")),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tojson_attr"] = _json
    return env


def _minutes(skill):
    lo, hi = skill.minutes
    return f"about {lo} minute{'s' if lo != 1 else ''}" if lo == hi else f"{lo} to {hi} minutes"


def _search_text(skill):
    words = [skill.name, skill.summary, *skill.emotions, *skill.situations, *skill.tags,
             *(vocab.URGES[u] for u in skill.urges), *skill.urges]
    if skill.acronym:
        words.extend(meaning for _, meaning in skill.acronym)
    return " ".join(words).lower()


def _write_pages(root, out, skills, settings, facts, fits_facts=None):
    env = environment(root)
    by_id = {s.id: s for s in skills}
    modules = []
    for module_id, module_name in vocab.MODULES.items():
        members = sorted((s for s in skills if s.module == module_id), key=lambda s: s.name.lower())
        modules.append({
            "id": module_id,
            "name": module_name,
            "intro": MODULE_INTROS[module_id],
            "skills": [{"id": s.id, "name": s.name, "summary": s.summary, "search": _search_text(s)} for s in members],
        })

    # Every page may list skills (the worksheet's "already tried" picker does).
    skill_list = [{"id": s.id, "name": s.name, "module": s.module}
                  for s in sorted(skills, key=lambda s: s.name.lower())]

    def render(rel_path, template, page, title, description, **context):
        depth = rel_path.count("/")
        html = env.get_template(template).render(
            root="../" * depth, page=page, title=title, description=description,
            clinic=settings, engine_state="idle", modules=modules, skills=skill_list, vocab=vocab, contract=facts,
            **context)
        _write(out / rel_path, html)

    app = settings["app_name"]
    render("index.html", "start.html", "start", "Home",
           f"{app}: a private DBT skills and coaching worksheet that stays on your device.")
    render("worksheet.html", "worksheet.html", "worksheet", "Coaching worksheet",
           "Get ready for a coaching call or text, pick a skill, and plan what to do now.")
    render("history.html", "history.html", "history", "My past worksheets",
           "Your past worksheets and what helped, kept only on this device.")
    render("help.html", "help.html", "help", "Get help now",
           "Crisis lines and your coach, one tap away.")
    render("safety.html", "safety.html", "safety", "Privacy and quick exit",
           "What this app keeps, where, and what quick exit can and cannot hide.")
    render("offline.html", "offline.html", "offline", "You are offline",
           "This page is not saved on this device; the rest of the app works offline.")
    render("skills/index.html", "skills-index.html", "skills", "Skills",
           "Every DBT skill in plain words, grouped by module.")
    guide = []
    for question, advice, tags in GUIDE:
        picks = [s for s in sorted(skills, key=lambda s: s.name.lower()) if set(tags) & set(s.tags)]
        guide.append({"question": question, "advice": advice,
                      "skills": [{"id": s.id, "name": s.name} for s in picks]})
    render("guide.html", "guide.html", "guide", "Which skill when?",
           "A simple guide to picking a DBT skill for right now.", guide=guide)
    for module in modules:
        render(f"modules/{module['id']}.html", "module.html", "module", module["name"],
               module["intro"], module=module)
    for skill in skills:
        sections = [
            {"title": title, "slug": title.lower().replace(" ", "-"), "html": Markup(to_html(skill.sections[title]))}
            for title in SECTIONS if title in skill.sections
        ]
        related = [{"id": r, "name": by_id[r].name} for r in skill.related if r in by_id]
        render(f"skills/{skill.id}.html", "card.html", "card", skill.name, skill.summary,
               skill=skill, sections=sections, related=related,
               fits_facts=fits_facts.rows(skill.id) if fits_facts else [], fits_facts_title=FITS_FACTS_TITLE,
               module_name=vocab.MODULES[skill.module], minutes=_minutes(skill))
