/**
 * ClusterSummary deletion: uninstall the Helm releases and remove (or, with LeavePolicies,
 * release) the resources the summary deployed, only those this profile still owns; then drop
 * its ClusterConfiguration entry, DryRun report and finalizer. Errors are returned (the caller
 * retries) and nothing is recorded as gone until everything was withdrawn.
 */
import type { KubeClient } from '../../kube/index.js';
import type { Logger } from '../../runtime/index.js';
import { ClusterUnavailableError, type ManagedClusters } from './cluster-access.js';
import { isOwnedBy, type ObjectId } from './decide-deploy.js';
import { gvkString, observeManaged, patchObjects, removeObjects } from './deployer.js';
import { withdrawHelm } from './helm-feature.js';
import { withdrawKustomize } from './kustomize-feature.js';
import { clusterReportName, FINALIZER, GVK, SVELTOS_NAMESPACE } from './names.js';
import { releaseOwnershipPatch } from './ownership.js';
import { clusterOf, profileOf } from './summary-helpers.js';
import { deleteQuietly, readDeployed, resourceId, writeDeployed } from './summary-records.js';
import type { ClusterSummaryObject, SveltosClusterObject } from './types.js';

export interface WithdrawDeps {
  mgmt: KubeClient;
  clusters: ManagedClusters;
  /** The cluster from the cache (absent or deleting: nothing to withdraw there). */
  clusterObj: SveltosClusterObject | undefined;
  log: Logger;
}

/** Withdraws what the summary deployed and removes its finalizer; returns the errors instead. */
export async function withdrawSummary(
  d: WithdrawDeps,
  key: string,
  cs: ClusterSummaryObject,
  signal: AbortSignal,
): Promise<string[]> {
  const cluster = clusterOf(cs);
  const profile = profileOf(cs);
  const spec = cs.spec?.clusterProfileSpec ?? {};
  const owner = { kind: profile.kind, name: profile.name };
  const leave = spec.stopMatchingBehavior === 'LeavePolicies';
  const previous = await readDeployed(d.mgmt, cluster, profile.kind, profile.name);
  const clusterObj = d.clusterObj;
  d.log.debug({ summary: key, previous: previous.length, cluster: !!clusterObj }, 'finalizing');
  let conn: Awaited<ReturnType<ManagedClusters['connection']>> | undefined;
  if (clusterObj && !clusterObj.metadata?.deletionTimestamp) {
    try {
      conn = await d.clusters.connection(cluster);
    } catch (err) {
      if (!(err instanceof ClusterUnavailableError)) throw err;
    }
  }
  const errors: string[] = [];
  const where = `cluster ${cluster.namespace}/${cluster.name}`;
  const act = async (client: KubeClient, ids: ObjectId[], w: string) => {
    errors.push(
      ...(leave
        ? await patchObjects(client, ids, releaseOwnershipPatch(), w, signal)
        : await removeObjects(client, ids, w, signal)),
    );
  };
  if (conn && spec.syncMode !== 'DryRun' && !leave)
    errors.push(...(await withdrawHelm(d.mgmt, conn.client, cs, cluster)));
  errors.push(...(await withdrawKustomize(d.mgmt, conn?.client, cs, cluster, signal)));
  if (conn && spec.syncMode !== 'DryRun') {
    const gvks = new Set([
      ...previous.filter((r) => r.deploymentType !== 'Local').map((r) => gvkString(resourceId(r))),
      ...(cs.status?.deployedGVKs?.find((g) => g.featureID === 'Resources')?.deployedGroupVersionKind ?? []),
    ]);
    const current = await observeManaged(conn.client, gvks, signal);
    const ids = [...current.values()].filter((c) => isOwnedBy(c.annotations, owner)).map((c) => c.id);
    d.log.debug({ summary: key, gvks: [...gvks], ids, leave }, 'withdrawing');
    await act(conn.client, ids, where);
    if (spec.syncMode === 'ContinuousWithDriftDetection') {
      await deleteQuietly(conn.client, {
        ...GVK.resourceSummary,
        namespace: SVELTOS_NAMESPACE,
        name: cs.metadata?.name ?? '',
      }).catch(() => undefined);
    }
  }
  const localIds = previous.filter((r) => r.deploymentType === 'Local').map(resourceId);
  if (localIds.length > 0) {
    const current = await observeManaged(d.mgmt, new Set(localIds.map(gvkString)), signal);
    await act(
      d.mgmt,
      localIds.filter((id) => isOwnedBy(current.get(id)?.annotations, owner)),
      'the management cluster',
    );
  }
  if (errors.length > 0) return errors;
  await writeDeployed(d.mgmt, cluster, profile.kind, profile.name, undefined);
  if (spec.syncMode === 'DryRun') {
    await deleteQuietly(d.mgmt, {
      ...GVK.clusterReport,
      namespace: cluster.namespace,
      name: clusterReportName(profile.kind, profile.name, cluster.type, cluster.name),
    });
  }
  await d.mgmt.patch(
    { ...GVK.clusterSummary, namespace: cs.metadata?.namespace ?? '', name: cs.metadata?.name ?? '' },
    {
      metadata: {
        finalizers: (cs.metadata?.finalizers ?? []).filter((f) => f !== FINALIZER.clusterSummary),
        resourceVersion: cs.metadata?.resourceVersion,
      },
    },
    'merge',
    { signal },
  );
  return [];
}
