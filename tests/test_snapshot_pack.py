"""static/worker/snapshot-pack.js, run natively in Node: packing drops zero pages and loses nothing."""

import json
import shutil
import subprocess

import pytest
from conftest import ROOT

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(not NODE, reason="Node.js is needed (the build needs it too)")

SCRIPT = """
import { pack, unpack } from %s;
const out = {};
// A heap-like buffer: mostly zero pages, some data, an odd length (the last page is short).
const heap = new Uint8Array(4096 * 40 + 123);
for (let p = 0; p < 40; p += 3) for (let i = 0; i < 4096; i += 7) heap[p * 4096 + i] = (p * 31 + i) & 255;
heap[4096 * 17 + 4095] = 1;            // a page whose only byte is its last
heap[heap.length - 1] = 9;             // the short last page
const packed = pack(heap);
const back = unpack(packed.buffer.slice(packed.byteOffset, packed.byteOffset + packed.byteLength));
out.same = back.length === heap.length && back.every((b, i) => b === heap[i]);
out.ratio = packed.byteLength / heap.byteLength;
out.empty = unpack(pack(new Uint8Array(8192))).every((b) => b === 0);
// An unaligned view packs too.
const wide = new Uint8Array(8192 + 1); wide[5] = 3;
out.unaligned = unpack(pack(wide.subarray(1))).every((b, i) => b === wide[i + 1]);
out.errors = [];
const tries = {
  short: packed.subarray(0, 10),
  magic: (() => { const c = packed.slice(); c[0] ^= 1; return c; })(),
  truncated: packed.subarray(0, packed.byteLength - 1),
  longer: (() => { const c = new Uint8Array(packed.byteLength + 1); c.set(packed); return c; })(),
  order: (() => { const c = packed.slice(); const v = new DataView(c.buffer); v.setUint32(24, v.getUint32(20, true), true); return c; })(),
};
for (const [name, bytes] of Object.entries(tries)) {
  try { unpack(bytes); out.errors.push([name, null]); } catch (e) { out.errors.push([name, e.message]); }
}
console.log(JSON.stringify(out));
"""


def test_pack_round_trips_and_refuses_damage(tmp_path):
    module = (ROOT / "static" / "worker" / "snapshot-pack.js").as_uri()
    script = tmp_path / "check.mjs"
    script.write_text(SCRIPT % json.dumps(module), encoding="utf-8")
    run = subprocess.run([NODE, str(script)], capture_output=True, text=True, timeout=60, check=True)
    out = json.loads(run.stdout)
    assert out["same"] and out["empty"] and out["unaligned"]
    assert out["ratio"] < 0.45  # 14 of 41 pages carry data
    for name, message in out["errors"]:
        assert message and "snapshot" in message, name
