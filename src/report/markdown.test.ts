/**
 * Tests of summary.md: the key tables are there as GitHub-flavoured Markdown,
 * with bands over seeds, the claims and the recommendations.
 */
import { describe, expect, it } from 'vitest';
import type { StudyResults } from '../study/types.js';
import { makeEmptyFixture, makeFixture } from './fixture.test-helper.js';
import { renderSummaryMd } from './index.js';

describe('renderSummaryMd', () => {
  const md = renderSummaryMd(makeFixture());

  it('has the key tables with a rule line each', () => {
    for (const h of ['## Claims: published vs measured', '## Recommendations', "## Nielsen's measurement: published vs measured", '## Activation × depth: first-to-last gradient ratio at initialisation', '## Activation × depth: test accuracy', '## Exploding gradients: clipping or a smaller step', '## Conclusions']) expect(md).toContain(h);
    expect(md).toContain('| network | layer | book | ours: median | ours: 5–95 % |');
    expect(md).toContain('|---|---|---:|---:|---:|');
    expect(md).toContain('| [784,30,30,10] | hidden 1 | 0.0657 | 0.0612 | 0.0401 – 0.0844 |');
    expect(md).toContain('| [784,30,30,30,30,10] | **last / first** | **95.8** | **114** | 83.6 – 142 |');
    expect(md).toContain('| sigmoid | xavier_uniform | 0.271 [0.0903–0.813] ok | 6.12e-5 [2.04e-5–1.84e-4] V |');
    expect(md).toContain('| tanh | xavier_uniform | 0.83 [0.277–2.49] ok | 0.0871 [0.029–0.261] ok 52 % · V 48 % |');
    expect(md).toContain('| relu | he_normal | 92.1 % [91.8 %–92.5 %] η 0.01, 5/5 | 90.8 % [90.0 %–91.0 %] η 0.01, 5/5 |');
    expect(md).toMatch(/\| no remedy, η = 0\.01 \| non-finite at step 38 \(layer 3\) \| non-finite at step 4 \(layer 3\) \| 2\/2 \| 0\/2 \|/);
    expect(md).toContain('| clip by global norm at c = 20, η = 0.01 | 61.0 %, 32.0 % of steps clipped | 65.0 %, 20.0 % of steps clipped | 0/2 | 2/2 |');
  });

  it('lists every claim with its measured band, seeds, test and outcome, and the tally', () => {
    expect(md).toContain('4 claims tested: 1 yes, 1 partly, 1 indistinguishable, 1 no.');
    expect(md).toContain('| In [784,30,30,30,30,10] the ratio is 95.8×. | Nielsen, ch. 5 | 95.8 (one random draw) | 114 [83.6–142], 500 seeds |');
    expect(md).toMatch(/\| Clipping beats a lower rate\. \| .* \| indistinguishable \|/);
    expect(md).toContain('| ReLU is the default for hidden layers. | qualified |');
  });

  it('escapes pipes inside cells', () => {
    expect(md).toContain('σ\' at 0.25 \\| a pipe');
    expect(md).toContain('Collapsed nets do not train \\| a pipe');
  });

  it('handles the JSON form and empty results', () => {
    const json = JSON.parse(JSON.stringify(makeFixture())) as StudyResults;
    expect(renderSummaryMd(json)).toContain('| selu | lecun_normal | 0.96 [0.32–2.88] ok | — E |');
    const empty = renderSummaryMd(makeEmptyFixture());
    // claims, recommendations, Nielsen, the two grids, the exploding arms, the recurrent stage and the conclusions
    expect(empty.match(/_Not measured in this run\._/g)).toHaveLength(8);
  });
});
