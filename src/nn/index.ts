/** Public API of the network engine: layers, losses, initialisers, optimisers, training, model files. */
export * from './layer.js';
export * from './dense.js';
export * from './activation-layer.js';
export * from './maxout.js';
export * from './dropout.js';
export * from './losses.js';
export * from './init.js';
export * from './network.js';
export * from './build.js';
export * from './optim.js';
export * from './clip.js';
export * from './train.js';
export * from './nonfinite.js';
export * from './gradcheck.js';
export * from './model-file.js';
