/**
 * The Sveltos CRDs shipped in `assets/sveltos/crds.yaml`, installed or upgraded in a management
 * cluster by server-side apply (idempotent: an unchanged CRD is left as it is).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { FlotillaError, errorMessage } from '../../lib/errors.js';
import type { KubeClient, KubeObject } from '../../kube/index.js';

const CRD_API = 'apiextensions.k8s.io/v1';
const FIELD_MANAGER = 'flotilla-crds';
let cached: KubeObject[] | undefined;

/** Where the CRDs are, from `src/main/fleet` (tsx) or `dist/src/main/fleet` (built). */
export function crdsFile(): string {
  const candidates = [
    new URL('../../../assets/sveltos/crds.yaml', import.meta.url),
    new URL('../../../../assets/sveltos/crds.yaml', import.meta.url),
  ];
  const file = candidates.find((u) => existsSync(u));
  if (!file)
    throw new FlotillaError(
      'crds-missing',
      'assets/sveltos/crds.yaml not found next to flotilla: reinstall flotilla (the package ships assets/)',
    );
  return file.pathname;
}

/** The CRDs to install, reduced to what apply should own (no status, no server fields). */
export function loadCrds(): KubeObject[] {
  if (cached) return cached;
  const crds: KubeObject[] = [];
  for (const doc of parseAllDocuments(readFileSync(crdsFile(), 'utf8'))) {
    const o = doc.toJS() as KubeObject | null;
    if (o?.kind !== 'CustomResourceDefinition') continue;
    crds.push({
      apiVersion: CRD_API,
      kind: 'CustomResourceDefinition',
      metadata: { name: o.metadata?.name, ...(o.metadata?.labels ? { labels: o.metadata.labels } : {}) },
      spec: o.spec,
    });
  }
  cached = crds;
  return crds;
}

function established(crd: KubeObject): boolean {
  const conds = (crd.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions;
  return (conds ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}

/**
 * Applies every CRD, then waits (up to `timeoutMs`) until each is Established, so informers
 * started next find their kinds. Returns how many were applied.
 */
export async function installCrds(
  client: KubeClient,
  opts: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<number> {
  const crds = loadCrds();
  for (const crd of crds) {
    try {
      await client.apply(crd, { fieldManager: FIELD_MANAGER, force: true, ...sig(opts.signal) });
    } catch (err) {
      throw new FlotillaError(
        'crd-install',
        `installing CRD ${crd.metadata?.name} in cluster ${client.cluster} failed: ${errorMessage(err)}; check that the kubeconfig's user may manage CustomResourceDefinitions`,
        { cause: err },
      );
    }
  }
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  const names = new Set(crds.map((c) => c.metadata?.name ?? ''));
  for (;;) {
    const list = await client.list(
      { apiVersion: CRD_API, kind: 'CustomResourceDefinition' },
      sig(opts.signal),
    );
    const pending = [...names].filter(
      (n) => !list.items.some((c) => c.metadata?.name === n && established(c)),
    );
    if (pending.length === 0) return crds.length;
    if (Date.now() > deadline || opts.signal?.aborted)
      throw new FlotillaError(
        'crd-install',
        `CRDs not Established in cluster ${client.cluster}: ${pending.slice(0, 3).join(', ')}${pending.length > 3 ? ', ...' : ''}; check the API server's logs`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

function sig(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
