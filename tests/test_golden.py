"""Golden output: a tiny fixture tree builds to exactly the expected pages.

When a change to templates or the build is intended, regenerate the expected tree on purpose:
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
and review the diff in git like any other change.
"""

import difflib
import os
import shutil
from pathlib import Path

from conftest import FIXTURES, build_site

GOLDEN = Path(__file__).resolve().parent / "golden"
# Files whose bytes are compared. Copied static files are their own source; sw.js hashes everything.
COMPARED = ("*.html", "*.webmanifest", "engine/*.json", "icons/*.svg")


def compared_files(site):
    files = set()
    for pattern in COMPARED:
        files.update(p.relative_to(site).as_posix() for p in site.glob(pattern))
        files.update(p.relative_to(site).as_posix() for p in site.glob(f"*/{pattern}") if "/" not in pattern)
    return sorted(files)


def test_fixture_tree_builds_to_the_golden_pages(tmp_path):
    site = build_site(tmp_path / "site", skills_dir=FIXTURES / "skills-mini", settings_root=FIXTURES / "clinic-sample")
    listing = "\n".join(sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())) + "\n"
    files = compared_files(site)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel in files:
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(site / rel, GOLDEN / rel)
        (GOLDEN / "FILES.txt").write_text(listing)
    problems = []
    expected_listing = (GOLDEN / "FILES.txt").read_text()
    if listing != expected_listing:
        problems.append("".join(difflib.unified_diff(expected_listing.splitlines(True), listing.splitlines(True), "golden/FILES.txt", "built")))
    expected = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file() and p.name != "FILES.txt")
    assert files == expected, "built files differ from the golden set (UPDATE_GOLDEN=1 to accept)"
    for rel in files:
        want, got = (GOLDEN / rel).read_text(), (site / rel).read_text()
        if want != got:
            problems.append("".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), f"golden/{rel}", f"built/{rel}")))
    assert not problems, "the build's output changed (UPDATE_GOLDEN=1 to accept on purpose):\n" + "\n".join(problems)[:20000]
