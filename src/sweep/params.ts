/**
 * How one swept value lands in a run's settings: a key names a setting
 * (`lr`, `activation`, `probeEvery`, or one of its aliases) or, as older
 * sweep files do, a dotted path into a nested config (`optimizer.lr`,
 * `data.name`); `depth` and `width` rebuild `arch` from the base
 * architecture's input and output sizes. Throws InputErrors whose issue
 * names the key; spec.ts puts the sweep field in front of them.
 */
import { msg } from '../i18n/catalogue.js';
import { fail, saying } from '../errors.js';
import { putSetting, type Flattened } from '../run/config.js';

/** Pending depth and width of a run, applied to `arch` once all settings are in. */
export interface Shape {
  depth?: number;
  width?: number;
}

/** A positive integer setting of depth or width. */
function sizeSetting(key: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail({ field: key, value: v, ...saying(msg('err.type.int')) });
  if (v < 1 || v > max) fail({ field: key, value: v, ...saying(msg('err.between', { lo: '1', hi: String(max) })) });
  return v;
}

/** Sets `key` to `value` in the run's settings `f` (or records depth/width in `shape`). */
export function applyParam(f: Flattened, shape: Shape, key: string, value: unknown): void {
  if (key === 'depth') shape.depth = sizeSetting('depth', value, 1000);
  else if (key === 'width') shape.width = sizeSetting('width', value, 1_000_000);
  else putSetting(f, key, value);
}

/** Rewrites `arch` from depth and width: [input, width × depth, output] of the base architecture. */
export function finishShape(f: Flattened, shape: Shape, baseArch: readonly number[]): void {
  if (shape.depth === undefined && shape.width === undefined) return;
  const hidden = baseArch.length - 2;
  const depth = shape.depth ?? hidden;
  const width = shape.width ?? baseArch[1];
  if (depth < 1) fail({ field: 'width', value: shape.width, ...saying(msg('err.sweep.needsDepth', { depth: 'depth', arch: baseArch.join('-') })) });
  if (shape.width === undefined && hidden < 1) fail({ field: 'depth', value: shape.depth, ...saying(msg('err.sweep.needsWidth', { width: 'width', arch: baseArch.join('-') })) });
  putSetting(f, 'arch', [baseArch[0], ...new Array<number>(depth).fill(width), baseArch[baseArch.length - 1]]);
}
