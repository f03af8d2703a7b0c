/** Public API of the tensor core: dtypes, the seeded RNG, matrix kernels, reductions. */
export * from './dtype.js';
export * from './rng.js';
export * from './kernels.js';
export * from './reduce.js';
export * from './wasm/index.js';
