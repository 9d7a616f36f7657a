import type { KubeObject } from '../contracts.js';
import type { VirtualCluster } from '../registry/cluster.js';
import { resourceKey } from '../registry/types.js';

export const CRD_CLEANUP = 'customresourcecleanup.apiextensions.k8s.io';

interface CrdSpec {
  group?: string;
  names?: Record<string, unknown> & { kind?: string; plural?: string };
  versions?: { name: string; served?: boolean; storage?: boolean }[];
}

/** Serves a CRD's versions in this cluster (types shared across clusters with identical CRDs). */
export function registerCrd(c: VirtualCluster, crd: KubeObject): void {
  const v = c.parts.validator;
  if (!v) return;
  c.types.setCrd(crd, (x) => v.crdResourceTypes(x));
}

/** Stops serving a CRD and removes every object of it. */
export function unregisterCrd(c: VirtualCluster, crd: KubeObject): void {
  const name = crd.metadata!.name!;
  const types = c.types.crdTypes(name);
  if (types.length === 0) return;
  const key = resourceKey(types[0]);
  c.store.dropResource(key);
  c.types.removeCrd(name);
  c.store.hub.forget(key, c.store.rv);
}

/** The status kube's CRD controllers maintain: accepted names, Established, stored versions. */
export function crdStatus(
  crd: KubeObject,
  now: string,
  prev?: Record<string, unknown>,
): Record<string, unknown> {
  const spec = (crd.spec ?? {}) as CrdSpec;
  const names = { ...(spec.names ?? {}) };
  const kind = String(names.kind ?? '');
  names.singular ??= kind.toLowerCase();
  names.listKind ??= `${kind}List`;
  const storage = (spec.versions ?? []).find((v) => v.storage)?.name;
  const prevStored = (prev?.storedVersions as string[] | undefined) ?? [];
  const storedVersions = [...prevStored];
  if (storage && !storedVersions.includes(storage)) storedVersions.push(storage);
  const prevConds = (prev?.conditions as { type: string; lastTransitionTime?: string }[] | undefined) ?? [];
  const since = (type: string) => prevConds.find((x) => x.type === type)?.lastTransitionTime ?? now;
  return {
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: since('NamesAccepted'),
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: since('Established'),
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    acceptedNames: names,
    storedVersions,
  };
}
