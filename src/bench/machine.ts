/**
 * What machine a benchmark ran on, so results from different machines are
 * never compared blindly: Node and V8 versions, CPU model and logical cores,
 * platform, and whether WebAssembly SIMD is available. Node-only.
 */
import { arch, cpus, platform, totalmem } from 'node:os';
import { simdSupported } from '../tensor/wasm/module.js';

/** The `machine` block of the bench report. */
export interface MachineInfo {
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly wasmSimd: boolean;
  /** Threads each contender may use: gradscope and tfjs-wasm are run single-threaded. */
  readonly threads: 1;
}

/** Describes the current machine. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: platform(),
    arch: arch(),
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    wasmSimd: simdSupported(),
    threads: 1,
  };
}
