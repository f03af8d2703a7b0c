#!/usr/bin/env node
// Soak test of sweeps (not part of npm test; run `node scripts/soak.mjs`, after `npm run build`):
//
//   A. a local sweep of RUNS_LOCAL (default 2,000) small runs on both cores (--workers 2);
//   B. a queued sweep of RUNS_QUEUE (default 2,000) small runs across 3 `gradscope worker`
//      processes that are killed (SIGKILL) and restarted at random, with redis-server
//      restarted once (without persistence, so the queue loses its jobs and the sweep has to
//      put them back).
//
// Each part checks that every run is recorded exactly once (as many lines as runs, each id
// once, every run ok) and samples the resident set (VmRSS) of the sweep process (and, in B, of
// each worker) every 500 ms: the peak over the first tenth of the recorded runs and over the
// last tenth show whether memory stays flat. Prints a summary and a JSON line; exits 1 when a
// check fails. Options: --only local|queue, --keep (keep the work folder).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = join(ROOT, 'bin/gradscope.js');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const keep = args.includes('--keep');
const RUNS_LOCAL = Number(process.env.RUNS_LOCAL ?? 2000);
const RUNS_QUEUE = Number(process.env.RUNS_QUEUE ?? 2000);
const work = mkdtempSync(join(tmpdir(), 'gradscope-soak-'));
const failures = [];

/** A sweep file of `n` small runs: seeds × three activations on `moons`. */
function sweepFile(name, n) {
  const seeds = Math.ceil(n / 3);
  const file = join(work, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      format: 'gradscope-sweep/1',
      name,
      base: { arch: '2-8-8-2', loss: 'cross_entropy', init: 'xavier_normal', optimizer: { name: 'sgd', lr: 0.1 }, batchSize: 16, epochs: null, maxSteps: 40, data: { name: 'moons', samples: 200 }, probe: { samples: 64 } },
      grid: { activation: ['tanh', 'relu', 'sigmoid'], seed: Array.from({ length: seeds }, (_, i) => i + 1) },
    }),
  );
  return { file, total: 3 * seeds };
}

/** Resident set of `pid` in MB, or null when it has ended. */
function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Complete lines of DIR/results.jsonl, parsed. */
function records(dir) {
  const f = join(dir, 'results.jsonl');
  if (!existsSync(f)) return [];
  return readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => l.endsWith('}'))
    .map((l) => JSON.parse(l));
}

/** Starts `gradscope ...argv`, collecting stderr. */
function start(argv) {
  const child = spawn(process.execPath, [BIN, ...argv], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const p = { child, stderr: '', done: null };
  child.stderr.on('data', (d) => (p.stderr += d.toString()));
  p.done = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return p;
}

/** Samples the RSS of the processes `pids()` names against the number of recorded runs. */
function sampler(dir, pids) {
  const samples = []; // { recorded, name, mb }
  const t = setInterval(() => {
    const recorded = records(dir).length;
    for (const [name, pid] of pids()) {
      const mb = rssMb(pid);
      if (mb !== null) samples.push({ recorded, name, mb });
    }
  }, 500);
  return {
    stop: () => clearInterval(t),
    /** Peak RSS of `name` over the first and the last tenth of `total` runs, and over each tenth. */
    flat(name, total) {
      const of = samples.filter((s) => s.name === name);
      const peak = (xs) => (xs.length ? Math.max(...xs.map((s) => s.mb)) : null);
      const tenth = (k) => of.filter((s) => s.recorded >= (k * total) / 10 && s.recorded <= ((k + 1) * total) / 10);
      return { start: peak(tenth(0)), end: peak(tenth(9)), byTenth: Array.from({ length: 10 }, (_, k) => peak(tenth(k))), samples: of.length };
    },
  };
}

/** Checks that DIR holds every one of `total` runs exactly once, all ok. */
function checkStore(part, dir, total) {
  const rs = records(dir);
  const ids = new Set(rs.map((r) => r.id));
  const ok = rs.filter((r) => r.status === 'ok').length;
  const lines = readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n').filter((l) => l !== '').length;
  if (lines !== total) failures.push(`${part}: ${lines} lines for ${total} runs`);
  if (ids.size !== total) failures.push(`${part}: ${ids.size} distinct runs recorded of ${total}`);
  if (ok !== total) failures.push(`${part}: ${total - ok} runs not ok`);
  return { lines, distinct: ids.size, ok };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rand = (lo, hi) => lo + Math.random() * (hi - lo);

async function local() {
  const { file, total } = sweepFile('soak-local', RUNS_LOCAL);
  const dir = join(work, 'local');
  const t0 = Date.now();
  const sweep = start(['sweep', file, '--out', dir, '--workers', '2']);
  const s = sampler(dir, () => [['sweep', sweep.child.pid]]);
  const end = await sweep.done;
  s.stop();
  if (end.code !== 0) failures.push(`local: the sweep exited ${end.code}: ${sweep.stderr.slice(-500)}`);
  return { runs: total, seconds: (Date.now() - t0) / 1000, exit: end.code, store: checkStore('local', dir, total), rssMb: s.flat('sweep', total) };
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function queue() {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    failures.push('queue: redis-server is not installed');
    return null;
  }
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const redisUp = async () => {
    const r = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 100 && spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() !== 'PONG'; i++) await sleep(100);
    return r;
  };
  let redis = await redisUp();
  const { file, total } = sweepFile('soak-queue', RUNS_QUEUE);
  const dir = join(work, 'queue');
  const workers = [null, null, null];
  const startWorker = (i) => (workers[i] = start(['worker', '--queue', url, '--concurrency', '1', '--lock-seconds', '3', '--queue-timeout', '120']));
  workers.forEach((_, i) => startWorker(i));
  const t0 = Date.now();
  const sweep = start(['sweep', file, '--out', dir, '--queue', url, '--queue-timeout', '120']);
  const s = sampler(dir, () => [['sweep', sweep.child.pid], ...workers.map((w, i) => [`worker ${i}`, w.child.pid])]);
  let kills = 0;
  let redisRestarts = 0;
  let finished = false;
  void sweep.done.then(() => (finished = true));
  // chaos: a random worker killed every 2–6 s and restarted 1–3 s later; Redis restarted once, at 40 %
  const chaos = (async () => {
    while (!finished) {
      await sleep(rand(2000, 6000));
      if (finished) break;
      if (redisRestarts === 0 && records(dir).length >= 0.4 * total) {
        spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
        await new Promise((r) => redis.once('close', r));
        await sleep(2000);
        redis = await redisUp();
        redisRestarts++;
        continue;
      }
      const i = Math.floor(Math.random() * workers.length);
      workers[i].child.kill('SIGKILL');
      await workers[i].done;
      kills++;
      await sleep(rand(1000, 3000));
      startWorker(i);
    }
  })();
  const end = await sweep.done;
  await chaos;
  s.stop();
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.done));
  redis.kill('SIGKILL');
  if (end.code !== 0) failures.push(`queue: the sweep exited ${end.code}: ${sweep.stderr.slice(-800)}`);
  if (redisRestarts !== 1) failures.push(`queue: Redis was restarted ${redisRestarts} times, not once (the sweep ended before 40 %?)`);
  const rss = { sweep: s.flat('sweep', total) };
  workers.forEach((_, i) => (rss[`worker ${i}`] = s.flat(`worker ${i}`, total)));
  return { runs: total, seconds: (Date.now() - t0) / 1000, exit: end.code, workerKills: kills, redisRestarts, store: checkStore('queue', dir, total), rssMb: rss, lostAndBack: (sweep.stderr.match(/lost the connection|is back after/g) ?? []).length };
}

const result = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version } };
try {
  if (only !== 'queue') result.local = await local();
  if (only !== 'local') result.queue = await queue();
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}
const show = (o) => (o ? `${o.start?.toFixed(0) ?? '—'} MB → ${o.end?.toFixed(0) ?? '—'} MB (by tenth: ${o.byTenth.map((v) => v?.toFixed(0) ?? '—').join(' ')})` : '—');
if (result.local) {
  const l = result.local;
  process.stdout.write(`local: ${l.runs} runs on 2 workers in ${l.seconds.toFixed(0)} s, exit ${l.exit}; ${l.store.lines} lines, ${l.store.distinct} distinct, ${l.store.ok} ok; sweep RSS peak first tenth → last tenth: ${show(l.rssMb)}\n`);
}
if (result.queue) {
  const q = result.queue;
  process.stdout.write(`queue: ${q.runs} runs on 3 workers in ${q.seconds.toFixed(0)} s, exit ${q.exit}; ${q.workerKills} worker kills, ${q.redisRestarts} Redis restart; ${q.store.lines} lines, ${q.store.distinct} distinct, ${q.store.ok} ok\n`);
  for (const [k, v] of Object.entries(q.rssMb)) process.stdout.write(`  RSS ${k}: ${show(v)}\n`);
}
for (const f of failures) process.stdout.write(`FAIL ${f}\n`);
process.stdout.write(`${JSON.stringify({ ...result, failures })}\n`);
process.exitCode = failures.length ? 1 : 0;
