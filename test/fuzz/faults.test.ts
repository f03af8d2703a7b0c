// Property-based tests of the shared mechanisms that keep faults from
// turning into hangs, runaway memory, garbage or half-written files (see
// docs/bad-input.md, "Faults"): the bounded file reader, the whole-line
// JSON appender under failing writes, the report folder replaced as a
// whole on a disk that fills at a random point, the loss-domain checks, the
// memory estimate, the Redis URL and size parsers, the one-line messages
// and the report-path guard. FUZZ_RUNS=3000 runs ten times as many cases.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statfsSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { oneLine } from '../../src/cli/main.js';
import { readUserFile } from '../../src/data/read-file.js';
import { InputError } from '../../src/errors.js';
import { parseSize } from '../../src/experiments/budget.js';
import { replaceFolder } from '../../src/experiments/folders.js';
import { JsonLinesFile } from '../../src/experiments/jsonl.js';
import { mlpMemory, recurrentMemory } from '../../src/experiments/memory.js';
import { LOSSES, type LossName } from '../../src/nn/losses.js';
import { outputLayerProblem, targetProblem } from '../../src/nn/targets.js';
import { checkReportFile, STORE_FILES } from '../../src/sweep/folder.js';
import { parseRedisUrl } from '../../src/sweep/redis.js';
import { tempDir } from '../helpers.js';
import { canMount, tmpfs, unmountAll } from '../reliability/helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
afterAll(unmountAll);

/** Expects `f` to throw an InputError whose message is one line starting with `prefix`. */
function cleanRefusal(f: () => unknown, prefix: string): void {
  try {
    f();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(InputError);
    expect((e as Error).message.startsWith(prefix), (e as Error).message).toBe(true);
    return;
  }
  throw new Error('expected a refusal');
}

describe('the bounded reader (data/read-file.ts)', () => {
  const dir = tempDir('gradscope-fuzz-read-');
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  symlinkSync('/dev/zero', join(dir, 'zero-link'));
  mkdirSync(join(dir, 'folder'));

  it('returns exactly the bytes of a regular file within its cap, and refuses everything else naming the path', () => {
    let n = 0;
    fc.assert(
      fc.property(fc.constantFrom('regular', 'fifo', 'zero-link', 'folder', 'missing'), fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 0, max: 4000 }), (kind, bytes, cap) => {
        const path = kind === 'regular' ? join(dir, `f${n++}`) : join(dir, kind);
        if (kind === 'regular') writeFileSync(path, bytes);
        if (kind === 'regular' && bytes.length <= cap) expect(new Uint8Array(readUserFile(path, { maxBytes: cap }))).toEqual(bytes);
        else cleanRefusal(() => readUserFile(path, { maxBytes: cap }), `${path}: cannot read the file (`);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the JSON-lines appender (experiments/jsonl.ts)', () => {
  it('under writes that fail at random points, the file is always the whole lines that were appended', () => {
    const dir = tempDir('gradscope-fuzz-jsonl-');
    let k = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined })), { maxLength: 12 }), fc.string({ maxLength: 30 }), (ops, torn) => {
        const file = join(dir, `l${k++}.jsonl`);
        let budget = Infinity;
        const write = (fd: number, buf: Buffer, off: number, len: number): number => {
          if (budget <= 0) throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
          const n = Math.min(len, budget);
          budget -= n;
          return writeSync(fd, buf, off, n);
        };
        const { lines } = JsonLinesFile.open(file, { write });
        let expected = '';
        for (const [doc, fail] of ops) {
          budget = fail ?? Infinity;
          const line = `${JSON.stringify(doc)}\n`;
          try {
            lines.append(doc);
            expected += line;
          } catch (e) {
            expect((e as Error).message).toMatch(/cannot append a line \(the disk is full\); every line written before is whole$/);
          }
          expect(readFileSync(file, 'utf8')).toBe(expected);
        }
        lines.close();
        // a killed writer's torn tail is cut when the file is reopened
        writeFileSync(file, expected + torn.replace(/\n/g, ''), { flag: 'w' });
        const again = JsonLinesFile.open(file);
        again.lines.close();
        expect(readFileSync(file, 'utf8')).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  });
});

describe.skipIf(!canMount)('the report folder on a disk that fills at a random point (experiments/folders.ts)', () => {
  it('is afterwards wholly the old report or wholly the new one, with nothing left beside it', () => {
    const disk = tmpfs('256k') as string;
    const names = ['index.html', 'results.json', 'summary.md'];
    const contents = fc.tuple(...names.map(() => fc.integer({ min: 0, max: 60_000 }))).map((sizes) => Object.fromEntries(names.map((n, i) => [n, 'x'.repeat(sizes[i])])));
    let k = 0;
    const outcomes = { replaced: 0, kept: 0 };
    fc.assert(
      fc.property(contents, contents, fc.integer({ min: 0, max: 200_000 }), (old, next, free) => {
        const report = join(disk, `report${k++}`);
        rmSync(join(disk, 'filler'), { force: true });
        try {
          replaceFolder(report, old);
        } catch {
          return; // the old report itself did not fit this disk: nothing to check
        }
        const s = statfsSync(disk);
        try {
          writeFileSync(join(disk, 'filler'), Buffer.alloc(Math.max(0, s.bavail * s.bsize - free)));
        } catch {
          // full already
        }
        let ok = true;
        try {
          replaceFolder(report, next);
        } catch {
          ok = false;
        }
        const now = Object.fromEntries(readdirSync(report).map((f) => [f, readFileSync(join(report, f), 'utf8')]));
        expect(now).toEqual(ok ? next : old);
        outcomes[ok ? 'replaced' : 'kept']++;
        expect(readdirSync(disk).filter((f) => /\.(new|old|tmp)-/.test(f) || f.includes('.tmp-'))).toEqual([]);
        rmSync(report, { recursive: true, force: true });
      }),
      { numRuns: Math.min(RUNS, 60) },
    );
    // both outcomes happened, so both were checked
    expect(outcomes.replaced, JSON.stringify(outcomes)).toBeGreaterThan(0);
    expect(outcomes.kept, JSON.stringify(outcomes)).toBeGreaterThan(0);
  });
});

describe('the loss-domain checks (nn/targets.ts)', () => {
  it('whatever they accept, the loss and its gradient are finite', () => {
    const loss = fc.constantFrom<LossName>('quadratic', 'binary_cross_entropy', 'cross_entropy');
    fc.assert(
      fc.property(loss, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom(0, 1, 0.5, 1e308, -0)), { minLength: 16, maxLength: 16 }), fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 16, maxLength: 16 }), (name, B, C, ys, zs) => {
        const y = Float64Array.from(ys.slice(0, B * C));
        const problem = targetProblem(name, y, B, C);
        if (problem !== null) {
          expect(problem).toMatch(/^row \d+(, column \d+ is \S+)?[;,: ]/);
          return;
        }
        const def = LOSSES[name];
        const z = Float64Array.from(zs.slice(0, B * C));
        const d = new Float64Array(B * C);
        // the output each loss pairs with: sigmoid probabilities, softmax logits, identity
        let value: number;
        if (name === 'binary_cross_entropy') value = def.fusedLossAndGrad!(d, z, z.map((v) => 1 / (1 + Math.exp(-v))), y, B, C);
        else value = def.lossAndGrad(d, z, y, B, C);
        if (name !== 'quadratic' || y.every((v) => Math.abs(v) < 1e150)) {
          expect(Number.isFinite(value), `${name} ${problem} ${value}`).toBe(true);
          expect(d.every(Number.isFinite)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
    expect(outputLayerProblem('cross_entropy', 'sigmoid')).not.toBeNull();
  });
});

describe('the memory estimate (experiments/memory.ts)', () => {
  it('never falls when a size grows, and always covers the parameters', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 2, maxLength: 6 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 100 }), (arch, rows, layer, grow) => {
        const spec = { arch, dtype: 'float32' as const, optimizer: 'adam', rows, dataBytes: 0, writesModel: true };
        const e = mlpMemory(spec);
        let params = 0;
        for (let l = 1; l < arch.length; l++) params += arch[l] * (arch[l - 1] + 1);
        expect(e.bytes).toBeGreaterThanOrEqual(params * 4 * 4);
        const wider = arch.map((n, i) => (i === layer % arch.length ? n + grow : n));
        expect(mlpMemory({ ...spec, arch: wider }).bytes).toBeGreaterThanOrEqual(e.bytes);
        expect(mlpMemory({ ...spec, rows: rows + grow }).bytes).toBeGreaterThanOrEqual(e.bytes);
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.constantFrom('rnn', 'lstm', 'gru' as const), fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 512 }), fc.integer({ min: 1, max: 1000 }), (cell, T, H, R) => {
        const spec = { cell, dtype: 'float32' as const, hidden: H, inSize: 2, outSize: 1, perStepHead: false, maxSteps: T, maxRows: R, heldOut: 100, optimizer: 'adam', steps: 10 };
        const e = recurrentMemory(spec);
        expect(recurrentMemory({ ...spec, maxSteps: T + 1 }).bytes).toBeGreaterThan(e.bytes);
        expect(recurrentMemory({ ...spec, maxRows: R + 1 }).bytes).toBeGreaterThan(e.bytes);
        expect(e.bytes).toBeGreaterThan(4 * T * R * H); // at least the hidden states of every step
      }),
      { numRuns: RUNS },
    );
  });
});

describe('parsers and guards', () => {
  it('a Redis URL parses to a target or is refused naming --queue', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.tuple(fc.constantFrom('redis://', 'rediss://', 'redis://h:', 'redis://127.0.0.1:'), fc.string()).map(([a, b]) => a + b)), (text) => {
        let t;
        try {
          t = parseRedisUrl(text);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as Error).message).toMatch(/^--queue/);
          return;
        }
        expect(Number.isInteger(t.port) && Number.isSafeInteger(t.db) && t.db >= 0).toBe(true);
        if (t.password !== undefined) expect(t.display).not.toContain(`:${t.password}@`);
      }),
      { numRuns: RUNS, examples: [['redis://%@$'], ['redis://u:%zz@h:1']] },
    );
  });

  it('a memory size parses to at least 1 MB or is refused naming the option', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.tuple(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom('', 'k', 'M', 'G', 'GB', 'tib', 'x')).map(([n, u]) => `${n}${u}`)), (text) => {
        try {
          expect(parseSize(text, '--memory')).toBeGreaterThanOrEqual(2 ** 20);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as Error).message).toMatch(/^--memory must be a size of at least 1M/);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a message is always one line without control characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        // eslint-disable-next-line no-control-regex
        expect(oneLine(s)).not.toMatch(/[\u0000-\u001f\u007f]/);
      }),
      { numRuns: RUNS },
    );
  });

  it('a report may write any file but a sweep folder\'s own', () => {
    const dir = tempDir('gradscope-fuzz-guard-');
    writeFileSync(join(dir, 'manifest.json'), '{}');
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...STORE_FILES), fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/)), (name) => {
        const file = join(dir, name);
        if ((STORE_FILES as readonly string[]).includes(name)) cleanRefusal(() => checkReportFile(file, '--csv', dir), `--csv ${file}: is a sweep folder's own`);
        else if (!existsSync(file) || name === 'manifest.json') expect(() => checkReportFile(file, '--csv', dir)).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });
});
