/** Pure kustomize: an in-memory file tree in, Kubernetes objects out (see build.ts). */
export { type BuildOptions, kustomizeBuild } from './build.js';
export { KustomizeError } from './errors.js';
export type { FileTree } from './files.js';
export { goJson, kustomizeHash } from './hash.js';
export type { Target as PatchTarget } from './kustomization.js';
export { applyPatchesToObjects, type PatchSpec } from './patches.js';
