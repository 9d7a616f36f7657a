/** Helm in TypeScript: chart model and sources, rendering, release storage, actions. */
export * as action from './action/index.js';
export * as chart from './chart/index.js';
export * as release from './release/index.js';
export * as render from './render/index.js';
