// The web lab in 繁體中文, in Chromium (playwright-core, Debian's /usr/bin/chromium): the explorer
// and the playground show no English sentence (code names, formulas and paper titles aside), and
// the report viewer renders the study in the language the switch selects. Uses the built lab in
// dist/web; skipped, saying so, without Debian's Chromium or when dist/web is older than the sources
// (web/lab.test.ts rebuilds it — this file does not, so two builds never run at once).
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/cli/commands/serve.js';
import { englishIn } from '../../src/i18n/english.test-helper.js';
import { makeFixture } from '../../src/report/fixture.test-helper.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const WEB = join(ROOT, 'dist', 'web');
const CHROMIUM = '/usr/bin/chromium';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (!e.name.includes('.test.')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const index = join(WEB, 'index.html');
const fresh = existsSync(index) && statSync(index).mtimeMs > newest(join(ROOT, 'src'));
const why = !existsSync(CHROMIUM) ? `${CHROMIUM} is missing` : !fresh ? 'dist/web is missing or older than src (npm run build:web)' : '';
if (why) console.warn(`web/i18n.test: skipped: ${why}`);

/** The text a reader sees or hears on the page, shadow roots included (not code, citations or noscript). */
function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walk = (root: Document | ShadowRoot): void => {
      const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = w.nextNode(); n; n = w.nextNode()) {
        const el = n.parentElement;
        if (el && !el.closest('code, cite, script, style, noscript, .katex')) out.push(n.textContent ?? '');
      }
      root.querySelectorAll('[aria-label], [title], [alt], [placeholder]').forEach((e) => {
        if (e.closest('code, .katex, .tex')) return;
        for (const a of ['aria-label', 'title', 'alt', 'placeholder']) {
          const v = e.getAttribute(a);
          if (v) out.push(v);
        }
      });
      root.querySelectorAll('*').forEach((e) => e.shadowRoot && walk(e.shadowRoot));
    };
    walk(document);
    return out.join('\n');
  });
}

describe.skipIf(why !== '')('web lab in 繁體中文', () => {
  let server: RunningServer;
  let browser: Browser;
  let reportDir: string;

  beforeAll(async () => {
    reportDir = mkdtempSync(join(tmpdir(), 'gradscope-i18n-report-'));
    writeFileSync(join(reportDir, 'results.json'), JSON.stringify(makeFixture(), (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
    server = await startServer({ root: WEB, reportDir, host: '127.0.0.1', port: 0 });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  it('the explorer and the playground say no English sentence', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const found: string[] = [];
    for (const hash of ['#/activations?lang=zh-Hant', '#/activations?fn=leaky_relu&lang=zh-Hant', '#/activations?fn=softmax&lang=zh-Hant', '#/playground?lang=zh-Hant']) {
      await page.goto(`${server.url}${hash}`);
      await page.waitForSelector('main');
      await page.waitForTimeout(1500);
      for (const f of englishIn(await visibleText(page))) found.push(`${hash}: "${f.english}" in …${f.context}…`);
    }
    await page.close();
    expect(found).toEqual([]);
  }, 120_000);

  it('the report viewer follows the language switch', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    await page.goto(`${server.url}#/report?src=served&lang=zh-Hant`);
    await page.waitForSelector('[data-report-loaded]');
    const body = page.locator('[data-report-body]');
    await expect(body.getAttribute('lang')).resolves.toBe('zh-Hant');
    const heading = () => body.evaluate((el) => el.shadowRoot?.querySelector('h2')?.textContent ?? '');
    await expect(heading()).resolves.toBe('1. 導數的上界');
    await page.evaluate(() => (location.hash = '#/report?src=served'));
    await page.waitForFunction(() => document.querySelector('[data-report-body]')?.getAttribute('lang') === 'en');
    await expect(heading()).resolves.toBe('1. The derivative bound');
    await page.close();
  }, 120_000);
});
