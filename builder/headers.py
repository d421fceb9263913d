"""Response headers from netlify.toml, the one place they are set.

The local server and the tests use this, so every browser test runs under the production policy.
"""

import re
import tomllib
from pathlib import Path

# Netlify's default when no rule sets Cache-Control: always revalidate.
DEFAULT_CACHE_CONTROL = "public, max-age=0, must-revalidate"


def load_rules(root):
    config = tomllib.loads((Path(root) / "netlify.toml").read_text(encoding="utf-8"))
    return [(rule["for"], dict(rule["values"])) for rule in config.get("headers", [])]


def _pattern(rule_path):
    # Netlify path rules: '*' matches anything (slashes included); ':name' matches one segment.
    parts = []
    for token in re.split(r"(\*|:[A-Za-z_]+)", rule_path):
        if token == "*":
            parts.append(".*")
        elif token.startswith(":"):
            parts.append("[^/]+")
        else:
            parts.append(re.escape(token))
    return re.compile("^" + "".join(parts) + "$")


def headers_for(path, rules):
    """Headers for a site path such as '/skills/tipp.html'. Matching rules are merged in order."""
    merged = {}
    for rule_path, values in rules:
        if _pattern(rule_path).match(path):
            for name, value in values.items():
                merged[name] = f"{merged[name]}, {value}" if name in merged else value
    if not any(name.lower() == "cache-control" for name in merged):
        merged["Cache-Control"] = DEFAULT_CACHE_CONTROL
    return merged
