/**
 * The input of an activation parameter, in the explorer and the playground:
 * a slider over a range around the catalogue's bounds and default, with a
 * step from 1, 2, 5 × 10ᵏ chosen so that the default (PyTorch's value) is a
 * point of the slider exactly, and beside it a number box for values no
 * decimal step reaches (rrelu's 1/3) or any other.
 */
import type { ParamSpec } from '../../activations/types.js';

/** A slider's range and step. */
export interface SliderRange {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

/** True when x is a whole number of steps above lo (to rounding). */
function onGrid(x: number, lo: number, step: number): boolean {
  const k = (x - lo) / step;
  return Math.abs(k - Math.round(k)) < 1e-6;
}

/** The slider of parameter `s`. */
export function sliderRange(s: ParamSpec): SliderRange {
  const integer = s.name === 'pieces';
  const lo = s.min ?? (s.default > 0 ? 0 : -Math.max(3, 4 * Math.abs(s.default)));
  const hi = s.max ?? (integer ? 8 : Math.max(1, 4 * s.default));
  if (integer) return { min: lo, max: hi, step: 1 };
  // the largest 1-2-5 step of at most a hundredth of the range that has the default on it
  const top = Math.pow(10, Math.floor(Math.log10((hi - lo) / 100)));
  const candidates = [5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01].map((m) => m * top).filter((st) => st <= (hi - lo) / 100 + 1e-12);
  const step = candidates.find((st) => onGrid(s.default, lo, st)) ?? candidates[0];
  return { min: s.minExclusive ? lo + step : lo, max: hi, step: Number(step.toPrecision(6)) };
}

/**
 * A parameter's slider and, beside it, a number box for any value the
 * slider's steps miss; `live` reports every movement (a plot), otherwise
 * only the released value (a new training run).
 */
export function ParamInput({ id, spec, value, doc, live, onValue }: { id: string; spec: ParamSpec; value: number; doc: string; live: boolean; onValue: (v: number) => void }) {
  const r = sliderRange(spec);
  const read = (e: Event): void => onValue(Number((e.target as HTMLInputElement).value));
  return (
    <span class="param-input">
      <input id={id} type="range" min={r.min} max={r.max} step={r.step} value={value} title={doc} aria-describedby={`${id}-doc`} onInput={live ? read : undefined} onChange={live ? undefined : read} />
      <input
        id={`${id}-num`}
        type="number"
        step="any"
        class="num"
        value={value}
        aria-label={spec.name}
        onChange={(e) => {
          const v = Number((e.target as HTMLInputElement).value);
          if ((e.target as HTMLInputElement).value.trim() !== '' && Number.isFinite(v)) onValue(v);
        }}
      />
    </span>
  );
}
