// Packs the engine's memory snapshot for Cache Storage without its all-zero pages.
//
// A started engine's heap is 30 MB, and about 60 % of its 4 KB pages are zero. Leaving them out
// makes the stored copy about 12 MB: less of the person's storage, and less to read at every start.
// Layout (little-endian u32s): MAGIC, VERSION, full length, page size, n, then n page numbers, then
// those n pages' bytes (the last page may be short). Unpacking gives back the exact bytes.

const MAGIC = 0x4e535342; // "BSSN"
const VERSION = 1;
const PAGE = 4096;
const HEADER = 5;

export function pack(input) {
  const bytes = input.byteOffset % 4 ? input.slice() : input; // a Uint32Array view needs alignment
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
  const pages = [];
  const count = Math.ceil(bytes.byteLength / PAGE);
  for (let p = 0; p < count; p++) {
    const start = p * PAGE;
    const end = Math.min(bytes.byteLength, start + PAGE);
    let used = false;
    // Whole words first (the heap is word-aligned), then any tail bytes.
    for (let w = start >> 2; w < end >> 2; w++) if (words[w] !== 0) { used = true; break; }
    for (let i = end & ~3; !used && i < end; i++) if (bytes[i] !== 0) used = true;
    if (used) pages.push(p);
  }
  const head = (HEADER + pages.length) * 4;
  const size = pages.reduce((sum, p) => sum + Math.min(PAGE, bytes.byteLength - p * PAGE), 0);
  const out = new Uint8Array(head + size);
  const view = new DataView(out.buffer);
  [MAGIC, VERSION, bytes.byteLength, PAGE, pages.length].forEach((v, i) => view.setUint32(i * 4, v, true));
  pages.forEach((p, i) => view.setUint32((HEADER + i) * 4, p, true));
  let at = head;
  for (const p of pages) {
    const page = bytes.subarray(p * PAGE, Math.min(bytes.byteLength, (p + 1) * PAGE));
    out.set(page, at);
    at += page.byteLength;
  }
  return out;
}

export function unpack(packed) {
  const data = packed instanceof Uint8Array ? packed : new Uint8Array(packed);
  if (data.byteLength < HEADER * 4) throw new Error("snapshot is too short");
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const [magic, version, length, page, n] = Array.from({ length: HEADER }, (_, i) => view.getUint32(i * 4, true));
  if (magic !== MAGIC || version !== VERSION || page !== PAGE) throw new Error("snapshot has an unknown format");
  const head = (HEADER + n) * 4;
  if (data.byteLength < head || n > Math.ceil(length / PAGE)) throw new Error("snapshot is damaged");
  const out = new Uint8Array(length);
  let at = head;
  let previous = -1;
  for (let i = 0; i < n; i++) {
    const p = view.getUint32((HEADER + i) * 4, true);
    const size = Math.min(PAGE, length - p * PAGE);
    if (p <= previous || size <= 0 || at + size > data.byteLength) throw new Error("snapshot is damaged");
    out.set(data.subarray(at, at + size), p * PAGE);
    at += size;
    previous = p;
  }
  if (at !== data.byteLength) throw new Error("snapshot is damaged");
  return out;
}
