import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ApplyConflictError,
  ConflictError,
  errorFromStatus,
  GoneError,
  InvalidError,
  isRetryable,
  KubeError,
  NotFoundError,
  retryAfterMs,
  TooManyRequestsError,
  UnauthorizedError,
  UnknownKubeError,
  UnreachableError,
} from './errors.js';

const ctx = { cluster: 'c1', verb: 'get', target: 'v1 ConfigMap default/cm' };

test('classifies from the Status reason before the HTTP code', () => {
  const e = errorFromStatus(ctx, 500, { kind: 'Status', reason: 'Conflict', code: 409, message: 'boom' });
  assert.ok(e instanceof ConflictError);
  assert.ok(e instanceof KubeError);
  assert.equal(e.name, 'ConflictError');
  assert.equal(e.code, 'Conflict');
  assert.equal(e.httpStatus, 409);
  assert.equal(e.retryable, true);
  assert.match(e.message, /get v1 ConfigMap default\/cm in cluster "c1"/);
  assert.match(e.message, /boom/);
});

test('Expired and Gone are both GoneError', () => {
  assert.ok(errorFromStatus(ctx, 410, { kind: 'Status', reason: 'Expired', code: 410 }) instanceof GoneError);
  assert.ok(errorFromStatus(ctx, 410, { kind: 'Status', reason: 'Gone', code: 410 }) instanceof GoneError);
});

test('falls back to the HTTP code when the body is not a Status', () => {
  const e = errorFromStatus(ctx, 401, 'Unauthorized');
  assert.ok(e instanceof UnauthorizedError);
  assert.match(e.message, /Unauthorized/);
  assert.ok(errorFromStatus(ctx, 404, undefined) instanceof NotFoundError);
  assert.ok(errorFromStatus(ctx, 418, undefined) instanceof UnknownKubeError);
});

test('Invalid carries the causes', () => {
  const e = errorFromStatus(ctx, 422, {
    kind: 'Status',
    reason: 'Invalid',
    code: 422,
    message: 'ConfigMap "cm" is invalid: data: Invalid value',
    details: { causes: [{ reason: 'FieldValueInvalid', field: 'data', message: 'Invalid value' }] },
  });
  assert.ok(e instanceof InvalidError);
  assert.equal((e as InvalidError).causes[0]?.field, 'data');
  assert.equal(isRetryable(e), false);
});

test('retry classification and Retry-After', () => {
  const e = errorFromStatus(ctx, 429, {
    kind: 'Status',
    reason: 'TooManyRequests',
    code: 429,
    details: { retryAfterSeconds: 2 },
  });
  assert.ok(e instanceof TooManyRequestsError);
  assert.equal(isRetryable(e), true);
  assert.equal(retryAfterMs(e), 2000);
  assert.equal(isRetryable(new UnreachableError(ctx, 'https://x', new Error('ECONNREFUSED'))), true);
  assert.equal(isRetryable(new Error('bug')), false);
  assert.equal(isRetryable(errorFromStatus(ctx, 404, undefined)), false);
});

test('a server-side apply field conflict is not retryable', () => {
  const e = errorFromStatus(ctx, 409, {
    kind: 'Status',
    reason: 'Conflict',
    code: 409,
    message: 'Apply failed with 1 conflict: conflict with "a": .data.x',
    details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "a"', field: '.data.x' }] },
  });
  assert.ok(e instanceof ApplyConflictError);
  assert.equal(e.code, 'Conflict');
  assert.equal(isRetryable(e), false);
  assert.match(e.message, /apply with force/);
});
