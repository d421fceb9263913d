import sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import textstat
from builder.skills import parse_skill
for f in sys.argv[1:]:
    p = Path(f)
    skill, problems = parse_skill(p, f)
    for pr in problems:
        print(pr)
    if skill:
        print(f"{f}: grade {textstat.flesch_kincaid_grade(skill.text()):.1f}, words {len(skill.text().split())}")
