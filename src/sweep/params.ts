/**
 * How one swept value lands in a run config: a dotted path sets a field
 * (creating objects on the way, and turning a shorthand string such as
 * `"optimizer": "adam"` into its object); an object value is merged into the
 * object already there; `lr` means `optimizer.lr`; `depth` and `width`
 * rebuild `arch` from the base architecture's input and output sizes.
 * Throws plain Errors; spec.ts names the sweep field in front of them.
 */
import { show } from '../nn/model-file.js';

/** The key each shorthand-string field stands for (`"data": "moons"` is `{"name": "moons"}`). */
const SHORTHAND: Readonly<Record<string, string>> = { optimizer: 'name', lrSchedule: 'kind', data: 'name' };

/** Pending depth and width of a run, applied to `arch` once all settings are in. */
export interface Shape {
  depth?: number;
  width?: number;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep-merges `src` into `dst` (objects merge, anything else replaces). */
function merge(dst: Record<string, unknown>, src: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(src)) {
    const cur = dst[k];
    if (isPlainObject(v) && isPlainObject(cur)) merge(cur, v);
    else Object.defineProperty(dst, k, { value: structuredClone(v), enumerable: true, writable: true, configurable: true });
  }
}

/** A positive integer setting of depth or width. */
function sizeSetting(key: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${key} must be an integer; got ${show(v)}`);
  if (v < 1 || v > max) throw new Error(`${key} must be between 1 and ${max}; got ${v}`);
  return v;
}

/** Sets `key` to `value` in the run config `cfg` (or records depth/width in `shape`). */
export function applyParam(cfg: Record<string, unknown>, shape: Shape, key: string, value: unknown): void {
  if (key === 'depth') {
    shape.depth = sizeSetting('depth', value, 1000);
    return;
  }
  if (key === 'width') {
    shape.width = sizeSetting('width', value, 1_000_000);
    return;
  }
  const path = (key === 'lr' ? 'optimizer.lr' : key).split('.');
  let obj = cfg;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i];
    let next = obj[seg];
    if (next === undefined || next === null) next = {};
    else if (typeof next === 'string' && SHORTHAND[path.slice(0, i + 1).join('.')] !== undefined) next = { [SHORTHAND[path.slice(0, i + 1).join('.')]]: next };
    else if (!isPlainObject(next)) throw new Error(`${path.slice(0, i + 1).join('.')} in the base is ${show(next)}, not an object, so ${key} cannot be set inside it`);
    obj[seg] = next;
    obj = next as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  const cur = obj[last];
  const short = SHORTHAND[path.join('.')];
  if (typeof value === 'string' && short !== undefined && isPlainObject(cur)) cur[short] = value;
  else if (isPlainObject(value) && (isPlainObject(cur) || (typeof cur === 'string' && short !== undefined))) {
    const into = isPlainObject(cur) ? cur : { [short as string]: cur };
    merge(into, value);
    obj[last] = into;
  } else obj[last] = structuredClone(value);
}

/** Rewrites `arch` from depth and width: [input, width × depth, output] of the base architecture. */
export function finishShape(cfg: Record<string, unknown>, shape: Shape, baseArch: readonly number[]): void {
  if (shape.depth === undefined && shape.width === undefined) return;
  const hidden = baseArch.length - 2;
  const depth = shape.depth ?? hidden;
  const width = shape.width ?? baseArch[1];
  if (depth < 1) throw new Error(`the base arch ${baseArch.join('-')} has no hidden layer, so set depth as well as width`);
  if (shape.width === undefined && hidden < 1) throw new Error(`the base arch ${baseArch.join('-')} has no hidden layer to take the width from; sweep width too`);
  cfg.arch = [baseArch[0], ...new Array<number>(depth).fill(width), baseArch[baseArch.length - 1]];
}
