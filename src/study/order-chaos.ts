/**
 * Study stage "Order and chaos": signal-propagation theory beside the
 * measurement (Poole et al. 2016; Schoenholz et al. 2017; Pennington et al.
 * 2017) — the tanh phase diagram, gradient decay per layer against √χ,
 * trainability against 6 ξ_c, dynamical isometry, and the `critical`
 * initialiser on GELU, SiLU and softplus. The stage is split into plan tasks
 * (a phase-diagram row, a trainability column, …) so the worker pool
 * balances; `orderChaosSection` assembles them and derives the claims.
 */
import type { Split } from '../data/types.js';
import { analyse, criticalSigmaW2, theoryAct } from '../theory/index.js';
import { orderChaosClaims } from './order-chaos-claims.js';
import { runCriticalInit, runDecay, runIsometry, runPhaseRow, runTrainColumn, seedList, type OrderChaosSettings } from './order-chaos-parts.js';
import type { CorrelationRun, CriticalInitPart, DecayPoint, IsometryRun, OrderChaosSection, PhaseCell, TrainCell } from './order-chaos-types.js';

export type { OrderChaosSettings } from './order-chaos-parts.js';

/** One task of the stage: a part, and for the phase diagram its σ_b² row, for trainability its σ_w² column. */
export interface OrderChaosTask {
  readonly kind: 'orderChaos';
  readonly part: 'phase' | 'decay' | 'train' | 'isometry' | 'critical';
  readonly index: number;
  readonly settings: OrderChaosSettings;
}

/**
 * The stage's settings. Reduced to fit the study's time (a full run's share
 * is about a minute of task time): phase diagram on 64-unit nets of 20 hidden
 * layers probed on 64 digits (Schoenholz et al. use 1000-unit nets); decay on
 * 128-unit nets; trainability on 32-unit nets of at most 32 hidden layers for
 * 300 Adam steps of 32 examples, one seed per cell (they train 300-layer nets
 * for many epochs); isometry on 64 × 64 Jacobians (Pennington et al. use 1000).
 */
export function orderChaosSettings(quick: boolean, seed: number): OrderChaosSettings {
  const q = quick;
  return {
    quick,
    seed,
    phase: {
      sigmaW2: q ? [0.5, 1, 1.76, 3, 5] : [0.5, 1, 1.5, 1.76, 2, 2.5, 3, 4, 5],
      sigmaB2: q ? [0, 0.05, 0.3] : [0, 0.02, 0.05, 0.1, 0.2, 0.4],
      depth: 20,
      width: 64,
      samples: 64,
      seeds: q ? 2 : 5,
      corrSigmaB2: 0.05,
      corrSigmaW2: q ? [3] : [1, 1.76, 3],
    },
    decay: {
      depth: q ? 10 : 16,
      width: 128,
      samples: 32,
      seeds: q ? 2 : 3,
      points: [
        { label: 'tanh, ordered (σ_w² = 1)', act: 'tanh', init: 'meanfield:1:0.05' },
        { label: 'tanh, critical', act: 'tanh', init: 'critical:0.05' },
        { label: 'tanh, chaotic (σ_w² = 3)', act: 'tanh', init: 'meanfield:3:0.05' },
        { label: 'sigmoid, Nielsen (σ_w² = 1, σ_b² = 1)', act: 'sigmoid', init: 'nielsen' },
        { label: 'relu, σ_w² = 1.5', act: 'relu', init: 'meanfield:1.5' },
        { label: 'relu, He (σ_w² = 2)', act: 'relu', init: 'he_normal' },
        { label: 'relu, σ_w² = 2.5', act: 'relu', init: 'meanfield:2.5' },
        { label: 'gelu, critical', act: 'gelu', init: 'critical' },
        { label: 'silu, critical', act: 'silu', init: 'critical' },
      ],
    },
    train: {
      sigmaB2: 0.05,
      sigmaW2: q ? [0.5, 1.76, 10] : [0.5, 1, 1.76, 4, 10, 25],
      depths: q ? [4, 16] : [4, 8, 16, 32],
      width: 32,
      steps: q ? 100 : 300,
      batch: 32,
      lr: 0.001,
      seeds: 1,
      trainedAbove: 0.5,
    },
    isometry: { width: q ? 32 : 64, depths: q ? [8, 32] : [8, 32, 128], seeds: 2, tanhSigmaB2: 1e-4 },
    critical: { acts: ['gelu', 'silu', 'softplus'], depth: 20, width: 32, samples: q ? 200 : 500, seeds: q ? 3 : 10 },
  };
}

/** The stage's tasks, in plan order. */
export function orderChaosTasks(s: OrderChaosSettings): OrderChaosTask[] {
  return [
    ...s.train.sigmaW2.map((_, index): OrderChaosTask => ({ kind: 'orderChaos', part: 'train', index, settings: s })),
    ...s.phase.sigmaB2.map((_, index): OrderChaosTask => ({ kind: 'orderChaos', part: 'phase', index, settings: s })),
    { kind: 'orderChaos', part: 'decay', index: 0, settings: s },
    { kind: 'orderChaos', part: 'critical', index: 0, settings: s },
    { kind: 'orderChaos', part: 'isometry', index: 0, settings: s },
  ];
}

/** What a task is doing, for the progress line. */
export function orderChaosLabel(t: OrderChaosTask): string {
  const s = t.settings;
  switch (t.part) {
    case 'phase':
      return `phase diagram, σ_b² = ${s.phase.sigmaB2[t.index]}`;
    case 'train':
      return `trainability, σ_w² = ${s.train.sigmaW2[t.index]}`;
    case 'decay':
      return 'gradient decay against √χ';
    case 'critical':
      return 'critical init: gelu, silu, softplus';
    case 'isometry':
      return 'Jacobian spectra (dynamical isometry)';
  }
}

/** A task's output with its own time. */
export interface OrderChaosOutput {
  readonly part: OrderChaosTask['part'];
  readonly index: number;
  readonly seconds: number;
  readonly data: unknown;
}

/** Runs one task of the stage. */
export function runOrderChaosTask(t: OrderChaosTask, split: Split): OrderChaosOutput {
  const t0 = performance.now();
  const data =
    t.part === 'phase'
      ? runPhaseRow(split, t.settings, t.index)
      : t.part === 'train'
        ? runTrainColumn(split, t.settings, t.index)
        : t.part === 'decay'
          ? runDecay(split, t.settings)
          : t.part === 'critical'
            ? runCriticalInit(split, t.settings)
            : runIsometry(t.settings);
  return { part: t.part, index: t.index, seconds: (performance.now() - t0) / 1000, data };
}

/** Assembles the section from its tasks' outputs (any order); null when the plan had none. */
export function orderChaosSection(s: OrderChaosSettings, outputs: readonly OrderChaosOutput[]): OrderChaosSection | null {
  if (outputs.length === 0) return null;
  const of = (part: OrderChaosTask['part']) => outputs.filter((o) => o.part === part).sort((a, b) => a.index - b.index);
  const seconds: Record<string, number> = {};
  for (const o of outputs) seconds[o.part] = (seconds[o.part] ?? 0) + o.seconds;
  const tanh = theoryAct('tanh');
  const phaseRows = of('phase').map((o) => o.data as { cells: PhaseCell[]; correlations: CorrelationRun[] });
  const lineB2 = [...new Set([...Array.from({ length: 41 }, (_, i) => (i / 40) * Math.max(...s.phase.sigmaB2, 0.1)), ...s.phase.sigmaB2])].sort((a, b) => a - b);
  const fine = Array.from({ length: 81 }, (_, i) => 0.4 + (i * (Math.max(...s.train.sigmaW2) - 0.4)) / 80);
  const sixXiC = fine.map((sw2) => {
    const xi = analyse(tanh, { sigmaW2: sw2, sigmaB2: s.train.sigmaB2 }).corrDepthScale;
    return { sigmaW2: sw2, depth: Number.isFinite(xi) ? 6 * xi : null };
  });
  const crit = of('critical')[0]?.data as Omit<CriticalInitPart, 'depth' | 'width' | 'samples' | 'seeds'> | undefined;
  const section: Omit<OrderChaosSection, 'claims'> = {
    quick: s.quick,
    seed: s.seed,
    seconds,
    phase: {
      act: 'tanh',
      depth: s.phase.depth,
      width: s.phase.width,
      samples: s.phase.samples,
      seeds: seedList(s.seed, s.phase.seeds),
      sigmaW2: s.phase.sigmaW2,
      sigmaB2: s.phase.sigmaB2,
      criticalLine: lineB2.map((sb2) => ({ sigmaB2: sb2, sigmaW2: criticalSigmaW2(tanh, sb2) })),
      cells: phaseRows.flatMap((r) => r.cells),
      correlations: phaseRows.flatMap((r) => r.correlations),
    },
    decay: { depth: s.decay.depth, width: s.decay.width, samples: s.decay.samples, seeds: seedList(s.seed, s.decay.seeds), points: (of('decay')[0]?.data as DecayPoint[] | undefined) ?? [] },
    trainability: {
      act: 'tanh',
      sigmaB2: s.train.sigmaB2,
      width: s.train.width,
      steps: s.train.steps,
      batch: s.train.batch,
      lr: s.train.lr,
      optimizer: 'adam',
      seeds: seedList(s.seed, s.train.seeds),
      depths: s.train.depths,
      sigmaW2: s.train.sigmaW2,
      trainedAbove: s.train.trainedAbove,
      cells: of('train').flatMap((o) => o.data as TrainCell[]),
      sixXiC,
    },
    isometry: { width: s.isometry.width, depths: s.isometry.depths, seeds: seedList(s.seed, s.isometry.seeds), runs: (of('isometry')[0]?.data as IsometryRun[] | undefined) ?? [] },
    criticalInit: {
      depth: s.critical.depth,
      width: s.critical.width,
      samples: s.critical.samples,
      seeds: seedList(s.seed, s.critical.seeds),
      runs: crit?.runs ?? [],
      softplusTheory: crit?.softplusTheory ?? { sigmaW2: NaN, chi1: NaN, cStar: NaN, meanOverRms: NaN },
    },
  };
  return { ...section, claims: orderChaosClaims(section) };
}
