/**
 * The English detector that the Chinese-page tests rely on: it must find an
 * English sentence or an untranslated header word in Chinese text, and let
 * through what stays in Latin letters (code names, flags, formulas, paper
 * titles, acronyms, numbers).
 */
import { describe, expect, it } from 'vitest';
import { englishIn, pageText } from './english.test-helper.js';

const found = (s: string): string[] => englishIn(s).map((f) => f.english);

describe('englishIn', () => {
  it('finds an English sentence left in Chinese text', () => {
    expect(found('第 1 層的梯度 the gradient vanishes here，因此學得很慢')).toEqual(['the gradient vanishes here']);
  });

  it('finds a single untranslated word of the catalogue vocabulary (a table header)', () => {
    expect(found('層 | units | 飽和')).toEqual(['units']);
    expect(found('死區 dead zone')).toEqual(['dead zone']);
  });

  it('lets code names, flags, file names, acronyms and numbers through', () => {
    expect(found('隱藏層改用 relu（或 leaky_relu / elu / gelu），初始化用 he_normal，加上 --clip-norm 1，寫入 results.json；LSTM 與 GRU、float32、MNIST、1e-3、ReLU 家族')).toEqual([]);
  });

  it('lets the catalogue formulas, paper titles and references through', () => {
    expect(found("公式 relu'(x) = 1 if x > 0, else 0，出自 Rectified Linear Units Improve Restricted Boltzmann Machines")).toEqual([]);
    expect(found('Nielsen 的 Neural Networks and Deep Learning 第 5 章')).toEqual([]);
  });
});

describe('pageText', () => {
  it('reads element text, labels, titles and chart labels, but not code, citations or scripts', () => {
    const html = `<p>梯度 <code>do not flag</code> <cite>A Paper Title Here</cite></p><canvas aria-label="gradient norm"></canvas><script>var a = "some code here";</script><script type="application/json" id="chart-specs">[{"config":{"data":{"datasets":[{"label":"test accuracy"}]},"options":{"scales":{"x":{"title":{"text":"depth of the net"}}}}}}]</script>`;
    const t = pageText(html);
    expect(found(t).sort()).toEqual(['depth of the net', 'gradient norm', 'test accuracy']);
  });
});
