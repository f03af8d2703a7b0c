// The kernels in a real browser (Debian's Chromium through playwright-core;
// skipped, saying so, where /usr/bin/chromium is missing): a module worker
// imports the built core from a loopback server. On a cross-origin-isolated
// page (COOP same-origin, COEP require-corp) the memory is shared, relaxed
// SIMD is on, and a product split over kernel threads — module workers
// running the thread program, as the lab's training worker starts them —
// gives the bits of one thread; on a page without those headers there is no
// shared memory, so no threads start and the kernels still compute the
// same product (copying through an unshared memory).
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../../test/helpers.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const CHROMIUM = '/usr/bin/chromium';

// what the probe worker does: the product on one thread, then split over kernel threads when they can start
const PROBE = `
import { createWasmKernels } from './dist/tensor/wasm/wasm-kernels.js';
import { relaxedSupported, sharedMemorySupported } from './dist/tensor/wasm/module.js';
import { lazyKernelThreads, setKernelThreads } from './dist/tensor/wasm/threads.js';
const k = createWasmKernels({ minWork: 0, threadMinWork: 0 });
const [M, K, N] = [64, 300, 200];
const alloc = (n) => (k.heap.shared ? k.alloc('float32', n) : new Float32Array(n));
const A = alloc(M * K), B = alloc(N * K), C1 = alloc(M * N), C2 = alloc(M * N);
let s = 1;
const next = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
for (let i = 0; i < A.length; i++) A[i] = next();
for (let i = 0; i < B.length; i++) B[i] = next();
k.gemmABt(C1, A, B, M, K, N, false);
let splits = 0;
if (self.crossOriginIsolated && sharedMemorySupported()) {
  const pool = lazyKernelThreads(2, () => new Worker('./thread.js', { type: 'module' }));
  setKernelThreads({ size: 2, product: (...a) => { const r = pool.product(...a); if (r) splits++; return r; }, whenReady: () => pool.whenReady(), close: () => pool.close() });
  await pool.whenReady();
}
k.gemmABt(C2, A, B, M, K, N, false);
let naive = 0;
for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) { let t = 0; for (let q = 0; q < K; q++) t += A[i * K + q] * B[j * K + q]; naive = Math.max(naive, Math.abs(t - C1[i * N + j])); }
postMessage({ isolated: self.crossOriginIsolated === true, shared: sharedMemorySupported(), relaxed: relaxedSupported(), splits, equal: C1.every((v, i) => v === C2[i]), naive });
`;
const THREAD = `import { threadProgram } from './dist/tensor/wasm/threads.js';\nthreadProgram((h) => { self.onmessage = (e) => h(e.data); });\n`;
const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">const w = new Worker('./probe.js', { type: 'module' }); w.onmessage = (e) => { window.result = e.data; }; w.onerror = (e) => { window.result = { error: e.message }; };</script>`;

interface ProbeResult {
  isolated: boolean;
  shared: boolean;
  relaxed: boolean;
  splits: number;
  equal: boolean;
  naive: number;
  error?: string;
}

describe.skipIf(!existsSync(CHROMIUM))('the kernels in Chromium', () => {
  let server: Server;
  let url = '';
  let browser: Browser;

  beforeAll(async () => {
    ensureBuilt();
    // /iso/… carries the cross-origin-isolation headers, /plain/… does not; both serve the same files
    server = createServer((req, res) => {
      const m = /^\/(iso|plain)\/(.*)$/.exec((req.url ?? '').split('?')[0]);
      const headers: Record<string, string> = m?.[1] === 'iso' ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
      const name = m?.[2] ?? '';
      const fixed: Record<string, [string, string]> = { 'page.html': ['text/html', PAGE], 'probe.js': ['text/javascript', PROBE], 'thread.js': ['text/javascript', THREAD] };
      if (fixed[name]) {
        res.writeHead(200, { 'Content-Type': fixed[name][0], ...headers });
        res.end(fixed[name][1]);
        return;
      }
      const path = normalize(join(ROOT, name));
      if (!m || !name.startsWith('dist/') || !path.startsWith(join(ROOT, 'dist')) || !existsSync(path)) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/javascript', ...headers });
      res.end(readFileSync(path));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.address();
    url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  /** Opens the page under `prefix` and returns what the probe worker reported. */
  async function probe(prefix: 'iso' | 'plain'): Promise<ProbeResult> {
    const page = await browser.newPage();
    try {
      await page.goto(`${url}/${prefix}/page.html`);
      await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: 60_000 });
      return (await page.evaluate(() => (window as unknown as { result: unknown }).result)) as ProbeResult;
    } finally {
      await page.close();
    }
  }

  it('split products over kernel threads on a cross-origin-isolated page, to the bits of one thread', async () => {
    const r = await probe('iso');
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ isolated: true, shared: true, relaxed: true, equal: true });
    expect(r.splits).toBe(1);
    expect(r.naive).toBeLessThan(1e-4);
  }, 120_000);

  it('fall back to one thread without cross-origin isolation, with the same product', async () => {
    const r = await probe('plain');
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ isolated: false, shared: false, splits: 0, equal: true });
    expect(r.naive).toBeLessThan(1e-4);
  }, 120_000);
});
