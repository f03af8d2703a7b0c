/**
 * The vanishing-gradient study (SPEC §7): runs the stages in order on the
 * embedded digits and returns every number as a StudyResults document.
 * `quick` shrinks seeds, steps and grids to about a minute on two cores.
 */
import { splitTrainTest } from '../../data/batch.js';
import type { Dataset } from '../../data/types.js';
import { runActDepth } from './act-depth.js';
import { runBound } from './bound.js';
import { conclusions } from './conclusions.js';
import { runExploding } from './exploding.js';
import { runNielsen } from './nielsen.js';
import { remediesProgressSteps, runRemedies } from './remedies.js';
import { recurrentProgressSteps, runRecurrentStage } from '../rnn/stage.js';
import type { StudyResults } from './types.js';

/** Study settings. */
export interface StudyOptions {
  readonly quick: boolean;
  readonly seed: number;
  readonly version: string;
  readonly machine: StudyResults['machine'];
  /** Reports progress of a stage: its name and what it is doing now. */
  readonly progress: (stage: string, label: string, fraction: number) => void;
}

/** The stages, for progress display. */
export const STAGES = ['bound', 'nielsen', 'activationDepth', 'exploding', 'remedies', 'recurrent', 'conclusions'] as const;

/** Runs the whole study on `digits`. */
export function runStudy(digits: Dataset, o: StudyOptions): StudyResults {
  const q = o.quick;
  const seconds: Record<string, number> = {};
  const timed = <T>(name: string, f: () => T): T => {
    const t0 = performance.now();
    const r = f();
    seconds[name] = (performance.now() - t0) / 1000;
    return r;
  };
  const tick = (stage: string, total: number) => {
    let n = 0;
    return (label: string) => o.progress(stage, label, Math.min(1, n++ / total));
  };

  const bound = timed('bound', () => {
    o.progress('bound', 'σ\' on a grid and random chains', 0);
    return runBound(o.seed, q ? 2000 : 20000, 30);
  });

  const seeds = Array.from({ length: q ? 3 : 10 }, (_, i) => o.seed + i);
  const steps = q ? 100 : 500;
  const trainArchs = q ? [[784, 30, 30, 10]] : [[784, 30, 30, 10], [784, 30, 30, 30, 10], [784, 30, 30, 30, 30, 10]];
  const nielsen = timed('nielsen', () => runNielsen(digits, seeds, steps, trainArchs, tick('nielsen', seeds.length * 4 + (trainArchs.length * steps) / 10)));

  const split = splitTrainTest(digits, 0.2, o.seed);
  const activations = q ? ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'silu'] : ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'silu', 'mish', 'softplus'];
  const depths = q ? [2, 10] : [2, 5, 10, 20];
  const activationDepth = timed('activationDepth', () =>
    runActDepth(
      split,
      { activations, depths, width: 32, steps: q ? 300 : 2000, batch: 32, lr: 0.005, momentum: 0.9, seed: o.seed, recordPoints: 40 },
      tick('activationDepth', activations.length * depths.length),
    ),
  );

  const sigmas = [0.1, 0.5, 1, 2, 4];
  const exploding = timed('exploding', () => runExploding(split, { seed: o.seed, sigmas, depth: 10, width: 32, clipSteps: q ? 150 : 400 }, tick('exploding', sigmas.length * 2 + 2)));

  const remedies = timed('remedies', () => runRemedies(split, { quick: q, seed: o.seed, progress: tick('remedies', remediesProgressSteps(q)) }));

  const recurrent = timed('recurrent', () => runRecurrentStage({ quick: q, seed: o.seed, progress: tick('recurrent', recurrentProgressSteps(q)) }));

  const partial = { bound, nielsen, activationDepth, exploding, remedies, recurrent };
  const concl = timed('conclusions', () => conclusions(partial));
  return {
    format: 'gradscope-study/1',
    version: o.version,
    createdAt: new Date().toISOString(),
    quick: q,
    seed: o.seed,
    machine: o.machine,
    seconds,
    ...partial,
    conclusions: concl,
  };
}
