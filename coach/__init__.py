"""Between Sessions suggestion engine: pure Python, standard library only, no I/O.

    suggest(request, skills, history=None) -> {"crisis_first", "suggestions", "notes"}
        Raises RequestError (message names the field and what is allowed) for bad input.
    handle(call_json_text, skills) -> response JSON text
        Takes {"request": {...}, "history": [...] or null} and never raises: any problem
        comes back as {"error": "..."}. The browser worker calls this.

`skills` is the list that builder.skills.engine_data() makes (site/engine/skills.json).
The request, history and response are described as JSON Schema in coach.schema.
"""

import json

from .engine import suggest, validate
from .schema import ENVELOPE_SCHEMA, HISTORY_SCHEMA, REQUEST_SCHEMA, RESPONSE_SCHEMA, RequestError, plain

__all__ = [
    "suggest",
    "handle",
    "validate",
    "RequestError",
    "REQUEST_SCHEMA",
    "HISTORY_SCHEMA",
    "ENVELOPE_SCHEMA",
    "RESPONSE_SCHEMA",
]


def call(envelope, skills):
    """Run one {"request": ..., "history": ...} call on Python values. Never raises."""
    try:
        if not isinstance(envelope, dict) or "request" not in envelope:
            raise RequestError('call: must be an object {"request": {...}, "history": [...]}')
        for key in envelope:
            if key not in ("request", "history"):
                raise RequestError(f"call: '{plain(key, 40)}' is not a field here; allowed fields are: request, history")
        return suggest(envelope["request"], skills, envelope.get("history"))
    except RequestError as exc:
        return {"error": str(exc)}
    except RecursionError:
        return {"error": "request: nested too deeply"}
    except Exception as exc:  # a bug in the engine: report it as data, never crash the caller
        return {"error": f"engine failed: {type(exc).__name__}: {exc}"}


def handle(call_json_text, skills):
    """JSON text in, JSON text out; see call()."""
    try:
        envelope = json.loads(call_json_text)
    except (ValueError, TypeError, RecursionError) as exc:
        return json.dumps({"error": f"request: not valid JSON ({plain(exc, 80)})"})
    return json.dumps(call(envelope, skills), ensure_ascii=False)
