/**
 * Tests of the HTML report: every section present, nothing loaded from the
 * network, Chart.js and the results inlined, the results block round-trips,
 * numbers appear formatted, non-finite values and empty arrays are handled.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StudyResults } from '../study/types.js';
import { makeEmptyFixture, makeFixture } from './fixture.test-helper.js';
import { esc } from './format.js';
import { fmt, fmtLog10, fmtPct, renderHtml, REPORT_TITLE, SECTIONS, type ChartSpec, type SectionRenderer } from './index.js';
import { VERDICT_BG } from './sections/act-depth.js';

const MARKER = '/*! CHART-LIB-MARKER */';
const fakeChart = `${MARKER} window.Chart = function Chart() {};`;
const HEADINGS = ['1. The derivative bound', "2. Nielsen's measurement", '3. Activation × depth', '4. The three families', '5. Exploding gradients', '6. Remedies', '7. Recurrent nets: the gradient through time', '8. Order and chaos: signal-propagation theory beside measurement', '9. Conclusions', '10. Claims'];

function block(html: string, id: string): string {
  const m = new RegExp(`<script type="application/json" id="${id}">([\\s\\S]*?)</script>`).exec(html);
  if (!m) throw new Error(`no #${id} block`);
  return m[1];
}

function specs(html: string): ChartSpec[] {
  return JSON.parse(block(html, 'chart-specs')) as ChartSpec[];
}

/** The JSON form of the fixture, as the CLI passes it (non-finite numbers → null). */
function asJson(r: StudyResults): StudyResults {
  return JSON.parse(JSON.stringify(r)) as StudyResults;
}

describe('renderHtml', () => {
  const fixture = makeFixture();
  const html = renderHtml(fixture, { chartJs: fakeChart });

  it('has the title and every section heading, in order', () => {
    expect(html).toContain(`<title>${esc(REPORT_TITLE)}</title>`);
    const pos = HEADINGS.map((h) => html.indexOf(`<h2>${esc(h)}</h2>`));
    pos.forEach((p) => expect(p).toBeGreaterThan(0));
    expect([...pos].sort((a, b) => a - b)).toEqual(pos);
    expect(html).toContain('<h2>References</h2>');
  });

  it('loads nothing from the network', () => {
    expect(html).not.toMatch(/\b(src|href|action|poster)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('inlines the chart library and balances its script tags', () => {
    expect(html).toContain(MARKER);
    expect((html.match(/<script\b/g) ?? []).length).toBe(4);
    expect((html.match(/<\/script/gi) ?? []).length).toBe(4);
  });

  it('inlines the results as JSON that round-trips to the fixture', () => {
    const text = block(html, 'results');
    expect(text).not.toMatch(/<\/script/i);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(fixture)));
  });

  it('gives every chart spec a canvas, and every canvas a spec', () => {
    const ids = specs(html).map((s) => s.id);
    const canvases = [...html.matchAll(/<canvas id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...canvases].sort()).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining(['bound-f', 'bound-df', 'bound-depth', 'bound-band', 'nielsen-bars', 'nielsen-speed-0', 'nielsen-speed-1', 'nielsen-loss', 'actdepth-init', 'actdepth-trained', 'exploding-clip-loss', 'exploding-clip-grad']));
  });

  it('puts only positive numbers or gaps on logarithmic axes', () => {
    for (const s of specs(html)) {
      const cfg = s.config as { options: { scales: Record<string, { type?: string }> }; data: { datasets: { data: unknown[] }[] } };
      if (cfg.options.scales.y?.type !== 'logarithmic') continue;
      for (const ds of cfg.data.datasets) {
        for (const d of ds.data) {
          const ys = d === null ? [] : Array.isArray(d) ? d : typeof d === 'number' ? [d] : [(d as { y: number | null }).y];
          for (const y of ys) if (y !== null) expect(y as number, s.id).toBeGreaterThan(0);
        }
      }
    }
  });

  it('shows the fixture numbers formatted in its tables', () => {
    const n2 = fixture.nielsen.networks[1];
    expect(html).toContain(`<td class="num">${fmt(n2.published![0])}</td>`);
    expect(html).toContain(`<td class="num">${fmt(n2.measured.median[1])}</td>`);
    expect(html).toContain(`${fmt(n2.measured.lo[0])} – ${fmt(n2.measured.hi[0])}`);
    expect(html).toContain(`<strong>${fmt(fixture.nielsen.networks[3].ratioLastFirst.median)}</strong>`);
    const link = fixture.bound.chainExample.links[2];
    expect(html).toContain(`<td class="num">${fmt(link.factor)}</td>`);
    expect(html).toContain(`<td class="num">${fmt(link.runningProduct)}</td>`);
    expect(html).toContain(fmt(fixture.bound.chainExample.dCdb1Chain, 6));
    expect(html).toContain(fmt(fixture.bound.chainExample.dCdb1Backprop, 6));
    expect(html).toContain(`<td class="num">${fmt(fixture.exploding.chain.product[9])}</td>`);
    expect(fmt(fixture.exploding.chain.product[9])).toBe('9.54e11');
    // relu × 10: the median of its five seeds, the chosen rate and the seeds that trained
    expect(html).toContain(`${fmtPct(0.908)} [${fmtPct(0.9)}–${fmtPct(0.9105)}] η 0.01 · 5/5`);
    expect(html).toContain(`${fmtLog10(6.12e-5)} <span class="verdict">V</span>`);
    // a cell whose seeds disagree shows the share of each verdict
    expect(html).toContain(`${fmtLog10(0.0871)} <span class="verdict">ok 52 % · V 48 %</span>`);
  });

  it('shows the claims of each section beside it, and all of them with the tally in the claims section', () => {
    expect(html).toContain('<span class="agree agree-indistinguishable">indistinguishable</span>');
    expect(html).toContain('4 claims tested: 1 yes, 1 partly, 1 indistinguishable, 1 no.');
    expect(html).toContain('114 [83.6–142], 500 seeds');
    const nielsen = html.slice(html.indexOf('<section id="nielsen">'), html.indexOf('<section id="activation-depth">'));
    expect(nielsen).toContain('The 4-hidden-layer sigmoid net trains to 96.5 %.');
    expect(nielsen).not.toContain('Clipping beats a lower rate.');
  });

  it('shows each recommendation with its status', () => {
    expect(html).toContain('<span class="agree status-qualified">qualified</span>');
    expect(html).toContain('<span class="agree status-not-supported">not supported</span>');
  });

  it('colours the ratio grid by verdict and explains each cell on hover', () => {
    expect(html).toMatch(new RegExp(`<td class="num" title="sigmoid, 10 hidden layers, xavier_uniform; first seed: vanishing\\.[^"]*" style="background:${VERDICT_BG.vanishing}">`));
    expect(html).toMatch(new RegExp(`title="selu, 10 hidden layers[^"]*" style="background:${VERDICT_BG.exploding}"`));
    expect(html).toContain(`style="background:${VERDICT_BG.fine}"`);
  });

  it('shows per seed where each arm of the exploding network blew up, the clipped fraction, and how many seeds trained', () => {
    expect(html).toMatch(/<strong>no remedy, η = 0\.01<\/strong><\/td><td>non-finite at step 38 \(layer 3\)<\/td><td>non-finite at step 4 \(layer 3\)<\/td><td class="num">2 \/ 2<\/td><td class="num">0 \/ 2<\/td>/);
    expect(html).toContain('61.0 %, 32.0 % of steps clipped');
    expect(html).toContain('Clipping at 20 acted on 20.0 %–32.0 % of the steps');
  });

  it("reads the book's recipe by its seeds: most left the plateau, or most were still on it", () => {
    const f = makeFixture();
    const recipe = (trained: boolean[]) => renderHtml({ ...f, nielsen: { ...f.nielsen, bookRecipe: { ...f.nielsen.bookRecipe, seeds: trained.map((_, i) => i + 1), perSeed: trained.map((t, i) => ({ seed: i + 1, testAccuracy: t ? 0.5 : 0.11, trained: t })) } } }, { chartJs: fakeChart });
    const few = recipe([true, false, false]);
    expect(few).toContain('it left the plateau on 1 of 3 seeds');
    expect(few).not.toContain('with small noisy steps and enough of them it leaves the plateau');
    const most = recipe([true, true, false]);
    expect(most).toContain('with small noisy steps and enough of them it leaves the plateau');
    expect(most).not.toContain('it left the plateau on');
  });

  it('caps a log axis so a runaway curve does not flatten the tame one', () => {
    const f = makeFixture();
    const clip = f.exploding.clipping;
    const arms = clip.arms.map((a, i) => (i === 0 ? { ...a, loss: [2.3, 40, 1e9, 3e31, NaN] } : a));
    const runaway: StudyResults = { ...f, exploding: { ...f.exploding, clipping: { ...clip, arms } } };
    const h = renderHtml(runaway, { chartJs: fakeChart });
    const loss = specs(h).find((s) => s.id === 'exploding-clip-loss')!.config as { options: { scales: { y: { max?: number } } } };
    expect(loss.options.scales.y.max).toBe(1e5);
    expect(h).toContain('Runs that blow up leave the top of the plot (the highest reaches 3e31).');
    const plain = specs(html).find((s) => s.id === 'exploding-clip-loss')!.config as { options: { scales: { y: { max?: number } } } };
    expect(plain.options.scales.y.max).toBeUndefined();
  });

  it('escapes text from the results', () => {
    expect(html).toContain('a &lt;tag&gt; and &lt;/script&gt; must survive');
    expect(html).not.toContain('<tag>');
  });

  it('renders the JSON form (non-finite numbers as null) without error', () => {
    const h = renderHtml(asJson(fixture), { chartJs: fakeChart });
    expect(h).not.toContain('render-error"');
    expect(h).toContain('<span class="verdict">E</span>');
    expect(h).toContain('(1 blew up)');
    expect(JSON.parse(block(h, 'results'))).toEqual(asJson(fixture));
  });

  it('says "not measured in this run" for empty arrays', () => {
    const h = renderHtml(makeEmptyFixture(), { chartJs: fakeChart });
    for (const t of HEADINGS) expect(h).toContain(`<h2>${esc(t)}</h2>`);
    expect(h).not.toContain('could not be rendered');
    const sections = h.split('<section').slice(1);
    expect(sections).toHaveLength(HEADINGS.length);
    for (const s of sections) expect(s).toContain('not measured in this run');
    expect(specs(h)).toEqual([]);
  });

  it('keeps rendering when one section throws, and accepts extra sections', () => {
    const broken: SectionRenderer = () => {
      throw new Error('field missing');
    };
    const extra: SectionRenderer = () => ({ id: 'remedies', title: 'Remedies', html: '<p>later</p>', charts: [] });
    const h = renderHtml(fixture, { chartJs: fakeChart }, { sections: [...SECTIONS.slice(0, 4), broken, extra, SECTIONS[SECTIONS.length - 1]] });
    expect(h).toContain('could not be rendered from the results: field missing');
    expect(h).toContain('<h2>6. Remedies</h2>');
    expect(h).toContain('<h2>7. Claims</h2>');
  });

  it('inlines the real Chart.js build safely', () => {
    // chart.js's "exports" map hides dist/chart.umd.js from require.resolve; it sits beside the main entry
    const require = createRequire(import.meta.url);
    const chartJs = readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.js'), 'utf8');
    const h = renderHtml(fixture, { chartJs });
    expect(h).toContain('Chart.js v4');
    expect((h.match(/<\/script/gi) ?? []).length).toBe((h.match(/<script\b/g) ?? []).length);
    expect(h).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    // write the page for a look in a browser when asked to
    const out = process.env.GRADSCOPE_REPORT_FIXTURE;
    if (out) {
      mkdirSync(out.replace(/\/[^/]*$/, '') || '.', { recursive: true });
      writeFileSync(out, h);
    }
  });
});
