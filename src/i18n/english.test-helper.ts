/**
 * Finds English left in a Traditional Chinese page or string: runs of two or
 * more English words, and single English words of the catalogue's English
 * vocabulary (an untranslated table header such as "layer"). What may stay
 * in Latin letters is allowed: code names (activation, initialiser, loss,
 * optimiser, data set and cell names, flags, file names, identifiers with _
 * or digits), acronyms, one-letter variables, math function names, paper
 * titles and author lists, reference entries, and the catalogue's formulas.
 */
import { ACTIVATIONS, ACTIVATION_NAMES, ALIASES } from '../activations/catalogue.js';
import { DATASET_NAMES } from '../data/catalog.js';
import { INIT_NAMES } from '../nn/init.js';
import { LOSS_NAMES } from '../nn/losses.js';
import { OPTIMIZER_NAMES } from '../nn/optim.js';
import { CELL_KINDS } from '../nn/rnn/types.js';
import { REFERENCES } from '../report/references.js';
import { MESSAGES } from './catalogue.js';

/** One piece of English found, with the text around it. */
export interface EnglishFinding {
  readonly english: string;
  readonly context: string;
}

/** Words that stay in Latin letters in Chinese technical writing: names of things, units, math. */
const NAMES = new Set<string>([
  ...ACTIVATION_NAMES,
  ...Object.keys(ALIASES),
  ...INIT_NAMES,
  ...LOSS_NAMES,
  ...OPTIMIZER_NAMES,
  ...CELL_KINDS,
  ...ACTIVATIONS.flatMap((d) => d.params.map((p) => p.name)),
  ...DATASET_NAMES.flatMap((d) => d.split(/[:\s]/)),
  'ReLU', 'ReLUs', 'PReLU', 'ELU', 'SELU', 'CELU', 'GELU', 'GELUs', 'SiLU', 'Swish', 'Mish', 'Softplus', 'Maxout', 'Sigmoid', 'Tanh', 'Softmax', 'Softsign', 'Hardtanh',
  'PyTorch', 'Torch', 'torch', 'TensorFlow', 'Keras', 'Theano', 'Chart', 'js', 'Node', 'Chromium', 'KaTeX', 'LaTeX', 'OpenBLAS', 'WebAssembly', 'wasm', 'tfjs', 'gradscope', 'npm', 'Redis', 'BullMQ',
  'Nielsen', 'Glorot', 'Bengio', 'Xavier', 'He', 'Kaiming', 'LeCun', 'Pascanu', 'Mikolov', 'Hochreiter', 'Schmidhuber', 'Klambauer', 'Hendrycks', 'Gimpel', 'Ioffe', 'Szegedy', 'Hinton', 'Kingma', 'Ba', 'Misra', 'Ramachandran', 'Arjovsky', 'Shah', 'Pennington', 'Ganguli', 'McClelland', 'Jacobian', 'Jacobians', 'Nair', 'Saxe', 'Poole', 'Schoenholz', 'Zhang', 'Ren', 'Sun', 'Srivastava', 'Gers', 'Cummins', 'Cho',
  'et', 'al', 'ch', 'arXiv', 'ICML', 'ICLR', 'NeurIPS', 'NIPS', 'AISTATS', 'ICCV', 'CVPR', 'JMLR',
  'max', 'min', 'ln', 'log', 'exp', 'sign', 'erf', 'diag', 'tr', 'argmax', 'argmin', 'sup', 'inf', 'mean', 'std', 'Var', 'E', 'P', 'N', 'U', 'NaN', 'Infinity', 'Inf', 'inf',
  'float32', 'float64', 'MNIST', 'Fashion', 'IDX', 'JSON', 'CSV', 'HTML', 'ONNX', 'opset', 'TensorBoard', 'tensorboard', 'logdir', 'UTC', 'CPU', 'CPUs', 'SIMD', 'GFLOP', 's', 'ms', 'MB', 'KB',
  'logits', 'logit', 'dropout', 'batch', 'epoch', 'epochs', 'BPTT', 'LSTM', 'GRU', 'RNN', 'SGD', 'Adam', 'AdamW', 'RMSprop', 'Nesterov', 'ImageNet', 'CIFAR',
  'Leaky', 'leaky', 'xavier', 'he', 'lecun', 'English', 'quick', 'full', 'mnist', 'digits', 'x1', 'x2', 'label', 'ETA', 'Ctrl', 'C', 'URL', 'ok', 'true', 'false', 'null',
]);

/** Exact texts that may appear in English: paper titles and authors, references, formulas, ranges. */
const ALLOWED_PHRASES: readonly string[] = [
  ...REFERENCES.map((r) => r.text),
  ...ACTIVATIONS.flatMap((d) => [d.meta.paper.title, d.meta.paper.authors, d.meta.paper.venue ?? '', d.meta.formula.text, d.meta.derivative.text, d.meta.formula.latex, d.meta.derivative.latex, d.meta.range, d.meta.derivativeRange, d.meta.deadZone]),
  'Neural Networks and Deep Learning',
  'Long Short-Term Memory',
  'Identity Mappings in Deep Residual Networks',
]
  .filter((s) => s.length > 2)
  .sort((a, b) => b.length - a.length);

/** The English vocabulary of the catalogue (lower case, 3+ letters, not names). */
const VOCABULARY: ReadonlySet<string> = new Set(
  Object.values(MESSAGES)
    .flatMap((m) => m.en.match(/(?<![\w])[A-Za-z][a-z]{2,}(?![\w])/g) ?? [])
    .map((w) => w.toLowerCase())
    .filter((w) => !NAMES.has(w)),
);

/** True for a token that is a name or notation, not an English word. */
function isName(w: string): boolean {
  const bare = w.replace(/[’'-]+$/, '');
  return bare.length <= 1 || NAMES.has(bare) || /[_\d]/.test(bare) || /^[A-Z]{2,}s?$/.test(bare) || /^[a-z]+[A-Z]/.test(bare);
}

/** English in `text` (a string or a page's visible text): multi-word runs and single vocabulary words. */
export function englishIn(text: string, extraAllowed: readonly string[] = []): EnglishFinding[] {
  let s = text;
  for (const p of [...extraAllowed, ...ALLOWED_PHRASES]) if (p) s = s.split(p).join(' ');
  // flags, file names, urls, placeholders are code
  s = s.replace(/\{[A-Za-z]\w*\}/g, ' ').replace(/\b\w+\[\w*\]/g, ' ').replace(/(?:\b[\w.-]+)?\/[\w./-]*/g, ' ').replace(/\bgradscope [a-z]+(?: [a-z]+)?\b/g, ' ').replace(/https?:\/\/\S+/g, ' ').replace(/--?[a-z][\w-]*/g, ' ').replace(/\b[\w.-]+\.(json|jsonl|md|html|csv|npy|js)\b/g, ' ').replace(/\b[A-Za-z_]+:[\w.:]+/g, ' ');
  const out: EnglishFinding[] = [];
  for (const m of s.matchAll(/[A-Za-z][\w’'-]*(?:[ \t]+[A-Za-z][\w’'-]*)*/g)) {
    const words = m[0].split(/[ \t]+/).filter((w) => !isName(w));
    const english = words.length >= 2 || (words.length === 1 && VOCABULARY.has(words[0].toLowerCase().replace(/[’'-]+$/, '')));
    if (english) out.push({ english: m[0], context: s.slice(Math.max(0, (m.index ?? 0) - 30), (m.index ?? 0) + m[0].length + 30).replace(/\s+/g, ' ') });
  }
  return out;
}

/** The text a reader sees or hears on an HTML page: element text, labels and titles, chart titles, axis and legend labels. */
export function pageText(html: string): string {
  const specs = /<script type="application\/json" id="chart-specs">([\s\S]*?)<\/script>/.exec(html)?.[1];
  const chartTexts: string[] = [];
  const walk = (v: unknown, key = ''): void => {
    if (typeof v === 'string') {
      if (key === 'label' || key === 'text' || key === 'labels' || key === 'title') chartTexts.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  if (specs) walk(JSON.parse(specs));
  const attrs = [...html.matchAll(/\s(?:aria-label|title|alt|placeholder)="([^"]*)"/g)].map((m) => m[1]);
  const body = html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<code>[\s\S]*?<\/code>/g, ' ')
    .replace(/<cite>[\s\S]*?<\/cite>/g, ' ')
    .replace(/<[^>]+>/g, ' ');
  const decode = (x: string): string => x.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return [decode(body), ...attrs.map(decode), ...chartTexts].join('\n');
}
