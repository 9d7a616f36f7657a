import { badRequest, INVALID_MESSAGE, PatchError } from './errors.js';

/** Errors of k8s.io/apimachinery/pkg/util/mergepatch, worded as upstream. */
export class SmpError extends Error {
  constructor(
    message: string,
    /** How kube-apiserver's interpretStrategicMergePatchError classifies it. */
    readonly kind: 'badRequest' | 'invalid' | 'internal' = 'internal',
  ) {
    super(message);
  }
}

export const errBadPatchFormatForPrimitiveList = () =>
  new SmpError('invalid patch format of primitive list', 'badRequest');
export const errBadPatchFormatForRetainKeys = () =>
  new SmpError('invalid patch format of retainKeys', 'badRequest');
export const errBadPatchFormatForSetElementOrderList = () =>
  new SmpError('invalid patch format of setElementOrder list', 'badRequest');
export const errNoListOfLists = () => new SmpError('lists of lists are not supported', 'invalid');

/** Go's `%v` of a decoded JSON value, close enough for error messages. */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${goFormat((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  }
  return String(v);
}

function goKind(v: unknown): string {
  if (v === null || v === undefined) return 'invalid';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v;
}

export const errBadArgType = (expected: 'map' | 'slice', actual: unknown) =>
  new SmpError(`expected a ${expected}, but received a ${goKind(actual)}`);
export const errNoMergeKey = (m: unknown, key: string) =>
  new SmpError(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
export const errBadPatchType = (t: unknown, m: unknown) =>
  new SmpError(`unknown patch type: ${goFormat(t)} in map: ${goFormat(m)}`);

/** The Status kube-apiserver answers for a strategic merge patch error. */
export function toPatchError(e: SmpError): PatchError {
  switch (e.kind) {
    case 'badRequest':
      return badRequest(e.message);
    case 'invalid':
      return new PatchError(422, 'Invalid', INVALID_MESSAGE, {}, e.message);
    case 'internal':
      return new PatchError(
        500,
        'InternalError',
        `Internal error occurred: ${e.message}`,
        { causes: [{ reason: '', message: e.message }] },
        e.message,
      );
  }
}
