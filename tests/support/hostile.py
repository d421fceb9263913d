"""Hostile strings: what a confused, curious or malicious person (or a tampered file) might put in any field.

Every browser test that types, imports or shows text can run these. The promise is the same for each:
nothing runs (no dialog, no window.__pwned, no CSP violation), nothing breaks, and the text comes
back exactly as typed because it is only ever handled as text (textContent / value).

Strings a Python test cannot send through Playwright (lone surrogates cannot be encoded as UTF-8)
are built inside the page by JS_ONLY expressions instead.
"""

# Typed into every field of every journey; must never appear in any request, URL, title or file name.
SENTINEL = "zq7SENTINELx4k"

# Each payload that would run code sets window.__pwned or calls alert/confirm/prompt (the guard fails on dialogs).
MARKUP = [
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=1</script>",
    '"><svg onload=alert(1)>',
    "'><iframe src=javascript:alert(1)>",
    "</textarea></title><script>window.__pwned=1</script>",
    '<a href="javascript:window.__pwned=1">tap</a>',
    '<details open ontoggle="window.__pwned=1">',
    "<style>*{display:none}</style>",
    '<div style="position:fixed;inset:0;background:red">cover</div>',
    "<!-- unclosed comment",
    "<![CDATA[ x ]]>",
    "&lt;b&gt; &amp; &#x3C;i&#x3E; &nbsp;",
]
URLS = [
    "javascript:window.__pwned=1",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://evil.example/steal?d=",
    "//evil.example/x",
]
CODE = [
    "'; window.__pwned=1; //",
    '"); window.__pwned=1; ("',
    "${window.__pwned=1}",
    "{{constructor.constructor('window.__pwned=1')()}}",
    "__proto__",
    "constructor",
    '{"__proto__": {"polluted": true}}',
    "</script><script>alert(1)</script>",
]
UNICODE = [
    "\u202eevil\u202c text",  # right-to-left override
    "\u2066isolate\u2069 \u200f\u200e marks",
    "zero\u200bwidth\u200c\u200djoin\ufeffbom",
    "combining Z\u0337\u0327a\u0338l\u0335g\u0336o\u0337",
    "family \U0001F469\u200D\U0001F469\u200D\U0001F467 and flag \U0001F1F3\U0001F1FF",
    "\u0000nul and \u0007 bell",
    "tab\there",
    "ﬁ ligature, Ω ohm, ℌ",
]
SHORT = MARKUP + URLS + CODE + UNICODE
LONG = "long " + "x" * 20_000 + " end"  # much longer than any field allows
ALL = SHORT + [LONG]

# Built in the page: Python cannot hand lone surrogates to Playwright.
JS_ONLY = {
    "lone high surrogate": "'a' + String.fromCharCode(0xD800) + 'b'",
    "lone low surrogate": "'a' + String.fromCharCode(0xDC00) + 'b'",
    "reversed pair": "String.fromCharCode(0xDC00, 0xD800)",
}


def no_script_ran(page):
    """True when no payload ran: nothing set window.__pwned or polluted Object.prototype."""
    return page.evaluate("() => window.__pwned === undefined && ({}).polluted === undefined")
