"""The Pyodide runtime the site ships: three runtime files and a precompiled, trimmed stdlib zip.

Pyodide's own python_stdlib.zip holds .py sources, so every start compiles the ~130 modules
boot needs (about two seconds). builder/stdlib.mjs runs Pyodide's Python in Node once per
Pyodide version + engine, learns which modules boot and the engine load, and zips just those
as .pyc. The result is cached under node_modules/.cache/between-sessions/, so builds after
the first are fast and give the same bytes.

The zip's name carries a hash of its bytes: the runtime folder is served as immutable, so a
changed zip must get a new URL or returning visitors would keep the old one.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import BuildError, Problem

PYODIDE_DIR = Path("node_modules") / "pyodide"
# What the worker fetches. pyodide-lock.json is not shipped: the worker passes lockFileContents.
SHIPPED = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
SOURCE_STDLIB = "python_stdlib.zip"
CACHE_DIR = Path("node_modules") / ".cache" / "between-sessions"
HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "stdlib.mjs"
PROBE = HERE / "stdlib_probe.py"


def version(root):
    package = Path(root) / PYODIDE_DIR / "package.json"
    return json.loads(package.read_text(encoding="utf-8"))["version"]


def cache_key(root):
    """Changes when Pyodide, the zip builder or the engine's code changes."""
    root = Path(root)
    digest = hashlib.sha256()

    def add(label, data):
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    add("version", version(root).encode())
    add("stdlib", (root / PYODIDE_DIR / SOURCE_STDLIB).read_bytes())
    add("script", SCRIPT.read_bytes())
    add("probe", PROBE.read_bytes())
    for src in sorted((root / "coach").glob("*.py")):
        add(f"coach/{src.name}", src.read_bytes())
    return digest.hexdigest()[:16]


def stdlib_zip(root, skills_data):
    """Path of the trimmed .pyc zip for this project, built with Node if not cached.

    skills_data (the engine's skill list) feeds the engine's test calls; which modules load
    does not depend on the cards' text, so it is not part of the cache key.
    """
    root = Path(root)
    cached = root / CACHE_DIR / f"stdlib-{version(root)}-{cache_key(root)}.zip"
    if cached.is_file():
        return cached
    node = shutil.which("node")
    if not node:
        raise BuildError([Problem("node", None, "Node.js is needed to precompile Python's standard library for the "
                                                "browser: install Node.js 20 or later and build again")])
    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cached.parent) as tmp:
        skills_file = Path(tmp) / "skills.json"
        skills_file.write_text(json.dumps(skills_data), encoding="utf-8")
        out = Path(tmp) / "stdlib.zip"
        run = subprocess.run(
            [node, str(SCRIPT), str(root / PYODIDE_DIR), str(root / "coach"), str(skills_file), str(out)],
            capture_output=True, text=True, timeout=300, check=False)
        if run.returncode != 0 or not out.is_file():
            tail = (run.stderr or run.stdout).strip().splitlines()[-8:]
            raise BuildError([Problem("builder/stdlib.mjs", None,
                                      "precompiling the standard library failed: " + " | ".join(tail))])
        (cached.with_suffix(".json")).write_text(run.stdout, encoding="utf-8")
        os.replace(out, cached)  # atomic: parallel builds never see half a zip
    return cached


def write(root, out, skills_data):
    """Copy the runtime into out/pyodide/<version>/; return its paths relative to the site root."""
    root = Path(root)
    folder = f"pyodide/{version(root)}/"
    for name in SHIPPED:
        dest = Path(out) / folder / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes((root / PYODIDE_DIR / name).read_bytes())
    data = stdlib_zip(root, skills_data).read_bytes()
    stdlib = f"{folder}stdlib-{hashlib.sha256(data).hexdigest()[:12]}.zip"
    (Path(out) / stdlib).write_bytes(data)
    return {"runtime": folder, "stdlib": stdlib}
