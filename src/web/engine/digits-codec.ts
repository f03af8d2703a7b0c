/**
 * The embedded digits in a compact binary form for the browser: the mnist
 * package stores 10,000 images as JSON arrays of 3-decimal numbers (21 MB);
 * they take exactly 256 distinct values (k/255 rounded), so each pixel is one
 * byte indexing a 256-entry table of the exact values. Gzipped, the file is
 * about 1.6 MB, decoded in the browser into the same `raw` arrays that
 * `digitsFromRaw` takes in Node, hence the same Dataset bit for bit.
 *
 * Layout (little-endian): "GSD1", 10 × uint32 images per class,
 * 256 × float64 value table, then the pixel codes, class 0 first.
 * No imports: the Vite build plugin runs this file in Node.
 */

/** Magic bytes at the start of an encoded file. */
export const DIGITS_MAGIC = 'GSD1';
/** Pixels per image (28 × 28). */
const PIXELS = 784;
const HEADER = 4 + 10 * 4 + 256 * 8;

/** Encodes 10 arrays (class 0..9) of k × 784 pixel values; throws if they hold more than 256 distinct values. */
export function encodeDigits(raw: readonly ArrayLike<number>[]): Uint8Array {
  if (raw.length !== 10) throw new RangeError(`encodeDigits: raw must hold 10 arrays; got ${raw.length}`);
  const values = new Set<number>();
  let total = 0;
  for (const a of raw) {
    if (a.length % PIXELS !== 0) throw new RangeError(`encodeDigits: an array of ${a.length} values is not a multiple of ${PIXELS}`);
    total += a.length;
    for (let i = 0; i < a.length; i++) values.add(a[i]);
  }
  if (values.size > 256) throw new RangeError(`encodeDigits: ${values.size} distinct pixel values do not fit in one byte`);
  const table = [...values].sort((p, q) => p - q);
  const code = new Map(table.map((v, i) => [v, i]));
  const out = new Uint8Array(HEADER + total);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = DIGITS_MAGIC.charCodeAt(i);
  raw.forEach((a, c) => view.setUint32(4 + 4 * c, a.length / PIXELS, true));
  table.forEach((v, i) => view.setFloat64(44 + 8 * i, v, true));
  let o = HEADER;
  for (const a of raw) for (let i = 0; i < a.length; i++) out[o++] = code.get(a[i]) as number;
  return out;
}

/** Decodes `encodeDigits`' bytes back into 10 arrays of pixel values (Float64Array, exact). */
export function decodeDigits(bytes: Uint8Array): Float64Array[] {
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (bytes.length < HEADER || magic !== DIGITS_MAGIC) throw new RangeError(`decodeDigits: not a digits file (magic '${magic}', ${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const table = new Float64Array(256);
  for (let i = 0; i < 256; i++) table[i] = view.getFloat64(44 + 8 * i, true);
  const raw: Float64Array[] = [];
  let o = HEADER;
  for (let c = 0; c < 10; c++) {
    const n = view.getUint32(4 + 4 * c, true) * PIXELS;
    if (o + n > bytes.length) throw new RangeError(`decodeDigits: the file is truncated (class ${c} needs ${n} bytes at offset ${o} of ${bytes.length})`);
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = table[bytes[o + i]];
    raw.push(a);
    o += n;
  }
  return raw;
}

/** True when `bytes` start with the gzip signature 1f 8b (a host may or may not have decompressed it). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
