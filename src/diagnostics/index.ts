/** Public API of the gradient diagnostics: per-layer statistics, verdicts, the chain view, probes. */
export * from './eigen.js';
export * from './layer-stats.js';
export * from './verdict.js';
export * from './chain.js';
export * from './probe.js';
