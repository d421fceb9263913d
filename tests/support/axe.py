"""axe-core for the accessibility tests: test-only, never shipped with the site.

axe is injected as a script tag, which the production Content-Security-Policy rightly blocks,
so it runs only in a browser context made with bypass_csp=True. Every other test keeps the
production policy (tests/conftest.py).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe has no wcag22a tag: 2.2 added no new A rules it checks).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def run_axe(page, include=None):
    """Run axe on the page as it is now; return the list of violations (dicts from axe)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return page.evaluate(
        "([context, options]) => axe.run(context || document, options).then(r => r.violations)",
        [include, options],
    )


def describe(violations):
    """A readable report: rule, impact, what to fix, and where."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v.get('impact')}): {v['help']} [{v['helpUrl'].split('?')[0]}]")
        for node in v["nodes"][:8]:
            lines.append(f"    at {' '.join(node['target'])}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
            lines.append(f"       {node['html'][:160]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


# Every page type the accessibility tests visit.
PAGE_TYPES = ["start", "skills index", "module", "card", "guide", "worksheet", "history", "help", "safety"]


def page_paths(site_dir):
    """Page type -> path in the built site (the first skill card and module, sorted by name)."""
    card = sorted(p.name for p in (site_dir / "skills").glob("*.html") if p.name != "index.html")[0]
    module = sorted(p.name for p in (site_dir / "modules").glob("*.html"))[0]
    return {
        "start": "index.html",
        "skills index": "skills/index.html",
        "module": f"modules/{module}",
        "card": f"skills/{card}",
        "guide": "guide.html",
        "worksheet": "worksheet.html",
        "history": "history.html",
        "help": "help.html",
        "safety": "safety.html",
    }
