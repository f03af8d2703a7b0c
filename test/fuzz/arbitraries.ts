// fast-check generators for the fuzz tests: arbitrary JSON, awkward values
// (Infinity from 1e999, -0, huge integers, empty strings, deep nesting),
// and "near-valid" documents — a valid run config, sweep, model file or IDX
// file with one field replaced, removed, added or one byte changed.
import fc from 'fast-check';

/** Values that tend to break parsers. */
export const awkward = fc.constantFrom<unknown>(
  Infinity,
  -Infinity,
  -0,
  -1,
  0,
  0.5,
  1e308,
  2 ** 53 + 2,
  -(2 ** 31),
  '',
  ' ',
  '\u0000',
  'é\u202e',
  'relu',
  'mnist:',
  'mnist:/',
  'digits',
  '784-30x0-10',
  '2-8x1001-2',
  'NaN',
  [],
  [[]],
  {},
  { __proto__x: 1 },
  JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
  null,
  true,
  false,
);

/** Any JSON-ish value, awkward ones often. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof({ weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, { weight: 3, arbitrary: awkward }, { weight: 1, arbitrary: fc.string() }, { weight: 1, arbitrary: fc.double() });

/** A path into `doc` (objects and arrays), possibly one step past its leaves. */
function pathsOf(doc: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(doc)) doc.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (doc !== null && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) pathsOf(v, [...prefix, k], out);
  return out;
}

/** One edit of a JSON document: replace a value, delete a field, or add an unknown one. */
type Edit = { kind: 'set'; pick: number; value: unknown } | { kind: 'delete'; pick: number } | { kind: 'add'; pick: number; key: string; value: unknown };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: anyValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), pick: fc.nat(), key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('activaton', 'seed', 'lr', '__proto__', 'constructor')), value: anyValue }) },
);

/** Applies `edits` to a deep copy of `doc`. */
function applyEdits(doc: unknown, edits: readonly Edit[]): unknown {
  let root: unknown = structuredClone(doc);
  for (const e of edits) {
    const paths = pathsOf(root);
    const path = paths[e.pick % paths.length];
    // values are copied in: a shared constant must never be edited (or made cyclic) by a later edit
    if (path.length === 0) {
      if (e.kind === 'set') root = structuredClone(e.value);
      continue;
    }
    let parent = root as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    const last = path[path.length - 1];
    if (e.kind === 'set') Object.defineProperty(parent, last, { value: structuredClone(e.value), enumerable: true, writable: true, configurable: true });
    else if (e.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else {
      const target = parent[last];
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) Object.defineProperty(target, e.key, { value: structuredClone(e.value), enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

/** `valid` with one to three edits. */
export function nearValid(valid: unknown): fc.Arbitrary<unknown> {
  return fc.array(editArb, { minLength: 1, maxLength: 3 }).map((edits) => applyEdits(valid, edits));
}

/** A JSON document as a file would hold it: written out and parsed back (1e999 → Infinity, keys as own properties). */
export function roundTrip(v: unknown): unknown {
  const text = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? (x > 0 ? '__INF__' : '__NINF__') : x));
  return text === undefined ? undefined : JSON.parse(text.replace(/"__INF__"/g, '1e999').replace(/"__NINF__"/g, '-1e999'));
}

/** A valid small IDX file: MNIST-like ubyte images n × r × c, or labels n. */
export function idxBytes(dims: readonly number[], type = 0x08, fill = (i: number) => i % 256): Uint8Array {
  const size = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 }[type] ?? 1;
  const count = dims.reduce((a, b) => a * b, 1);
  const bytes = new Uint8Array(4 + 4 * dims.length + count * size);
  const view = new DataView(bytes.buffer);
  bytes[2] = type;
  bytes[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const off = 4 + 4 * dims.length;
  for (let i = 0; i < count; i++) {
    const v = fill(i);
    if (size === 1) bytes[off + i] = v;
    else if (type === 0x0b) view.setInt16(off + 2 * i, v, false);
    else if (type === 0x0c) view.setInt32(off + 4 * i, v, false);
    else if (type === 0x0d) view.setFloat32(off + 4 * i, v, false);
    else view.setFloat64(off + 8 * i, v, false);
  }
  return bytes;
}

/** `valid` bytes with a few bytes changed, cut short or extended. */
export function nearValidBytes(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }).map((changes) => {
      const b = valid.slice();
      for (const [i, v] of changes) b[i % b.length] = v;
      return b;
    }),
    fc.nat().map((n) => valid.slice(0, n % (valid.length + 1))),
    fc.uint8Array({ minLength: 1, maxLength: 8 }).map((extra) => Uint8Array.from([...valid, ...extra])),
  );
}
