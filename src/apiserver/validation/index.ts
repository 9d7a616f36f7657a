/**
 * Validation, defaulting, pruning and CRD handling for the embedded API server.
 * The one export the server core uses is `validator`.
 *
 * - `defaultAndPrune` returns unknown field paths as kube words them in `unknown field "<path>"`
 *   (`spec.foo`, `spec.items[0].bar`, no leading dot); CR paths are sorted, as kube sorts them.
 * - `validate` expects the object after `defaultAndPrune` (nulls of non-nullable CR fields dropped,
 *   defaults applied). On update it ratchets: unchanged values are not re-validated (kube 1.30+).
 * - Field errors use kube's paths: `spec.x[0].y` for hand-written and CEL rules, kube-openapi's
 *   `spec.x.0.y` inside OpenAPI schema messages of custom resources, `<nil>` for root CEL rules.
 */
import type { FieldError, KubeObject, ResourceType, Validator } from '../contracts.js';
import { validateBuiltin } from './builtin-validate.js';
import { defaultAndPruneBuiltin } from './builtin-defaults.js';
import { crdResourceTypes } from './crd-resource-types.js';
import { defaultAndPruneCustom } from './crd-prune.js';
import { validateCRD } from './crd-validate.js';
import { validateCustomResource } from './custom-resource.js';

export const validator: Validator = {
  defaultAndPrune(rt: ResourceType, obj: KubeObject): string[] {
    if (rt.builtin) return defaultAndPruneBuiltin(rt, obj);
    return rt.schema ? defaultAndPruneCustom(rt.schema, obj) : [];
  },
  validate(rt: ResourceType, obj: KubeObject, old: KubeObject | undefined): FieldError[] {
    if (rt.builtin) return validateBuiltin(rt, obj, old);
    return validateCustomResource(rt, obj, old);
  },
  validateCRD,
  crdResourceTypes,
};

export { crdResourceTypes, validateCRD };
