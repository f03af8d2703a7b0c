/** Public API of the WebAssembly SIMD backend: the fast kernels, their loader, and the fused elementwise kernels. */
export { fastKernels, loadFastKernels, createWasmKernels, createWasmKernelsAsync, wasmKernelsOver, DEFAULT_MIN_WORK, type WasmKernelOptions } from './wasm-kernels.js';
export { simdSupported, instantiateKernels, instantiateKernelsSync, kernelBytes, type KernelExports } from './module.js';
export { createWasmFusedOps, wasmFusedOpsOver, FUSED_ACTIVATIONS, type FusedActivation, type FusedOps } from './fused.js';
export { referenceOps, activationAt } from './reference.js';
export { KERNELS_SOURCE_SHA256 } from './kernels-wasm.js';
