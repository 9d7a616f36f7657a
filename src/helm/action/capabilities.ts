/**
 * `.Capabilities` of a target cluster: its version and every `group/version` and
 * `group/version/Kind` its discovery serves, like Helm's `getCapabilities`. Cached per client.
 */

import type { KubeClient } from '../../kube/index.js';
import { type Capabilities, HELM_VERSION } from '../render/objects.js';

const cache = new WeakMap<KubeClient, Promise<Capabilities>>();

type Fetch = (path: string) => Promise<unknown>;

// KubeClient exposes no raw GET; its Discovery holds the fetcher it was built with.
// Contract wanted from src/kube: a public `getRaw(path)` (or discovery.groups()).
function fetcher(client: KubeClient): Fetch {
  const f = (client.discovery as unknown as { fetch?: Fetch }).fetch;
  if (typeof f !== 'function') throw new Error('KubeClient discovery has no fetcher');
  return f;
}

async function load(client: KubeClient): Promise<Capabilities> {
  const v = await client.serverVersion();
  const fetch = fetcher(client);
  const gvs: string[] = [];
  const core = (await fetch('/api')) as { versions?: string[] };
  gvs.push(...(core.versions ?? ['v1']));
  const apis = (await fetch('/apis')) as { groups?: { versions?: { groupVersion: string }[] }[] };
  for (const g of apis.groups ?? []) for (const ver of g.versions ?? []) gvs.push(ver.groupVersion);
  const out = new Set<string>();
  await Promise.all(
    gvs.map(async (gv) => {
      out.add(gv);
      try {
        const doc = (await fetch(gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`)) as {
          resources?: { name: string; kind: string }[];
        };
        for (const r of doc.resources ?? []) if (!r.name.includes('/')) out.add(`${gv}/${r.kind}`);
      } catch {
        // A group-version that fails discovery is still listed, as Helm does with partial discovery.
      }
    }),
  );
  const minor = String(v.minor ?? '').replace(/\D+$/, '');
  return {
    kubeVersion: { version: v.gitVersion, major: String(v.major), minor },
    apiVersions: [...out].sort(),
    helmVersion: HELM_VERSION,
  };
}

/** The cluster's capabilities (cached per client; CRDs installed later are missed until a new client). */
export function clusterCapabilities(client: KubeClient): Promise<Capabilities> {
  let p = cache.get(client);
  if (p === undefined) {
    p = load(client);
    cache.set(client, p);
    p.catch(() => cache.delete(client));
  }
  return p;
}

/** Drops the cached capabilities (after installing CRDs). */
export function forgetCapabilities(client: KubeClient): void {
  cache.delete(client);
}
