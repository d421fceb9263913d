"""A small static server for site/: production headers, right MIME types, any sub-path, GET only."""

import hashlib
import mimetypes
import posixpath
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .headers import headers_for, load_rules

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".zip": "application/zip",
    ".py": "text/x-python; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


class Handler(SimpleHTTPRequestHandler):
    server_version = "BetweenSessions"
    sys_version = ""

    def __init__(self, *args, site, rules, prefix, **kwargs):
        self.site, self.rules, self.prefix = site, rules, prefix
        super().__init__(*args, directory=str(site), **kwargs)

    def _site_path(self):
        """The request path relative to the mount point, or None if outside it."""
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.prefix):
            return None
        rel = "/" + path[len(self.prefix):]
        rel = posixpath.normpath(rel) + ("/" if rel.endswith("/") and rel != "/" else "")
        return rel if ".." not in rel.split("/") else None

    def _resolve(self):
        rel = self._site_path()
        if rel is None:
            return None, None
        file = self.site / rel.lstrip("/")
        if rel.endswith("/") or file.is_dir():
            if not rel.endswith("/"):
                return rel, "redirect"
            file = file / "index.html"
        return rel, file if file.is_file() else None

    def do_GET(self):
        self._serve(head=False)

    def do_HEAD(self):
        self._serve(head=True)

    def _refuse(self):
        self._plain(405, b"Method not allowed", head=False, extra={"Allow": "GET, HEAD"})

    def _plain(self, status, body, head, extra=None):
        # Netlify applies [[headers]] by path whatever the status, so errors carry the policy too.
        headers = {"Content-Type": "text/plain; charset=utf-8", **headers_for(self._site_path() or "/", self.rules)}
        self._send(status, {**headers, **(extra or {})}, body, head)

    def _send(self, status, headers, body, head):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)
        if self.command == "GET":  # a 304 is a GET sent without a body
            self.server.responses.append((self._site_path() or urlsplit(self.path).path, status, 0 if head else len(body)))

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse

    def _serve(self, head):
        rel, file = self._resolve()
        if file == "redirect":
            self._plain(301, b"", head, extra={"Location": self.prefix + rel.lstrip("/") + "/"})
            return
        if file is None:
            self._plain(404, b"Not found", head)
            return
        data = file.read_bytes()
        header_path = rel if not rel.endswith("/") else rel + "index.html"
        headers = {"Content-Type": TYPES.get(file.suffix, mimetypes.guess_type(file.name)[0] or "application/octet-stream")}
        headers.update(headers_for(header_path, self.rules))
        # Strong validators, as Netlify sends, so a revalidated file costs a 304 and no body.
        headers["ETag"] = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        if self.headers.get("If-None-Match") == headers["ETag"]:
            self._send(304, {k: v for k, v in headers.items() if k != "Content-Type"}, b"", head=True)
            return
        self._send(200, headers, data, head)

    def log_message(self, format, *args):  # quiet: tests and people read their own output
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.responses = []  # every GET answered: (site path, status, body bytes); tests and bench/ count them

    def handle_error(self, request, client_address):  # a browser closing a connection early is not news
        pass


class SiteServer:
    """Serve site_dir on 127.0.0.1 under prefix ('/' or '/some/sub/path/'). Port 0 picks a free port."""

    def __init__(self, site_dir, root, prefix="/", port=0):
        prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        handler = partial(Handler, site=Path(site_dir), rules=load_rules(root), prefix=prefix)
        self.httpd = QuietServer(("127.0.0.1", port), handler)
        self.taken = 0
        self.prefix = prefix
        self.thread = None

    @property
    def url(self):
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{self.prefix}"

    def take(self):
        """The GET responses since the last take(), in order: (site path, status, body bytes)."""
        answered = list(self.httpd.responses)
        new, self.taken = answered[self.taken:], len(answered)
        return new

    def start(self):
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
