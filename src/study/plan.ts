/**
 * The study as a list of independent, seeded tasks — measurements over
 * seeds, single training runs, one part of a stage — so the same plan runs
 * serially in this thread or spread over worker threads with identical
 * results. Every task takes only plain data and rebuilds what it needs (the
 * digits and their seeded split), so its output does not depend on where it
 * runs. Stage 3's training runs are not in the plan: they are sweeps
 * (lr-sweep.ts), and each of their runs is a task of kind 'lrRun'.
 */
import { splitTrainTest, takeFirst } from '../data/batch.js';
import type { Dataset, Split } from '../data/types.js';
import type { CellKind } from '../nn/rnn/types.js';
import type { RecurrentCellRun, RecurrentClipping } from '../experiments/rnn/types.js';
import type { RunSpec } from '../run/schema.js';
import { recurrentCellRun, recurrentClipping, recurrentSeeds, recurrentStageSettings, runRecurrentStage } from '../experiments/rnn/stage.js';
import { actDepthSection, cellInit, gainSweep, runLrCell, type ActDepthSettings, type LrRunResult } from './act-depth.js';
import { runBound } from './bound.js';
import { studyClaims } from './claims.js';
import { conclusions } from './conclusions.js';
import { runExploding, type ExplodingSettings } from './exploding.js';
import { familiesPart } from './families.js';
import { bookRecipeOf, bookRecipeRun, nielsenNetworks, nielsenSection, speedOfLearning, type RecipeSettings } from './nielsen.js';
import { orderChaosLabel, orderChaosSection, orderChaosSettings, orderChaosTasks, runOrderChaosTask, type OrderChaosOutput, type OrderChaosSettings, type OrderChaosTask } from './order-chaos.js';
import { REMEDY_PARTS, remediesSection, remediesSettings, runRemedyPart, type RemediesSettings, type RemedyPart } from './remedies.js';
import type { ActDepthInit, GainPart, StudyResults } from './types.js';

/** The stages, in report order (for progress display and timings). */
export const STAGES = ['bound', 'nielsen', 'activationDepth', 'exploding', 'remedies', 'recurrent', 'orderChaos', 'conclusions'] as const;

/** A stage name. */
export type Stage = (typeof STAGES)[number];

/** One unit of work of the study. */
export type StudyTask =
  | { readonly kind: 'bound'; readonly seed: number; readonly draws: number }
  | { readonly kind: 'nielsenNorms'; readonly seeds: readonly number[] }
  | { readonly kind: 'speed'; readonly arch: readonly number[]; readonly seed: number; readonly steps: number }
  | { readonly kind: 'recipe'; readonly recipe: RecipeSettings; readonly seed: number }
  | { readonly kind: 'cellInit'; readonly act: string; readonly depth: number; readonly settings: ActDepthSettings }
  | { readonly kind: 'gain'; readonly act: string; readonly settings: ActDepthSettings }
  | { readonly kind: 'lrRun'; readonly config: RunSpec; readonly studySeed: number }
  | { readonly kind: 'exploding'; readonly settings: ExplodingSettings }
  | { readonly kind: 'remedy'; readonly part: RemedyPart; readonly settings: RemediesSettings; readonly seed: number }
  | { readonly kind: 'rcell'; readonly quick: boolean; readonly cell: CellKind; readonly length: number; readonly seed: number }
  | { readonly kind: 'rclip'; readonly quick: boolean; readonly seed: number }
  | OrderChaosTask;

/** The stage a task belongs to. */
export function stageOf(t: StudyTask): Stage {
  switch (t.kind) {
    case 'nielsenNorms':
    case 'speed':
    case 'recipe':
      return 'nielsen';
    case 'cellInit':
    case 'gain':
    case 'lrRun':
      return 'activationDepth';
    case 'remedy':
      return 'remedies';
    case 'rcell':
    case 'rclip':
      return 'recurrent';
    case 'orderChaos':
      return 'orderChaos';
    default:
      return t.kind;
  }
}

/** Stage 2's sizes. */
export interface NielsenSettings {
  readonly seeds: number;
  readonly speedArchs: readonly (readonly number[])[];
  readonly speedSeeds: number;
  readonly steps: number;
  readonly recipe: RecipeSettings;
  readonly recipeSeeds: number;
}

/** The plan of a study: its tasks in report order, and the settings the assembly needs. */
export interface StudyPlan {
  readonly quick: boolean;
  readonly seed: number;
  readonly tasks: readonly StudyTask[];
  readonly nielsen: NielsenSettings;
  readonly actDepth: ActDepthSettings;
  readonly exploding: ExplodingSettings;
  readonly remedies: RemediesSettings;
  readonly orderChaos: OrderChaosSettings;
}

const seedsFrom = (seed: number, n: number): number[] => Array.from({ length: n }, (_, i) => seed + i);

/**
 * Builds the plan. Full: ≥ 100 seeds for every measurement at
 * initialisation (500 for Nielsen's), 5 seeds for every training cell;
 * `quick` shrinks seeds (2 per training cell), steps and grids to well under
 * a minute of work.
 */
export function studyPlan(quick: boolean, seed: number): StudyPlan {
  const q = quick;
  const nielsen: NielsenSettings = {
    seeds: q ? 30 : 500,
    speedArchs: q ? [[784, 30, 30, 10]] : [[784, 30, 30, 10], [784, 30, 30, 30, 30, 10]],
    speedSeeds: q ? 2 : 5,
    steps: q ? 100 : 500,
    recipe: { arch: [784, 30, 30, 30, 30, 10], steps: q ? 1500 : 10000, batch: 10, eta: 0.1, lambda: 5 },
    recipeSeeds: q ? 2 : 20,
  };
  const actDepth: ActDepthSettings = {
    activations: q ? ['sigmoid', 'tanh', 'relu', 'selu', 'gelu', 'softplus'] : ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'silu', 'mish', 'softplus'],
    depths: q ? [2, 10] : [2, 5, 10, 20],
    width: 32,
    steps: q ? 200 : 800,
    batch: 32,
    momentum: 0.9,
    lrs: [0.002, 0.01, 0.05],
    // the rate is chosen on one seed's validation accuracy; every seed then reports test accuracy at it
    selectionSeeds: 1,
    seeds: q ? 2 : 5,
    initSeeds: q ? 20 : 100,
    // the probe size of the verdicts at initialisation (the first-to-last ratio of a batch-mean gradient depends on it)
    probeExamples: 500,
    seed,
    gain: { depth: q ? 10 : 20, activations: q ? ['gelu', 'softplus'] : ['gelu', 'silu', 'mish', 'softplus'], gains: [1.5, 2, 2.5, 3], seeds: q ? 20 : 100, examples: 500 },
  };
  const exploding: ExplodingSettings = {
    seed,
    sigmas: [0.1, 0.5, 1, 2, 4],
    depth: 10,
    width: 32,
    initSeeds: q ? 20 : 100,
    trainSeeds: q ? 2 : 5,
    net: { gain: 6, depth: 12, width: 32, steps: q ? 300 : 600, batch: 32 },
  };
  const remedies = remediesSettings(q, exploding.net);
  const rs = recurrentStageSettings(q);
  const orderChaos = orderChaosSettings(q, seed);
  const tasks: StudyTask[] = [
    { kind: 'bound', seed, draws: q ? 2000 : 20000 },
    { kind: 'nielsenNorms', seeds: seedsFrom(seed, nielsen.seeds) },
    ...nielsen.speedArchs.flatMap((arch) => seedsFrom(seed, nielsen.speedSeeds).map((s): StudyTask => ({ kind: 'speed', arch, seed: s, steps: nielsen.steps }))),
    ...seedsFrom(seed, nielsen.recipeSeeds).map((s): StudyTask => ({ kind: 'recipe', recipe: nielsen.recipe, seed: s })),
    ...actDepth.depths.flatMap((depth) => actDepth.activations.map((act): StudyTask => ({ kind: 'cellInit', act, depth, settings: actDepth }))),
    ...actDepth.gain.activations.map((act): StudyTask => ({ kind: 'gain', act, settings: actDepth })),
    { kind: 'exploding', settings: exploding },
    ...REMEDY_PARTS.map((part): StudyTask => ({ kind: 'remedy', part, settings: remedies, seed })),
    // stage 6: each cell × length × seed run is a task; the clipping comparison another
    ...rs.lengths.flatMap((length) => rs.cells.flatMap((cell) => recurrentSeeds(seed, rs.seeds).map((s): StudyTask => ({ kind: 'rcell', quick: q, cell, length, seed: s })))),
    { kind: 'rclip', quick: q, seed },
    ...orderChaosTasks(orderChaos),
  ];
  return { quick, seed, tasks, nielsen, actDepth, exploding, remedies, orderChaos };
}

/** A rough cost of a task (seconds of one core), to start the longest first. */
export function taskCost(t: StudyTask): number {
  switch (t.kind) {
    case 'rcell':
      return (t.cell === 'rnn' ? 0.15 : t.cell === 'gru' ? 0.35 : 0.45) * t.length;
    case 'recipe':
      return t.recipe.steps / 1000;
    case 'remedy':
      return { glorot: 30, he: 12, selu: 6, normResidual: 25, clipping: 4, training: 25 }[t.part];
    case 'speed':
      return (t.steps / 500) * (t.arch.length - 1);
    case 'gain':
      return 6;
    case 'exploding':
      return 10;
    case 'rclip':
      return 6;
    case 'nielsenNorms':
      return t.seeds.length / 40;
    case 'cellInit':
      return 0.5 + t.depth / 20;
    case 'lrRun':
      return 0.5;
    case 'orderChaos':
      return 3;
    case 'bound':
      return 0.2;
  }
}

/** The train/test split every stage uses: 20 % of the digits held out, stratified, by the study's seed. */
export function studySplit(digits: Dataset, seed: number): Split {
  return splitTrainTest(digits, 0.2, seed);
}

/** Progress within one task: a label and the fraction done. */
export type TaskProgress = (label: string, fraction: number) => void;

/** Runs one task; `split` is `studySplit(digits, seed)`. */
export function runStudyTask(t: StudyTask, digits: Dataset, split: Split, p: TaskProgress): unknown {
  const say = (label: string): void => p(label, 0);
  switch (t.kind) {
    case 'bound':
      say("σ' on a grid and random chains");
      return runBound(t.seed, t.draws, 30);
    case 'nielsenNorms':
      return nielsenNetworks(digits, t.seeds, say);
    case 'speed':
      say(`500-step run [${t.arch.join(',')}] seed ${t.seed}`);
      return speedOfLearning(t.arch, takeFirst(digits, 1000), t.seed, t.steps);
    case 'recipe':
      say(`the book's recipe, seed ${t.seed}`);
      return bookRecipeRun(split, t.recipe, t.seed);
    case 'cellInit':
      say(`${t.act} × ${t.depth} hidden layers at initialisation`);
      return cellInit(split, t.act, t.depth, t.settings);
    case 'gain':
      say(`${t.act}: weight variance g/n`);
      return gainSweep(split, { ...t.settings, gain: { ...t.settings.gain, activations: [t.act] } });
    case 'lrRun':
      return runLrCell(split, t.studySeed, t.config);
    case 'exploding':
      return runExploding(split, t.settings, say);
    case 'remedy':
      return runRemedyPart(split, t.part, t.settings, t.seed, say);
    case 'rcell':
      say(`${t.cell.toUpperCase()} on the adding problem, T = ${t.length}, seed ${t.seed}`);
      return recurrentCellRun({ quick: t.quick }, t.cell, t.length, t.seed);
    case 'rclip':
      return recurrentClipping({ quick: t.quick, seed: t.seed, progress: say });
    case 'orderChaos':
      say(orderChaosLabel(t));
      return runOrderChaosTask(t, split);
  }
}

/** What stage 3's sweeps produced: every run's result by `runKey`, and each cell's chosen rate by `cellKey`. */
export interface LrOutcome {
  readonly results: ReadonlyMap<string, LrRunResult>;
  readonly chosen: ReadonlyMap<string, number>;
}

/** Assembles the results document from every task's output and seconds (in plan order), stage 3's sweeps and per-stage seconds. */
export function assembleStudy(plan: StudyPlan, split: Split, outputs: readonly unknown[], taskSeconds: readonly number[], lr: LrOutcome, seconds: Record<string, number>, meta: { version: string; machine: StudyResults['machine'] }): StudyResults {
  const all = <T>(kind: StudyTask['kind']): T[] => outputs.filter((_, i) => plan.tasks[i].kind === kind) as T[];
  const one = <T>(kind: StudyTask['kind']): T => all<T>(kind)[0];
  const ns = plan.nielsen;
  const recipeSeeds = seedsFrom(plan.seed, ns.recipeSeeds);
  const nielsen = nielsenSection(one('nielsenNorms'), ns.seeds, { steps: ns.steps, seeds: seedsFrom(plan.seed, ns.speedSeeds), runs: all('speed') }, bookRecipeOf(split, ns.recipe, recipeSeeds, all<number>('recipe')));
  const gains = all<GainPart>('gain');
  const gain: GainPart = { ...gains[0], runs: gains.flatMap((g) => g.runs) };
  const remedyParts = all<unknown>('remedy');
  const partSeconds: Record<string, number> = {};
  plan.tasks.forEach((t, i) => {
    if (t.kind === 'remedy') partSeconds[t.part] = taskSeconds[i] ?? 0;
  });
  const t0 = performance.now();
  const recurrent = runRecurrentStage({ quick: plan.quick, seed: plan.seed, progress: () => {} }, all<RecurrentCellRun>('rcell'), one<RecurrentClipping>('rclip'));
  seconds.recurrent = (seconds.recurrent ?? 0) + (performance.now() - t0) / 1000;
  const partial = {
    bound: one<StudyResults['bound']>('bound'),
    nielsen,
    activationDepth: actDepthSection(split, plan.actDepth, all<ActDepthInit>('cellInit'), lr.results, lr.chosen, gain),
    exploding: one<StudyResults['exploding']>('exploding'),
    remedies: remediesSection(split, plan.quick, plan.seed, remedyParts, partSeconds),
    recurrent,
  };
  const orderChaos = orderChaosSection(plan.orderChaos, all<OrderChaosOutput>('orderChaos')) ?? undefined;
  const t1 = performance.now();
  const concl = conclusions(partial);
  const claims = [...studyClaims(partial), ...(orderChaos?.claims ?? []).map((c) => ({ ...c, section: 'orderChaos' }))];
  seconds.conclusions = (performance.now() - t1) / 1000;
  return {
    format: 'gradscope-study/1',
    version: meta.version,
    createdAt: new Date().toISOString(),
    quick: plan.quick,
    seed: plan.seed,
    machine: meta.machine,
    seconds,
    ...partial,
    orderChaos,
    conclusions: concl,
    claims,
    families: familiesPart(),
  };
}
