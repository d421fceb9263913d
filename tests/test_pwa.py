"""The build's manifest, icons and service worker: what they contain, checked without a browser."""

import hashlib
import json
import re
import struct
import xml.etree.ElementTree as ET
import zlib

import pytest
from conftest import FIXTURES, build_site

from builder import pwa
from builder.errors import BuildError

MINI = FIXTURES / "skills-mini"
CLINIC = """
app_name = "Harbour Skills"
short_name = "Harbour"
theme_color = "#7a3b69"
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("pwa") / "site", skills_dir=MINI)


@pytest.fixture(scope="module")
def clinic_site(tmp_path_factory):
    settings = tmp_path_factory.mktemp("clinic")
    (settings / "clinic.toml").write_text(CLINIC, encoding="utf-8")
    return build_site(tmp_path_factory.mktemp("pwa-clinic") / "site", skills_dir=MINI, settings_root=settings)


def read_manifest(site):
    return json.loads((site / "manifest.webmanifest").read_text(encoding="utf-8"))


def read_sw_build(site):
    text = (site / "sw.js").read_text(encoding="utf-8")
    match = re.search(r"^const BUILD = (\{.*?\n\});$", text, re.S | re.M)
    assert match, "sw.js holds its build data"
    return json.loads(match.group(1))


def decode_png(data):
    """A small PNG reader for what pwa.py writes (8-bit RGBA, filter 0): (width, height, rows of RGBA)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, f"bad CRC in {kind}"
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour_type, *_ = header
    assert (depth, colour_type) == (8, 6)
    raw = zlib.decompress(idat)
    stride = 1 + 4 * width
    rows = []
    for y in range(height):
        line = raw[y * stride:(y + 1) * stride]
        assert line[0] == 0
        rows.append([tuple(line[1 + 4 * x:5 + 4 * x]) for x in range(width)])
    return width, height, rows


def test_manifest_comes_from_the_clinic_settings(site, clinic_site):
    default, clinic = read_manifest(site), read_manifest(clinic_site)
    assert (default["name"], default["short_name"], default["theme_color"]) == ("Between Sessions", "Between", "#2f5d62")
    assert (clinic["name"], clinic["short_name"], clinic["theme_color"]) == ("Harbour Skills", "Harbour", "#7a3b69")
    assert clinic["description"].startswith("Harbour Skills ")


def test_manifest_is_installable_under_any_sub_path(site):
    m = read_manifest(site)
    # Relative to the manifest, which sits at the site root: the same file works at / and at /a/b/.
    assert (m["start_url"], m["scope"]) == ("./", "./")
    assert "id" not in m, "an id resolves against the origin: two sub-path installs on one host would clash"
    assert m["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", m["background_color"])
    assert "stays on this device" in m["description"] and "nothing is sent" in m["description"]
    for url in [m["start_url"], *(s["url"] for s in m["shortcuts"]), *(i["src"] for i in m["icons"])]:
        assert not url.startswith("/") and "://" not in url, url


def test_manifest_icons_cover_every_platform_and_exist(site):
    icons = read_manifest(site)["icons"]
    kinds = {(i["sizes"], i["type"], i["purpose"]) for i in icons}
    assert ("192x192", "image/png", "any") in kinds
    assert ("512x512", "image/png", "any") in kinds
    assert ("512x512", "image/png", "maskable") in kinds
    assert ("any", "image/svg+xml", "any") in kinds
    for icon in icons:
        data = (site / icon["src"]).read_bytes()
        if icon["type"] == "image/png":
            width, height, _ = decode_png(data)
            assert f"{width}x{height}" == icon["sizes"]


def test_shortcuts_open_the_worksheet_help_and_skills(site):
    shortcuts = {s["name"]: s["url"] for s in read_manifest(site)["shortcuts"]}
    assert shortcuts == {"New worksheet": "./worksheet.html", "Get help now": "./help.html", "Skills": "./skills/index.html"}
    for url in shortcuts.values():
        assert (site / url).is_file()


def test_icons_are_drawn_in_the_clinic_colour(clinic_site):
    theme = (0x7A, 0x3B, 0x69, 255)
    _, _, tile = decode_png((clinic_site / "icons" / "icon-512.png").read_bytes())
    assert tile[0][0][3] == 0, "the 'any' icon has rounded, transparent corners"
    assert tile[256][40] == theme
    assert tile[300][256] == (255, 255, 255, 255), "the mark is white"
    _, _, bleed = decode_png((clinic_site / "icons" / "icon-maskable-512.png").read_bytes())
    assert bleed[0][0] == theme and bleed[511][511] == theme, "maskable icons fill the whole square"
    # The mark stays inside the maskable safe zone: a circle of 40% of the size around the centre.
    for y, row in enumerate(bleed):
        for x, px in enumerate(row):
            if px != theme:
                assert (x + 0.5 - 256) ** 2 + (y + 0.5 - 256) ** 2 <= (0.4 * 512) ** 2
    svg = ET.fromstring((clinic_site / "icons" / "icon.svg").read_text(encoding="utf-8"))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert "#7a3b69" in {el.get("fill") for el in svg.iter()}


def test_edges_are_anti_aliased(site):
    _, _, rows = decode_png((site / "icons" / "icon-512.png").read_bytes())
    alphas = {px[3] for px in rows[0]}
    assert len(alphas) > 3, "the rounded corner shades smoothly from clear to solid"


def test_a_theme_colour_that_is_not_a_colour_is_a_build_error(tmp_path):
    (tmp_path / "clinic.toml").write_text('theme_color = "teal-ish"\n', encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build_site(tmp_path / "out", skills_dir=MINI, settings_root=tmp_path)
    assert "clinic.toml" in str(err.value) and "theme_color" in str(err.value)


def test_service_worker_precaches_every_file_with_its_hash(site):
    build = read_sw_build(site)
    on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} - {"sw.js"}
    listed = {**build["app"], **build["runtime_files"]}
    assert set(listed) == on_disk
    assert set(build["runtime_files"]) == {p for p in on_disk if p.startswith("pyodide/")}
    assert any(p.endswith("pyodide.asm.wasm") for p in build["runtime_files"])
    for rel, digest in listed.items():
        assert hashlib.sha256((site / rel).read_bytes()).hexdigest() == digest
    assert build["offline"] == "offline.html" and (site / "offline.html").is_file()


def test_service_worker_names_no_other_origin(site):
    text = (site / "sw.js").read_text(encoding="utf-8")
    assert "://" not in text
    assert "importScripts" not in text


def test_cache_names_follow_content_not_hand_edits(tmp_path, site):
    first = read_sw_build(site)
    # Same input: same worker, byte for byte.
    again = build_site(tmp_path / "again", skills_dir=MINI)
    assert (again / "sw.js").read_bytes() == (site / "sw.js").read_bytes()
    # Change one skill's words: a new app cache, but the runtime cache (and its download) is kept.
    skills = tmp_path / "skills"
    skills.mkdir()
    for card in MINI.glob("*.md"):
        (skills / card.name).write_text(card.read_text(encoding="utf-8"), encoding="utf-8")
    card = skills / "cool-down.md"
    card.write_text(card.read_text(encoding="utf-8").replace("Take one slow breath.", "Take two slow breaths."),
                    encoding="utf-8")
    changed = read_sw_build(build_site(tmp_path / "changed", skills_dir=skills))
    assert changed["version"] != first["version"]
    assert changed["runtime"] == first["runtime"]
    assert changed["runtime"].startswith("pyodide-")


def test_icons_are_deterministic():
    theme = pwa._colour("#2f5d62")
    assert pwa.icon_png(192, theme, False) == pwa.icon_png(192, theme, False)
    assert pwa.icon_svg("#2f5d62") == pwa.icon_svg("#2f5d62")


@pytest.mark.parametrize("prefix", ["/", "/some/sub/path/"])
def test_runtime_is_cached_for_good_and_pages_and_worker_are_revalidated(site, serve, prefix):
    from urllib.request import Request, urlopen

    base = serve(site, prefix=prefix).url

    def head(rel):
        with urlopen(Request(base + rel, method="HEAD")) as response:
            return response.headers

    runtime = read_sw_build(site)["runtime_files"]
    for rel in runtime:
        assert "immutable" in head(rel)["Cache-Control"] and "max-age=31536000" in head(rel)["Cache-Control"], rel
    wasm = next(rel for rel in runtime if rel.endswith(".wasm"))
    assert head(wasm)["Content-Type"] == "application/wasm"
    for rel in ["index.html", "skills/index.html", "offline.html", "sw.js"]:
        assert head(rel)["Cache-Control"] == "no-cache", rel
    assert head("sw.js")["Content-Type"].startswith("text/javascript")
    assert head("manifest.webmanifest")["Content-Type"] == "application/manifest+json"
    assert head("icons/icon.svg")["Content-Type"] == "image/svg+xml"
