/** Public API of the recurrent core: cells with forward and backward through time, heads, the model, training and spectral diagnostics. */
export * from './types.js';
export * from './seqbuf.js';
export * from './base.js';
export * from './rnn-cell.js';
export * from './lstm.js';
export * from './gru.js';
export * from './cell.js';
export * from './head.js';
export * from './model.js';
export * from './spectral.js';
export * from './train.js';
