/** Public API of the WebAssembly SIMD backend: the fast kernels and their heaps, the loader, the fused elementwise kernels, the kernel threads. */
export { fastKernels, loadFastKernels, networkKernels, createWasmKernels, createWasmKernelsAsync, heapKernels, DEFAULT_MIN_WORK, DEFAULT_THREAD_MIN_WORK, type HeapKernels, type WasmKernelOptions } from './wasm-kernels.js';
export { simdSupported, relaxedSupported, sharedMemorySupported, defaultVariant, kernelModule, kernelModuleAsync, instantiateOver, kernelBytes, type KernelExports, type KernelVariant } from './module.js';
export { Heap } from './heap.js';
export { heapFusedOps, FUSED_ACTIVATIONS, isFusedActivation, type FusedActivation, type FusedOps } from './fused.js';
export { referenceOps, activationAt } from './reference.js';
export { kernelThreads, setKernelThreads, startKernelThreads, lazyKernelThreads, threadProgram, threadSource, type KernelThreads, type ThreadListen, type WorkerFactory, type WorkerLike } from './threads.js';
