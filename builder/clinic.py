"""Clinic settings: one TOML file at the top level, with defaults so the app builds without it."""

import tomllib
from pathlib import Path

from .errors import Problem

SETTINGS_FILE = "clinic.toml"

DEFAULTS = {
    "app_name": "Between Sessions",
    "short_name": "Between",
    "clinic_name": "",
    "locale": "en",
    "theme_color": "#2f5d62",
    "quick_exit_url": "https://www.wikipedia.org/",
    "coaches": [],
}


def load_settings(root):
    """Read clinic.toml under root if present. Returns (settings, problems)."""
    root = Path(root)
    path = root / SETTINGS_FILE
    settings = {k: (list(v) if isinstance(v, list) else v) for k, v in DEFAULTS.items()}
    problems = []
    if not path.exists():
        return settings, problems
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(SETTINGS_FILE, None, f"not valid TOML ({exc}): check quotes and brackets"))
        return settings, problems
    for key, value in data.items():
        if key not in DEFAULTS:
            problems.append(Problem(SETTINGS_FILE, None, f"unknown setting '{key}': allowed settings are {', '.join(DEFAULTS)}"))
        else:
            settings[key] = value
    return settings, problems
