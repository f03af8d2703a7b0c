// What the lab adds for teaching, in Chromium at desktop and phone widths: two runs side by side in
// lock step from one URL, the network drawn with its weights and gradient flow (and each neuron's
// output on hover for 2-D data), classroom links that hide controls, the tutorial, the stopping rule
// with its reason, the reader's own CSV data, and a page served compressed and cross-origin isolated.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/web/state/presets.js';
import { TOUR, tourRoute } from '../../src/web/state/tour.js';
import { formatHash, stateFromParams } from '../../src/web/state/url.js';
import { HAVE_CHROMIUM, shownStep, useLab } from './browser-helper.js';

/** A CSV of two Gaussian blobs labelled by word, with a header, from a fixed linear congruential sequence. */
function blobsCsv(n: number): string {
  let u = 12345;
  const next = (): number => ((u = (u * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const normal = (): number => Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
  const rows = ['x,y,label'];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    rows.push(`${(c ? 1.5 : -1.5) + 0.6 * normal()},${(c ? 1 : -1) + 0.6 * normal()},${c ? 'blue' : 'orange'}`);
  }
  return `${rows.join('\n')}\n`;
}

describe.skipIf(!HAVE_CHROMIUM)('web lab additions', () => {
  const lab = useLab();
  let page: Page;

  it('trains two runs side by side from one URL, in lock step, on shared axes', async () => {
    page = await lab.open('#/playground?act=sigmoid&init=nielsen&steps=20000&b.act=relu&b.init=he_normal');
    await page.waitForSelector('[data-status=ready]');
    await expect(page.locator('.run-panel').count()).resolves.toBe(2);
    await expect(page.locator('[data-run=a] .run-title').textContent()).resolves.toMatch(/activation = sigmoid.*init = nielsen/);
    await expect(page.locator('[data-run=b] .run-title').textContent()).resolves.toMatch(/activation = relu.*init = he_normal/);
    await page.click('[data-action=play]');
    await page.waitForTimeout(700);
    await page.click('[data-action=pause]');
    await page.waitForSelector('[data-status=paused][data-confirmed=true]');
    const [a, b] = await Promise.all(['a', 'b'].map((r) => page.locator(`[data-run=${r}]`).getAttribute('data-step')));
    expect(Number(a)).toBeGreaterThan(0);
    expect(a).toBe(b);
    // the gradient charts of both runs share their log axis, so a factor reads the same on both
    const ranges = await page.locator('canvas[data-chart=grad]').evaluateAll((cs) => cs.map((c) => c.getAttribute('data-range')));
    expect(ranges[0]).toMatch(/^-?\d+,-?\d+$/);
    expect(ranges[1]).toBe(ranges[0]);
    // a step moves both
    await page.click('[data-action=step]');
    await page.waitForFunction((s) => document.querySelector('[data-run=b]')?.getAttribute('data-step') === String(Number(s) + 1), a);
    await expect(page.locator('[data-run=a]').getAttribute('data-step')).resolves.toBe(String(Number(a) + 1));
    // run B's controls edit only what sets it apart; the shared settings are locked
    await page.click('[data-edit=b]');
    await expect(page.locator('#set-seed').isDisabled()).resolves.toBe(true);
    await page.selectOption('#set-init', 'xavier_normal');
    await page.waitForFunction(() => location.hash.includes('b.init=xavier_normal'));
    // editing run B changes nothing of the defaults a fresh link opens with (the run settings' init)
    expect(stateFromParams({}).state.init).toBe('normal');
  });

  it('draws the network with its weights and gradient flow, and each neuron\'s output on hover for 2-D data', async () => {
    page = await lab.open('#/playground?depth=3&width=6');
    await page.waitForSelector('[data-status=ready]');
    const net = page.locator('canvas[data-chart=network]');
    await net.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => Number(document.querySelector('canvas[data-chart=network]')?.getAttribute('data-edges')) > 0);
    // 2×6 + 6×6 + 6×6 + 6×2 connections, every one drawn (fewer than the cap)
    await expect(net.getAttribute('data-edges')).resolves.toBe(String(2 * 6 + 6 * 6 + 6 * 6 + 6 * 2));
    const box = await net.boundingBox();
    if (!box) throw new Error('no network canvas');
    // unit 3 of layer 1: the second of five columns, 18 px in from each side; units spread between 8 px from the top and 16 px from the bottom
    await page.mouse.move(box.x + 18 + (box.width - 36) / 4, box.y + 8 + (3.5 * (box.height - 24)) / 6);
    await page.locator('[data-neuron="1:3"]').waitFor();
    await page.waitForFunction(() => {
      const c = document.querySelector<HTMLCanvasElement>('[data-neuron-heatmap]');
      if (!c || c.width < 10) return false;
      const blank = document.createElement('canvas');
      blank.width = c.width;
      blank.height = c.height;
      return c.toDataURL() !== blank.toDataURL();
    });
    await expect(page.locator('[data-neuron]').textContent()).resolves.toMatch(/^layer 1, unit 4 · \|∂C\/∂bⱼ\| = .*output from .* \(orange\) to .* \(blue\)$/);
  });

  it('hides what a classroom link asks it to hide', async () => {
    page = await lab.open('#/playground?hide=controls,presets,nav,lang');
    await page.waitForSelector('[data-status=ready]');
    for (const sel of ['.pg-controls', '.presets', 'nav.views', '.langs']) await expect(page.locator(sel).count(), sel).resolves.toBe(0);
    await expect(page.locator('canvas[data-chart=grad]').count()).resolves.toBe(1);
    await page.close();
    page = await lab.open('#/playground?hide=lr,opt,network,speed');
    await page.waitForSelector('[data-status=ready]');
    for (const sel of ['#set-lr', '#set-optimizer', 'canvas[data-chart=network]', '#set-speed']) await expect(page.locator(sel).count(), sel).resolves.toBe(0);
    for (const sel of ['#set-depth', '#set-activation', 'canvas[data-chart=grad]']) await expect(page.locator(sel).count(), sel).resolves.toBe(1);
    // a name that is neither a panel nor a setting is reported, not silently ignored
    await page.evaluate(() => (location.hash = '#/playground?hide=lr,nonsense'));
    await expect(page.locator('.notice').textContent()).resolves.toContain('hide=nonsense');
  });

  it('steps through the tutorial, each step a page with its sentence, keeping the classroom flags', async () => {
    page = await lab.open(formatHash({ ...tourRoute(1, { hide: 'nav' }), lang: 'en' }));
    for (let n = 1; n <= TOUR.length; n++) {
      const bar = page.locator(`[data-tour-step="${n}"]`);
      await bar.waitFor();
      await expect(bar.locator('.tour-text').textContent()).resolves.toBe(TOUR[n - 1].text.en);
      const place = TOUR[n - 1].place;
      if (place.view === 'activations') await page.locator(`[data-entry=${place.fn}]`).waitFor();
      else {
        // the step is its preset, both runs of a comparison, and it plays by itself
        const preset = PRESETS.find((p) => p.id === place.preset);
        await page.locator('[data-preset][aria-pressed=true]').waitFor();
        await expect(page.locator('[data-preset][aria-pressed=true]').getAttribute('data-preset')).resolves.toBe(preset?.id);
        await expect(page.locator('.run-panel').count()).resolves.toBe(preset?.compare ? 2 : 1);
        await page.waitForFunction(() => document.querySelector('[data-status]')?.getAttribute('data-status') !== 'ready');
      }
      await expect(page.locator('nav.views').count()).resolves.toBe(0);
      if (n < TOUR.length) await page.click('[data-tour=next]');
    }
    await expect(page.locator('[data-tour=next]').isDisabled()).resolves.toBe(true);
    await page.click('[data-tour=prev]');
    await page.locator(`[data-tour-step="${TOUR.length - 1}"]`).waitFor();
  });

  it('shows the stopping rule and why a run stopped: the tolerance on ‖∇‖, or the maximum of steps', async () => {
    page = await lab.open('#/playground?act=relu&init=he_normal&tol=10');
    await page.waitForSelector('[data-status=ready]');
    await expect(page.locator('[data-stop-rule]').textContent()).resolves.toBe('Stopping rule: stop after 1000 steps, or as soon as ‖∇‖ < 10, whichever comes first.');
    await page.click('[data-action=play]');
    await page.waitForSelector('[data-status=finished]');
    await expect(page.locator('[data-stop-reason]').getAttribute('data-stop-reason')).resolves.toBe('tolerance');
    await expect(page.locator('[data-stop-reason]').textContent()).resolves.toMatch(/^Stopped at step 0: the gradient norm ‖∇‖ = [\d.e+-]+ fell below the tolerance 10\.$/);
    await page.evaluate(() => (location.hash = '#/playground?act=relu&init=he_normal&steps=30'));
    await page.waitForSelector('[data-status=ready]');
    await page.click('[data-action=play]');
    await page.waitForSelector('[data-status=finished]');
    await expect(page.locator('[data-stop-reason]').textContent()).resolves.toBe('Stopped: the maximum of 30 steps was reached.');
    expect(await shownStep(page)).toBe(30);
  });

  it('trains on a dropped CSV of two features and a label, and says what is wrong with a bad one', async () => {
    page = await lab.open('#/playground?depth=2&width=8&act=relu&init=he_normal');
    await page.waitForSelector('[data-status=ready]');
    // a drop onto the playground, as a file manager does it
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'blobs.csv', { type: 'text/csv' }));
      const target = document.querySelector('.playground');
      target?.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target?.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, blobsCsv(300));
    await expect(page.locator('[data-custom-data]').textContent({ timeout: 10_000 })).resolves.toBe('Your data: blobs.csv — 300 rows, 2 classes. use the data set again');
    await page.waitForFunction(() => document.querySelector('.net-summary')?.textContent?.includes('240 training and 60 test examples'));
    await page.waitForSelector('[data-status=ready]');
    await page.click('[data-action=play]');
    await page.waitForSelector('[data-status=finished]', { timeout: 30_000 });
    // two blobs 3 standard deviations apart: a 2-layer net separates them
    expect(Number(await page.locator('[data-test-accuracy]').getAttribute('data-test-accuracy'))).toBeGreaterThanOrEqual(0.9);
    // the file input takes the same files; a bad one is refused in one sentence naming file, line, field and value
    await page.click('[data-action=clear-csv]');
    await page.setInputFiles('[data-action=open-csv]', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`${blobsCsv(20)}1.0,abc,blue\n`) });
    await expect(page.locator('[data-csv-error]').textContent()).resolves.toBe("bad.csv, line 22, field 'y': \"abc\" is not a finite number");
  });

  it('is served compressed and cross-origin isolated, and nothing it loads breaks under COEP', async () => {
    const encodings = new Map<string, string>();
    page = await lab.open('#/playground?data=digits', { init: '' });
    page.on('response', (r) => encodings.set(r.url().split('/').pop() ?? '', r.headers()['content-encoding'] ?? 'identity'));
    await page.waitForSelector('[data-status=ready]', { timeout: 30_000 });
    await expect(page.evaluate(() => crossOriginIsolated && typeof SharedArrayBuffer === 'function')).resolves.toBe(true);
    await page.reload();
    await page.waitForSelector('[data-status=ready]', { timeout: 30_000 });
    const scripts = [...encodings].filter(([name]) => /\.(js|css)$/.test(name));
    expect(scripts.length).toBeGreaterThan(2);
    for (const [name, enc] of scripts) expect(enc, name).toBe('br');
    // the digits are gzipped bytes already: sent as they are
    expect(encodings.get('digits.bin')).toBe('identity');
    // every view, the KaTeX fonts and the report's shadow root included, under COEP
    for (const hash of ['#/activations?fn=gelu', '#/report?src=served', '#/playground?act=tanh']) {
      await page.evaluate((h) => (location.hash = h), hash);
      await page.waitForTimeout(800);
    }
    await page.waitForSelector('[data-report-loaded], [data-status]');
    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter((f) => f.status === 'loaded').length;
    });
    expect(fonts).toBeGreaterThan(0);
  });
});
