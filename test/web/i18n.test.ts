// The web lab in 繁體中文, in Chromium (playwright-core, Debian's /usr/bin/chromium): the explorer
// and the playground show no English sentence (code names, formulas and paper titles aside), and
// the report viewer renders the study in the language the switch selects. Skipped, saying so,
// without Debian's Chromium; the shared helper builds the lab when it is stale (one build at a time).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { englishIn } from '../../src/i18n/english.test-helper.js';
import { HAVE_CHROMIUM, useLab } from './browser-helper.js';

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

describe.skipIf(!HAVE_CHROMIUM)('web lab in 繁體中文', () => {
  const lab = useLab();

  it('the explorer and the playground say no English sentence', async () => {
    const found: string[] = [];
    for (const hash of ['#/activations?lang=zh-Hant', '#/activations?fn=leaky_relu&lang=zh-Hant', '#/activations?fn=softmax&lang=zh-Hant', '#/playground?lang=zh-Hant']) {
      const page = await lab.open(hash, { width: 1300, height: 900 });
      await page.waitForSelector('main');
      await page.waitForTimeout(1500);
      for (const f of englishIn(await visibleText(page))) found.push(`${hash}: "${f.english}" in …${f.context}…`);
    }
    expect(found).toEqual([]);
  }, 120_000);

  it('the report viewer follows the language switch', async () => {
    const page = await lab.open('#/report?src=served&lang=zh-Hant', { width: 1300, height: 900 });
    await page.waitForSelector('[data-report-loaded]');
    const body = page.locator('[data-report-body]');
    await expect(body.getAttribute('lang')).resolves.toBe('zh-Hant');
    const heading = () => body.evaluate((el) => el.shadowRoot?.querySelector('h2')?.textContent ?? '');
    await expect(heading()).resolves.toBe('1. 導數的上界');
    await page.evaluate(() => (location.hash = '#/report?src=served'));
    await page.waitForFunction(() => document.querySelector('[data-report-body]')?.getAttribute('lang') === 'en');
    await expect(heading()).resolves.toBe('1. The derivative bound');
  }, 120_000);
});
