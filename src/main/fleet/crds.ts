/**
 * The Sveltos CRDs shipped in `assets/sveltos/crds.yaml`, installed or upgraded in a management
 * cluster by server-side apply (idempotent: an unchanged CRD is left as it is).
 */
import { FlotillaError, errorMessage } from '../../lib/errors.js';
import { type KubeClient, type KubeObject, sveltosCrds, sveltosCrdsFile } from '../../kube/index.js';

const CRD_API = 'apiextensions.k8s.io/v1';
const FIELD_MANAGER = 'flotilla-crds';

/** Where the CRDs are. */
export const crdsFile = sveltosCrdsFile;

/** The CRDs to install, reduced to what apply should own (no status, no server fields). */
export const loadCrds = sveltosCrds;

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
