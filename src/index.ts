/** gradscope's public API: the numerical core, diagnostics, data (pure parts), experiments and report renderers. */
export * from './experiments/rnn/index.js';
export * from './errors.js';
export * from './tensor/index.js';
export * from './activations/index.js';
export * from './nn/index.js';
export * from './diagnostics/index.js';
export * from './data/index.js';
export * from './report/index.js';
