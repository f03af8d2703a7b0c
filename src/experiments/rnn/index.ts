/** Public API of the recurrent experiments: the long-lag tasks, one run, study stage 6 and its rendering. */
export * from './tasks.js';
export * from './run.js';
export * from './types.js';
export * from './stage.js';
export * from './render.js';
