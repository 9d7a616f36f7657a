import {
  applyJsonPatch as engineJsonPatch,
  applyMergePatch as engineMergePatch,
  applyStrategicMergePatch as engineStrategic,
  PatchError,
} from '../../engine/patch/index.js';
import { ApiError, type KubeObject, type Patcher, type SchemaNode, type Status } from '../contracts.js';
import { serverSideApply, trackUpdate } from './ssa/index.js';

export { JsonPatchError } from '../../engine/patch/index.js';
export { createMergePatch } from '../../engine/patch/index.js';
export { deepClone, deepEqual, isObject, stableStringify } from '../../engine/patch/index.js';
export { FieldSet, pathString } from './ssa/fieldset.js';
export { serverSideApply, trackUpdate } from './ssa/index.js';
export { LAST_APPLIED } from './ssa/last-applied.js';

/** Runs an engine patch, answering its PatchError as the ApiError (Status) kube-apiserver sends. */
function asApi<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof PatchError) {
      throw Object.assign(new ApiError(e.code, e.reason, e.message, e.details as Status['details']), {
        patchError: e.detail,
      });
    }
    throw e;
  }
}

export const applyJsonPatch = <T>(doc: T, patch: unknown): T => asApi(() => engineJsonPatch(doc, patch));
export const applyMergePatch = <T>(doc: T, patch: unknown): T => asApi(() => engineMergePatch(doc, patch));
export const applyStrategicMergePatch = <T extends object>(
  obj: T,
  patch: unknown,
  schema: SchemaNode | undefined,
): T => asApi(() => engineStrategic(obj, patch, schema));

/** The patch and server-side apply implementation the server core uses. */
export const patcher: Patcher = {
  jsonPatch: (obj, patch) => applyJsonPatch<KubeObject>(obj, patch),
  mergePatch: (obj, patch) => applyMergePatch<KubeObject>(obj, patch),
  strategicMergePatch: (obj, patch, schema) => applyStrategicMergePatch<KubeObject>(obj, patch, schema),
  apply: (args) => serverSideApply(args),
  trackUpdate: (args) => trackUpdate(args),
};
