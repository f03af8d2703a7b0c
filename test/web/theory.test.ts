// The web lab's theory panels in Chromium: the explorer shows χ₁ and the critical σ_w² for the
// selected activation and its parameters; the playground draws the theory's gradient line beside
// the measured norms at initialisation. Skipped, saying so, without Debian's Chromium; the shared
// helper builds the lab when it is stale and fails a test whose page logged an error.
import { describe, expect, it } from 'vitest';
import { HAVE_CHROMIUM, useLab } from './browser-helper.js';

describe.skipIf(!HAVE_CHROMIUM)('theory panels in Chromium', () => {
  const lab = useLab();
  const open = (hash: string) => lab.open(hash, { width: 1300, height: 1000 });

  it('explorer: χ₁ and the critical σ_w² for tanh follow σ_b², and for leaky_relu its slope', async () => {
    const page = await open('#/activations?fn=tanh');
    const panel = page.locator('[data-theory=explorer]');
    await panel.waitFor();
    await expect(panel.locator('[data-critical]').getAttribute('data-critical')).resolves.toBe('1');
    await panel.locator('input[name=theory-sb2]').nth(1).check(); // σ_b² = 0.05
    await expect.poll(async () => Number(await panel.locator('[data-critical]').getAttribute('data-critical'))).toBeCloseTo(1.7609546, 6);
    await page.evaluate(() => (location.hash = '#/activations?fn=leaky_relu&pv=negative_slope:0.5'));
    await expect.poll(async () => page.locator('[data-theory=explorer] [data-init=he] [data-chi1]').getAttribute('data-chi1')).toBe('1.25');
  });

  it('playground: the theory line for sigmoid with Nielsen\'s init follows the measured gradient (within ×2 per layer)', async () => {
    const page = await open('#/playground?act=sigmoid&init=nielsen&depth=6&width=64&data=digits');
    const canvas = page.locator('[data-theory=playground] canvas[data-chart=theory]');
    await canvas.waitFor({ timeout: 60_000 });
    const predicted = ((await canvas.getAttribute('data-predicted')) ?? '').split(',').slice(0, -1).map(Number);
    const measured = ((await canvas.getAttribute('data-measured')) ?? '').split(',').map(Number);
    expect(predicted).toHaveLength(6);
    for (let l = 0; l < 6; l++) expect(Math.abs(Math.log(measured[l] / predicted[l])), `layer ${l + 1}: ${measured[l]} vs ${predicted[l]}`).toBeLessThan(Math.log(2));
    // ~1/5 per layer toward the input (√χ₁ for sigmoid at σ_w² = σ_b² = 1)
    for (let l = 1; l < predicted.length; l++) {
      const f = predicted[l - 1] / predicted[l];
      expect(f).toBeGreaterThan(0.15);
      expect(f).toBeLessThan(0.3);
    }
  });
});
