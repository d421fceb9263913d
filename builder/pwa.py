"""Web app manifest, icons and the service worker, written last so the worker can hash every file."""

import json


def write(root, out, settings):
    manifest = {
        "name": settings["app_name"],
        "short_name": settings["short_name"],
        "start_url": "./index.html",
        "scope": "./",
        "display": "standalone",
        "theme_color": settings["theme_color"],
        "background_color": "#ffffff",
    }
    (out / "manifest.webmanifest").write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
