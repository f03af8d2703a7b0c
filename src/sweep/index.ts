/**
 * Sweeps (Node-side: files, threads, Redis): the sweep file and its
 * expansion, the result store, local pools, shards and merging, the Redis
 * queue, aggregation and the HTML/CSV reports. See docs/sweeps.md.
 */
export { parseSweep, checkSweepData, SWEEP_FORMAT, MAX_RUNS, type Sweep, type SweepRun } from './spec.js';
export { runIdOf, sweepIdOf, canonicalJson } from './ids.js';
export { recordSchema, RESULT_FORMAT, deterministicPart, type RunRecord, type SnapshotRecord } from './record.js';
export { ResultStore, readResults, readManifest, writeManifest, manifestOf, StoreWriteError, MANIFEST_FILE, RESULTS_FILE, type Manifest, type ShardSpec } from './store.js';
export { executeRun, type RunTask, type RunOutcome } from './execute.js';
export { driveRuns, threadExecutor, type Executor, type DriveEnd } from './pool.js';
export { parseShard, inShard, mergeSweepDirs, type MergeResult } from './shard.js';
export { runViaQueue, runQueueWorker, parseRedisUrl, checkRedis, DEFAULT_QUEUE_NAME } from './queue.js';
export { statOf, summaryTable, METRICS, type Stat } from './aggregate.js';
export { toCsv } from './csv.js';
