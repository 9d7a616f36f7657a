export * from './cluster.js';
export * from './constants.js';
export * from './generated/index.js';
export * from './gvk.js';
export * from './kubeconfig-secret.js';
export type * from './meta.js';
export * from './names.js';
export type * from './types.js';
