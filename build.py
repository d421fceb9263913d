"""Build Between Sessions into site/, or build and serve it.

    python build.py                  build site/
    python build.py serve [--port N] [--prefix /sub/path/]
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from builder.errors import BuildError  # noqa: E402
from builder.site import build  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="build", choices=["build", "serve"])
    parser.add_argument("--out", default=str(ROOT / "site"), help="output folder (default: site/)")
    parser.add_argument("--settings", default=None, help="folder holding clinic.toml (default: the project folder)")
    parser.add_argument("--port", type=int, default=8000, help="port for serve (default 8000; 0 picks a free one)")
    parser.add_argument("--prefix", default="/", help="serve under this sub-path, e.g. /some/sub/path/")
    args = parser.parse_args(argv)
    try:
        out = build(ROOT, args.out, args.settings)
    except BuildError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(f"built {out}")
    if args.command == "serve":
        from builder.server import SiteServer

        server = SiteServer(out, ROOT, prefix=args.prefix, port=args.port)
        print(f"serving {server.url}  (Ctrl+C to stop)", flush=True)
        try:
            server.httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
