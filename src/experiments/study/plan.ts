/**
 * The study as a list of independent, seeded tasks — each stage, and each
 * activation × depth cell on its own — so the same plan runs serially in
 * this thread or spread over worker threads with identical results. Every
 * task takes only plain data and rebuilds what it needs (the digits and
 * their seeded split), so its output does not depend on where it runs.
 */
import { splitTrainTest } from '../../data/batch.js';
import type { Dataset, Split } from '../../data/types.js';
import type { CellKind } from '../../nn/rnn/types.js';
import type { RecurrentCellRun } from '../rnn/types.js';
import { recurrentCellRun, recurrentStageSettings, runRecurrentStage } from '../rnn/stage.js';
import { actDepthSection, runCell, type ActDepthSettings } from './act-depth.js';
import { runBound } from './bound.js';
import { conclusions } from './conclusions.js';
import { runExploding, type ExplodingSettings } from './exploding.js';
import { familiesPart } from './families.js';
import { runNielsen } from './nielsen.js';
import { orderChaosLabel, orderChaosSection, orderChaosSettings, orderChaosTasks, runOrderChaosTask, type OrderChaosOutput, type OrderChaosSettings, type OrderChaosTask } from './order-chaos.js';
import { remediesProgressSteps, runRemedies } from './remedies.js';
import type { ActDepthRun, StudyResults } from './types.js';

/** The stages, in report order (for progress display and timings). */
export const STAGES = ['bound', 'nielsen', 'activationDepth', 'exploding', 'remedies', 'recurrent', 'orderChaos', 'conclusions'] as const;

/** A stage name. */
export type Stage = (typeof STAGES)[number];

/** One unit of work of the study. */
export type StudyTask =
  | { readonly kind: 'bound'; readonly seed: number; readonly draws: number }
  | { readonly kind: 'nielsen'; readonly seeds: readonly number[]; readonly steps: number; readonly trainArchs: readonly (readonly number[])[] }
  | { readonly kind: 'cell'; readonly act: string; readonly depth: number; readonly settings: ActDepthSettings }
  | { readonly kind: 'exploding'; readonly settings: ExplodingSettings }
  | { readonly kind: 'remedies'; readonly quick: boolean; readonly seed: number }
  | { readonly kind: 'rcell'; readonly quick: boolean; readonly seed: number; readonly cell: CellKind; readonly length: number }
  | { readonly kind: 'recurrent'; readonly quick: boolean; readonly seed: number }
  | OrderChaosTask;

/** The stage a task belongs to. */
export function stageOf(t: StudyTask): Stage {
  return t.kind === 'cell' ? 'activationDepth' : t.kind === 'rcell' ? 'recurrent' : t.kind;
}

/** The plan of a study: its tasks in report order, and stage 3's settings. */
export interface StudyPlan {
  readonly quick: boolean;
  readonly seed: number;
  readonly tasks: readonly StudyTask[];
  readonly actDepth: ActDepthSettings;
  readonly orderChaos: OrderChaosSettings;
}

/** Builds the plan; `quick` shrinks seeds, steps and grids to about a minute on two cores. */
export function studyPlan(quick: boolean, seed: number): StudyPlan {
  const q = quick;
  const seeds = Array.from({ length: q ? 3 : 10 }, (_, i) => seed + i);
  const actDepth: ActDepthSettings = {
    activations: q ? ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'silu'] : ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'silu', 'mish', 'softplus'],
    depths: q ? [2, 10] : [2, 5, 10, 20],
    width: 32,
    steps: q ? 300 : 2000,
    batch: 32,
    lr: 0.005,
    momentum: 0.9,
    seed,
    recordPoints: 40,
  };
  const orderChaos = orderChaosSettings(q, seed);
  const tasks: StudyTask[] = [
    { kind: 'bound', seed, draws: q ? 2000 : 20000 },
    { kind: 'nielsen', seeds, steps: q ? 100 : 500, trainArchs: q ? [[784, 30, 30, 10]] : [[784, 30, 30, 10], [784, 30, 30, 30, 10], [784, 30, 30, 30, 30, 10]] },
    ...actDepth.depths.flatMap((depth) => actDepth.activations.map((act): StudyTask => ({ kind: 'cell', act, depth, settings: actDepth }))),
    { kind: 'exploding', settings: { seed, sigmas: [0.1, 0.5, 1, 2, 4], depth: 10, width: 32, clipSteps: q ? 150 : 400 } },
    { kind: 'remedies', quick: q, seed },
    // stage 6: each cell × length run is a task; the 'recurrent' task runs the clipping
    // comparison and assembles the section from them (see assembleStudy)
    ...recurrentStageSettings(q).lengths.flatMap((length) => recurrentStageSettings(q).cells.map((cell): StudyTask => ({ kind: 'rcell', quick: q, seed, cell, length }))),
    { kind: 'recurrent', quick: q, seed },
    ...orderChaosTasks(orderChaos),
  ];
  return { quick, seed, tasks, actDepth, orderChaos };
}

/** The train/test split every stage uses: 20 % of the digits held out, stratified, by the study's seed. */
export function studySplit(digits: Dataset, seed: number): Split {
  return splitTrainTest(digits, 0.2, seed);
}

/** Progress within one task: a label and the fraction done. */
export type TaskProgress = (label: string, fraction: number) => void;

function ticker(total: number, p: TaskProgress): (label: string) => void {
  let n = 0;
  return (label) => p(label, Math.min(1, n++ / Math.max(1, total)));
}

/**
 * Runs one task; `split` is `studySplit(digits, seed)`. The 'recurrent' task
 * needs the 'rcell' runs (`rcells`, plan order); without them it returns null
 * and `assembleStudy` finishes it.
 */
export function runStudyTask(t: StudyTask, digits: Dataset, split: Split, p: TaskProgress, rcells?: readonly RecurrentCellRun[]): unknown {
  switch (t.kind) {
    case 'bound':
      p("σ' on a grid and random chains", 0);
      return runBound(t.seed, t.draws, 30);
    case 'nielsen':
      return runNielsen(digits, t.seeds, t.steps, t.trainArchs, ticker(t.seeds.length * 4 + (t.trainArchs.length * t.steps) / 10, p));
    case 'cell':
      p(`${t.act} × ${t.depth} hidden layers`, 0);
      return runCell(split, t.act, t.depth, t.settings);
    case 'exploding':
      return runExploding(split, t.settings, ticker(t.settings.sigmas.length * 2 + 2, p));
    case 'remedies':
      return runRemedies(split, { quick: t.quick, seed: t.seed, progress: ticker(remediesProgressSteps(t.quick), p) });
    case 'rcell':
      p(`${t.cell.toUpperCase()} on the adding problem, T = ${t.length}`, 0);
      return recurrentCellRun(t, t.cell, t.length);
    case 'recurrent':
      p('exploding RNN without and with clipping', 0);
      return rcells ? runRecurrentStage({ quick: t.quick, seed: t.seed, progress: () => {} }, rcells) : null;
    case 'orderChaos':
      p(orderChaosLabel(t), 0);
      return runOrderChaosTask(t, split);
  }
}

/** Assembles the results document from every task's output (in plan order) and per-stage seconds. */
export function assembleStudy(
  plan: StudyPlan,
  split: Split,
  outputs: readonly unknown[],
  seconds: Record<string, number>,
  meta: { version: string; machine: StudyResults['machine'] },
): StudyResults {
  const of = <T>(kind: StudyTask['kind']): T => outputs[plan.tasks.findIndex((t) => t.kind === kind)] as T;
  const cells = outputs.filter((_, i) => plan.tasks[i].kind === 'cell') as ActDepthRun[];
  const rcells = outputs.filter((_, i) => plan.tasks[i].kind === 'rcell') as RecurrentCellRun[];
  // the 'recurrent' task runs here when its cell runs were computed on worker threads
  let recurrent = of<StudyResults['recurrent'] | null>('recurrent') ?? undefined;
  if (recurrent === undefined && plan.tasks.some((t) => t.kind === 'recurrent')) {
    const tr = performance.now();
    recurrent = runRecurrentStage({ quick: plan.quick, seed: plan.seed, progress: () => {} }, rcells);
    seconds.recurrent = (seconds.recurrent ?? 0) + (performance.now() - tr) / 1000;
  }
  const partial = {
    bound: of<StudyResults['bound']>('bound'),
    nielsen: of<StudyResults['nielsen']>('nielsen'),
    activationDepth: actDepthSection(split, plan.actDepth, cells),
    exploding: of<StudyResults['exploding']>('exploding'),
    remedies: of<NonNullable<StudyResults['remedies']>>('remedies'),
    recurrent,
  };
  const orderChaos = orderChaosSection(plan.orderChaos, outputs.filter((_, i) => plan.tasks[i].kind === 'orderChaos') as OrderChaosOutput[]) ?? undefined;
  const t0 = performance.now();
  const concl = conclusions(partial);
  seconds.conclusions = (performance.now() - t0) / 1000;
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
    claims: [...(orderChaos?.claims ?? [])],
    conclusions: concl,
    families: familiesPart(),
  };
}
