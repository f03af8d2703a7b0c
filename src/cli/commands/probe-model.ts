/**
 * `gradscope probe --model FILE`: the diagnostics and verdict of the user's
 * own network (any format gradscope reads) on their data or a built-in set,
 * layers named as in the file; with remedies (`--init`, `--act`, `--norm`,
 * `--residual`) the changed network, and with `--compare` both side by side.
 */
import type { Dataset } from '../../data/types.js';
import { probeNetwork, type ProbeResult } from '../../diagnostics/probe.js';
import { withLossOutput } from '../../interop/load.js';
import type { LoadedModel } from '../../interop/names.js';
import { applyRemedy, describeRemedy, isRemedy, type ModelRemedy } from '../../interop/remedy.js';
import { getLoss, type LossName } from '../../nn/losses.js';
import { alloc, type DType } from '../../tensor/dtype.js';
import { Rng } from '../../tensor/rng.js';
import { loadUserDataset } from '../data.js';
import { color, num, padEnd, padStart, pct } from '../format.js';
import { printJson, usageError } from '../io.js';
import { readModel } from '../model.js';
import { kindWord, printLayersAndVerdict } from './probe.js';
import { FILE_INIT } from '../../diagnostics/verdict-remedies.js';
import { say, type MessageKey, msg } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';

/** What `probe --model` prints as JSON. */
export interface ModelProbeReport extends ProbeResult {
  readonly model: string;
  readonly format: string;
  readonly producer: string;
  readonly dataset: string;
  readonly samples: number;
  readonly loss: LossName;
  readonly seed: number;
  /** The remedy applied ('' for the network as the file has it). */
  readonly remedy: string;
  /** The activation appended for the loss to a logits model, if any. */
  readonly outputActivationAdded: string | null;
  readonly layers: (ProbeResult['layers'][number] & { readonly name: string; readonly op: string })[];
}

/** The request of a model probe, from the probe command's options. */
export interface ModelProbeRequest {
  readonly file: string;
  readonly data: string;
  readonly samples: number;
  readonly seed: number;
  readonly loss: LossName;
  readonly dtype: DType;
  readonly remedy: ModelRemedy;
  readonly compare: boolean;
  readonly jacobianSamples: number;
}

/** One-hot targets (B, C) for the labels, C the model's outputs. */
function batchOf(ds: Dataset, outputs: number, dtype: DType, file: string, inputShape: readonly number[]): { x: Float32Array | Float64Array; y: Float32Array | Float64Array; B: number } {
  const I = inputShape.reduce((a, b) => a * b, 1);
  if (ds.inputSize !== I) throw usageError([], msg('err.probeModel.features', { name: ds.name, f: String(ds.inputSize), file, i: String(I), shape: inputShape.join(', '), forms: 'FILE.csv', npy: 'npy:X.npy,Y.npy' }));
  if (ds.classes > outputs) throw usageError([], msg('err.probeModel.classes', { name: ds.name, k: String(ds.classes), file, o: String(outputs), max: String(outputs - 1) }));
  const B = ds.n;
  const x = alloc(dtype, B * I);
  const y = alloc(dtype, B * outputs);
  for (let i = 0; i < B * I; i++) x[i] = ds.x[i];
  for (let r = 0; r < B; r++) y[r * outputs + ds.labels[r]] = 1;
  return { x, y, B };
}

/** Probes one version of the model. */
function probeOne(m: LoadedModel, req: ModelProbeRequest, ds: Dataset, remedy: string, batchStats: boolean): ModelProbeReport {
  const { model, appended } = withLossOutput(m, req.loss);
  const { x, y, B } = batchOf(ds, model.net.outputSize, req.dtype, req.file, m.inputShape);
  const r = probeNetwork(model.net, x, y, B, getLoss(req.loss), remedy !== '' && req.remedy.init !== undefined ? req.remedy.init : FILE_INIT, { jacobianSamples: req.jacobianSamples, batchStats });
  const layers = r.layers.map((l, i) => {
    const n = model.names.get(model.net.weightLayers[i]);
    return { ...l, name: n?.name ?? `layer ${l.index}`, op: n?.op ?? 'dense' };
  });
  return { model: req.file, format: m.format, producer: m.producer, dataset: ds.name, samples: B, loss: req.loss, seed: req.seed, remedy, outputActivationAdded: appended, ...r, layers };
}

/** Runs a model probe: the file's network, or the remedied one, or both. */
export function probeModel(req: ModelProbeRequest): { report: ModelProbeReport; baseline: ModelProbeReport | null } {
  if (req.compare && !isRemedy(req.remedy)) throw usageError([], msg('err.probeModel.compare', { norms: 'batch|layer' }));
  const ds = loadUserDataset(req.data, { seed: req.seed, n: req.samples });
  const original = readModel(req.file, req.dtype);
  // the file's batch norm layers hold trained running statistics: evaluation mode; an added one normalises with the batch's
  const asIs = (): ModelProbeReport => probeOne(original, req, ds, '', false);
  if (!isRemedy(req.remedy)) return { report: asIs(), baseline: null };
  const changed = applyRemedy(readModel(req.file, req.dtype), req.remedy, new Rng(req.seed));
  const report = probeOne(changed, req, ds, describeRemedy(req.remedy), req.remedy.norm === 'batch');
  return { report, baseline: req.compare ? asIs() : null };
}

/** A remedy as the flags that ask for it ("init=he_normal, act=relu" → "--init he_normal --act relu"). */
function asFlags(remedy: string): string {
  return remedy
    .split(', ')
    .map((p) => `--${p.replace('=', ' ')}`)
    .join(' ');
}

/** Prints a model probe. */
export function printModelProbe(r: ModelProbeReport, lang: Lang = 'en'): void {
  const w = (s: string): void => {
    process.stdout.write(s);
  };
  const remedy = r.remedy ? say(lang, 'cli.probeModel.remedy', { remedy: asFlags(r.remedy) }) : '';
  w(`${color.bold('gradscope probe')} ${say(lang, 'cli.probeModel.head', { file: r.model, format: r.format, producer: r.producer, remedy, loss: r.loss, data: r.dataset, n: r.samples })}\n`);
  if (r.outputActivationAdded) w(`${say(lang, 'cli.probeModel.logits', { loss: r.loss, act: r.outputActivationAdded })}\n`);
  w(`${say(lang, 'cli.probeModel.loss', { loss: num(r.lossValue, 4) })}\n\n`);
  printLayersAndVerdict(r, (l) => `${l.index} '${l.name}' (${l.op})`.slice(0, 40), lang);
}

/** Prints the file's network and the remedied one side by side. */
export function printModelComparison(before: ModelProbeReport, after: ModelProbeReport, lang: Lang = 'en'): void {
  const w = (s: string): void => {
    process.stdout.write(s);
  };
  const h = (k: MessageKey): string => say(lang, k);
  w(`\n${color.bold(say(lang, 'cli.probeModel.compareTitle', { remedy: asFlags(after.remedy) }))} ${say(lang, 'cli.probeModel.same', { seed: after.seed })}\n`);
  w(`${padEnd(h('cli.probe.col.layer'), 28)}${padStart(h('cli.probeModel.col.file'), 12)}${padStart(h('cli.probeModel.col.remedy'), 12)}${padStart(h('cli.probeModel.col.ratio'), 10)}${padStart(h('cli.probeModel.col.deadFile'), 11)}${padStart(h('cli.probeModel.col.deadRemedy'), 13)}\n`);
  after.layers.forEach((l, i) => {
    const b = before.layers[i];
    w(`${padEnd(`${l.index} '${l.name}'`.slice(0, 27), 28)}${num(b?.biasGradNorm).padStart(12)}${num(l.biasGradNorm).padStart(12)}${num(b ? l.biasGradNorm / b.biasGradNorm : NaN).padStart(10)}${(b ? pct(b.deadFraction) : '—').padStart(11)}${pct(l.deadFraction).padStart(13)}\n`);
  });
  w(`${say(lang, 'cli.probeModel.ratioLine', { file: num(before.firstToLast), after: num(after.firstToLast), remedy: asFlags(after.remedy), from: kindWord(before.verdict.kind, lang), to: kindWord(after.verdict.kind, lang) })}\n`);
}

/** Runs and prints (or prints as JSON) a model probe. */
export function runModelProbe(req: ModelProbeRequest, json: boolean, lang: Lang = 'en'): void {
  const { report, baseline } = probeModel(req);
  if (json) printJson(baseline ? { ...report, baseline } : report);
  else {
    printModelProbe(baseline ?? report, lang);
    if (baseline) printModelComparison(baseline, report, lang);
  }
}
