/**
 * Tests of summary.md: the key tables are there as GitHub-flavoured Markdown.
 */
import { describe, expect, it } from 'vitest';
import type { StudyResults } from '../experiments/study/types.js';
import { makeEmptyFixture, makeFixture } from './fixture.test-helper.js';
import { renderSummaryMd } from './index.js';

describe('renderSummaryMd', () => {
  const md = renderSummaryMd(makeFixture());

  it('has the four key tables with a rule line each', () => {
    for (const h of ["## Nielsen's measurement: published vs measured", '## Activation × depth: first-to-last gradient ratio at initialisation', '## Activation × depth: test accuracy', '## Exploding gradients: clipping', '## Conclusions']) expect(md).toContain(h);
    expect(md).toContain('| network | layer | book | ours: median | ours: min – max |');
    expect(md).toContain('|---|---|---:|---:|---:|');
    expect(md).toContain('| [784,30,30,10] | hidden 1 | 0.0657 | 0.0612 | 0.0401 – 0.0844 |');
    expect(md).toContain('| [784,30,30,30,30,10] | **last / first** | **95.8** | **114** | 83.6 – 142 |');
    expect(md).toContain('| sigmoid | xavier_uniform | 0.271 ok | 6.12e-5 V |');
    expect(md).toContain('| selu | lecun_normal | 91.8 % | diverged |');
    expect(md).toMatch(/\| without clipping \| 40 \| step 38, layer 3 \(activation\): .* \| — \|/);
    expect(md).toContain('| with clipping at 1 | 150 | none |');
  });

  it('escapes pipes inside cells', () => {
    expect(md).toContain('σ\' at 0.25 \\| a pipe');
  });

  it('handles the JSON form and empty results', () => {
    const json = JSON.parse(JSON.stringify(makeFixture())) as StudyResults;
    expect(renderSummaryMd(json)).toContain('| selu | lecun_normal | 0.96 ok | — E |');
    const empty = renderSummaryMd(makeEmptyFixture());
    expect(empty.match(/_Not measured in this run\._/g)).toHaveLength(7); // five tables, the remedies findings and the recurrent stage
  });
});
