// The distributed queue against a real Redis: three `gradscope worker`
// processes take the runs of a `gradscope sweep --queue`, one of them is
// killed (SIGKILL) in the middle of a run, its run is retried by another
// worker, and the sweep's store ends with every run recorded exactly once —
// the same results as the same sweep run locally.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneCleanLine, put, tempDir } from '../helpers.js';
import { buildOnce, byId, gs, gsAsync, gsStart, lineCount, redisAvailable, startRedis, storeLines, tinySweep, waitFor } from './helpers.js';

describe.skipIf(!redisAvailable)('gradscope sweep --queue with gradscope worker (real redis-server)', () => {
  let redis: ChildProcess | null = null;
  let url = '';
  const work = tempDir('gradscope-queue-');
  // 12 runs of ~0.3–0.6 s, so a worker can be killed in the middle of one
  const sweepFile = put(work, 'sweep.json', tinySweep({ acts: ['tanh', 'relu'], depths: [1, 3], seeds: [1, 2, 3], steps: 1200, width: 16 }));
  const N = 12;

  beforeAll(async () => {
    buildOnce();
    const r = await startRedis();
    redis = r.child;
    url = r.url;
  }, 180_000);

  afterAll(() => {
    redis?.kill('SIGKILL');
  });

  it('three workers, one killed mid-run: every run recorded exactly once, same results as a local sweep', async () => {
    const local = gsAsync(['sweep', sweepFile, '--out', join(work, 'local'), '--workers', '1']);
    const worker = (): ReturnType<typeof gsStart> => gsStart(['worker', '--queue', url, '--concurrency', '1', '--lock-seconds', '2']);
    const workers = [worker(), worker(), worker()];
    try {
      const sweep = gsStart(['sweep', sweepFile, '--out', join(work, 'queued'), '--queue', url]);
      // kill the first worker while it is inside a run: it has started one it has not finished
      const started = (): string[] => [...workers[0].out.stderr.matchAll(/run ([0-9a-f]{16}) of sweep \S+ started/g)].map((m) => m[1]);
      const finished = (): string[] => [...workers[0].out.stderr.matchAll(/run ([0-9a-f]{16}) finished/g)].map((m) => m[1]);
      await waitFor(() => started().length > finished().length, 60_000, 'worker 0 to be inside a run');
      workers[0].child.kill('SIGKILL');
      await workers[0].done;
      const killedRun = started().find((id) => !finished().includes(id));
      expect(killedRun).toBeDefined();
      const r = await sweep.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`12 to run on the queue gradscope-runs at ${url}`);
      const records = storeLines(join(work, 'queued'));
      expect(lineCount(join(work, 'queued'))).toBe(N);
      expect(new Set(records.map((x) => x.id)).size).toBe(N);
      expect(records.every((x) => x.status === 'ok')).toBe(true);
      // the killed worker's run was retried by another worker
      const retried = records.find((x) => x.id === killedRun);
      expect(retried?.worker).not.toMatch(new RegExp(`:${workers[0].child.pid}(:|$)`));
      expect(workers[1].out.stderr + workers[2].out.stderr).toMatch(new RegExp(`run ${killedRun} of sweep [0-9a-f]+ started \\(job [0-9a-f-]+, attempt 2\\)`));
      const ref = await local;
      expect(ref.code, ref.stderr).toBe(0);
      expect(byId(records)).toEqual(byId(storeLines(join(work, 'local'))));
    } finally {
      for (const w of workers) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.done));
    }
    // a worker stops on SIGTERM with exit 143 after its runs (graceful)
    const stopped = await workers[1].done;
    expect(stopped.stderr).toMatch(/SIGTERM: taking no more runs; finishing the runs in progress/);
    expect(stopped.code).toBe(143);
  });

  it('resumes from the queue: results finished while the sweep was away are collected', async () => {
    const dir = join(work, 'away');
    const small = put(work, 'small.json', tinySweep({ acts: ['relu'], depths: [1], seeds: [1, 2, 3], steps: 20 }));
    const id = (JSON.parse(gs(['sweep', small, '--dry-run', '--json']).stdout) as { sweep: string }).sweep;
    const port = new URL(url).port;
    const queued = (): number => spawnSync('redis-cli', ['-p', port, '--scan', '--pattern', `bull:gradscope-runs:${id}-*`], { encoding: 'utf8' }).stdout.trim().split('\n').filter((l) => /^bull:gradscope-runs:[0-9a-f]{16}-[0-9a-f]{16}$/.test(l)).length;
    const sweep = gsStart(['sweep', small, '--out', dir, '--queue', url]);
    await waitFor(() => queued() === 3, 30_000, 'jobs to be queued');
    sweep.child.kill('SIGKILL');
    await sweep.done;
    // a worker runs them while no sweep is watching, then leaves when idle
    const w = gs(['worker', '--queue', url, '--concurrency', '2', '--idle-exit', '1']);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stderr).toMatch(/stopped after 3 runs/);
    const r = gs(['sweep', small, '--out', dir, '--queue', url, '--resume']);
    expect(r.code, r.stderr).toBe(0);
    expect(lineCount(dir)).toBe(3);
  });

  it('says clearly when Redis cannot be reached', () => {
    const r = gs(['worker', '--queue', 'redis://127.0.0.1:1']);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr), r.stderr).toBe(true);
    expect(r.stderr.trim()).toBe('gradscope: --queue redis://127.0.0.1:1: cannot reach Redis (ECONNREFUSED); is redis-server running there?');
  });
});
