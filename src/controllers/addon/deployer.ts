/**
 * The act half of the deployer: normalises rendered objects against the target's discovery,
 * observes the objects Sveltos manages there, applies with server-side apply (force, field
 * manager `application/apply-patch`, namespaces first) and removes what the plan says.
 */
import { errorMessage } from '../../lib/errors.js';
import { isAlreadyExists, type KubeClient, type KubeObject, NotFoundError } from '../../kube/index.js';
import {
  type CurrentObject,
  type DeployPlan,
  type DesiredObject,
  describeId,
  type ObjectId,
  objectId,
  type Owner,
  parseObjectId,
  type SourceRef,
} from './decide-deploy.js';
import { FIELD_MANAGER, LABEL } from './names.js';
import { stampOwnership } from './ownership.js';

export interface RenderedObject {
  obj: Record<string, unknown>;
  source: SourceRef;
  skipNamespaceCreation: boolean;
}

/** `Kind.version.group` as in `status.deployedGVKs`. */
export function gvkString(id: ObjectId): string {
  const p = parseObjectId(id);
  return `${p.kind}.${p.version}.${p.group}`;
}

export function apiVersionKindOfGvk(gvk: string): { apiVersion: string; kind: string } {
  const [kind = '', version = '', ...g] = gvk.split('.');
  const group = g.join('.');
  return { apiVersion: group ? `${group}/${version}` : version, kind };
}

/**
 * Stamps ownership and fixes namespaces the way the API server would read them: namespaced kinds
 * without a namespace go to `default`, cluster-scoped kinds lose theirs. Unknown kinds are errors.
 */
export async function prepareObjects(
  client: KubeClient,
  rendered: readonly RenderedObject[],
  owner: Owner,
  extra: Parameters<typeof stampOwnership>[3],
): Promise<{ desired: DesiredObject[]; skipNs: Set<ObjectId>; errors: string[] }> {
  const desired: DesiredObject[] = [];
  const skipNs = new Set<ObjectId>();
  const errors: string[] = [];
  for (const r of rendered) {
    const o = r.obj as KubeObject;
    let namespaced: boolean;
    try {
      namespaced = (await client.resource(String(o.apiVersion), String(o.kind))).namespaced;
    } catch (err) {
      errors.push(
        `${o.kind} ${o.metadata?.name} from ${r.source.kind} ${r.source.namespace}/${r.source.name}: kind ${o.apiVersion} ${o.kind} is not served by cluster ${client.cluster}: ${errorMessage(err)}`,
      );
      continue;
    }
    const md = { ...(o.metadata ?? {}) };
    if (namespaced) md.namespace ||= 'default';
    else delete md.namespace;
    const { obj, hash } = stampOwnership({ ...o, metadata: md }, owner, r.source, extra);
    const id = objectId(obj);
    if (r.skipNamespaceCreation) skipNs.add(id);
    desired.push({ id, obj, source: r.source, hash });
  }
  return { desired, skipNs, errors };
}

/**
 * The Sveltos-managed objects (label `projectsveltos.io/reason`) of the given kinds in a cluster,
 * by id. Kinds the cluster does not serve are skipped.
 */
export async function observeManaged(
  client: KubeClient,
  gvks: Iterable<string>,
  signal?: AbortSignal,
): Promise<Map<ObjectId, CurrentObject>> {
  const out = new Map<ObjectId, CurrentObject>();
  // The kinds are listed concurrently (independent reads), then taken in the given order.
  const lists = await Promise.all(
    [...gvks].map(async (gvk) => {
      const t = apiVersionKindOfGvk(gvk);
      try {
        const opts = { labelSelector: LABEL.reason, ...(signal ? { signal } : {}) };
        return { t, items: (await client.list(t, opts)).items };
      } catch (err) {
        if (err instanceof NotFoundError) return { t, items: [] as KubeObject[] };
        throw err;
      }
    }),
  );
  for (const { t, items } of lists) {
    for (const it of items) {
      const id = objectId({ apiVersion: t.apiVersion, kind: t.kind, metadata: it.metadata });
      const reason = it.metadata?.labels?.[LABEL.reason];
      out.set(id, { id, annotations: it.metadata?.annotations ?? {}, ...(reason ? { reason } : {}) });
    }
  }
  return out;
}

/**
 * What a first deploy needs to observe: nothing was deployed before, so, as in Sveltos (stale
 * objects are looked for only in the kinds of `status.deployedGVKs`), only the desired objects'
 * current owners matter. A kind with one or two desired objects is read with a GET each (a list
 * grows with everything deployed in the cluster); a kind with more is listed (one request).
 * At most four requests at a time: the keep-alive pool keeps four connections per cluster.
 */
export async function observeDesired(
  client: KubeClient,
  ids: Iterable<ObjectId>,
  signal?: AbortSignal,
): Promise<Map<ObjectId, CurrentObject>> {
  const byKind = new Map<string, ObjectId[]>();
  for (const id of ids) {
    const gvk = gvkString(id);
    byKind.set(gvk, [...(byKind.get(gvk) ?? []), id]);
  }
  const listed = [...byKind].filter(([, xs]) => xs.length > 2).map(([gvk]) => gvk);
  const single = [...byKind].filter(([, xs]) => xs.length <= 2).flatMap(([, xs]) => xs);
  const out = listed.length > 0 ? await observeManaged(client, listed, signal) : new Map();
  const found: { id: ObjectId; obj: KubeObject }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < single.length) {
      const id = single[next++] as ObjectId;
      const p = parseObjectId(id);
      try {
        const ref = {
          apiVersion: p.group ? `${p.group}/${p.version}` : p.version,
          kind: p.kind,
          name: p.name,
          ...(p.namespace ? { namespace: p.namespace } : {}),
        };
        found.push({ id, obj: await client.get(ref, signal ? { signal } : {}) });
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, single.length) }, worker));
  for (const { id, obj } of found) {
    const reason = obj.metadata?.labels?.[LABEL.reason];
    if (reason === undefined) continue; // not deployed by Sveltos: taken over by the apply
    out.set(id, { id, annotations: obj.metadata?.annotations ?? {}, ...(reason ? { reason } : {}) });
  }
  return out;
}

export interface ApplyResult {
  applied: ObjectId[];
  /** The server's answers to the applies (drift baselines are hashed from them). */
  objects: KubeObject[];
  errors: string[];
}

/** Applies the plan's objects in order, namespaces first; stops at the first error unless told. */
export async function applyPlan(
  client: KubeClient,
  plan: DeployPlan,
  opts: { skipNs: ReadonlySet<ObjectId>; continueOnError: boolean; where: string; signal?: AbortSignal },
): Promise<ApplyResult> {
  const res: ApplyResult = { applied: [], objects: [], errors: [] };
  const sig = opts.signal ? { signal: opts.signal } : {};
  const namespaces = new Set<string>();
  for (const a of plan.actions) {
    if (!a.apply || opts.skipNs.has(a.id)) continue;
    const ns = parseObjectId(a.id).namespace;
    if (ns) namespaces.add(ns);
  }
  for (const ns of namespaces) await ensureNamespace(client, ns, sig);
  for (const a of plan.actions) {
    if (!a.apply) continue;
    const apply = () => client.apply(a.desired.obj, { fieldManager: FIELD_MANAGER, force: true, ...sig });
    try {
      let applied: KubeObject;
      try {
        applied = await apply();
      } catch (err) {
        // The namespace was known to exist but has been deleted since: create it, apply again.
        const ns = parseObjectId(a.id).namespace;
        if (!(err instanceof NotFoundError) || !ns || !namespaces.has(ns)) throw err;
        knownNamespaces(client).delete(ns);
        await ensureNamespace(client, ns, sig);
        applied = await apply();
      }
      res.objects.push(applied);
      res.applied.push(a.id);
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      res.errors.push(`apply of ${describeId(a.id)} to ${opts.where} failed: ${errorMessage(err)}`);
      if (!opts.continueOnError) break;
    }
  }
  return res;
}

/** Namespaces this process has seen exist, per cluster client (one GET saved per deploy). */
const seenNamespaces = new WeakMap<KubeClient, Set<string>>();

function knownNamespaces(client: KubeClient): Set<string> {
  let s = seenNamespaces.get(client);
  if (!s) seenNamespaces.set(client, (s = new Set()));
  return s;
}

/** Creates the namespace unless it exists (Sveltos creates, never owns, the namespaces it needs). */
async function ensureNamespace(client: KubeClient, ns: string, sig: { signal?: AbortSignal }): Promise<void> {
  const known = knownNamespaces(client);
  if (ns === 'default' || known.has(ns)) return; // default always exists and cannot be deleted
  try {
    await client.get({ apiVersion: 'v1', kind: 'Namespace', name: ns }, sig);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    try {
      await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, sig);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }
  known.add(ns);
}

/** Deletes objects (already gone is fine). Returns the failures. */
export async function removeObjects(
  client: KubeClient,
  ids: readonly ObjectId[],
  where: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const errors: string[] = [];
  for (const id of ids) {
    const p = parseObjectId(id);
    const { group, version } = p;
    try {
      await client.delete(
        {
          apiVersion: group ? `${group}/${version}` : version,
          kind: p.kind,
          name: p.name,
          ...(p.namespace ? { namespace: p.namespace } : {}),
        },
        signal ? { signal } : {},
      );
    } catch (err) {
      if (err instanceof NotFoundError) continue;
      errors.push(`delete of ${describeId(id)} from ${where} failed: ${errorMessage(err)}`);
    }
  }
  return errors;
}

/** Merge-patches objects (LeavePolicies: drop the ownership record). */
export async function patchObjects(
  client: KubeClient,
  ids: readonly ObjectId[],
  patch: Record<string, unknown>,
  where: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const errors: string[] = [];
  for (const id of ids) {
    const p = parseObjectId(id);
    try {
      await client.patch(
        {
          apiVersion: p.group ? `${p.group}/${p.version}` : p.version,
          kind: p.kind,
          name: p.name,
          ...(p.namespace ? { namespace: p.namespace } : {}),
        },
        patch,
        'merge',
        signal ? { signal } : {},
      );
    } catch (err) {
      if (err instanceof NotFoundError) continue;
      errors.push(`release of ${describeId(id)} in ${where} failed: ${errorMessage(err)}`);
    }
  }
  return errors;
}
