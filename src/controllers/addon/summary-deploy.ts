/**
 * The Resources feature of one ClusterSummary on one cluster: render every source, then per
 * target (the managed cluster; the management cluster for `deploymentType: Local`) observe what is
 * deployed, decide, apply and remove. Never applies after a render error; removals only when
 * every source was read and every apply succeeded.
 */
import type { KubeClient, KubeObject } from '../../kube/index.js';
import { errorMessage } from '../../lib/errors.js';
import {
  type CurrentObject,
  DEFAULT_TIER,
  decideDeploy,
  dryRunReport,
  isOwnedBy,
  type ObjectId,
  type Owner,
} from './decide-deploy.js';
import {
  applyPlan,
  gvkString,
  observeDesired,
  observeManaged,
  prepareObjects,
  type RenderedObject,
  removeObjects,
} from './deployer.js';
import type { ProfileKind } from './names.js';
import { RenderError, renderSource } from './render.js';
import type { ResolvedSource } from './sources.js';
import { type ClusterRef, readDeployedFeature, resourceId } from './summary-records.js';
import type { ClusterSummaryObject, DeployedResource, ProfileSpec } from './types.js';

export interface DeployInput {
  mgmt: KubeClient;
  /** The managed cluster's client. */
  target: KubeClient;
  cs: ClusterSummaryObject;
  cluster: ClusterRef;
  profile: { kind: ProfileKind; name: string };
  spec: ProfileSpec;
  clusterObj: KubeObject;
  sources: readonly ResolvedSource[];
  mgmtResources: Record<string, Record<string, unknown>>;
  /** Failures already known (unreadable sources): they freeze removals. */
  sourceErrors: readonly string[];
  gate: 'deploy' | 'dryRun';
  signal: AbortSignal;
  /** The feature deployed (label `projectsveltos.io/reason`, records); Resources by default. */
  feature?: 'Resources' | 'Kustomize';
  /** Objects rendered elsewhere (Kustomize): used instead of rendering `sources`. */
  rendered?: { remote: RenderedObject[]; local: RenderedObject[]; errors: string[] };
  /** Post-render step over each source's objects (profile `patches`); throwing is a render error. */
  postRender?: (objs: Record<string, unknown>[], where: string) => Record<string, unknown>[];
}

export interface DeployResult {
  failures: string[];
  /** The first API failure, for the queue's retry. */
  retryable: unknown;
  /** What is (or may still be) deployed: the ClusterConfiguration record. */
  recorded: { id: ObjectId; local: boolean }[];
  reports: ReturnType<typeof dryRunReport>;
  conflicts: number;
  /** Owners whose objects this deploy took over (strictly lower tier). */
  stolen: { kind: string; name: string }[];
  previous: DeployedResource[];
  /** The managed cluster's objects as the server returned them from this deploy's applies. */
  applied: KubeObject[];
}

export async function deployFeature(input: DeployInput): Promise<DeployResult> {
  const { mgmt, target, cs, cluster, profile, spec, clusterObj, signal } = input;
  const trr = { resources: input.mgmtResources };
  const sources = { sources: input.sources };
  const sourceErrors = input.sourceErrors;
  const gate = { type: input.gate };
  // Render.
  const owner: Owner = { kind: profile.kind, name: profile.name, tier: spec.tier ?? DEFAULT_TIER };
  const feature = input.feature ?? 'Resources';
  const renderErrors: string[] = [...(input.rendered?.errors ?? [])];
  const remote: RenderedObject[] = [...(input.rendered?.remote ?? [])];
  const local: RenderedObject[] = [...(input.rendered?.local ?? [])];
  for (const s of input.rendered ? [] : sources.sources) {
    try {
      const rendered = renderSource(s.content, {
        Cluster: clusterObj as Record<string, unknown>,
        MgmtResources: trr.resources,
      });
      const objs = input.postRender
        ? input.postRender(rendered, `${s.kind} ${s.namespace}/${s.name}`)
        : rendered;
      const src = { kind: s.kind, namespace: s.namespace, name: s.name, tier: s.ref.tier ?? DEFAULT_TIER };
      for (const obj of objs) {
        (s.ref.deploymentType === 'Local' ? local : remote).push({
          obj,
          source: src,
          skipNamespaceCreation: !!s.ref.skipNamespaceCreation,
        });
      }
    } catch (err) {
      renderErrors.push(
        `${err instanceof RenderError ? err.message : errorMessage(err)} (cluster ${cluster.namespace}/${cluster.name})`,
      );
    }
  }
  // Nothing was recorded before the first status write: skip the read on first deploys.
  const firstDeploy = !cs.status?.deployedGVKs;
  const previous = firstDeploy
    ? []
    : await readDeployedFeature(mgmt, cluster, profile.kind, profile.name, feature);
  const extra = {
    ...(spec.extraLabels ? { labels: spec.extraLabels } : {}),
    ...(spec.extraAnnotations ? { annotations: spec.extraAnnotations } : {}),
  };
  const where = `cluster ${cluster.namespace}/${cluster.name}`;
  const failures: string[] = [...sourceErrors, ...renderErrors];
  let retryable: unknown;
  const recorded: { id: ObjectId; local: boolean }[] = [];
  const reports: ReturnType<typeof dryRunReport> = [];
  let conflicts = 0;
  const stolen: { kind: string; name: string }[] = [];
  const applied: KubeObject[] = [];
  // With a render failure nothing is applied: the previous deployment stays as it was.
  const targets: [KubeClient, RenderedObject[], boolean][] =
    renderErrors.length > 0
      ? []
      : [
          [target, remote, false],
          [mgmt, local, true],
        ];
  for (const [client, rendered, isLocal] of targets) {
    const prevHere = previous.filter((r) => (r.deploymentType === 'Local') === isLocal);
    if (rendered.length === 0 && prevHere.length === 0) continue;
    const prepared = await prepareObjects(client, rendered, owner, { ...extra, reason: feature });
    failures.push(...prepared.errors);
    const gvks = new Set([
      ...prepared.desired.map((d) => gvkString(d.id)),
      ...prevHere.map((r) => gvkString(resourceId(r))),
    ]);
    let current: Map<ObjectId, CurrentObject>;
    try {
      // A first deploy has nothing stale: reading the desired objects is enough (the kinds'
      // lists grow with everything deployed there; one GET per object does not).
      current = firstDeploy
        ? await observeDesired(
            client,
            prepared.desired.map((d) => d.id),
            signal,
          )
        : await observeManaged(client, gvks, signal);
    } catch (err) {
      failures.push(
        `cannot read what is deployed in ${isLocal ? 'the management cluster' : where} (nothing applied, retrying): ${errorMessage(err)}`,
      );
      retryable ??= err;
      for (const r of prevHere) recorded.push({ id: resourceId(r), local: isLocal });
      continue;
    }
    if (isLocal) {
      // The management cluster holds every cluster's Local objects: only this summary's are ours.
      const mine = new Set([...prepared.desired.map((d) => d.id), ...prevHere.map(resourceId)]);
      for (const id of [...current.keys()]) if (!mine.has(id)) current.delete(id);
    }
    const freeze = failures.length > 0;
    const plan = decideDeploy({
      owner,
      desired: prepared.desired,
      current,
      continueOnConflict: !!spec.continueOnConflict,
      freezeRemovals: freeze,
      reason: feature,
    });
    conflicts += plan.conflicts;
    if (gate.type === 'dryRun') {
      reports.push(...dryRunReport(plan));
      continue;
    }
    const res = await applyPlan(client, plan, {
      skipNs: prepared.skipNs,
      continueOnError: !!spec.continueOnError,
      where: isLocal ? 'the management cluster' : where,
      signal,
    });
    for (const a of plan.actions) {
      if (a.action === 'Conflict') failures.push(`${a.message} (${where})`);
      if (a.stolenFrom && res.applied.includes(a.id)) stolen.push(a.stolenFrom);
    }
    if (!isLocal) applied.push(...res.objects);
    if (res.errors.length > 0) {
      failures.push(...res.errors);
      retryable ??= new Error(res.errors[0]);
    }
    const removeOk = !freeze && res.errors.length === 0;
    const removeErrors = removeOk ? await removeObjects(client, plan.remove, where, signal) : [];
    failures.push(...removeErrors);
    const kept = new Set(res.applied);
    // Keep recording what is (or may still be) deployed: applied objects, plus, when removals
    // were frozen or failed, everything this profile still owns there.
    if (!removeOk || removeErrors.length > 0) {
      for (const [id, cur] of current) if (isOwnedBy(cur.annotations, owner)) kept.add(id);
    }
    for (const id of kept) recorded.push({ id, local: isLocal });
  }
  if (renderErrors.length > 0)
    for (const r of previous) recorded.push({ id: resourceId(r), local: r.deploymentType === 'Local' });
  return { failures, retryable, recorded, reports, conflicts, stolen, previous, applied };
}
