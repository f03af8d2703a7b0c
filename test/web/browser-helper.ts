// Shared set-up of the browser tests: build the lab when it is stale, serve it with `gradscope serve`'s
// server on loopback, drive Debian's Chromium (/usr/bin/chromium) through playwright-core, and watch
// every page for console errors, uncaught exceptions and requests that would leave the machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startServer, type RunningServer } from '../../src/cli/commands/serve.js';
import { makeFixture } from '../../src/report/fixture.test-helper.js';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '..', '..');
/** The built lab. */
export const WEB = join(ROOT, 'dist', 'web');
/** Debian's Chromium; the browser tests are skipped, saying so, where it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
/** True when the browser tests can run here. */
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/** Newest modification time of the files under `dir` (tests excluded). */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (!e.name.includes('.test.')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** True when dist/web is newer than every source file. */
function fresh(): boolean {
  const index = join(WEB, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs > Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'web')));
}

/** Blocks the thread for `ms` (test set-up only). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds dist/web with Vite unless it is newer than every source file; test
 * files run in parallel, so one builds (holding a lock folder) while the
 * others wait for it and then find the build fresh.
 */
export function buildIfStale(): void {
  if (fresh()) return;
  const lock = join(ROOT, 'dist', '.web-build.lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // a lock left by a killed run is older than any build takes
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      if (waited > 300_000) throw new Error(`buildIfStale: ${lock} has been held for 5 minutes`);
      sleepSync(200);
    }
  }
  try {
    if (!fresh()) build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function build(): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(ROOT, 'web', 'vite.config.ts'), '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

/** A served lab in a browser, with the problems seen on the current page. */
export interface Lab {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** Problems (console errors and warnings, uncaught exceptions, external requests) since the last `open`. */
  problems: string[];
  /** A fresh page in a context of the given viewport, at `hash`, watched for problems. */
  open(hash: string, o?: { width?: number; height?: number; mobile?: boolean; init?: string }): Promise<Page>;
  close(): Promise<void>;
}

/** Builds (if stale), serves the lab with a fixture report, and launches Chromium. */
export async function startLab(): Promise<Lab> {
  buildIfStale();
  const reportDir = mkdtempSync(join(tmpdir(), 'gradscope-lab-report-'));
  writeFileSync(join(reportDir, 'results.json'), JSON.stringify(makeFixture(), (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
  const server = await startServer({ root: WEB, reportDir, host: '127.0.0.1', port: 0 });
  const { chromium } = await import('playwright-core');
  // launch() gives every run a fresh temporary profile
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  const contexts: BrowserContext[] = [];
  const lab: Lab = {
    server,
    browser,
    problems: [],
    async open(hash, o = {}) {
      lab.problems = [];
      const context = await browser.newContext({ viewport: { width: o.width ?? 1400, height: o.height ?? 1000 }, isMobile: o.mobile ?? false, hasTouch: o.mobile ?? false });
      contexts.push(context);
      // offline: every request must stay on the local server
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(server.url) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
        lab.problems.push(`request left the machine: ${url}`);
        return route.abort();
      });
      const page = await context.newPage();
      if (o.init) await page.addInitScript(o.init);
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') lab.problems.push(`console.${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => lab.problems.push(`uncaught: ${e.message}`));
      await page.goto(`${server.url}${hash}`);
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await server.close();
      rmSync(reportDir, { recursive: true, force: true });
    },
  };
  return lab;
}

/** The step count the playground's status line shows (first run panel). */
export async function shownStep(page: Page): Promise<number> {
  const text = (await page.locator('.status').first().textContent()) ?? '';
  return Number(/(\d+)/.exec(text.replace(/,/g, ''))?.[1] ?? NaN);
}

/** What a suite of browser tests uses: pages opened on the served lab, each test's pages closed after it. */
export interface LabSuite {
  /** A fresh page at `hash` (see Lab.open). */
  open(hash: string, o?: Parameters<Lab['open']>[1]): Promise<Page>;
}

/**
 * Registers the suite's hooks: the lab starts before the first test and
 * closes after the last; after each test its pages close and it fails if a
 * page logged an error or warning, threw, or asked for anything off the machine.
 */
export function useLab(): LabSuite {
  let lab: Lab | null = null;
  const pages: Page[] = [];
  beforeAll(async () => {
    lab = await startLab();
  }, 240_000);
  afterAll(async () => lab?.close());
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.close();
    expect(lab?.problems.join('\n'), 'console errors, uncaught exceptions or external requests').toBe('');
  });
  return {
    async open(hash, o) {
      if (!lab) throw new Error('useLab: the lab has not started');
      const page = await lab.open(hash, o);
      pages.push(page);
      return page;
    },
  };
}
