// Aggregation (median and range over seeds), the summary table, the CSV
// export (quoting, one column per layer) and the HTML heatmaps.
import { describe, expect, it } from 'vitest';
import { fmtStat, levels, statOf, summaryTable } from '../../src/sweep/aggregate.js';
import { csvField, toCsv } from '../../src/sweep/csv.js';
import { errorRecord, RESULT_FORMAT, type RunRecord, type SnapshotRecord } from '../../src/sweep/record.js';
import { chooseAxes, renderSweepReport } from '../../src/report/sweep.js';
import { englishIn, pageText } from '../../src/i18n/english.test-helper.js';

const SWEEP = '0123456789abcdef';

function snap(ratio: number | null, layers: number, verdict: SnapshotRecord['verdict']): SnapshotRecord {
  return {
    step: 0,
    loss: 0.7,
    firstToLast: ratio,
    verdict,
    cause: 'because',
    layers: Array.from({ length: layers }, (_, i) => ({ index: i + 1, units: 8, activation: 'relu', biasGradNorm: 10 ** -i, weightGradNorm: 2 * 10 ** -i })),
  };
}

let n = 0;
function run(params: Record<string, unknown>, ratio: number | null, acc: number | null): RunRecord {
  const depth = typeof params.depth === 'number' ? params.depth : 1;
  const i = n++;
  return {
    format: RESULT_FORMAT,
    sweep: SWEEP,
    id: i.toString(16).padStart(16, '0'),
    index: i,
    params,
    status: 'ok',
    error: null,
    metrics: { steps: 30, totalSteps: 30, epochs: 3, stopReason: 'max_steps', finalLoss: 0.5, finalProbeLoss: 0.4, trainAccuracy: acc, testAccuracy: acc, nonFinite: null, clipEvents: 0 },
    atInit: snap(ratio, depth + 1, ratio !== null && ratio < 0.01 ? 'vanishing' : 'healthy'),
    atEnd: snap(ratio, depth + 1, ratio !== null && ratio < 0.01 ? 'vanishing' : 'healthy'),
    wallSeconds: 0.1,
    worker: 'host:1',
    finishedAt: '2025-01-01T00:00:00Z',
  };
}

const records: RunRecord[] = [
  run({ activation: 'sigmoid', depth: 2, seed: 1 }, 1e-3, 0.5),
  run({ activation: 'sigmoid', depth: 2, seed: 2 }, 3e-3, 0.6),
  run({ activation: 'sigmoid', depth: 2, seed: 3 }, 2e-3, null),
  run({ activation: 'relu', depth: 2, seed: 1 }, 0.9, 0.9),
  run({ activation: 'relu', depth: 4, seed: 1 }, 0.5, 0.85),
  { ...errorRecord({ sweep: SWEEP, id: 'ffffffffffffff00', index: 99, params: { activation: 'relu, "odd"', depth: 4, seed: 2 } }, 'boom, "quoted"\nsecond line', 0), finishedAt: 'x' },
];

describe('aggregation', () => {
  it('takes the median and range of the finite values', () => {
    expect(statOf([3, 1, null, 2, NaN])).toEqual({ n: 3, of: 5, median: 2, lo: 1, hi: 3 });
    expect(statOf([4, 1])).toMatchObject({ median: 2.5 });
    expect(statOf([null])).toEqual({ n: 0, of: 1, median: null, lo: null, hi: null });
    expect(fmtStat(statOf([1e-3, 3e-3, 2e-3]))).toBe('0.002 [0.001–0.003]');
  });

  it('keeps the order in which values first appear', () => {
    expect(levels(records, 'activation')).toEqual(['sigmoid', 'relu', 'relu, "odd"']);
  });

  it('summarises one row per setting with seeds aggregated', () => {
    const t = summaryTable(records, ['activation', 'depth', 'seed']);
    expect(t.head).toEqual(['activation', 'depth', 'runs', 'test accuracy', 'first/last at init', 'first/last at end', 'verdict at end']);
    expect(t.rows[0]).toEqual(['sigmoid', '2', '3', '55.0% [50.0%–60.0%]', '0.002 [0.001–0.003]', '0.002 [0.001–0.003]', 'vanishing']);
    expect(t.rows.find((r) => r[0] === 'relu, "odd"')?.[6]).toBe('error');
  });
});

describe('CSV', () => {
  it('quotes fields with commas, quotes and newlines (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(['relu', 'tanh'])).toBe('"[""relu"",""tanh""]"');
    expect(csvField(NaN)).toBe('');
    expect(csvField(null)).toBe('');
  });

  it('writes one row per run with per-layer norms padded to the deepest net', () => {
    const csv = toCsv(records, ['activation', 'depth', 'seed']);
    const lines = csv.trimEnd().split('\r\n');
    const head = lines[0].split(',');
    expect(head.slice(0, 5)).toEqual(['index', 'id', 'activation', 'depth', 'seed']);
    expect(head.filter((h) => h.startsWith('initBiasGradNorm_'))).toHaveLength(5);
    // the error row's message keeps its comma, quotes and newline inside one quoted field
    expect(csv).toContain('"boom, ""quoted""\nsecond line"');
    expect(lines[1].split(',')[head.indexOf('initBiasGradNorm_3')]).toBe('0.01');
    expect(lines[1].split(',')[head.indexOf('initBiasGradNorm_4')]).toBe('');
  });
});

describe('HTML report', () => {
  it('speaks 繁體中文 when asked: lang="zh-Hant", and no English sentence on the page', () => {
    const html = renderSweepReport({ name: 'zh', sweep: SWEEP, created: '2025-01-01T00:00:00Z', keys: ['activation', 'depth', 'seed'], total: 8, records, csvName: 'results.csv' }, 'zh-Hant');
    expect(html).toContain('<html lang="zh-Hant">');
    expect(html).toContain('已記錄 8 次執行中的 6 次，1 次失敗');
    // the one English line is the run's own error text (test data)
    expect(englishIn(pageText(html), ['boom, "quoted"', 'second line']).map((f) => `${f.english} in …${f.context}…`)).toEqual([]);
    // the check can fail: the English page is English
    expect(englishIn(pageText(renderSweepReport({ name: 'en', sweep: SWEEP, created: '', keys: ['activation', 'depth', 'seed'], total: 8, records }))).length).toBeGreaterThan(3);
  });

  it('draws activation × depth by default and aggregates seeds', () => {
    expect(chooseAxes(['seed', 'depth', 'activation', 'lr'], records)).toMatchObject({ rows: 'activation', cols: 'depth', facets: [] });
    const html = renderSweepReport({ name: 'test <sweep>', sweep: SWEEP, created: '2025-01-01T00:00:00Z', keys: ['activation', 'depth', 'seed'], total: 8, records, csvName: 'results.csv' });
    expect(html).toContain('<title>test &lt;sweep&gt; — gradscope sweep</title>');
    expect(html).toContain('6 of 8 runs recorded, 1 failed');
    expect(html).toContain('<html lang="en">');
    expect((html.match(/<table class="heatmap">/g) ?? []).length).toBe(3);
    // sigmoid × 2: median 0.002 over three seeds, range below, blue (vanishing)
    expect(html).toMatch(/<td class="hm" style="background:rgb\(\d+,\d+,\d+\);color:#[0-9a-f]+"><div class="med">0\.002<\/div><div class="spread">0\.001 – 0\.003<\/div><div class="count">n=3<\/div><\/td>/);
    expect(html).toContain('<div class="count">n=2 of 3</div>'); // accuracy: one run without a value
    expect(html).toContain('href="results.csv"');
    expect(html).not.toMatch(/<script/);
  });

  it('makes a facet per value of a further swept key', () => {
    const more = records.map((r, i) => ({ ...r, params: { ...r.params, init: i % 2 ? 'he_normal' : 'xavier_normal' } }));
    const axes = chooseAxes(['activation', 'depth', 'init', 'seed'], more);
    expect(axes).toMatchObject({ rows: 'activation', cols: 'depth', facets: ['init'], aggregated: ['seed'] });
    const html = renderSweepReport({ name: 's', sweep: SWEEP, created: '', keys: ['activation', 'depth', 'init', 'seed'], total: 6, records: more });
    expect(html).toContain('<h3>init = xavier_normal</h3>');
    expect((html.match(/<table class="heatmap">/g) ?? []).length).toBe(6);
  });
});
