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
  /** Whether the products use relaxed SIMD (fused multiply-add). */
  readonly relaxedSimd: boolean;
  /** Threads of the threaded gradscope variant and the multi-threaded PyTorch (1: none); every other contender runs on one (tfjs-wasm is forced to). */
  readonly threads: number;
}

/** Describes the current machine and the bench's thread count. */
export function machineInfo(threads = 1, relaxedSimd = false): MachineInfo {
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
    relaxedSimd,
    threads,
  };
}
