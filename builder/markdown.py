"""The small part of Markdown that skill cards use: paragraphs, numbered and bulleted lists.

Everything is HTML-escaped; there is no way to put markup in a card.
"""

import re
from html import escape

NUMBERED = re.compile(r"^\d+\.\s+(.*)$")
BULLET = re.compile(r"^[-*]\s+(.*)$")


def blocks(text):
    """Split text into ("p", str) | ("ol", [str]) | ("ul", [str]) blocks."""
    out = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.strip() for ln in chunk.splitlines() if ln.strip()]
        if not lines:
            continue
        if NUMBERED.match(lines[0]):
            out.append(("ol", _items(lines, NUMBERED)))
        elif BULLET.match(lines[0]):
            out.append(("ul", _items(lines, BULLET)))
        else:
            out.append(("p", " ".join(lines)))
    return out


def _items(lines, pattern):
    items = []
    for ln in lines:
        m = pattern.match(ln)
        if m:
            items.append(m.group(1).strip())
        elif items:  # a wrapped line continues the item above
            items[-1] += " " + ln
    return items


def to_html(text):
    html = []
    for kind, body in blocks(text):
        if kind == "p":
            html.append(f"<p>{escape(body)}</p>")
        else:
            lis = "".join(f"<li>{escape(item)}</li>" for item in body)
            html.append(f"<{kind}>{lis}</{kind}>")
    return "\n".join(html)
