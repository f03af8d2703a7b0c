// Nielsen's measurement, checked as a distribution over seeds against the book's
// published single draws (REFERENCES.md): each hidden layer learns ~4–6× slower
// than the next, and the book's values fall within a tolerance of our seed range.
import { describe, expect, it } from 'vitest';
import { takeFirst } from '../data/batch.js';
import { loadDigits } from '../data/node.js';
import { NIELSEN_NETWORKS, nielsenNorms, speedOfLearning } from './nielsen.js';
import { median } from '../experiments/stats.js';

const images = takeFirst(loadDigits(), 1000);
const SEEDS = [1, 2, 3, 4, 5, 6, 7];

describe("Nielsen's ch. 5 measurement over seeds", () => {
  for (const net of NIELSEN_NETWORKS.filter((n) => n.published)) {
    it(`[${net.arch.join(',')}]: per-layer ratio 3–8 (median over ${SEEDS.length} seeds) and the book within 2× of our median`, () => {
      const rows = SEEDS.map((s) => nielsenNorms(net.arch, images, s));
      const hidden = net.arch.length - 2;
      for (let l = 0; l + 1 < hidden; l++) {
        const r = median(rows.map((v) => v[l + 1] / v[l]));
        expect(r, `layer ${l + 2}/${l + 1} median ratio ${r}`).toBeGreaterThan(3);
        expect(r, `layer ${l + 2}/${l + 1} median ratio ${r}`).toBeLessThan(8);
      }
      net.published!.forEach((book, l) => {
        const m = median(rows.map((v) => v[l]));
        expect(m / book, `hidden ${l + 1}: ours ${m}, book ${book}`).toBeGreaterThan(0.5);
        expect(m / book, `hidden ${l + 1}: ours ${m}, book ${book}`).toBeLessThan(2);
      });
    });
  }

  it('during full-batch training the first layer stays the slowest and both norms fall then rebound ([784,30,30,10], 80 steps)', () => {
    const r = speedOfLearning([784, 30, 30, 10], images, 1, 80);
    expect(r.norms).toHaveLength(2);
    for (let t = 0; t < 80; t++) expect(r.norms[0][t]).toBeLessThan(r.norms[1][t]);
    // the book: minima near steps 39 and 53, then a rebound
    for (const [l, s] of r.argmin.entries()) {
      expect(s, `layer ${l + 1} minimum at step ${s}`).toBeGreaterThan(20);
      expect(s, `layer ${l + 1} minimum at step ${s}`).toBeLessThan(79);
      expect(r.norms[l][79]).toBeGreaterThan(r.norms[l][s]);
    }
    expect(r.loss[79]).toBeLessThan(r.loss[0]);
  });
});
