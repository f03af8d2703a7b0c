// Issue item 1, the queue never hangs: a port that accepts connections but
// never answers, a database the server does not have, and a Redis that dies
// for good mid-sweep each end `gradscope sweep --queue` and `gradscope
// worker` within seconds with one sentence naming the URL — exit 2 for a
// bad URL, exit 1 for a lost server, every finished result kept — and
// SIGTERM ends a sweep whose Redis is gone promptly. Before the fix the
// first two hung forever (or the worker exited 0 after "0 runs") and the
// third printed nothing for minutes. Needs redis-server (skipped without).
import { type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { put, tempDir } from '../helpers.js';
import { buildOnce, gsAsync, gsStart, lineCount, redisAvailable, startRedis, storeLines, tinySweep, waitFor } from '../sweep/helpers.js';
import { expectSentence } from './helpers.js';

describe.skipIf(!redisAvailable)('the queue never hangs (item 1)', () => {
  const work = tempDir('gradscope-queue-faults-');
  let silent: Server | null = null;
  let silentUrl = '';
  let redis: ChildProcess | null = null;
  let port = 0;

  beforeAll(async () => {
    buildOnce();
    // accepts every connection and never says a word
    silent = createServer(() => {});
    await new Promise<void>((r) => silent!.listen(0, '127.0.0.1', () => r()));
    const a = silent.address();
    silentUrl = `redis://127.0.0.1:${typeof a === 'object' && a !== null ? a.port : 0}`;
    const r = await startRedis();
    redis = r.child;
    port = r.port;
  }, 180_000);

  afterAll(() => {
    silent?.close();
    redis?.kill('SIGKILL');
  });

  it('a port that accepts but never answers: worker and sweep exit 2 naming the URL within seconds', async () => {
    const sweepFile = put(work, 'silent.json', tinySweep({ steps: 5 }));
    const t0 = Date.now();
    const [w, s] = await Promise.all([gsAsync(['worker', '--queue', silentUrl]), gsAsync(['sweep', sweepFile, '--out', join(work, 'silent'), '--queue', silentUrl])]);
    expect(Date.now() - t0).toBeLessThan(30_000);
    for (const r of [w, s]) expectSentence(r, 2, new RegExp(`^gradscope: --queue ${silentUrl}: no answer within 5 s .*is redis-server running there\\?$`));
  });

  it('a database the server does not have (redis://H:P/99) is refused with exit 2 before any run', async () => {
    const url = `redis://127.0.0.1:${port}/99`;
    const sweepFile = put(work, 'db.json', tinySweep({ steps: 5 }));
    const [w, s] = await Promise.all([gsAsync(['worker', '--queue', url, '--idle-exit', '1']), gsAsync(['sweep', sweepFile, '--out', join(work, 'db'), '--queue', url])]);
    for (const r of [w, s]) expectSentence(r, 2, new RegExp(`^gradscope: --queue ${url}: Redis has no database 99 \\(ERR DB index is out of range\\)`));
    expect(lineCount(join(work, 'db'))).toBe(0);
  });

  it('Redis gone for good mid-sweep: sweep and worker exit 1 after --queue-timeout, keeping every finished result', async () => {
    // a Redis of its own, killed for good once a few results are in
    const { child: doomed, url } = await startRedis();
    const dir = join(work, 'lost');
    const sweepFile = put(work, 'lost.json', tinySweep({ acts: ['tanh', 'relu'], depths: [1, 3], seeds: [1, 2, 3, 4, 5], steps: 600, width: 16 }));
    const worker = gsStart(['worker', '--queue', url, '--concurrency', '1', '--queue-timeout', '3']);
    const sweep = gsStart(['sweep', sweepFile, '--out', dir, '--queue', url, '--queue-timeout', '3']);
    try {
      await waitFor(() => lineCount(dir) >= 2, 90_000, 'two results');
      doomed.kill('SIGKILL');
      const t0 = Date.now();
      const [s, w] = await Promise.all([sweep.done, worker.done]);
      // bounded, not hung: the run in flight, a 10 s command timeout, then the 3 s --queue-timeout (wider on a loaded machine)
      expect(Date.now() - t0).toBeLessThan(60_000);
      expect(s.stderr).toContain(`lost the connection to Redis at ${url}`);
      expectSentence(s, 1, new RegExp(`^gradscope: --queue ${url}: lost the connection to Redis \\(\\w+.*\\) and it did not come back within 3 s; the \\d+ results recorded so far are kept — fix that and rerun with --resume$`));
      expectSentence(w, 1, new RegExp(`^gradscope: --queue ${url}: lost the connection to Redis .* did not come back within 3 s`));
      // every line in the store is a whole result, each run once
      const kept = storeLines(dir);
      expect(kept.length).toBe(lineCount(dir));
      expect(new Set(kept.map((r) => r.id)).size).toBe(kept.length);
    } finally {
      doomed.kill('SIGKILL');
      sweep.child.kill('SIGKILL');
      worker.child.kill('SIGKILL');
    }
  });

  it('SIGTERM ends a sweep whose Redis is gone within seconds, exit 143', async () => {
    const { child: doomed, url } = await startRedis();
    const sweepFile = put(work, 'term.json', tinySweep({ steps: 5 }));
    // no worker: the runs wait on the queue; the queue timeout is far away
    const sweep = gsStart(['sweep', sweepFile, '--out', join(work, 'term'), '--queue', url, '--queue-timeout', '600']);
    try {
      await waitFor(() => sweep.out.stderr.includes('to run on the queue'), 30_000, 'the sweep to start');
      doomed.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 1500));
      const t0 = Date.now();
      sweep.child.kill('SIGTERM');
      const r = await sweep.done;
      expect(Date.now() - t0).toBeLessThan(20_000);
      expect(r.code, r.stderr).toBe(143);
      expect(r.stderr).toMatch(/gradscope sweep: SIGTERM: stopping the sweep/);
      expect(r.stderr).toMatch(/stopped by SIGTERM: 0 of 12 runs recorded/);
    } finally {
      doomed.kill('SIGKILL');
      sweep.child.kill('SIGKILL');
    }
  });
});
