/**
 * Version conversion of stored objects. A CRD version that is served but not stored is converted
 * by the in-process converter registered for its group/kind (src/api/conversion, set as
 * `ResourceType.converter` by crd-resource-types.ts); otherwise only apiVersion is rewritten, as
 * kube-apiserver does for `strategy: None`.
 */
import { ConversionError } from '../../api/conversion/index.js';
import { ApiError, invalidError, type KubeObject, type ResourceType } from '../contracts.js';
import { gvString } from '../registry/types.js';
import { invalid } from '../validation/field-errors.js';

/** `obj` at `version` of its type. Conversion failures: 422 into storage, 500 out of it. */
export function convertTo(rt: ResourceType, obj: KubeObject, version: string): KubeObject {
  const av = gvString(rt.group, version);
  if (obj.apiVersion === av) return obj;
  if (!rt.converter) return { ...obj, apiVersion: av };
  try {
    return rt.converter.convert(obj, version);
  } catch (err) {
    if (!(err instanceof ConversionError)) throw err;
    if (version === rt.storageVersion)
      throw invalidError(`${rt.kind}.${rt.group}`, obj.metadata?.name ?? '', rt.group, [
        invalid(err.field, err.value, err.detail),
      ]);
    throw new ApiError(500, 'InternalError', `conversion of ${err.where} to ${av} failed: ${err.message}`);
  }
}

/** `obj` at the requested version of `rt`. */
export function atVersion(rt: ResourceType, obj: KubeObject): KubeObject {
  return convertTo(rt, obj, rt.version);
}

/** `obj` at the storage version of `rt`. */
export function toStorage(rt: ResourceType, obj: KubeObject): KubeObject {
  return convertTo(rt, obj, rt.storageVersion);
}
