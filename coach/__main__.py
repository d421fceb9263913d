"""Command line: `python -m coach suggest [--skills FILE] [--pretty]` and `python -m coach schema`.

suggest reads JSON on stdin: either a call {"request": {...}, "history": [...]} or a bare
request {...} (told apart by the "request" key, which is not a request field). It prints
the response JSON, or {"error": "..."} and exit status 2 for an invalid request.

Skill data comes from --skills FILE (a JSON list such as site/engine/skills.json) or, by
default, from the skill files in the repository's skills/ folder via builder.skills.

The engine itself (coach/) does no I/O; this module is the only part that reads files.
"""

import argparse
import json
import sys
from pathlib import Path

from . import ENVELOPE_SCHEMA, RESPONSE_SCHEMA, call

ROOT = Path(__file__).resolve().parent.parent


def load_skill_data(path=None):
    if path:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    sys.path.insert(0, str(ROOT))
    from builder.skills import engine_data, load_skills

    skills, _problems = load_skills(ROOT / "skills")
    return engine_data(skills)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m coach", description="Between Sessions suggestion engine.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("suggest", help="read a request (or {request, history}) as JSON on stdin; print the response")
    run.add_argument("--skills", help="skills JSON file (default: load skills/*.md from the repository)")
    run.add_argument("--pretty", action="store_true", help="indent the output")
    sub.add_parser("schema", help="print the JSON Schemas of the call and the response")
    args = parser.parse_args(argv)

    if args.command == "schema":
        print(json.dumps({"call": ENVELOPE_SCHEMA, "response": RESPONSE_SCHEMA}, indent=2))
        return 0
    try:
        data = json.loads(sys.stdin.read())
    except ValueError as exc:
        print(json.dumps({"error": f"request: not valid JSON ({exc})"}))
        return 2
    if not (isinstance(data, dict) and "request" in data):
        data = {"request": data}
    result = call(data, load_skill_data(args.skills))
    print(json.dumps(result, indent=2 if args.pretty else None, ensure_ascii=False))
    return 2 if "error" in result else 0


if __name__ == "__main__":
    sys.exit(main())
