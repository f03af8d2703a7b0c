/** Public API of the recurrent experiments: the long-lag tasks, one run and study stage 6 (rendered by src/report/sections/recurrent.ts). */
export * from './tasks.js';
export * from './run.js';
export * from './types.js';
export * from './stage.js';
