import type { KubeObject, ManagedFieldsEntry } from '../../contracts.js';
import { loadBuiltinSchemas } from '../../schema/index.js';
import { serverSideApply } from './index.js';

/** Shared data for the server-side apply tests. */
export const schemas = loadBuiltinSchemas();
export const cmSchema = schemas.forKind('', 'v1', 'ConfigMap');
export const depSchema = schemas.forKind('apps', 'v1', 'Deployment');
export const svcSchema = schemas.forKind('', 'v1', 'Service');
export const T1 = '2026-01-01T00:00:00Z';
export const T2 = '2026-01-01T00:01:00Z';
export const T3 = '2026-01-01T00:02:00Z';

export function cm(data: Record<string, string>, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'default', ...(labels ? { labels } : {}) },
    data,
  };
}

export function applyCm(
  live: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  force = false,
  now = T1,
) {
  return serverSideApply({ live, applied, manager, force, schema: cmSchema, apiVersion: 'v1', now });
}

export function entry(obj: KubeObject, manager: string): ManagedFieldsEntry | undefined {
  return obj.metadata?.managedFields?.find((e) => e.manager === manager);
}
