import type { KubeObject } from '../contracts.js';
import { newUid } from '../lifecycle/names.js';
import type { ObjectStore } from '../storage/object-store.js';

export const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** The objects every new cluster starts with (kept lean: namespaces and their default service accounts). */
export function seedCluster(store: ObjectStore, now: string): void {
  for (const ns of DEFAULT_NAMESPACES) {
    const nsObj: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        uid: newUid(),
        creationTimestamp: now,
        labels: { 'kubernetes.io/metadata.name': ns },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    };
    store.commit('ADDED', '/namespaces', nsObj);
    store.commit('ADDED', '/serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: ns, uid: newUid(), creationTimestamp: now },
    });
  }
}
