"""Run every bench script in turn (`make bench`). Extra arguments go to startup.py, e.g.
`.venv/bin/python bench/run_all.py --runs 3 --cpu-throttle 4`.

Benchmarks want a quiet machine: nothing else running, no test suite in parallel.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOT_SCRIPTS = {"run_all.py", "common.py"}


def scripts():
    """Every bench script: startup.py first (it takes the extra arguments), then the rest by name."""
    names = sorted(p.name for p in HERE.glob("*.py") if p.name not in NOT_SCRIPTS)
    return [(name, name == "startup.py") for name in sorted(names, key=lambda n: n != "startup.py")]


def main(argv):
    failed = []
    for script, takes_args in scripts():
        print(f"\n=== bench/{script} ===", flush=True)
        code = subprocess.call([sys.executable, str(HERE / script), *(argv if takes_args else [])], cwd=HERE.parent)
        if code:
            failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
