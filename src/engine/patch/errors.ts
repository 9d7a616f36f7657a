/**
 * A patch that could not be applied, classified as kube-apiserver classifies it (`code` is the
 * HTTP status, `reason` the Status reason), so the embedded API server can answer with the same
 * Status; `detail` keeps the underlying library's own wording for logs and other callers
 * (kustomize, post-render patches) where kube-apiserver's generic 422 text would say nothing.
 */
export class PatchError extends Error {
  override readonly name: string = 'PatchError';

  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { causes?: { reason: string; message: string }[]; [k: string]: unknown },
    readonly detail: string = message,
  ) {
    super(message);
  }
}

export function badRequest(message: string): PatchError {
  return new PatchError(400, 'BadRequest', message);
}

/** kube-apiserver's wording for a 422 whose cause it does not send. */
export const INVALID_MESSAGE = 'the server rejected our request due to an error in our request';
