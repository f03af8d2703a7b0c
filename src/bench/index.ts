/** Public API of the benchmark: run it, its report types, the workloads. Node-only (reads the digits, loads tfjs). */
export { runBench, type BenchOptions, type BenchProgress, type BenchReport, type WorkloadResult, type VariantResult } from './run.js';
export { WORKLOADS, selectWorkloads, type Workload, type TrainWorkload, type MatmulWorkload } from './workloads.js';
export { summarize, ratio, type Summary } from './stats.js';
export { machineInfo, type MachineInfo } from './machine.js';
