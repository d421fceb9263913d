"""The generated contract: what the browser reads is exactly what Python defines, and no page, script or
template keeps a hand-made copy of it."""

import json
import re
import subprocess
from pathlib import Path

import pytest

from builder import contract
from coach import vocab

ROOT = Path(__file__).resolve().parents[1]
BROWSER_FILES = sorted(
    [*(ROOT / "static").rglob("*.js"), ROOT / "builder" / "sw.js", *(ROOT / "templates").glob("*.html")]
)
STRING = re.compile(r"""(["'`])((?:(?!\1)[^\\\n]|\\.)*)\1""")


def literals(text):
    """String literals in JavaScript or in a template's attributes, as (line number, value)."""
    for number, line in enumerate(text.splitlines(), start=1):
        code = line.split("//", 1)[0] if not line.lstrip().startswith("{#") else ""
        for match in STRING.finditer(code):
            yield number, match.group(2)


def label_words():
    """Every human-readable label the vocabulary holds (long enough to be unmistakable)."""
    tables = (vocab.CALL_KINDS, vocab.CALL_KINDS_SHORT, vocab.URGES, vocab.PRIORITIES, vocab.PRIORITIES_SHORT,
              vocab.TRIED_RESULTS, vocab.TRIED_RESULTS_SHORT, vocab.CAN_CHANGE, vocab.FITS_FACTS)
    return {label for table in tables for label in table.values() if len(label) >= 8}


VOCABULARIES = {
    "urge kinds": set(vocab.URGES) - {"other"},
    "call kinds": set(vocab.CALL_KINDS),
    "emotions": set(vocab.EMOTIONS),
    "answers": set(vocab.ANSWERS),
    "priorities": set(vocab.PRIORITIES),
    "results": set(vocab.TRIED_RESULTS),
}


def test_contract_js_is_the_python_contract(tmp_path):
    """Import the generated module in Node: every export equals the Python value, frozen."""
    data = contract.browser_contract()
    path = tmp_path / "contract.mjs"
    path.write_text(contract.module_text(data), encoding="utf-8")
    script = (f"import * as c from {json.dumps(path.as_uri())};"
              "const frozen = Object.values(c).every((v) => typeof v !== 'object' || Object.isFrozen(v));"
              "console.log(JSON.stringify({ exports: c, frozen }));")
    out = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True)
    seen = json.loads(out.stdout)
    assert seen["exports"] == json.loads(json.dumps(data))
    assert seen["frozen"]


def test_contract_keeps_the_order_pages_list_things_in():
    text = contract.module_text(contract.browser_contract())
    line = next(line for line in text.splitlines() if line.startswith("export const VOCAB = "))
    generated = json.loads(line[len("export const VOCAB = freeze("):-len(");")])
    assert list(generated["urges"]) == list(vocab.URGES)
    assert list(generated["callKinds"]) == list(vocab.CALL_KINDS)


def test_every_storage_key_starts_with_the_prefix():
    """"Delete everything" removes keys by the prefix: a key without it would outlive it."""
    assert all(key.startswith(contract.PREFIX) for key in contract.KEYS.values())
    assert not any(key.startswith(contract.PREFIX) for key in contract.LEGACY_KEYS.values())


@pytest.mark.parametrize("path", BROWSER_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_browser_file_restates_the_contract(path):
    text = path.read_text(encoding="utf-8")
    where = path.relative_to(ROOT).as_posix()
    keys = set(contract.KEYS.values()) | set(contract.LEGACY_KEYS.values()) | {contract.APP_ID}
    labels = label_words()
    problems = []
    by_line = {}
    for number, value in literals(text):
        by_line.setdefault(number, set()).add(value)
        if value in keys or (value.startswith(contract.PREFIX) and len(value) > len(contract.PREFIX)):
            problems.append(f"{where}:{number}: storage key {value!r}: import KEYS from contract.js (or read it from the template's contract)")
        if value in labels:
            problems.append(f"{where}:{number}: vocabulary label {value!r}: import VOCAB from contract.js (or use the template's vocab)")
    for number, values in by_line.items():
        for name, ids in VOCABULARIES.items():
            found = sorted(values & ids)
            if len(found) >= 2:
                problems.append(f"{where}:{number}: a list of {name} ({', '.join(found)}): take it from contract.js, do not restate it")
    if path.suffix == ".html":
        for number, line in enumerate(text.splitlines(), start=1):
            if re.search(r'\b(maxlength|minlength)="\d+"', line):
                problems.append(f"{where}:{number}: a field limit written by hand: use contract.LIMITS")
    assert not problems, "\n".join(problems)
