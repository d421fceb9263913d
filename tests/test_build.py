"""The build: a pure function of its inputs, with compiler-style errors."""

import hashlib
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT, build_site

from builder.errors import BuildError


def tree_digest(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(tmp_path):
    a = build_site(tmp_path / "a")
    b = build_site(tmp_path / "b")
    assert tree_digest(a) == tree_digest(b)


def test_build_replaces_stale_output(tmp_path):
    out = tmp_path / "site"
    (out / "old").mkdir(parents=True)
    (out / "old" / "stale.html").write_text("stale")
    build_site(out, skills_dir=FIXTURES / "skills-mini")
    assert not (out / "old").exists()


def test_all_internal_urls_are_relative(site_dir):
    import re

    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for url in re.findall(r'(?:href|src)="([^"]*)"', text):
            assert not url.startswith("/"), f"{page.name}: root-relative URL {url} breaks sub-path hosting"


def test_runtime_is_self_hosted_with_only_needed_files(site_dir):
    runtime = [p.name for p in (site_dir / "pyodide").rglob("*") if p.is_file()]
    stdlib = [name for name in runtime if name.startswith("stdlib-") and name.endswith(".zip")]
    assert len(stdlib) == 1  # the precompiled zip (builder/runtime.py), named by its hash
    assert sorted(runtime) == sorted(["pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide.mjs", *stdlib])


def test_missing_runtime_names_the_command(tmp_path, monkeypatch):
    from builder import site

    monkeypatch.setattr(site, "PYODIDE_DIR", tmp_path / "nowhere")
    with pytest.raises(BuildError) as err:
        build_site(tmp_path / "out", skills_dir=FIXTURES / "skills-mini")
    assert "npm ci" in str(err.value)


def test_command_line_reports_every_problem_and_exits_non_zero(tmp_path):
    broken = tmp_path / "skills"
    broken.mkdir()
    for f in (FIXTURES / "skills-mini").glob("*.md"):
        (broken / f.name).write_text(f.read_text())
    text = (broken / "cool-down.md").read_text()
    (broken / "cool-down.md").write_text(text.replace("module: distress-tolerance", "module: feelings").replace("summary: A small", "summary: A small made-up skill"))
    (broken / "Bad Name.md").write_text("no front matter")
    code = (
        "import sys; sys.path.insert(0, %r)\n"
        "from builder.site import build\nfrom builder.errors import BuildError\n"
        "try:\n    build(%r, %r, skills_dir=%r)\n"
        "except BuildError as e:\n    print(e.report(), file=sys.stderr); sys.exit(1)\n"
    ) % (str(ROOT), str(ROOT), str(tmp_path / "out"), str(broken))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert any(l.startswith("skills/cool-down.md:3: module: 'feelings' is not a module; must be one of: mindfulness") for l in lines), lines
    assert any(l.startswith("skills/Bad Name.md: file name 'Bad Name.md' is not a valid id") for l in lines), lines
    assert any(l.startswith("skills/Bad Name.md:1: file must start with a '---' line") for l in lines), lines
    assert lines[-1] == f"build failed: {len(lines) - 1} errors"


def test_fits_the_facts_table_is_checked_by_the_build(tmp_path):
    import shutil

    skills = tmp_path / "skills"
    shutil.copytree(FIXTURES / "skills-mini", skills)
    table = skills / "fits-the-facts.yaml"
    table.write_text(table.read_text().replace("    if_it_fits: Ask for a change.\n", ""))
    with pytest.raises(BuildError) as err:
        build_site(tmp_path / "out", skills_dir=skills)
    assert "skills/fits-the-facts.yaml:11: anger: if_it_fits: missing; write what to do when it fits" in str(err.value)


def test_serve_command_answers_200_with_production_headers(tmp_path):
    import urllib.request

    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--out", str(tmp_path / "site")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        url = None
        for line in proc.stdout:
            if line.startswith("serving "):
                url = line.split()[1]
                break
        assert url and url.startswith("http://127.0.0.1:"), "serve should print the URL it serves"
        with urllib.request.urlopen(url) as resp:
            assert resp.status == 200
            assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
            assert b"<h1>" in resp.read()
        wasm = next((tmp_path / "site" / "pyodide").rglob("*.wasm")).relative_to(tmp_path / "site").as_posix()
        with urllib.request.urlopen(url + wasm) as resp:
            assert resp.headers["Content-Type"] == "application/wasm"
    finally:
        proc.terminate()
        proc.communicate(timeout=10)  # also closes the pipes


def test_the_engine_snapshot_key_follows_every_file_that_shapes_its_memory(tmp_path):
    """engine/files.json "snapshot" names the on-device memory snapshot: a new key means a fresh one."""
    import json
    import shutil

    def key(site):
        return json.loads((site / "engine" / "files.json").read_text(encoding="utf-8"))["snapshot"]

    full = build_site(tmp_path / "full")
    assert key(full) == key(build_site(tmp_path / "again"))
    mini = build_site(tmp_path / "mini", skills_dir=FIXTURES / "skills-mini")
    assert key(mini) != key(full)  # other skills, other heap

    # Same skills, one word of one card's first step changed: the engine's data changes, so must the key.
    skills = tmp_path / "skills"
    shutil.copytree(FIXTURES / "skills-mini", skills)
    card = skills / "ask-kindly.md"
    card.write_text(card.read_text(encoding="utf-8").replace("Take one slow breath.", "Take one long breath."),
                    encoding="utf-8")
    edited = build_site(tmp_path / "edited", skills_dir=skills)
    assert (edited / "engine" / "skills.json").read_bytes() != (mini / "engine" / "skills.json").read_bytes()
    assert key(edited) != key(mini)
