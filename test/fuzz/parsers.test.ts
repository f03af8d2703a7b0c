// Property-based hardening of the parsers that read users' files: the run
// config, the sweep file, the model file and the IDX loader get arbitrary
// and near-valid input; whatever they get, they either accept it or throw
// an InputError — one line naming the file — that the CLI turns into exit
// code 2. Never a TypeError, a stack overflow or another crash.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportError } from '../../src/cli/main.js';
import { imagesAndLabelsToDataset, parseIdx } from '../../src/data/idx.js';
import { InputError } from '../../src/errors.js';
import { runFromConfig as parseRunConfig } from '../../src/run/config.js';
import { networkFromModel, validateModel } from '../../src/nn/model-file.js';
import { checkSweepData, parseSweep } from '../../src/sweep/spec.js';
import { anyValue, idxBytes, nearValid, nearValidBytes, roundTrip } from './arbitraries.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

// reportError writes the sentence on stderr; keep the test output clean
let stderr = '';
beforeEach(() => {
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

/**
 * Known gaps in files this suite does not own, reported to their owners (see
 * docs/bad-input.md): the message is a clean exit-2 sentence but does not
 * name the file. Each entry is the start of the message.
 */
const KNOWN_UNNAMED = [
  // validateModel lets a model start with an activation or dropout layer; networkFromModel then
  // rejects it as 'model: the first layer must be dense or maxout' without the file's name
  'model: the first layer must be dense or maxout',
];

/** Runs `f`; if it throws, the error must be a one-line InputError naming `file` that exits with code 2. */
function acceptsOrRejectsCleanly(f: () => unknown, file: string): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof InputError)) throw new Error(`${file}: threw ${(e as Error).name}, not an InputError: ${(e as Error).message}\n${(e as Error).stack ?? ''}`);
    expect(e.message.startsWith(file) || KNOWN_UNNAMED.some((k) => e.message.startsWith(k)), e.message).toBe(true);
    expect(e.message).not.toContain('\n');
    expect(e.message.length).toBeLessThan(500);
    expect(reportError(e, false)).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    stderr = '';
  }
}

const VALID_CONFIG = {
  arch: '2-8x2-2',
  activation: 'leaky_relu',
  activationParams: { negative_slope: 0.02 },
  init: ['he_normal', 'he_normal', 'xavier_normal'],
  loss: 'cross_entropy',
  optimizer: { name: 'momentum', lr: 0.05, momentum: 0.9 },
  lrSchedule: { kind: 'step', every: 10, factor: 0.5 },
  batchSize: 16,
  epochs: null,
  maxSteps: 50,
  clipNorm: 5,
  data: { name: 'spiral', samples: 300, noise: 0.1, classes: 2 },
  probe: { every: 10, samples: 100 },
  seed: 3,
};

describe('run config parser (runFromConfig)', () => {
  it('accepts the fixture, and its resolved config parses to itself', () => {
    const c = parseRunConfig(VALID_CONFIG, 'run.json');
    expect(parseRunConfig(JSON.parse(JSON.stringify(c)), 'run.json')).toEqual(c);
  });

  it('never crashes on arbitrary JSON', () => {
    fc.assert(fc.property(anyValue, (v) => acceptsOrRejectsCleanly(() => parseRunConfig(roundTrip(v), 'run.json'), 'run.json')), { numRuns: RUNS });
  });

  it('never crashes on near-valid configs, and what it accepts resolves to itself', () => {
    fc.assert(
      fc.property(nearValid(VALID_CONFIG), (v) =>
        acceptsOrRejectsCleanly(() => {
          const c = parseRunConfig(roundTrip(v), 'run.json');
          expect(parseRunConfig(JSON.parse(JSON.stringify(c)), 'run.json')).toEqual(c);
        }, 'run.json'),
      ),
      { numRuns: RUNS * 3 },
    );
  });
});

const VALID_SWEEP = {
  format: 'gradscope-sweep/1',
  name: 'fuzz',
  base: { arch: '2-8-2', loss: 'cross_entropy', data: { name: 'moons', samples: 100 }, epochs: null, maxSteps: 5 },
  grid: { activation: ['relu', 'tanh'], depth: [1, 2], seed: [1, 2] },
  random: { samples: 2, seed: 1, params: { lr: { logUniform: [0.001, 0.5] }, init: { choice: ['he_normal', 'xavier_normal'] }, width: { int: [2, 6] } } },
};

/** The data check loads data: skip it for synthetic sets asked for very many examples (that is a run's cost, not a parse). */
function cheapData(sweep: ReturnType<typeof parseSweep>): boolean {
  return sweep.runs.every((r) => (r.config.data.samples ?? 0) <= 5000) && sweep.runs.length <= 2000;
}

describe('sweep file parser (parseSweep)', () => {
  it('never crashes on arbitrary JSON', () => {
    fc.assert(fc.property(anyValue, (v) => acceptsOrRejectsCleanly(() => parseSweep(roundTrip(v), 'sweep.json'), 'sweep.json')), { numRuns: RUNS });
  });

  it('never crashes on near-valid sweeps (expansion and data check included)', () => {
    fc.assert(
      fc.property(nearValid(VALID_SWEEP), (v) =>
        acceptsOrRejectsCleanly(() => {
          const s = parseSweep(roundTrip(v), 'sweep.json');
          if (cheapData(s)) checkSweepData(s, 'sweep.json');
          expect(new Set(s.runs.map((r) => r.id)).size).toBe(s.runs.length);
        }, 'sweep.json'),
      ),
      { numRuns: RUNS * 2 },
    );
  });
});

const VALID_MODEL = {
  format: 'gradscope-model/1',
  layers: [
    { type: 'dense', in: 2, out: 3, weight: [[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], bias: [0, 0.1, -0.1] },
    { type: 'activation', name: 'leaky_relu', params: { negative_slope: 0.02 } },
    { type: 'dropout', p: 0.1 },
    { type: 'dense', in: 3, out: 2, weight: [[1, 2, 3], [-1, -2, -3]], bias: [0.5, -0.5] },
    { type: 'activation', name: 'sigmoid' },
  ],
};

describe('model file parser (validateModel)', () => {
  it('never crashes on arbitrary or near-valid model files, and what it accepts builds a network', () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, nearValid(VALID_MODEL), nearValid(VALID_MODEL)), (v) =>
        acceptsOrRejectsCleanly(() => networkFromModel(validateModel(roundTrip(v), 'model.json'), 'float64'), 'model.json'),
      ),
      { numRuns: RUNS * 3 },
    );
  });
});

describe('IDX loader (parseIdx and imagesAndLabelsToDataset)', () => {
  const images = idxBytes([3, 2, 2]);
  const labels = idxBytes([3], 0x08, (i) => i);
  const floats = idxBytes([3, 4], 0x0d, (i) => i / 12);

  it('reads the fixtures', () => {
    const ds = imagesAndLabelsToDataset(parseIdx(images, 'x.idx'), parseIdx(labels, 'y.idx'), 'mnist:d', 10);
    expect([ds.n, ds.inputSize, ds.classes]).toEqual([3, 4, 10]);
  });

  it('never crashes on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => acceptsOrRejectsCleanly(() => parseIdx(b, 'x.idx'), 'x.idx')), { numRuns: RUNS * 2 });
  });

  it('never crashes on near-valid image and label files, as a pair', () => {
    fc.assert(
      fc.property(fc.oneof(nearValidBytes(images), nearValidBytes(floats)), nearValidBytes(labels), fc.boolean(), (x, y, swap) => {
        const [fx, fy] = swap ? ['y.idx', 'x.idx'] : ['x.idx', 'y.idx'];
        try {
          const xs = parseIdx(swap ? y : x, fx);
          const ys = parseIdx(swap ? x : y, fy);
          imagesAndLabelsToDataset(xs, ys, 'mnist:d', 10);
        } catch (e) {
          acceptsOrRejectsCleanly(() => {
            throw e;
          }, /x\.idx|y\.idx/.exec((e as Error).message)?.[0] ?? 'x.idx');
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
