/**
 * A training run as its run directory records it — gradscope's own `train`
 * and the TensorFlow.js monitor write the same files: metrics.jsonl (one
 * line per probe: loss, accuracy, per-layer gradient norms, dead and
 * saturated fractions, the verdict), steps.jsonl (per-step loss),
 * summary.json (the first non-finite value, accuracies) and config.json.
 * Reads the texts into one record for the run report and the TensorBoard
 * export; fields it does not know are ignored, a malformed line is one
 * sentence naming the file and the line. Pure.
 */
import { msg } from '../i18n/catalogue.js';
import { z } from 'zod';
import { InputError, inputError } from '../errors.js';

/** The run directory format the monitor writes (gradscope's own runs say so in summary.json). */
export const RUN_FORMAT = 'gradscope-run/1';

// JSON has no NaN or ∞: gradscope writes them as null
const num = z.number().nullable().optional();
const layerSchema = z.looseObject({
  index: z.number().int(),
  name: z.string().optional(),
  units: z.number().optional(),
  activation: z.string().optional(),
  biasGradNorm: num,
  weightGradNorm: num,
  deadFraction: num,
  saturatedFraction: num,
  updateRatio: num,
});
const probeSchema = z.looseObject({
  step: z.number().int().min(0),
  loss: num,
  trainLoss: num,
  testAccuracy: num,
  trainAccuracy: num,
  firstToLast: num,
  gradNorm: num,
  verdict: z.looseObject({ kind: z.string(), cause: z.string().optional() }).optional(),
  layers: z.array(layerSchema),
});
const stepSchema = z.looseObject({ step: z.number().int().min(0), loss: num });
const nonFiniteSchema = z.looseObject({ step: z.number(), layer: z.number(), quantity: z.string(), message: z.string() });
const summarySchema = z.looseObject({
  format: z.string().optional(),
  source: z.string().optional(),
  title: z.string().optional(),
  nonFinite: nonFiniteSchema.nullable().optional(),
  trainAccuracy: num,
  testAccuracy: num,
  stopReason: z.string().optional(),
  monitor: z.looseObject({}).optional(),
});

/** One probe of a run. */
export type RunProbe = z.infer<typeof probeSchema>;
/** One per-layer line of a probe. */
export type RunLayer = z.infer<typeof layerSchema>;
/** The first non-finite value, as a run records it. */
export type RunNonFinite = z.infer<typeof nonFiniteSchema>;

/** A run directory read into memory. */
export interface RunRecord {
  readonly dir: string;
  readonly probes: readonly RunProbe[];
  readonly steps: readonly { step: number; loss: number | null }[];
  readonly summary: z.infer<typeof summarySchema> | null;
  readonly config: Record<string, unknown> | null;
  /** Layer labels (index and name, when the run recorded names), from the first probe. */
  readonly layerLabels: readonly string[];
  /** The first non-finite value: summary.json's, or the first probe with a non-finite loss or norm. */
  readonly nonFinite: RunNonFinite | null;
}

/** The texts of a run directory's files (absent ones undefined). */
export interface RunFiles {
  readonly metrics: string;
  readonly steps?: string;
  readonly summary?: string;
  readonly config?: string;
}

function lines<T>(text: string, file: string, schema: z.ZodType<T>): T[] {
  const out: T[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw inputError([file], msg('err.runDir.line', { n: String(i + 1) }));
    }
    const r = schema.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new InputError(`${file}: line ${i + 1}: ${issue.path.join('.') || '(the line)'}: ${issue.message}`);
    }
    out.push(r.data);
  });
  return out;
}

function parseJson(text: string | undefined, file: string): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw inputError([file], msg('err.json.plain'));
  }
}

/** Reads a run directory's texts; `dir` names it in messages. */
export function readRun(files: RunFiles, dir: string): RunRecord {
  const probes = lines(files.metrics, `${dir}/metrics.jsonl`, probeSchema);
  if (probes.length === 0) throw inputError([`${dir}/metrics.jsonl`], msg('err.runDir.noProbes'));
  const steps = files.steps === undefined ? [] : lines(files.steps, `${dir}/steps.jsonl`, stepSchema).map((s) => ({ step: s.step, loss: s.loss ?? null }));
  const rawSummary = parseJson(files.summary, `${dir}/summary.json`);
  let summary: z.infer<typeof summarySchema> | null = null;
  if (rawSummary !== null) {
    const r = summarySchema.safeParse(rawSummary);
    if (!r.success) throw new InputError(`${dir}/summary.json: ${r.error.issues[0].path.join('.')}: ${r.error.issues[0].message}`);
    summary = r.data;
  }
  const config = parseJson(files.config, `${dir}/config.json`) as Record<string, unknown> | null;
  const layerLabels = probes[0].layers.map((l) => (l.name ? `${l.index} ${l.name}` : `layer ${l.index}`));
  return { dir, probes, steps, summary, config, layerLabels, nonFinite: summary?.nonFinite ?? firstNonFinite(probes) };
}

/** The first probe holding a non-finite loss or gradient norm (written as null), as a finding. */
function firstNonFinite(probes: readonly RunProbe[]): RunNonFinite | null {
  for (const p of probes) {
    if (p.loss === null) return { step: p.step, layer: 0, quantity: 'loss', message: `step ${p.step}: the loss is not finite` };
    const l = p.layers.find((x) => x.biasGradNorm === null || x.weightGradNorm === null);
    if (l) return { step: p.step, layer: l.index, quantity: 'gradient', message: `step ${p.step}: layer ${l.index}${l.name ? ` '${l.name}'` : ''} has a non-finite gradient norm` };
  }
  return null;
}
