"""The precompiled, trimmed standard library (builder/runtime.py + builder/stdlib.mjs).

The worker loads a zip of .pyc compiled by Pyodide's own Python instead of Pyodide's zip of
.py sources, so start-up skips compiling ~130 modules. These tests check that the zip is
deterministic, holds what the engine needs and nothing of the sources, and that the engine
still answers in a real browser with it.
"""

import json
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, engine_ready

from builder import runtime
from builder.errors import BuildError

SKILLS = [{
    "id": "stop", "name": "STOP", "module": "distress-tolerance", "summary": "Stop before acting.",
    "intensity": [5, 10], "minutes": [1, 2], "emotions": ["anger"], "urges": ["self-harm"],
    "situations": [], "tags": ["crisis-survival", "body-based"], "related": [], "first_step": "Freeze.",
}]


@pytest.fixture(scope="module")
def shipped(site_dir):
    files = json.loads((site_dir / "engine" / "files.json").read_text(encoding="utf-8"))
    return site_dir / files["stdlib"], files


def test_files_json_points_the_worker_at_the_zip(shipped, site_dir):
    path, files = shipped
    assert path.is_file()
    assert files["stdlib"].startswith(files["runtime"])
    assert not (site_dir / files["runtime"] / "python_stdlib.zip").exists()  # the .py zip is not shipped


def test_zip_holds_only_compiled_modules_with_fixed_times(shipped):
    path, _ = shipped
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert all(n.endswith(".pyc") for n in names), [n for n in names if not n.endswith(".pyc")][:5]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        # What the engine and the worker import (read from coach/), and what Pyodide boots with.
        for needed in ("json/__init__.pyc", "json/decoder.pyc", "json/encoder.pyc", "re/__init__.pyc",
                       "traceback.pyc", "encodings/__init__.pyc", "encodings/utf_8.pyc",
                       "_pyodide/__init__.pyc", "pyodide/ffi/__init__.pyc"):
            assert needed in names
        # Unchecked hash-based .pyc (PEP 552, flags == 1): no timestamp inside, never revalidated.
        header = zf.read("json/__init__.pyc")[:8]
        assert int.from_bytes(header[4:8], "little") == 1
        # Trimmed: the npm zip has ~560 modules; boot plus the engine need about 130.
        assert 80 < len(names) < 250
    assert path.stat().st_size < 1_000_000


def test_zip_name_changes_with_its_bytes(shipped):
    import hashlib

    path, _ = shipped
    assert path.name == f"stdlib-{hashlib.sha256(path.read_bytes()).hexdigest()[:12]}.zip"


def test_cache_key_follows_the_engine_code(tmp_path):
    key = runtime.cache_key(ROOT)
    assert key == runtime.cache_key(ROOT)
    # A copy of the project with one engine file changed gets another key.
    fake = tmp_path / "project"
    (fake / "coach").mkdir(parents=True)
    for src in (ROOT / "coach").glob("*.py"):
        (fake / "coach" / src.name).write_bytes(src.read_bytes())
    (fake / "node_modules").symlink_to(ROOT / "node_modules")
    assert runtime.cache_key(fake) == key
    (fake / "coach" / "engine.py").write_bytes((ROOT / "coach" / "engine.py").read_bytes() + b"\n# changed\n")
    assert runtime.cache_key(fake) != key


def test_fresh_builds_give_the_same_bytes(tmp_path, monkeypatch):
    """Two builds from an empty cache (Node + Pyodide each time) produce identical zips."""
    zips = []
    for name in ("a", "b"):
        monkeypatch.setattr(runtime, "CACHE_DIR", tmp_path / name)
        zips.append(runtime.stdlib_zip(ROOT, SKILLS).read_bytes())
    assert zips[0] == zips[1]
    summary = json.loads(next((tmp_path / "a").glob("*.json")).read_text(encoding="utf-8"))
    assert summary["python"].startswith("3.14")
    assert summary["answered"] > 30  # the engine answered every probe call


def test_missing_node_is_a_clear_build_error(tmp_path, monkeypatch):
    monkeypatch.setattr(runtime, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(runtime.shutil, "which", lambda name: None)
    with pytest.raises(BuildError) as err:
        runtime.stdlib_zip(ROOT, SKILLS)
    assert "Node.js" in str(err.value)


@pytest.mark.browser
def test_engine_answers_in_the_browser_with_the_precompiled_zip(page, guard, shipped):
    path, _ = shipped
    page.goto("worksheet.html")
    result = page.evaluate("""async () => {
        const { startEngine, suggest } = await import("./js/engine.js");
        startEngine();
        return suggest({ call_kind: "crisis", urges: [{ kind: "self-harm", strength: 9 }],
                         situation: "ünïcödé “quotes” 😊" }, [{ skill: "tipp", rating: 4 }]);
    }""")
    engine_ready(page)
    assert result["crisis_first"] is True
    assert result["suggestions"]
    fetched = [Path(urlsplit(r.url).path).name for r in guard.requests]
    assert path.name in fetched
    assert "python_stdlib.zip" not in fetched
    assert "pyodide-lock.json" not in fetched
