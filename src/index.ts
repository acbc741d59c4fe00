/** strokecut for Node: the pure core plus file decoding and encoding. */
export * from './core/index.js';
export * from './io/index.js';
