/**
 * Pure patch library: RFC 6902 JSON patch, RFC 7386 merge patch and the Kubernetes strategic
 * merge patch, with kube-apiserver's behaviour and error classification (PatchError).
 */
export { badRequest, INVALID_MESSAGE, PatchError } from './errors.js';
export { applyJsonPatch, JsonPatchError } from './json-patch.js';
export { deepClone, deepEqual, isObject, type JsonObject, setProp, stableStringify } from './json-value.js';
export { applyMergePatch, createMergePatch } from './merge-patch.js';
export { noPatchSchemas, type PatchSchema, type PatchSchemaProvider, schemaForObject } from './schema.js';
export { applyStrategicMergePatch } from './strategic.js';
export { swaggerPatchSchemas } from './swagger-schema.js';
